// Package storetest is the conformance suite and the benchmarks that every store.Store
// implementation runs: the memory store, SQLite and PostgreSQL pass the same table of
// behaviours, so code written against one behaves the same on the others.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openEmptyStore(t) })
//	}
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// Envelope returns a valid envelope of type typ with a fresh id, the given tenant and a small
// JSON payload carrying n, timestamped at ts.
func Envelope(typ, tenant string, n int, ts time.Time) event.Envelope {
	return event.Envelope{
		Version:   "1.0",
		EventType: typ,
		EventID:   event.NewID(),
		Timestamp: ts,
		Source:    "eventgen.storetest",
		Metadata: event.Metadata{
			TenantID:      tenant,
			UserID:        "user-1",
			CorrelationID: "corr-1",
			TraceParent:   "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		},
		Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, n)),
	}
}

// Envelopes returns n envelopes of type typ for tenant, one second apart from base.
func Envelopes(typ, tenant string, n int, base time.Time) []event.Envelope {
	out := make([]event.Envelope, n)
	for i := range out {
		out[i] = Envelope(typ, tenant, i, base.Add(time.Duration(i)*time.Second))
	}
	return out
}

var base = time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC)

// Run runs the conformance suite against the stores open returns: each subtest opens a new,
// empty store. open should register its own cleanup with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"AppendLoad", testAppendLoad},
		{"RoundTrip", testRoundTrip},
		{"Conflict", testConflict},
		{"EmptyBatch", testEmptyBatch},
		{"InvalidArguments", testInvalidArguments},
		{"DuplicateIDs", testDuplicateIDs},
		{"ConcurrentAppendsOneStream", testConcurrentOneStream},
		{"ReadPaging", testReadPaging},
		{"TailingReaderConcurrentWriters", testTailingReader},
		{"Query", testQuery},
		{"TenantIsolation", testTenantIsolation},
		{"LargePayload", testLargePayload},
		{"ReturnedRecordsAreCopies", testReturnedRecordsAreCopies},
		{"Cancellation", testCancellation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, open(t))
		})
	}
}

// opts compares envelopes the way stores return them.
var opts = cmp.Options{cmpopts.EquateEmpty()}

func mustAppend(t *testing.T, s store.Store, stream string, expected int64, evs ...event.Envelope) int64 {
	t.Helper()
	v, err := s.Append(context.Background(), stream, expected, evs...)
	if err != nil {
		t.Fatalf("Append(%q, %d, %d events): %v", stream, expected, len(evs), err)
	}
	return v
}

func mustLoad(t *testing.T, s store.Store, stream string, after int64) []store.Record {
	t.Helper()
	rs, err := s.Load(context.Background(), stream, after)
	if err != nil {
		t.Fatalf("Load(%q, %d): %v", stream, after, err)
	}
	return rs
}

func envelopes(rs []store.Record) []event.Envelope {
	out := make([]event.Envelope, len(rs))
	for i, r := range rs {
		out[i] = r.Envelope
	}
	return out
}

func normalized(evs []event.Envelope) []event.Envelope {
	out := make([]event.Envelope, len(evs))
	for i, e := range evs {
		out[i] = store.Normalize(e)
	}
	return out
}

func testAppendLoad(t *testing.T, s store.Store) {
	evs := Envelopes("order.placed", "t1", 3, base)
	if v := mustAppend(t, s, "order-1", 0, evs[:2]...); v != 2 {
		t.Fatalf("first Append returned version %d, want 2", v)
	}
	if v := mustAppend(t, s, "order-1", 2, evs[2]); v != 3 {
		t.Fatalf("second Append returned version %d, want 3", v)
	}
	for _, tc := range []struct {
		after int64
		want  []event.Envelope
	}{
		{0, evs}, {-5, evs}, {1, evs[1:]}, {2, evs[2:]}, {3, nil}, {10, nil},
	} {
		rs := mustLoad(t, s, "order-1", tc.after)
		if diff := cmp.Diff(normalized(tc.want), envelopes(rs), opts); diff != "" {
			t.Errorf("Load(after=%d) envelopes (-want +got):\n%s", tc.after, diff)
		}
		for i, r := range rs {
			if want := tc.after + int64(i) + 1; tc.after >= 0 && r.Version != want {
				t.Errorf("Load(after=%d)[%d].Version = %d, want %d", tc.after, i, r.Version, want)
			}
			if r.Stream != "order-1" {
				t.Errorf("Load(after=%d)[%d].Stream = %q", tc.after, i, r.Stream)
			}
		}
	}
	if rs := mustLoad(t, s, "no-such-stream", 0); len(rs) != 0 {
		t.Errorf("Load of a missing stream returned %d records, want 0", len(rs))
	}
}

