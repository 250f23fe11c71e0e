package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/bus"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/eventtest"
	"github.com/eventgen/eventgen/runtime/store"
	"github.com/eventgen/eventgen/runtime/store/sqlite"
)

func rule(name, pattern string) event.Rule {
	return event.Rule{Name: name, Bus: "default", Pattern: []byte(pattern)}
}

func newBus(t *testing.T, opts ...bus.Option) *bus.Bus {
	t.Helper()
	b := bus.New(append([]bus.Option{bus.Backoff(time.Millisecond)}, opts...)...)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return b
}

// modes are the bus's delivery modes; tests that hold for both run in each.
var modes = []struct {
	name string
	opts []bus.Option
}{
	{"sync", nil},
	{"async", []bus.Option{bus.Async()}},
}

// wait waits for an asynchronous bus's queues; on a synchronous bus it returns at once.
func wait(t *testing.T, b *bus.Bus) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := b.Wait(ctx); err != nil {
		t.Fatal(err)
	}
}

type fixture struct {
	clock *eventtest.Clock
	ids   *eventtest.IDs
}

func newFixture() fixture {
	return fixture{eventtest.NewClock(time.Time{}, time.Second), eventtest.NewIDs(1)}
}

func (f fixture) env(typ, data string) event.Envelope {
	e := eventtest.Envelope(f.clock, f.ids, typ, data)
	e.Source = "shop"
	return e
}

func TestSubscribeErrors(t *testing.T) {
	b := newBus(t)
	h := eventtest.NewRecorder()
	if err := b.Subscribe(rule("taken", `{"source":["shop"]}`), h); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		rule    event.Rule
		h       event.Handler
		wantSub string
	}{
		{"not JSON", rule("r", `{"source":`), h, `"r"`},
		{"not an array", rule("r", `{"source":"shop"}`), h, `"r"`},
		{"unknown operator", rule("r", `{"source":[{"bogus":1}]}`), h, `"r"`},
		{"no name", rule("", `{"source":["shop"]}`), h, "no name"},
		{"nil handler", rule("r", `{"source":["shop"]}`), nil, "nil handler"},
		{"duplicate name", rule("taken", `{"source":["shop"]}`), h, "already subscribed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := b.Subscribe(tc.rule, tc.h)
			if err == nil || !strings.Contains(err.Error(), tc.wantSub) {
				t.Fatalf("Subscribe = %v, want an error containing %q", err, tc.wantSub)
			}
		})
	}
}

func TestPublishMatchesRules(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testPublishMatchesRules(t, m.opts) })
	}
}

func testPublishMatchesRules(t *testing.T, mode []bus.Option) {
	f := newFixture()
	b := newBus(t, mode...)
	rules := map[string]string{
		"all":       `{"source":["shop"]}`,
		"orders":    `{"detail-type":[{"prefix":"order."}]}`,
		"big":       `{"detail":{"data":{"total":[{"numeric":[">",100]}]}}}`,
		"tenant-a":  `{"detail":{"metadata":{"tenantId":["a"]}}}`,
		"no-tenant": `{"detail":{"metadata":{"tenantId":[{"exists":false}]}}}`,
		"none":      `{"source":["elsewhere"]}`,
	}
	recs := map[string]*eventtest.Recorder{}
	for name, p := range rules {
		recs[name] = eventtest.NewRecorder()
		if err := b.Subscribe(rule(name, p), recs[name]); err != nil {
			t.Fatalf("Subscribe %s: %v", name, err)
		}
	}
	e1 := f.env("order.placed", `{"total":250}`)
	e1.Metadata.TenantID = "a"
	e2 := f.env("order.cancelled", `{"total":50}`)
	e3 := f.env("user.created", `{"name":"x"}`)
	e3.Metadata.TenantID = "b"
	if err := b.Publish(context.Background(), e1, e2, e3); err != nil {
		t.Fatal(err)
	}
	wait(t, b)
	want := map[string][]string{
		"all":       {"order.placed", "order.cancelled", "user.created"},
		"orders":    {"order.placed", "order.cancelled"},
		"big":       {"order.placed"},
		"tenant-a":  {"order.placed"},
		"no-tenant": {"order.cancelled"},
		"none":      nil,
	}
	for name, types := range want {
		t.Run(name, func(t *testing.T) { recs[name].AssertTypes(t, types...) })
	}
	if got := recs["all"].Envelopes()[0]; got.EventID != e1.EventID || string(got.Data) != string(e1.Data) {
		t.Errorf("delivered envelope %+v differs from the published one", got)
	}
}

// flaky fails its first failures calls for each event id, recording call times.
type flaky struct {
	failures int
	panics   bool
	mu       sync.Mutex
	calls    map[string][]time.Time
}

