package heapfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// sink keeps allocations alive long enough that the compiler cannot drop them.
var sink []byte

// gogc is the current GOGC percentage, read without changing it.
func gogc() int64 {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// gcCount is the number of completed collections.
func gcCount() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}

func TestRaiseDefersCollectionUntilTheFloor(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	// The settings the process started with (the environment's, when go test ran).
	startGOGC, startLimit := gogc(), debug.SetMemoryLimit(-1)
	runtime.GC()
	restore := Raise(256 << 20)
	defer restore()
	if got := gogc(); got != -1 {
		t.Errorf("GOGC under Raise = %d, want -1 (off)", got)
	}
	before := gcCount()
	// 64 MiB of garbage, well under the floor: no collection may run.
	for range 64 {
		sink = make([]byte, 1<<20)
	}
	if n := gcCount() - before; n != 0 {
		t.Errorf("%d collections below the floor, want 0", n)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != startLimit {
		t.Errorf("memory limit after restore = %d, want %d as before", got, startLimit)
	}
	if got := gogc(); got != startGOGC {
		t.Errorf("GOGC after restore = %d, want %d as before", got, startGOGC)
	}
}

func TestRaiseCollectsAtTheFloor(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	restore := Raise(32 << 20)
	defer restore()
	before := gcCount()
	for range 256 { // 256 MiB of garbage through a 32 MiB floor
		sink = make([]byte, 1<<20)
	}
	if n := gcCount() - before; n == 0 {
		t.Error("no collection although the heap crossed the floor many times")
	}
}

func TestRaiseHandsBackWhenTheLiveHeapGrows(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	startGOGC := gogc()
	restore := Raise(16 << 20)
	defer restore()
	// 24 MiB that stays live: more than half the floor.
	live := make([][]byte, 24)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	// The check runs in the finalizer goroutine after a collection: give it a few.
	for range 100 {
		runtime.GC()
		if gogc() == startGOGC {
			runtime.KeepAlive(live)
			return
		}
	}
	runtime.KeepAlive(live)
	t.Error("GOGC was not restored although the live heap exceeds half the floor")
}

func TestRaiseRespectsTheUsersSettings(t *testing.T) {
	t.Setenv("GOGC", "50")
	prev := debug.SetGCPercent(50)
	defer debug.SetGCPercent(prev)
	restore := Raise(256 << 20)
	defer restore()
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("GC percent with GOGC set = %d, want the user's 50", got)
	}
}