func testRoundTrip(t *testing.T, s store.Store) {
	zone := time.FixedZone("UTC+5", 5*3600)
	e := Envelope("user.renamed", "tenant-é", 7, time.Date(2024, 2, 29, 23, 59, 59, 999999999, zone))
	e.Version = "2.x"
	e.Metadata = event.Metadata{UserID: "u", OrganizationID: "o", TenantID: "tenant-é", CorrelationID: "c", CausationID: "x", TraceParent: "tp"}
	e.Data = json.RawMessage(`{"name":"Zoë \u2603","nested":{"a":[1,2.5,null,true]},"z":1}`)
	noData := Envelope("user.deleted", "tenant-é", 0, time.Time{})
	noData.Data = nil
	mustAppend(t, s, "user-1", 0, e, noData)
	rs := mustLoad(t, s, "user-1", 0)
	if len(rs) != 2 {
		t.Fatalf("Load returned %d records, want 2", len(rs))
	}
	got := rs[0].Envelope
	if !bytes.Equal(got.Data, e.Data) {
		t.Errorf("Data = %s, want the exact bytes %s", got.Data, e.Data)
	}
	if !got.Timestamp.Equal(e.Timestamp) || got.Timestamp.Location() != time.UTC {
		t.Errorf("Timestamp = %v, want %v in UTC", got.Timestamp, e.Timestamp)
	}
	if diff := cmp.Diff(normalized([]event.Envelope{e, noData}), envelopes(rs), opts); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if !rs[1].Timestamp.IsZero() {
		t.Errorf("zero Timestamp read back as %v", rs[1].Timestamp)
	}
}

func testConflict(t *testing.T, s store.Store) {
	evs := Envelopes("a", "t1", 6, base)
	mustAppend(t, s, "s", 0, evs[:2]...)
	tests := []struct {
		name     string
		expected int64
	}{
		{"new stream that exists", 0},
		{"behind", 1},
		{"ahead", 3},
		{"far ahead", 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Append(context.Background(), "s", tc.expected, evs[2:4]...)
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("Append(expected=%d) = %v, want ErrConflict", tc.expected, err)
			}
			if !strings.Contains(err.Error(), `"s"`) {
				t.Errorf("conflict error %q does not name the stream", err)
			}
			if rs := mustLoad(t, s, "s", 0); len(rs) != 2 {
				t.Errorf("after a conflict the stream has %d events, want 2", len(rs))
			}
		})
	}
	// The ids of a rejected batch are not burnt: the batch can be appended at the right version.
	if v := mustAppend(t, s, "s", 2, evs[2:4]...); v != 4 {
		t.Fatalf("Append at the right version returned %d, want 4", v)
	}
}

func testEmptyBatch(t *testing.T, s store.Store) {
	mustAppend(t, s, "s", 0, Envelopes("a", "t1", 2, base)...)
	if v := mustAppend(t, s, "s", 2); v != 2 {
		t.Errorf("empty Append at the current version returned %d, want 2", v)
	}
	if _, err := s.Append(context.Background(), "s", 1); !errors.Is(err, store.ErrConflict) {
		t.Errorf("empty Append at a stale version = %v, want ErrConflict", err)
	}
	if v := mustAppend(t, s, "new", 0); v != 0 {
		t.Errorf("empty Append to a new stream returned %d, want 0", v)
	}
	if rs := mustLoad(t, s, "new", 0); len(rs) != 0 {
		t.Errorf("empty Append stored %d events", len(rs))
	}
}

