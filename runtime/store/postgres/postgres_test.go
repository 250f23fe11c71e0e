package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/store"
	"github.com/eventgen/eventgen/runtime/store/storetest"
)

// dsn returns EVENTGEN_PG_DSN or skips the test.
func dsn(t testing.TB) string {
	t.Helper()
	d := os.Getenv("EVENTGEN_PG_DSN")
	if d == "" {
		t.Skip("EVENTGEN_PG_DSN not set: skipping PostgreSQL tests")
	}
	return d
}

func randomSchema() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "eventgen_test_" + hex.EncodeToString(b)
}

// open returns a store in a fresh random schema, dropped when the test ends.
func open(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn(t), Schema(randomSchema()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := s.pool.Exec(ctx, `DROP SCHEMA `+quote(s.schema)+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", s.schema, err)
		}
		s.Close()
	})
	return s
}

func quote(id string) string { return `"` + id + `"` }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func BenchmarkPostgres(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) store.Store { return open(b) })
}

func TestOpenConcurrentlyOnOneSchema(t *testing.T) {
	d := dsn(t)
	schema := randomSchema()
	var wg sync.WaitGroup
	stores := make([]*Store, 4)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(context.Background(), d, Schema(schema))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
	}
	defer func() {
		stores[0].pool.Exec(context.Background(), `DROP SCHEMA `+quote(schema)+` CASCADE`)
		for _, s := range stores {
			s.Close()
		}
	}()
	// All four share the tables: an append through one is a conflict through another.
	evs := storetest.Envelopes("a", "t1", 2, time.Now())
	if _, err := stores[0].Append(context.Background(), "s", 0, evs...); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[1].Append(context.Background(), "s", 0, evs...); err == nil {
		t.Fatal("a second store on the same schema accepted version 0 of an existing stream")
	}
	rs, err := stores[3].Load(context.Background(), "s", 0)
	if err != nil || len(rs) != 2 {
		t.Fatalf("Load through another store = %d records, %v", len(rs), err)
	}
}

func TestOpenErrors(t *testing.T) {
	d := dsn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tests := []struct {
		name string
		dsn  string
		opts []Option
	}{
		{"bad dsn", "postgres://%zz", nil},
		{"empty schema", d, []Option{Schema("")}},
		{"unreachable", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if s, err := Open(ctx, tc.dsn, tc.opts...); err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
		})
	}
}

func TestSeenSet(t *testing.T) {
	ss := open(t).SeenSet()
	ctx := context.Background()
	if seen, err := ss.Seen(ctx, "sub", "e1"); err != nil || seen {
		t.Fatalf("Seen before Mark = %v, %v", seen, err)
	}
	for range 2 { // marking twice is fine
		if err := ss.Mark(ctx, "sub", "e1"); err != nil {
			t.Fatal(err)
		}
	}
	if seen, err := ss.Seen(ctx, "sub", "e1"); err != nil || !seen {
		t.Fatalf("Seen after Mark = %v, %v", seen, err)
	}
	if seen, err := ss.Seen(ctx, "other", "e1"); err != nil || seen {
		t.Fatalf("Seen for another subscription = %v, %v", seen, err)
	}
}

// TestReadWaitsForInFlightPositions is the global-position trap made deterministic: a
// transaction that took positions but has not committed must keep later appends from becoming
// visible, or a tailing reader would read past its positions and never see its events.
func TestReadWaitsForInFlightPositions(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := time.Now()

	// Writer A: the append statement inside an explicit transaction, left open.
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	a := storetest.Envelopes("a", "t1", 2, base)
	tag, err := tx.Exec(ctx, s.appendSQL, "stream-a", int64(0), int64(2),
		[]string{a[0].EventID, a[1].EventID}, []string{"a", "a"}, []string{"1.0", "1.0"}, []int64{1, 2},
		[]string{"src", "src"}, []string{"", ""}, []string{"", ""}, []string{"t1", "t1"}, []string{"", ""},
		[]string{"", ""}, []string{"", ""}, [][]byte{nil, nil})
	if err != nil || tag.RowsAffected() != 2 {
		t.Fatalf("in-flight append: %v, %d rows", err, tag.RowsAffected())
	}

	// Writer B appends to another stream while A is in flight.
	b := storetest.Envelopes("b", "t1", 3, base)
	done := make(chan error, 1)
	go func() {
		_, err := s.Append(ctx, "stream-b", 0, b...)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Append committed (err=%v) while an earlier append held its positions uncommitted", err)
	case <-time.After(300 * time.Millisecond):
	}
	if rs, err := s.Read(ctx, 0, 100); err != nil || len(rs) != 0 {
		t.Fatalf("Read while A is in flight = %d records, %v; want none (B must not get ahead of A)", len(rs), err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Append B after A committed: %v", err)
	}
	rs, err := s.Read(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a[0].EventID, a[1].EventID, b[0].EventID, b[1].EventID, b[2].EventID}
	var got []string
	for i, r := range rs {
		got = append(got, r.EventID)
		if i > 0 && r.Position <= rs[i-1].Position {
			t.Fatalf("positions not growing: %d after %d", r.Position, rs[i-1].Position)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Read order = %v, want A's events then B's: %v", got, want)
	}
}
