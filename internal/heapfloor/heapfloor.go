// Package heapfloor lets a short batch run skip the garbage collections it does not need.
//
// Generating code allocates many times its live heap: the jennifer trees, the unformatted
// source, the syntax trees of the formatter are all garbage a moment after they are made.
// With the default GOGC=100 and a live heap of a few tens of megabytes, the collector runs
// dozens of times for a 1000-event spec and costs about a third of the run. Raise keeps the
// collector off until the heap reaches a floor, then hands control back to GOGC once the live
// heap is large enough for the floor to matter, which bounds the extra memory to the floor.
// This is the idea of the Go compiler's own starting heap (cmd/compile, "gcstart"), built on
// the supported memory-limit API instead of GOGC arithmetic.
package heapfloor

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// DefaultFloor is the heap size below which the eventgen command does not collect garbage:
// enough for a 1000-event spec to generate with one or two collections, small next to the
// memory of any machine that runs a Go toolchain.
const DefaultFloor = 256 << 20

// Raise turns the collector off until the heap reaches floor bytes. After each collection it
// looks at the live heap; once that exceeds half the floor, it restores the GOGC and memory
// limit it found, so a large run is collected as usual instead of at every floor crossing.
// When the user has set GOGC or GOMEMLIMIT, Raise leaves the collector alone: they decide.
// The returned function restores the previous settings at once; it may be called more than once.
func Raise(floor uint64) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || floor == 0 || floor > math.MaxInt64 {
		return func() {}
	}
	prevPercent := debug.SetGCPercent(-1)
	prevLimit := debug.SetMemoryLimit(int64(floor))
	var done atomic.Bool
	restore = func() {
		if done.CompareAndSwap(false, true) {
			debug.SetMemoryLimit(prevLimit)
			debug.SetGCPercent(prevPercent)
		}
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	afterEachGC(func() bool {
		if done.Load() {
			return false
		}
		metrics.Read(live)
		if live[0].Value.Kind() == metrics.KindUint64 && live[0].Value.Uint64() > floor/2 {
			restore()
			return false
		}
		return true
	})
	return restore
}

// afterEachGC calls fn after each garbage collection until fn returns false. It uses the
// finalizer of an otherwise unreachable object, which runs once per collection that frees it.
func afterEachGC(fn func() bool) {
	type sentinel [32]byte // larger than the tiny allocator's blocks, so it is freed alone
	var again func(*sentinel)
	again = func(s *sentinel) {
		if fn() {
			runtime.SetFinalizer(s, again)
		}
	}
	runtime.SetFinalizer(new(sentinel), again)
}
