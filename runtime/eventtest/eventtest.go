package eventtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
)

// Recorder records envelopes. It is an event.Handler (subscribe it to a bus) and a recording
// bus (pass it where code publishes: its Publish records instead of delivering). It is safe
// for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	envs    []event.Envelope
	changed chan struct{} // closed and replaced on every record
	err     error
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{changed: make(chan struct{})} }

// FailWith makes Handle and Publish return err (after recording) until called with nil.
func (r *Recorder) FailWith(err error) {
	r.mu.Lock()
	r.err = err
	r.mu.Unlock()
}

// Handle records env; it implements event.Handler.
func (r *Recorder) Handle(_ context.Context, env event.Envelope) error {
	return r.record(env)
}

// Publish records envs in order, like a bus that keeps what it is given.
func (r *Recorder) Publish(ctx context.Context, envs ...event.Envelope) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("eventtest: publish: %w", err)
	}
	return r.record(envs...)
}

func (r *Recorder) record(envs ...event.Envelope) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.envs = append(r.envs, envs...)
	close(r.changed)
	r.changed = make(chan struct{})
	return r.err
}

// Envelopes returns a copy of the recorded envelopes, oldest first.
func (r *Recorder) Envelopes() []event.Envelope {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.envs)
}

// Types returns the event types of the recorded envelopes, oldest first.
func (r *Recorder) Types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.envs))
	for i, e := range r.envs {
		out[i] = e.EventType
	}
	return out
}

// Len returns the number of recorded envelopes.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.envs)
}

// Reset forgets the recorded envelopes.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.envs = nil
	r.mu.Unlock()
}

// AssertTypes fails t unless the recorded event types are exactly types, in order.
func (r *Recorder) AssertTypes(t testing.TB, types ...string) {
	t.Helper()
	if got := r.Types(); !slices.Equal(got, types) {
		t.Errorf("recorded event types:\n  got  [%s]\n  want [%s]", strings.Join(got, " "), strings.Join(types, " "))
	}
}

// AssertContainsTypes fails t unless types occur among the recorded event types in this
// order, possibly with other events between them.
func (r *Recorder) AssertContainsTypes(t testing.TB, types ...string) {
	t.Helper()
	got := r.Types()
	i := 0
	for _, g := range got {
		if i < len(types) && g == types[i] {
			i++
		}
	}
	if i < len(types) {
		t.Errorf("recorded event types [%s] do not contain [%s] in order (missing from %q on)",
			strings.Join(got, " "), strings.Join(types, " "), types[i])
	}
}

// WaitFor waits until at least n envelopes are recorded and returns them; it fails t with
// t.Fatalf when timeout passes first. Use it with asynchronous buses (bus.Async); a
// synchronous bus has delivered everything when Publish returns.
func (r *Recorder) WaitFor(t testing.TB, n int, timeout time.Duration) []event.Envelope {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		if len(r.envs) >= n {
			out := slices.Clone(r.envs)
			r.mu.Unlock()
			return out
		}
		changed, have := r.changed, len(r.envs)
		r.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("recorded %d envelopes after %v, want at least %d", have, timeout, n)
			return nil
		}
	}
}

// Start is the default start of a Clock: 2025-01-01T00:00:00Z.
var Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Clock is a fixed, manually advanced clock: every Now returns the current time and then moves
// it on by the step. It is safe for concurrent use.
type Clock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

// NewClock returns a clock at start (Start when zero) that steps by step after each Now; a
// zero step keeps it still.
func NewClock(start time.Time, step time.Duration) *Clock {
	if start.IsZero() {
		start = Start
	}
	return &Clock{now: start.UTC(), step: step}
}

// Now returns the clock's time and advances it by the step.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(c.step)
	return t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set sets the clock's time.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.UTC()
	c.mu.Unlock()
}

// IDs is a deterministic sequence of UUID-shaped event ids: NewIDs(7) yields
// "00000007-0000-7000-8000-000000000001", then ...0002, and so on. They are valid UUID
// strings (version 7, RFC 9562 variant) that sort in sequence order. It is safe for
// concurrent use.
type IDs struct {
	mu   sync.Mutex
	seed uint32
	n    uint64
}

// NewIDs returns a sequence whose ids carry seed in their first group, so that two sequences
// with different seeds never collide.
func NewIDs(seed uint32) *IDs { return &IDs{seed: seed} }

// Next returns the next id.
func (s *IDs) Next() string {
	s.mu.Lock()
	s.n++
	n := s.n
	s.mu.Unlock()
	return fmt.Sprintf("%08x-0000-7000-8000-%012x", s.seed, n&0xffffffffffff)
}

// Stamp returns copies of envs with ids from ids and timestamps from clock, in order; a nil
// clock or ids leaves that field as it is.
func Stamp(clock *Clock, ids *IDs, envs ...event.Envelope) []event.Envelope {
	out := slices.Clone(envs)
	for i := range out {
		if ids != nil {
			out[i].EventID = ids.Next()
		}
		if clock != nil {
			out[i].Timestamp = clock.Now()
		}
	}
	return out
}

// Envelope returns a version "1.0" envelope of type typ from source "eventtest" with the JSON
// text data as its payload, stamped with clock and ids (see Stamp).
func Envelope(clock *Clock, ids *IDs, typ string, data string) event.Envelope {
	return Stamp(clock, ids, event.Envelope{Version: "1.0", EventType: typ, Source: "eventtest", Data: []byte(data)})[0]
}