func testInvalidArguments(t *testing.T, s store.Store) {
	noID := Envelope("a", "t1", 0, base)
	noID.EventID = ""
	tests := []struct {
		name     string
		stream   string
		expected int64
		evs      []event.Envelope
	}{
		{"empty stream", "", 0, Envelopes("a", "t1", 1, base)},
		{"negative version", "s", -1, Envelopes("a", "t1", 1, base)},
		{"event without id", "s", 0, []event.Envelope{Envelope("a", "t1", 0, base), noID}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Append(context.Background(), tc.stream, tc.expected, tc.evs...)
			if err == nil || errors.Is(err, store.ErrConflict) {
				t.Fatalf("Append = %v, want a non-conflict error", err)
			}
		})
	}
	if _, err := s.Read(context.Background(), 0, 0); err == nil {
		t.Errorf("Read with limit 0 succeeded, want an error")
	}
	if rs, err := s.Read(context.Background(), 0, 10); err != nil || len(rs) != 0 {
		t.Errorf("Read after invalid appends = %d records, %v; want none stored", len(rs), err)
	}
}

func testDuplicateIDs(t *testing.T, s store.Store) {
	first := Envelope("a", "t1", 1, base)
	mustAppend(t, s, "s1", 0, first)

	t.Run("retry of the same append", func(t *testing.T) {
		if _, err := s.Append(context.Background(), "s1", 1, first); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("re-appending a stored id = %v, want ErrConflict", err)
		}
	})
	t.Run("same id in another stream", func(t *testing.T) {
		batch := []event.Envelope{Envelope("a", "t1", 2, base), first}
		if _, err := s.Append(context.Background(), "s2", 0, batch...); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("appending a stored id to another stream = %v, want ErrConflict", err)
		}
		if rs := mustLoad(t, s, "s2", 0); len(rs) != 0 {
			t.Fatalf("the batch was half stored: %d events in s2", len(rs))
		}
	})
	t.Run("same id twice in one batch", func(t *testing.T) {
		e := Envelope("a", "t1", 3, base)
		if _, err := s.Append(context.Background(), "s3", 0, e, e); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("a batch with one id twice = %v, want ErrConflict", err)
		}
		if rs := mustLoad(t, s, "s3", 0); len(rs) != 0 {
			t.Fatalf("the batch was half stored: %d events in s3", len(rs))
		}
	})
	rs, err := s.Read(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].EventID != first.EventID {
		t.Fatalf("store holds %d records, want only the first event", len(rs))
	}
}

