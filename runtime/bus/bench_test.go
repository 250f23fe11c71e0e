package bus_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/bus"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/eventtest"
)

// BenchmarkPublish publishes events on a synchronous bus (the default) to 100 rules with
// no-op handlers; each event matches 10 of them (rule i matches detail-type "t<i%10>"). One
// op is one published event.
func BenchmarkPublish(b *testing.B) { benchPublish(b) }

// BenchmarkPublishAsync is BenchmarkPublish on an asynchronous bus; the time includes
// draining the queues.
func BenchmarkPublishAsync(b *testing.B) { benchPublish(b, bus.Async()) }

func benchPublish(b *testing.B, opts ...bus.Option) {
	for _, batch := range []int{1, 100} {
		b.Run(fmt.Sprintf("rules=100/batch=%d", batch), func(b *testing.B) {
			bs := bus.New(append([]bus.Option{bus.NoArchive()}, opts...)...)
			var delivered atomic.Int64
			noop := event.HandlerFunc(func(context.Context, event.Envelope) error {
				delivered.Add(1)
				return nil
			})
			for i := range 100 {
				p := fmt.Sprintf(`{"source":["shop"],"detail-type":["t%d"]}`, i%10)
				if err := bs.Subscribe(event.Rule{Name: fmt.Sprintf("r%d", i), Pattern: []byte(p)}, noop); err != nil {
					b.Fatal(err)
				}
			}
			clock, ids := eventtest.NewClock(time.Time{}, time.Millisecond), eventtest.NewIDs(1)
			envs := make([]event.Envelope, batch)
			for i := range envs {
				envs[i] = eventtest.Envelope(clock, ids, fmt.Sprintf("t%d", i%10), `{"orderId":"o-1","total":12.5,"lines":[{"sku":"a","qty":1}]}`)
				envs[i].Source = "shop"
			}
			ctx := context.Background()
			n := 0
			start := time.Now()
			for b.Loop() {
				if err := bs.Publish(ctx, envs...); err != nil {
					b.Fatal(err)
				}
				n += batch
			}
			if err := bs.Wait(ctx); err != nil {
				b.Fatal(err)
			}
			elapsed := time.Since(start) // includes draining the queues of an asynchronous bus
			if err := bs.Close(); err != nil {
				b.Fatal(err)
			}
			if got, want := delivered.Load(), int64(n*10); got != want {
				b.Fatalf("delivered %d, want %d", got, want)
			}
			b.ReportMetric(float64(n*10)/elapsed.Seconds(), "deliveries/s")
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n), "ns/event")
		})
	}
}
