package sqlite

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
	"github.com/eventgen/eventgen/runtime/store/storetest"
)

func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func BenchmarkSQLite(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) store.Store { return open(b) })
}

func TestReopenKeepsEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	evs := storetest.Envelopes("a", "t1", 3, time.Now())
	if _, err := s.Append(context.Background(), "s", 0, evs...); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Append(context.Background(), "s", 0, storetest.Envelopes("a", "t1", 1, time.Now())...); err == nil {
		t.Fatal("Append at version 0 to a stream stored before reopening succeeded")
	}
	rs, err := s.Read(context.Background(), 0, 10)
	if err != nil || len(rs) != 3 || rs[2].EventID != evs[2].EventID {
		t.Fatalf("after reopening Read = %d records, %v; want the 3 appended", len(rs), err)
	}
	var mode string
	if err := s.writer.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestOpenError(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "missing-dir", "events.db")); err == nil {
		t.Fatal("Open in a missing directory succeeded")
	}
}

func TestSeenSet(t *testing.T) {
	ss := open(t).SeenSet()
	ctx := context.Background()
	steps := []struct {
		op       string
		sub, id  string
		wantSeen bool
	}{
		{"seen", "a", "1", false},
		{"mark", "a", "1", false},
		{"seen", "a", "1", true},
		{"seen", "b", "1", false},
		{"mark", "a", "1", false}, // twice is fine
		{"seen", "a", "2", false},
	}
	for i, st := range steps {
		switch st.op {
		case "mark":
			if err := ss.Mark(ctx, st.sub, st.id); err != nil {
				t.Fatalf("step %d: Mark: %v", i, err)
			}
		case "seen":
			got, err := ss.Seen(ctx, st.sub, st.id)
			if err != nil || got != st.wantSeen {
				t.Fatalf("step %d: Seen(%s, %s) = %v, %v; want %v", i, st.sub, st.id, got, err, st.wantSeen)
			}
		}
	}
}

// crashEnv names the database file a child process appends to until it is killed.
const crashEnv = "EVENTGEN_SQLITE_CRASH_CHILD"

// batchInfo is the payload of every event the crash child appends.
type batchInfo struct {
	Batch string `json:"batch"`
	Size  int    `json:"size"`
}

// crashChild appends batches of 1 to 40 events to path forever, printing "ready" once a few
// batches are in.
func crashChild(path string) {
	s, err := Open(path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	r := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(time.Now().UnixNano())))
	versions := map[string]int64{}
	for n := 0; ; n++ {
		size := 1 + r.IntN(40)
		stream := fmt.Sprintf("s%d", r.IntN(8))
		id := event.NewID()
		data, _ := json.Marshal(batchInfo{Batch: id, Size: size})
		evs := make([]event.Envelope, size)
		for i := range evs {
			evs[i] = storetest.Envelope("crash.tick", "t1", i, time.Now())
			evs[i].Data = data
		}
		v, ok := versions[stream]
		if !ok {
			rs, err := s.Load(context.Background(), stream, 0)
			if err != nil {
				fmt.Println("load:", err)
				os.Exit(2)
			}
			v = int64(len(rs))
		}
		v, err = s.Append(context.Background(), stream, v, evs...)
		if err != nil {
			fmt.Println("append:", err)
			os.Exit(2)
		}
		versions[stream] = v
		if n == 20 {
			fmt.Println("ready")
		}
	}
}

func TestCrashSafety(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	for round := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSafety$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if line := sc.Text(); strings.HasPrefix(line, "ready") || strings.Contains(line, ":") {
					ready <- line
					return
				}
			}
			ready <- "child exited"
		}()
		select {
		case line := <-ready:
			if line != "ready" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: child: %s", round, line)
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child not ready after 30s", round)
		}
		time.Sleep(time.Duration(20+round*37) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		checkBatchesWhole(t, path, round)
	}
}

// checkBatchesWhole opens the store left by a killed child and checks that every batch is
// either whole or absent, with versions 1..n in every stream.
func checkBatchesWhole(t *testing.T, path string, round int) {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
	}
	defer s.Close()
	var integrity string
	if err := s.writer.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("round %d: integrity_check = %q, %v", round, integrity, err)
	}
	counts := map[string]int{}
	sizes := map[string]int{}
	versions := map[string]int64{}
	var after int64
	total := 0
	for {
		rs, err := s.Read(context.Background(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 0 {
			break
		}
		for _, r := range rs {
			var b batchInfo
			if err := json.Unmarshal(r.Data, &b); err != nil {
				t.Fatalf("round %d: position %d: %v", round, r.Position, err)
			}
			counts[b.Batch]++
			sizes[b.Batch] = b.Size
			if r.Version != versions[r.Stream]+1 {
				t.Fatalf("round %d: stream %s jumps from version %d to %d", round, r.Stream, versions[r.Stream], r.Version)
			}
			versions[r.Stream] = r.Version
			after = r.Position
			total++
		}
	}
	for id, n := range counts {
		if n != sizes[id] {
			t.Fatalf("round %d: batch %s has %d of its %d events after SIGKILL", round, id, n, sizes[id])
		}
	}
	if len(counts) < 20 {
		t.Fatalf("round %d: only %d batches stored; the child did not run", round, len(counts))
	}
	t.Logf("round %d: %d whole batches, %d events", round, len(counts), total)
}