// appendRetrying appends evs to stream, catching up with the stream's version after each
// conflict; *version is the version the caller last saw and is updated.
func appendRetrying(ctx context.Context, s store.Store, stream string, version *int64, evs ...event.Envelope) error {
	for attempt := 0; ; attempt++ {
		v, err := s.Append(ctx, stream, *version, evs...)
		if err == nil {
			*version = v
			return nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		if attempt > 10000 {
			return fmt.Errorf("gave up after %d conflicts: %w", attempt, err)
		}
		rs, err := s.Load(ctx, stream, *version)
		if err != nil {
			return err
		}
		if len(rs) > 0 {
			*version = rs[len(rs)-1].Version
		}
		if attempt > 2 {
			time.Sleep(time.Duration(rand.IntN(100*attempt)) * time.Microsecond)
		}
	}
}

func testConcurrentOneStream(t *testing.T, s store.Store) {
	const writers, perWriter = 16, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	ids := make(map[string]bool)
	batches := make([][]event.Envelope, writers)
	for w := range batches {
		batches[w] = Envelopes("counter.incremented", "t1", perWriter, base)
		for _, e := range batches[w] {
			ids[e.EventID] = true
		}
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var version int64
			for _, e := range batches[w] {
				if err := appendRetrying(context.Background(), s, "hot", &version, e); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rs := mustLoad(t, s, "hot", 0)
	if len(rs) != writers*perWriter {
		t.Fatalf("stream holds %d events, want %d", len(rs), writers*perWriter)
	}
	seen := map[string]bool{}
	for i, r := range rs {
		if r.Version != int64(i)+1 {
			t.Fatalf("record %d has version %d, want %d", i, r.Version, i+1)
		}
		if seen[r.EventID] || !ids[r.EventID] {
			t.Fatalf("record %d: event %s duplicated or unknown", i, r.EventID)
		}
		seen[r.EventID] = true
	}
}

func testReadPaging(t *testing.T, s store.Store) {
	var want []string
	for i := range 5 {
		evs := Envelopes("a", "t1", 1+i%3, base)
		mustAppend(t, s, fmt.Sprintf("s%d", i%2), int64(len(mustLoad(t, s, fmt.Sprintf("s%d", i%2), 0))), evs...)
		for _, e := range evs {
			want = append(want, e.EventID)
		}
	}
	for _, limit := range []int{1, 3, 4, 100} {
		var got []string
		var after int64
		for pages := 0; ; pages++ {
			rs, err := s.Read(context.Background(), after, limit)
			if err != nil {
				t.Fatalf("Read(%d, %d): %v", after, limit, err)
			}
			if len(rs) > limit {
				t.Fatalf("Read(%d, %d) returned %d records", after, limit, len(rs))
			}
			if len(rs) == 0 {
				break
			}
			for _, r := range rs {
				if r.Position <= after {
					t.Fatalf("Read(limit=%d): position %d after %d", limit, r.Position, after)
				}
				after = r.Position
				got = append(got, r.EventID)
			}
			if pages > len(want) {
				t.Fatalf("Read(limit=%d) does not end", limit)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Read(limit=%d) ids in commit order (-want +got):\n%s", limit, diff)
		}
	}
}

// testTailingReader is the global-position trap: writers commit concurrently while a reader
// tails Read; the reader must see every event exactly once, in growing positions.
func testTailingReader(t *testing.T, s store.Store) {
	const writers, batches, size = 8, 25, 4
	total := writers * batches * size
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var written atomic.Int64
	var failed atomic.Bool
	errs := make(chan error, writers+1)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			versions := map[string]*int64{}
			for b := range batches {
				stream := fmt.Sprintf("w%d-b%d", w, b)
				if b%2 == 1 { // half the batches go to one stream per writer
					stream = fmt.Sprintf("w%d", w)
				}
				evs := Envelopes("tick", "t1", size, base)
				if versions[stream] == nil {
					versions[stream] = new(int64)
				}
				if err := appendRetrying(ctx, s, stream, versions[stream], evs...); err != nil {
					failed.Store(true)
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
				written.Add(size)
			}
		}()
	}
	seen := make(map[string]int64, total)
	var after int64
	reads := 0
	for len(seen) < total && !failed.Load() {
		if ctx.Err() != nil {
			t.Fatalf("reader saw %d of %d events before the deadline (%d written)", len(seen), total, written.Load())
		}
		rs, err := s.Read(ctx, after, 7)
		if err != nil {
			t.Fatalf("Read(%d): %v", after, err)
		}
		reads++
		for _, r := range rs {
			if r.Position <= after {
				t.Fatalf("Read returned position %d after %d", r.Position, after)
			}
			if p, dup := seen[r.EventID]; dup {
				t.Fatalf("event %s seen twice, at positions %d and %d", r.EventID, p, r.Position)
			}
			seen[r.EventID] = r.Position
			after = r.Position
		}
		if len(rs) == 0 && written.Load() == int64(total) && len(seen) < total {
			// All writers are done; one more empty read means events were skipped.
			rs, err := s.Read(ctx, after, 7)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) == 0 {
				break
			}
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != total {
		t.Fatalf("tailing reader saw %d distinct events, want %d: it skipped some", len(seen), total)
	}
	all, err := s.Read(ctx, 0, total+10)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != total {
		t.Fatalf("store holds %d records, want %d", len(all), total)
	}
	t.Logf("tailing reader saw %d events in %d reads", total, reads)
}

func testQuery(t *testing.T, s store.Store) {
	// Six events one second apart: types a, b, c, a, b, c.
	var evs []event.Envelope
	for i := range 6 {
		evs = append(evs, Envelope(string(rune('a'+i%3)), "t1", i, base.Add(time.Duration(i)*time.Second)))
	}
	mustAppend(t, s, "q1", 0, evs[:3]...)
	mustAppend(t, s, "q2", 0, evs[3:]...)
	mustAppend(t, s, "other", 0, Envelope("a", "t2", 99, base))
	all, err := s.Read(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	pos := func(i int) int64 { return all[i].Position }
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	tests := []struct {
		name string
		f    store.Filter
		want []int // indices into evs
	}{
		{"tenant", store.Filter{TenantID: "t1"}, []int{0, 1, 2, 3, 4, 5}},
		{"one type", store.Filter{TenantID: "t1", Types: []string{"b"}}, []int{1, 4}},
		{"two types", store.Filter{TenantID: "t1", Types: []string{"c", "a"}}, []int{0, 2, 3, 5}},
		{"unknown type", store.Filter{TenantID: "t1", Types: []string{"zzz"}}, nil},
		{"from inclusive", store.Filter{TenantID: "t1", From: at(4)}, []int{4, 5}},
		{"to exclusive", store.Filter{TenantID: "t1", To: at(2)}, []int{0, 1}},
		{"range", store.Filter{TenantID: "t1", From: at(1), To: at(3)}, []int{1, 2}},
		{"range in another zone", store.Filter{TenantID: "t1", From: at(1).In(time.FixedZone("X", -7200)), To: at(3)}, []int{1, 2}},
		{"empty range", store.Filter{TenantID: "t1", From: at(3), To: at(3)}, nil},
		{"after", store.Filter{TenantID: "t1", After: pos(3)}, []int{4, 5}},
		{"limit", store.Filter{TenantID: "t1", Limit: 2}, []int{0, 1}},
		{"everything", store.Filter{TenantID: "t1", Types: []string{"a", "b"}, From: at(1), To: at(5), After: pos(1), Limit: 1}, []int{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := s.Query(context.Background(), tc.f)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			var want []event.Envelope
			for _, i := range tc.want {
				want = append(want, evs[i])
			}
			if diff := cmp.Diff(normalized(want), envelopes(rs), opts); diff != "" {
				t.Errorf("Query (-want +got):\n%s", diff)
			}
			for i := 1; i < len(rs); i++ {
				if rs[i].Position <= rs[i-1].Position {
					t.Errorf("Query results not in position order: %d then %d", rs[i-1].Position, rs[i].Position)
				}
			}
		})
	}
	if _, err := s.Query(context.Background(), store.Filter{Types: []string{"a"}}); !errors.Is(err, store.ErrNoTenant) {
		t.Errorf("Query without tenant = %v, want ErrNoTenant", err)
	}
}

func testTenantIsolation(t *testing.T, s store.Store) {
	tenants := []string{"acme", "globex", "ACME", "acme "}
	for i, tn := range tenants {
		mustAppend(t, s, "shared-"+tn, 0, Envelopes("x", tn, i+1, base)...)
	}
	for i, tn := range tenants {
		rs, err := s.Query(context.Background(), store.Filter{TenantID: tn})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != i+1 {
			t.Errorf("tenant %q sees %d records, want %d", tn, len(rs), i+1)
		}
		for _, r := range rs {
			if r.Metadata.TenantID != tn {
				t.Errorf("tenant %q sees a record of tenant %q", tn, r.Metadata.TenantID)
			}
		}
	}
	if rs, err := s.Query(context.Background(), store.Filter{TenantID: "initech"}); err != nil || len(rs) != 0 {
		t.Errorf("unknown tenant: %d records, %v", len(rs), err)
	}
}

func testLargePayload(t *testing.T, s store.Store) {
	big := make([]byte, 0, 256<<10+64)
	big = append(big, `{"blob":"`...)
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	for len(big) < 256<<10 {
		big = append(big, alphabet[r.IntN(len(alphabet))])
	}
	big = append(big, `"}`...)
	evs := Envelopes("file.uploaded", "t1", 3, base)
	for i := range evs {
		evs[i].Data = big
	}
	mustAppend(t, s, "big", 0, evs...)
	rs := mustLoad(t, s, "big", 0)
	if len(rs) != 3 {
		t.Fatalf("Load returned %d records, want 3", len(rs))
	}
	for i, r := range rs {
		if !bytes.Equal(r.Data, big) {
			t.Fatalf("record %d: payload of %d bytes differs from the %d bytes appended", i, len(r.Data), len(big))
		}
	}
}

func testCancellation(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	evs := Envelopes("a", "t1", 3, base)
	if _, err := s.Append(ctx, "c", 0, evs...); !errors.Is(err, context.Canceled) {
		t.Fatalf("Append with a cancelled context = %v, want context.Canceled", err)
	}
	if rs := mustLoad(t, s, "c", 0); len(rs) != 0 {
		t.Fatalf("a cancelled Append stored %d events", len(rs))
	}
	mustAppend(t, s, "c", 0, evs...) // the ids were not taken
	calls := []struct {
		name string
		call func() error
	}{
		{"Load", func() error { _, err := s.Load(ctx, "c", 0); return err }},
		{"Read", func() error { _, err := s.Read(ctx, 0, 10); return err }},
		{"Query", func() error { _, err := s.Query(ctx, store.Filter{TenantID: "t1"}); return err }},
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context = %v, want context.Canceled", c.name, err)
		}
	}
	// A deadline that passes while a batch is being written leaves all of it or none of it.
	for i := range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i*50)*time.Microsecond)
		stream := fmt.Sprintf("deadline-%d", i)
		_, err := s.Append(ctx, stream, 0, Envelopes("a", "t1", 50, base)...)
		cancel()
		n := len(mustLoad(t, s, stream, 0))
		if (err == nil && n != 50) || (err != nil && n != 0 && n != 50) {
			t.Fatalf("Append under a %dµs deadline = %v with %d of 50 events stored", i*50, err, n)
		}
	}
}

// testReturnedRecordsAreCopies changes the Data of appended envelopes and of the records that
// Load, Read and Query return, in place and by appending; the store must not change.
func testReturnedRecordsAreCopies(t *testing.T, s store.Store) {
	ctx := context.Background()
	evs := Envelopes("copy.me", "t1", 3, base)
	want := normalized(evs)
	for i := range want {
		want[i].Data = bytes.Clone(want[i].Data)
	}
	mustAppend(t, s, "copies", 0, evs...)
	for _, e := range evs {
		clear(e.Data) // the caller reuses its buffer
	}
	reads := []struct {
		name string
		read func() ([]store.Record, error)
	}{
		{"Load", func() ([]store.Record, error) { return s.Load(ctx, "copies", 0) }},
		{"Read", func() ([]store.Record, error) { return s.Read(ctx, 0, 10) }},
		{"Query", func() ([]store.Record, error) { return s.Query(ctx, store.Filter{TenantID: "t1"}) }},
	}
	check := func(t *testing.T, when string) {
		t.Helper()
		for _, r := range reads {
			rs, err := r.read()
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			if diff := cmp.Diff(want, envelopes(rs), opts); diff != "" {
				t.Fatalf("%s %s (-want +got):\n%s", r.name, when, diff)
			}
		}
	}
	check(t, "after the appended envelopes' Data was cleared")
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			rs, err := r.read()
			if err != nil {
				t.Fatal(err)
			}
			for i := range rs {
				for j := range rs[i].Data {
					rs[i].Data[j] = 'X'
				}
				if i == 0 {
					// Appending to one record's Data must not overwrite the next one's.
					rs[i].Data = append(rs[i].Data[:1], `"overwritten"`...)
				}
				rs[i].EventType = "changed"
			}
			check(t, "after "+r.name+"'s records were changed")
		})
	}
}