func (f *flaky) Handle(_ context.Context, env event.Envelope) error {
	f.mu.Lock()
	f.calls[env.EventID] = append(f.calls[env.EventID], time.Now())
	n := len(f.calls[env.EventID])
	f.mu.Unlock()
	if n <= f.failures {
		if f.panics {
			panic(fmt.Sprintf("boom %d", n))
		}
		return fmt.Errorf("failure %d", n)
	}
	return nil
}

func TestRetriesAndDeadLetters(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testRetriesAndDeadLetters(t, m.opts) })
	}
}

func testRetriesAndDeadLetters(t *testing.T, mode []bus.Option) {
	tests := []struct {
		name         string
		failures     int
		retries      int
		panics       bool
		wantCalls    int
		wantDead     bool
		wantLastErr  string
		wantAttempts int
	}{
		{"succeeds first", 0, 2, false, 1, false, "", 0},
		{"succeeds on last retry", 2, 2, false, 3, false, "", 0},
		{"dead after retries", 5, 2, false, 3, true, "failure 3", 3},
		{"no retries", 1, 0, false, 1, true, "failure 1", 1},
		{"panic is a failure", 5, 1, true, 2, true, "handler panicked: boom 2", 2},
		{"panic then success", 1, 1, true, 2, false, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			b := newBus(t, mode...)
			h := &flaky{failures: tc.failures, panics: tc.panics, calls: map[string][]time.Time{}}
			const backoff = 4 * time.Millisecond
			if err := b.Subscribe(rule("r", `{"source":["shop"]}`), h, bus.Retries(tc.retries), bus.Backoff(backoff)); err != nil {
				t.Fatal(err)
			}
			e := f.env("a", `{}`)
			if err := b.Publish(context.Background(), e); err != nil {
				t.Fatal(err)
			}
			wait(t, b)
			calls := h.calls[e.EventID]
			if len(calls) != tc.wantCalls {
				t.Fatalf("handler called %d times, want %d", len(calls), tc.wantCalls)
			}
			for i := 1; i < len(calls); i++ {
				if gap, min := calls[i].Sub(calls[i-1]), backoff<<(i-1); gap < min {
					t.Errorf("retry %d came %v after the try before, want at least %v (doubling backoff)", i, gap, min)
				}
			}
			dead := b.DeadLetters("r")
			if !tc.wantDead {
				if len(dead) != 0 {
					t.Fatalf("dead letters = %v, want none", dead)
				}
				return
			}
			if len(dead) != 1 {
				t.Fatalf("%d dead letters, want 1", len(dead))
			}
			d := dead[0]
			if d.Envelope.EventID != e.EventID || d.Attempts != tc.wantAttempts || d.Err == nil || d.Err.Error() != tc.wantLastErr {
				t.Fatalf("dead letter = {%s, %v, %d}, want {%s, %s, %d}", d.Envelope.EventID, d.Err, d.Attempts, e.EventID, tc.wantLastErr, tc.wantAttempts)
			}
			var pe *bus.PanicError
			if tc.panics && (!errors.As(d.Err, &pe) || len(pe.Stack) == 0) {
				t.Errorf("dead letter error %T is not a *PanicError with a stack", d.Err)
			}
		})
	}
	if dl := bus.New().DeadLetters("unknown"); dl != nil {
		t.Errorf("DeadLetters of an unknown rule = %v, want nil", dl)
	}
}

func TestBusDefaultsAndSubscriptionOverride(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testBusDefaultsAndSubscriptionOverride(t, m.opts) })
	}
}

func testBusDefaultsAndSubscriptionOverride(t *testing.T, mode []bus.Option) {
	f := newFixture()
	b := newBus(t, append(slices.Clone(mode), bus.Retries(0))...)
	def := &flaky{failures: 1, calls: map[string][]time.Time{}}
	over := &flaky{failures: 1, calls: map[string][]time.Time{}}
	if err := b.Subscribe(rule("default", `{"source":["shop"]}`), def); err != nil {
		t.Fatal(err)
	}
	if err := b.Subscribe(rule("override", `{"source":["shop"]}`), over, bus.Retries(1)); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(context.Background(), f.env("a", `{}`)); err != nil {
		t.Fatal(err)
	}
	wait(t, b)
	if n := len(b.DeadLetters("default")); n != 1 {
		t.Errorf("bus default Retries(0): %d dead letters, want 1", n)
	}
	if n := len(b.DeadLetters("override")); n != 0 {
		t.Errorf("subscription Retries(1): %d dead letters, want 0", n)
	}
}

