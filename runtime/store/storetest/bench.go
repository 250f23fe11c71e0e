package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// BatchSize is the number of events per Append in the benchmarks.
const BatchSize = 10

// LoadSize is the length of the stream the load benchmark reads.
const LoadSize = 10000

// Bench runs the store benchmarks against the stores open returns (a new, empty store per
// sub-benchmark) and reports events/s:
//
//   - AppendFresh: batches of BatchSize events, each to a new stream.
//   - AppendFreshParallel: the same from GOMAXPROCS×4 goroutines at once.
//   - AppendHot: batches of BatchSize events to one stream, one writer.
//   - Load10k: Load of a stream of LoadSize events.
func Bench(b *testing.B, open func(b *testing.B) store.Store) {
	ctx := context.Background()
	batch := func() []event.Envelope { return Envelopes("bench.happened", "t1", BatchSize, base) }
	report := func(b *testing.B, events int) {
		b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	}
	b.Run("AppendFresh", func(b *testing.B) {
		s := open(b)
		n := 0
		for b.Loop() {
			b.StopTimer()
			evs := batch()
			b.StartTimer()
			if _, err := s.Append(ctx, fmt.Sprintf("fresh-%d", n), 0, evs...); err != nil {
				b.Fatal(err)
			}
			n++
		}
		report(b, n*BatchSize)
	})
	b.Run("AppendFreshParallel", func(b *testing.B) {
		s := open(b)
		var n atomic.Int64
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				if _, err := s.Append(ctx, fmt.Sprintf("par-%d", i), 0, batch()...); err != nil {
					b.Error(err)
					return
				}
			}
		})
		report(b, int(n.Load())*BatchSize)
	})
	b.Run("AppendHot", func(b *testing.B) {
		s := open(b)
		var v int64
		for b.Loop() {
			b.StopTimer()
			evs := batch()
			b.StartTimer()
			var err error
			if v, err = s.Append(ctx, "hot", v, evs...); err != nil {
				b.Fatal(err)
			}
		}
		report(b, int(v))
	})
	b.Run("Load10k", func(b *testing.B) {
		s := open(b)
		var v int64
		for v < LoadSize {
			var err error
			if v, err = s.Append(ctx, "big", v, Envelopes("bench.happened", "t1", 500, base)...); err != nil {
				b.Fatal(err)
			}
		}
		loads := 0
		for b.Loop() {
			rs, err := s.Load(ctx, "big", 0)
			if err != nil {
				b.Fatal(err)
			}
			if len(rs) != LoadSize {
				b.Fatalf("Load returned %d records, want %d", len(rs), LoadSize)
			}
			loads++
		}
		report(b, loads*LoadSize)
	})
}
