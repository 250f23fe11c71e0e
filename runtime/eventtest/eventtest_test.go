package eventtest_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/eventtest"
)

// fakeT records failures instead of failing the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()                           {}
func (f *fakeT) Errorf(format string, a ...any)    { f.failed = true }
func (f *fakeT) Fatalf(format string, args ...any) { f.failed = true }

func TestRecorderAssertions(t *testing.T) {
	clock, ids := eventtest.NewClock(time.Time{}, time.Second), eventtest.NewIDs(3)
	rec := eventtest.NewRecorder()
	ctx := context.Background()
	if err := rec.Publish(ctx, eventtest.Envelope(clock, ids, "a", `{}`), eventtest.Envelope(clock, ids, "b", `{}`)); err != nil {
		t.Fatal(err)
	}
	if err := rec.Handle(ctx, eventtest.Envelope(clock, ids, "c", `{}`)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		assert   func(tb testing.TB)
		wantFail bool
	}{
		{"exact", func(tb testing.TB) { rec.AssertTypes(tb, "a", "b", "c") }, false},
		{"wrong order", func(tb testing.TB) { rec.AssertTypes(tb, "b", "a", "c") }, true},
		{"missing one", func(tb testing.TB) { rec.AssertTypes(tb, "a", "b") }, true},
		{"none", func(tb testing.TB) { rec.AssertTypes(tb) }, true},
		{"contains in order", func(tb testing.TB) { rec.AssertContainsTypes(tb, "a", "c") }, false},
		{"contains out of order", func(tb testing.TB) { rec.AssertContainsTypes(tb, "c", "a") }, true},
		{"contains unknown", func(tb testing.TB) { rec.AssertContainsTypes(tb, "z") }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ft := &fakeT{TB: t}
			tc.assert(ft)
			if ft.failed != tc.wantFail {
				t.Fatalf("assertion failed = %v, want %v", ft.failed, tc.wantFail)
			}
		})
	}
	rec.Reset()
	rec.AssertTypes(t)
	rec.FailWith(errors.New("x"))
	if err := rec.Handle(ctx, event.Envelope{EventType: "d"}); err == nil {
		t.Error("FailWith did not make Handle fail")
	}
	rec.AssertTypes(t, "d")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := rec.Publish(cancelled, event.Envelope{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Publish with a cancelled context = %v", err)
	}
}

func TestWaitFor(t *testing.T) {
	rec := eventtest.NewRecorder()
	go func() {
		for range 3 {
			time.Sleep(time.Millisecond)
			rec.Handle(context.Background(), event.Envelope{EventType: "x"})
		}
	}()
	if got := rec.WaitFor(t, 3, 5*time.Second); len(got) < 3 {
		t.Fatalf("WaitFor returned %d envelopes", len(got))
	}
	ft := &fakeT{TB: t}
	rec.WaitFor(ft, 10, 10*time.Millisecond)
	if !ft.failed {
		t.Fatal("WaitFor did not fail after its timeout")
	}
}

func TestClockAndIDs(t *testing.T) {
	c := eventtest.NewClock(time.Time{}, time.Second)
	if got := c.Now(); !got.Equal(eventtest.Start) {
		t.Fatalf("first Now = %v, want %v", got, eventtest.Start)
	}
	if got := c.Now(); !got.Equal(eventtest.Start.Add(time.Second)) {
		t.Fatalf("second Now = %v", got)
	}
	c.Advance(time.Hour)
	if got := c.Now(); !got.Equal(eventtest.Start.Add(time.Hour + 2*time.Second)) {
		t.Fatalf("Now after Advance = %v", got)
	}
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.FixedZone("X", 3600))
	c.Set(at)
	if got := c.Now(); !got.Equal(at) || got.Location() != time.UTC {
		t.Fatalf("Now after Set = %v, want %v in UTC", got, at)
	}
	still := eventtest.NewClock(at, 0)
	if a, b := still.Now(), still.Now(); !a.Equal(b) {
		t.Fatal("a zero-step clock moved")
	}

	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := eventtest.NewIDs(1), eventtest.NewIDs(1)
	for i := range 3 {
		x, y := a.Next(), b.Next()
		if x != y {
			t.Fatalf("id %d differs between two sequences of the same seed: %s, %s", i, x, y)
		}
		if !uuidRE.MatchString(x) {
			t.Fatalf("id %q is not UUID-shaped", x)
		}
	}
	if got := eventtest.NewIDs(255).Next(); got != "000000ff-0000-7000-8000-000000000001" {
		t.Fatalf("first id of seed 255 = %s", got)
	}
	if eventtest.NewIDs(1).Next() == eventtest.NewIDs(2).Next() {
		t.Fatal("different seeds gave the same id")
	}
}

func TestStamp(t *testing.T) {
	envs := []event.Envelope{{EventType: "a", EventID: "keep"}, {EventType: "b"}}
	got := eventtest.Stamp(eventtest.NewClock(time.Time{}, time.Minute), eventtest.NewIDs(9), envs...)
	want := []struct {
		id string
		ts time.Time
	}{
		{"00000009-0000-7000-8000-000000000001", eventtest.Start},
		{"00000009-0000-7000-8000-000000000002", eventtest.Start.Add(time.Minute)},
	}
	for i, w := range want {
		if got[i].EventID != w.id || !got[i].Timestamp.Equal(w.ts) || got[i].EventType != envs[i].EventType {
			t.Errorf("stamped[%d] = %s %v %s, want %s %v", i, got[i].EventID, got[i].Timestamp, got[i].EventType, w.id, w.ts)
		}
	}
	if envs[0].EventID != "keep" {
		t.Error("Stamp changed its input")
	}
	if kept := eventtest.Stamp(nil, nil, envs...); kept[0].EventID != "keep" || !kept[1].Timestamp.IsZero() {
		t.Error("Stamp with nil clock and ids changed fields")
	}
}