func seenSets(t *testing.T) map[string]func() bus.SeenSet {
	return map[string]func() bus.SeenSet{
		"memory": func() bus.SeenSet { return bus.NewSeenSet() },
		"sqlite": func() bus.SeenSet {
			s, err := sqlite.Open(filepath.Join(t.TempDir(), "seen.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s.SeenSet()
		},
	}
}

func TestIdempotent(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testIdempotent(t, m.opts) })
	}
}

func testIdempotent(t *testing.T, mode []bus.Option) {
	for name, newSeen := range seenSets(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture()
			b := newBus(t, mode...)
			seen := newSeen()
			idem, plain := eventtest.NewRecorder(), eventtest.NewRecorder()
			if err := b.Subscribe(rule("idem", `{"source":["shop"]}`), idem, bus.Idempotent(seen)); err != nil {
				t.Fatal(err)
			}
			if err := b.Subscribe(rule("plain", `{"source":["shop"]}`), plain); err != nil {
				t.Fatal(err)
			}
			e1, e2 := f.env("a", `{}`), f.env("b", `{}`)
			for _, batch := range [][]event.Envelope{{e1}, {e1, e2}, {e2, e1}} {
				if err := b.Publish(context.Background(), batch...); err != nil {
					t.Fatal(err)
				}
			}
			wait(t, b)
			idem.AssertTypes(t, "a", "b")
			plain.AssertTypes(t, "a", "a", "b", "b", "a")
			if ok, err := seen.Seen(context.Background(), "idem", e2.EventID); !ok || err != nil {
				t.Errorf("seen-set does not hold the handled id: %v, %v", ok, err)
			}
			if ok, _ := seen.Seen(context.Background(), "plain", e2.EventID); ok {
				t.Errorf("seen-set holds an id for a subscription that is not idempotent")
			}
		})
	}
}

func TestIdempotentRetriesAFailedEvent(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testIdempotentRetriesAFailedEvent(t, m.opts) })
	}
}

func testIdempotentRetriesAFailedEvent(t *testing.T, mode []bus.Option) {
	f := newFixture()
	b := newBus(t, mode...)
	h := &flaky{failures: 1, calls: map[string][]time.Time{}}
	if err := b.Subscribe(rule("r", `{"source":["shop"]}`), h, bus.Retries(0), bus.Idempotent(bus.NewSeenSet())); err != nil {
		t.Fatal(err)
	}
	e := f.env("a", `{}`)
	for range 3 {
		if err := b.Publish(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		wait(t, b)
	}
	// First publish fails (dead letter), second succeeds, third is a seen duplicate.
	if n := len(h.calls[e.EventID]); n != 2 {
		t.Fatalf("handler called %d times, want 2", n)
	}
	if n := len(b.DeadLetters("r")); n != 1 {
		t.Fatalf("%d dead letters, want 1", n)
	}
}

func TestReplay(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testReplay(t, m.opts) })
	}
}

func testReplay(t *testing.T, mode []bus.Option) {
	archives := map[string][]bus.Option{
		"memory": nil,
		"store":  {bus.ArchiveTo(store.NewMemory())},
	}
	for name, opts := range archives {
		t.Run(name, func(t *testing.T) {
			f := newFixture()
			b := newBus(t, append(slices.Clone(mode), opts...)...)
			orders, other := eventtest.NewRecorder(), eventtest.NewRecorder()
			seen := bus.NewSeenSet()
			if err := b.Subscribe(rule("orders", `{"detail-type":[{"prefix":"order."}]}`), orders, bus.Idempotent(seen)); err != nil {
				t.Fatal(err)
			}
			if err := b.Subscribe(rule("other", `{"source":["shop"]}`), other); err != nil {
				t.Fatal(err)
			}
			// Timestamps Start+0s .. Start+5s.
			evs := []event.Envelope{
				f.env("order.a", `{}`), f.env("user.b", `{}`), f.env("order.c", `{}`),
				f.env("order.d", `{}`), f.env("order.e", `{}`), f.env("order.f", `{}`),
			}
			if err := b.Publish(context.Background(), evs...); err != nil {
				t.Fatal(err)
			}
			wait(t, b)
			orders.Reset()
			other.Reset()
			at := func(s int) time.Time { return eventtest.Start.Add(time.Duration(s) * time.Second) }
			if err := b.Replay(context.Background(), "orders", at(1), at(4)); err != nil {
				t.Fatal(err)
			}
			wait(t, b)
			orders.AssertTypes(t, "order.c", "order.d") // user.b does not match; 4s is excluded
			other.AssertTypes(t)                        // replay goes to the named rule only
			if err := b.Replay(context.Background(), "orders", time.Time{}, time.Time{}); err != nil {
				t.Fatal(err)
			}
			wait(t, b)
			if n := orders.Len(); n != 2+5 {
				t.Errorf("open-ended replay delivered %d events in all, want 7", n)
			}
			if err := b.Replay(context.Background(), "missing", at(0), at(9)); err == nil {
				t.Error("Replay to an unknown rule succeeded")
			}
		})
	}
	t.Run("no archive", func(t *testing.T) {
		b := newBus(t, append(slices.Clone(mode), bus.NoArchive())...)
		if err := b.Subscribe(rule("r", `{"source":["shop"]}`), eventtest.NewRecorder()); err != nil {
			t.Fatal(err)
		}
		if err := b.Replay(context.Background(), "r", time.Time{}, time.Time{}); err == nil {
			t.Error("Replay without an archive succeeded")
		}
	})
}

func TestArchiveToStoreKeepsEvents(t *testing.T) {
	f := newFixture()
	s := store.NewMemory()
	b := newBus(t, bus.ArchiveTo(s))
	e := f.env("a", `{"x":1}`)
	for range 2 { // published twice, archived once
		if err := b.Publish(context.Background(), e, f.env("b", `{}`)); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := s.Read(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].EventID != e.EventID {
		t.Fatalf("store holds %d records, want 3 with %s first", len(rs), e.EventID)
	}
}

// failing is a handler that always fails, counting its calls.
type failing struct{ calls atomic.Int64 }

func (f *failing) Handle(context.Context, event.Envelope) error {
	n := f.calls.Add(1)
	return fmt.Errorf("failure %d", n)
}

// TestSynchronousByDefault checks what a caller can assert right after Publish on a bus made
// with no option: handlers have run, retries are spent and dead letters are recorded.
func TestSynchronousByDefault(t *testing.T) {
	f := newFixture()
	b := bus.New()
	t.Cleanup(func() { b.Close() })
	h := &failing{}
	rec := eventtest.NewRecorder()
	if err := b.Subscribe(rule("fails", `{"source":["shop"]}`), h, bus.Retries(2), bus.Backoff(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if err := b.Subscribe(rule("records", `{"source":["shop"]}`), rec); err != nil {
		t.Fatal(err)
	}
	e := f.env("a", `{}`)
	if err := b.Publish(context.Background(), e); err != nil {
		t.Fatalf("Publish = %v; a handler's failure is not Publish's error", err)
	}
	dead := b.DeadLetters("fails")
	if len(dead) != 1 || dead[0].Attempts != 3 || dead[0].Err == nil || dead[0].Err.Error() != "failure 3" || dead[0].Envelope.EventID != e.EventID {
		t.Fatalf("dead letters right after Publish = %+v, want one after 3 attempts with the last error", dead)
	}
	if n := h.calls.Load(); n != 3 {
		t.Errorf("handler called %d times, want 3", n)
	}
	rec.AssertTypes(t, "a")
}

// TestOrder checks the documented delivery order: on a synchronous bus, events in order and
// each to its subscriptions in rule-name order, a handler's follow-up event delivered before
// the outer Publish moves on; on an asynchronous bus, each subscription in publish order.
func TestOrder(t *testing.T) {
	t.Run("sync", func(t *testing.T) {
		f := newFixture()
		b := newBus(t)
		var mu sync.Mutex
		var log []string
		record := func(name string) event.HandlerFunc {
			return func(ctx context.Context, env event.Envelope) error {
				mu.Lock()
				log = append(log, name+":"+env.EventType)
				mu.Unlock()
				if name == "b" && env.EventType == "first" {
					return b.Publish(ctx, f.env("follow-up", `{}`))
				}
				return nil
			}
		}
		for _, name := range []string{"c", "a", "b"} {
			if err := b.Subscribe(rule(name, `{"source":["shop"]}`), record(name)); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Publish(context.Background(), f.env("first", `{}`), f.env("second", `{}`)); err != nil {
			t.Fatal(err)
		}
		want := "a:first b:first a:follow-up b:follow-up c:follow-up c:first a:second b:second c:second"
		if got := strings.Join(log, " "); got != want {
			t.Errorf("delivery order:\n  got  %s\n  want %s", got, want)
		}
	})
	t.Run("async", func(t *testing.T) {
		f := newFixture()
		b := newBus(t, bus.Async(), bus.QueueSize(3))
		recs := []*eventtest.Recorder{eventtest.NewRecorder(), eventtest.NewRecorder()}
		for i, r := range recs {
			if err := b.Subscribe(rule(fmt.Sprint("r", i), `{"source":["shop"]}`), r); err != nil {
				t.Fatal(err)
			}
		}
		var want []string
		for i := range 50 {
			typ := fmt.Sprint("t", i)
			want = append(want, typ)
			if err := b.Publish(context.Background(), f.env(typ, `{}`)); err != nil {
				t.Fatal(err)
			}
		}
		wait(t, b)
		for _, r := range recs {
			r.AssertTypes(t, want...)
		}
	})
}

// TestHandlersPublish has handlers publish follow-up events that match their own rule, and a
// cycle of two rules; a small queue on the asynchronous bus must not deadlock its workers.
func TestHandlersPublish(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name+"/own rule", func(t *testing.T) {
			f := newFixture()
			b := newBus(t, append(slices.Clone(m.opts), bus.QueueSize(1))...)
			var handled atomic.Int64
			err := b.Subscribe(rule("chain", `{"source":["shop"]}`), event.HandlerFunc(func(ctx context.Context, env event.Envelope) error {
				handled.Add(1)
				var level struct{ N int }
				if err := json.Unmarshal(env.Data, &level); err != nil {
					return err
				}
				if level.N == 5 { // a binary tree of 63 events, 6 levels deep
					return nil
				}
				data := fmt.Sprintf(`{"n":%d}`, level.N+1)
				next := f.env("next", data)
				next.Metadata = event.CausedBy(env)
				return b.Publish(ctx, next, f.env("other", data))
			}))
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := b.Publish(ctx, f.env("start", `{"n":0}`)); err != nil {
					done <- err
					return
				}
				done <- b.Wait(ctx)
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("deadlock: a handler publishing to its own rule")
			}
			if n := handled.Load(); n != 63 {
				t.Errorf("handled %d events, want 63", n)
			}
			if dl := b.DeadLetters("chain"); len(dl) != 0 {
				t.Errorf("dead letters: %v", dl)
			}
		})
		t.Run(m.name+"/cycle", func(t *testing.T) {
			f := newFixture()
			b := newBus(t, append(slices.Clone(m.opts), bus.QueueSize(1))...)
			var hops atomic.Int64
			bounce := func(next string) event.HandlerFunc {
				return func(ctx context.Context, env event.Envelope) error {
					if hops.Add(1) >= bus.MaxDepth-1 {
						return nil
					}
					return b.Publish(ctx, f.env(next, `{}`))
				}
			}
			if err := b.Subscribe(rule("a", `{"detail-type":["to-a"]}`), bounce("to-b")); err != nil {
				t.Fatal(err)
			}
			if err := b.Subscribe(rule("b", `{"detail-type":["to-b"]}`), bounce("to-a")); err != nil {
				t.Fatal(err)
			}
			if err := b.Publish(context.Background(), f.env("to-a", `{}`)); err != nil {
				t.Fatal(err)
			}
			wait(t, b)
			if n := hops.Load(); n != bus.MaxDepth-1 {
				t.Errorf("%d hops, want %d", n, bus.MaxDepth-1)
			}
		})
	}
	t.Run("sync/endless cycle", func(t *testing.T) {
		f := newFixture()
		b := newBus(t)
		var calls atomic.Int64
		err := b.Subscribe(rule("loop", `{"source":["shop"]}`), event.HandlerFunc(func(ctx context.Context, env event.Envelope) error {
			calls.Add(1)
			return b.Publish(ctx, f.env("again", `{}`))
		}), bus.Retries(3), bus.Backoff(time.Hour)) // ErrTooDeep is not retried
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Publish(context.Background(), f.env("start", `{}`)); err != nil {
			t.Fatal(err)
		}
		dead := b.DeadLetters("loop")
		if len(dead) != 1 || !errors.Is(dead[0].Err, bus.ErrTooDeep) || dead[0].Attempts != 1 {
			t.Fatalf("dead letters = %v, want one wrapping ErrTooDeep", dead)
		}
		if n := calls.Load(); n != bus.MaxDepth {
			t.Errorf("handler called %d times, want MaxDepth (%d)", n, bus.MaxDepth)
		}
	})
}

// TestConcurrentPublishers publishes from several goroutines to a synchronous bus: each
// Publish returns after its own deliveries, and none is lost.
func TestConcurrentPublishers(t *testing.T) {
	f := newFixture()
	b := newBus(t)
	var counts [2]atomic.Int64
	for i := range counts {
		err := b.Subscribe(rule(fmt.Sprint("r", i), `{"source":["shop"]}`), event.HandlerFunc(func(context.Context, event.Envelope) error {
			counts[i].Add(1)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	const publishers, each = 4, 250
	var wg sync.WaitGroup
	for range publishers {
		wg.Go(func() {
			for range each {
				if err := b.Publish(context.Background(), f.env("a", `{}`)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for i := range counts {
		if n := counts[i].Load(); n != publishers*each {
			t.Errorf("r%d handled %d events, want %d", i, n, publishers*each)
		}
	}
}

// TestPublishContext checks Publish when its context ends: a synchronous bus stops waiting
// (backoff included), dead-letters what it did not finish and returns the context's error; an
// asynchronous one stops waiting for room in a full queue.
func TestPublishContext(t *testing.T) {
	t.Run("sync", func(t *testing.T) {
		f := newFixture()
		b := newBus(t)
		h := &failing{}
		for _, name := range []string{"r1", "r2"} {
			if err := b.Subscribe(rule(name, `{"source":["shop"]}`), h, bus.Retries(3), bus.Backoff(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		e1, e2 := f.env("a", `{}`), f.env("b", `{}`)
		err := b.Publish(ctx, e1, e2)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Publish = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Publish returned %v after its deadline", d)
		}
		type letter struct {
			id       string
			attempts int
		}
		var got []letter
		for _, name := range []string{"r1", "r2"} {
			for _, d := range b.DeadLetters(name) {
				got = append(got, letter{d.Envelope.EventID, d.Attempts})
				if !errors.Is(d.Err, context.DeadlineExceeded) {
					t.Errorf("%s: dead letter error %v does not wrap DeadlineExceeded", name, d.Err)
				}
			}
		}
		// r1 tried e1 once and waited; the other three deliveries were not made.
		want := []letter{{e1.EventID, 1}, {e2.EventID, 0}, {e1.EventID, 0}, {e2.EventID, 0}}
		if !slices.Equal(got, want) {
			t.Errorf("dead letters = %v, want %v", got, want)
		}
		if d := b.DeadLetters("r1")[0]; !strings.Contains(d.Err.Error(), "failure 1") {
			t.Errorf("dead letter error %q does not carry the last try's error", d.Err)
		}
		cancelled, cancel2 := context.WithCancel(context.Background())
		cancel2()
		if err := b.Publish(cancelled, f.env("a", `{}`)); !errors.Is(err, context.Canceled) {
			t.Fatalf("Publish with a cancelled context = %v, want Canceled", err)
		}
		if n := h.calls.Load(); n != 1 {
			t.Errorf("handler called %d times, want 1", n)
		}
	})
	t.Run("async full queue", func(t *testing.T) {
		f := newFixture()
		b := newBus(t, bus.Async(), bus.QueueSize(1))
		release := make(chan struct{})
		if err := b.Subscribe(rule("r", `{"source":["shop"]}`), event.HandlerFunc(func(context.Context, event.Envelope) error {
			<-release
			return nil
		})); err != nil {
			t.Fatal(err)
		}
		defer close(release)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		var err error
		for i := 0; i < 5 && err == nil; i++ { // one in the handler, one queued, then full
			err = b.Publish(ctx, f.env("a", `{}`))
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Publish to a full queue = %v, want DeadlineExceeded", err)
		}
	})
}

func TestClose(t *testing.T) {
	t.Run("async drains", func(t *testing.T) {
		f := newFixture()
		b := bus.New(bus.Async())
		var handled atomic.Int64
		slow := event.HandlerFunc(func(context.Context, event.Envelope) error {
			time.Sleep(time.Millisecond)
			handled.Add(1)
			return nil
		})
		if err := b.Subscribe(rule("r", `{"source":["shop"]}`), slow); err != nil {
			t.Fatal(err)
		}
		for range 50 {
			if err := b.Publish(context.Background(), f.env("a", `{}`)); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if n := handled.Load(); n != 50 {
			t.Fatalf("Close returned with %d of 50 events handled", n)
		}
		checkClosed(t, b, f)
	})
	for _, m := range modes {
		t.Run(m.name+" waits for deliveries under way", func(t *testing.T) {
			f := newFixture()
			b := bus.New(m.opts...)
			entered, release := make(chan struct{}), make(chan struct{})
			var followUps atomic.Int64
			err := b.Subscribe(rule("r", `{"source":["shop"]}`), event.HandlerFunc(func(ctx context.Context, env event.Envelope) error {
				switch env.EventType {
				case "follow-up":
					followUps.Add(1)
					return nil
				case "late": // published before Close began
					return nil
				}
				close(entered)
				<-release
				// Close is waiting now: a handler's follow-up event is still accepted.
				return b.Publish(ctx, f.env("follow-up", `{}`))
			}))
			if err != nil {
				t.Fatal(err)
			}
			published := make(chan error, 1)
			go func() { published <- b.Publish(context.Background(), f.env("a", `{}`)) }()
			<-entered
			closed := make(chan error, 1)
			go func() { closed <- b.Close() }()
			deadline := time.Now().Add(5 * time.Second)
			for {
				err := b.Publish(context.Background(), f.env("late", `{}`))
				if errors.Is(err, bus.ErrClosed) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("Publish during Close = %v, want ErrClosed", err)
				}
				time.Sleep(time.Millisecond)
			}
			select {
			case err := <-closed:
				t.Fatalf("Close returned %v while a delivery was under way", err)
			case <-time.After(20 * time.Millisecond):
			}
			close(release)
			if err := <-closed; err != nil {
				t.Fatalf("Close = %v", err)
			}
			if err := <-published; err != nil {
				t.Fatalf("Publish under way = %v", err)
			}
			if n := followUps.Load(); n != 1 {
				t.Errorf("follow-up published during Close handled %d times, want 1", n)
			}
			if dl := b.DeadLetters("r"); len(dl) != 0 {
				t.Errorf("dead letters: %v", dl)
			}
			checkClosed(t, b, f)
		})
	}
	t.Run("async shutdown deadline dead-letters the rest", func(t *testing.T) {
		f := newFixture()
		b := bus.New(bus.Async())
		started := make(chan struct{}, 1)
		blocking := event.HandlerFunc(func(ctx context.Context, _ event.Envelope) error {
			select {
			case started <- struct{}{}:
			default:
			}
			<-ctx.Done() // until Shutdown gives up
			return ctx.Err()
		})
		if err := b.Subscribe(rule("r", `{"source":["shop"]}`), blocking, bus.Retries(5), bus.Backoff(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for range 10 {
			if err := b.Publish(context.Background(), f.env("a", `{}`)); err != nil {
				t.Fatal(err)
			}
		}
		<-started
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := b.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Shutdown took %v after its deadline", d)
		}
		// The nine queued deliveries are dead letters when Shutdown returns.
		dead := b.DeadLetters("r")
		if len(dead) < 9 {
			t.Fatalf("%d dead letters right after Shutdown, want the 9 queued events", len(dead))
		}
		wait(t, b) // the delivery under way ends when its handler returns
		dead = b.DeadLetters("r")
		if len(dead) != 10 {
			t.Fatalf("%d dead letters, want all 10 events", len(dead))
		}
		var queued, inFlight int
		for _, d := range dead {
			switch {
			case !errors.Is(d.Err, bus.ErrClosed):
				t.Errorf("abandoned delivery: %v, want an error wrapping ErrClosed", d.Err)
			case d.Attempts == 0:
				queued++
			case d.Attempts == 1:
				inFlight++
			}
		}
		if queued != 9 || inFlight != 1 {
			t.Errorf("%d queued and %d in-flight dead letters, want 9 and 1", queued, inFlight)
		}
		checkClosed(t, b, f)
	})
	t.Run("sync shutdown deadline stops retries", func(t *testing.T) {
		f := newFixture()
		b := bus.New()
		h := &failing{}
		if err := b.Subscribe(rule("r", `{"source":["shop"]}`), h, bus.Retries(5), bus.Backoff(time.Hour)); err != nil {
			t.Fatal(err)
		}
		published := make(chan error, 1)
		go func() { published <- b.Publish(context.Background(), f.env("a", `{}`)) }()
		for h.calls.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		if err := b.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
		}
		select {
		case err := <-published:
			if !errors.Is(err, bus.ErrClosed) {
				t.Errorf("Publish cut short by Shutdown = %v, want ErrClosed", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Publish still waiting for its backoff after Shutdown gave up")
		}
		dead := b.DeadLetters("r")
		if len(dead) != 1 || dead[0].Attempts != 1 || !errors.Is(dead[0].Err, bus.ErrClosed) {
			t.Fatalf("dead letters = %+v, want one after 1 attempt wrapping ErrClosed", dead)
		}
		checkClosed(t, b, f)
	})
	t.Run("async shutdown of an endless cascade", func(t *testing.T) {
		f := newFixture()
		b := bus.New(bus.Async(), bus.QueueSize(1))
		err := b.Subscribe(rule("chain", `{"source":["shop"]}`), event.HandlerFunc(func(ctx context.Context, env event.Envelope) error {
			return b.Publish(ctx, f.env("x", `{}`), f.env("y", `{}`))
		}))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Publish(context.Background(), f.env("start", `{}`)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- b.Shutdown(ctx) }()
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Shutdown still blocked 5s after its deadline")
		}
		wait(t, b)
		if len(b.DeadLetters("chain")) == 0 {
			t.Error("no dead letters: the cascade's queued events were not abandoned")
		}
	})
}

// checkClosed checks that b refuses events and subscriptions and closes again without error.
func checkClosed(t *testing.T, b *bus.Bus, f fixture) {
	t.Helper()
	if err := b.Publish(context.Background(), f.env("a", `{}`)); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("Publish after Close = %v, want ErrClosed", err)
	}
	if err := b.Replay(context.Background(), "r", time.Time{}, time.Time{}); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("Replay after Close = %v, want ErrClosed", err)
	}
	if err := b.Subscribe(rule("r2", `{"source":["shop"]}`), eventtest.NewRecorder()); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("Subscribe after Close = %v, want ErrClosed", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// TestNothingLost publishes 10,000 events (and 1,000 duplicates) to 4 subscriptions whose
// handlers fail at random; every matched event must end delivered or dead-lettered.
func TestNothingLost(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testNothingLost(t, m.opts) })
	}
}

func testNothingLost(t *testing.T, mode []bus.Option) {
	const events, duplicates = 10000, 1000
	type sub struct {
		name    string
		pattern string
		idem    bool
		match   func(i int) bool
	}
	subs := []sub{
		{"all", `{"source":["shop"]}`, false, func(int) bool { return true }},
		{"all-idem", `{"source":["shop"]}`, true, func(int) bool { return true }},
		{"even-idem", `{"detail-type":["even"]}`, true, func(i int) bool { return i%2 == 0 }},
		{"thirds", `{"detail":{"data":{"n":[{"numeric":[">=",0]}],"third":[true]}}}`, false, func(i int) bool { return i%3 == 0 }},
	}
	f := newFixture()
	b := newBus(t, append(slices.Clone(mode), bus.Retries(2), bus.Backoff(time.Microsecond), bus.MaxBackoff(20*time.Microsecond))...)
	type counts struct {
		mu        sync.Mutex
		delivered map[string]int
	}
	got := make([]*counts, len(subs))
	for k, s := range subs {
		c := &counts{delivered: map[string]int{}}
		got[k] = c
		r := rand.New(rand.NewPCG(42, uint64(k)))
		h := event.HandlerFunc(func(_ context.Context, env event.Envelope) error {
			if r.IntN(100) < 30 { // one worker per subscription: r is not shared
				if r.IntN(10) == 0 {
					panic("random panic")
				}
				return errors.New("random failure")
			}
			c.mu.Lock()
			c.delivered[env.EventID]++
			c.mu.Unlock()
			return nil
		})
		var opts []bus.SubscribeOption
		if s.idem {
			opts = append(opts, bus.Idempotent(bus.NewSeenSet()))
		}
		if err := b.Subscribe(rule(s.name, s.pattern), h, opts...); err != nil {
			t.Fatal(err)
		}
	}
	published := make([]event.Envelope, events)
	for i := range published {
		typ := "odd"
		if i%2 == 0 {
			typ = "even"
		}
		published[i] = f.env(typ, fmt.Sprintf(`{"n":%d,"third":%t}`, i, i%3 == 0))
	}
	order := make([]int, 0, events+duplicates)
	for i := range events {
		order = append(order, i)
	}
	dr := rand.New(rand.NewPCG(7, 7))
	for range duplicates {
		order = append(order, dr.IntN(events))
	}
	for start := 0; start < len(order); start += 100 {
		batch := make([]event.Envelope, 0, 100)
		for _, i := range order[start:min(start+100, len(order))] {
			batch = append(batch, published[i])
		}
		if err := b.Publish(context.Background(), batch...); err != nil {
			t.Fatal(err)
		}
	}
	wait(t, b)
	for k, s := range subs {
		t.Run(s.name, func(t *testing.T) {
			matched := map[string]int{}
			for _, i := range order {
				if s.match(i) {
					matched[published[i].EventID]++
				}
			}
			dead := map[string]int{}
			for _, d := range b.DeadLetters(s.name) {
				dead[d.Envelope.EventID]++
				if d.Attempts != 3 || d.Err == nil {
					t.Fatalf("dead letter with %d attempts, error %v; want 3 and the last error", d.Attempts, d.Err)
				}
			}
			delivered := got[k].delivered
			totalDelivered, totalDead, totalMatched := 0, 0, 0
			for id, n := range matched {
				totalMatched += n
				totalDelivered += delivered[id]
				totalDead += dead[id]
				if s.idem {
					if delivered[id] > 1 {
						t.Fatalf("idempotent subscription handled %s %d times", id, delivered[id])
					}
					if delivered[id] == 0 && dead[id] == 0 {
						t.Fatalf("event %s neither delivered nor dead-lettered", id)
					}
					continue
				}
				if delivered[id]+dead[id] != n {
					t.Fatalf("event %s matched %d times, delivered %d, dead %d", id, n, delivered[id], dead[id])
				}
			}
			for id := range delivered {
				if matched[id] == 0 {
					t.Fatalf("event %s delivered but not matched", id)
				}
			}
			if !s.idem && totalDelivered+totalDead != totalMatched {
				t.Fatalf("delivered %d + dead %d != matched %d", totalDelivered, totalDead, totalMatched)
			}
			if totalDead == 0 || totalDelivered == 0 {
				t.Fatalf("delivered %d, dead %d: the random failures did not exercise both paths", totalDelivered, totalDead)
			}
			t.Logf("matched %d, delivered %d, dead-lettered %d", totalMatched, totalDelivered, totalDead)
		})
	}
}
