package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
)

// Store is an append-only event store of versioned streams with a global, gap-tolerant order.
//
// Every implementation in this module (NewMemory, runtime/store/sqlite and
// runtime/store/postgres) passes the same conformance suite, runtime/store/storetest.
type Store interface {
	// Append adds events at the end of stream when its version equals expected (0: new stream),
	// all or none, and returns the new version; ErrConflict when another writer came first, or
	// when an event id is already stored.
	Append(ctx context.Context, stream string, expected int64, events ...event.Envelope) (int64, error)
	// Load returns the stream's records with Version > after, in order.
	Load(ctx context.Context, stream string, after int64) ([]Record, error)
	// Read returns records of all streams with Position > after, in commit order, at most limit.
	// Positions only grow; a reader that saw position P never later sees a record below P.
	Read(ctx context.Context, after int64, limit int) ([]Record, error)
	// Query returns a tenant's records, filtered; an empty TenantID is an error (ErrNoTenant).
	Query(ctx context.Context, f Filter) ([]Record, error)
}

// Record is an envelope as stored: its stream, its version in the stream (1, 2, ...) and its
// position in the store's global commit order.
type Record struct {
	// Stream is the name of the stream the event was appended to.
	Stream string
	// Version is the event's 1-based index in its stream.
	Version int64
	// Position is the event's place in the store's global order; positions only grow.
	Position int64
	event.Envelope
}

// Filter selects records for Query. Zero fields do not filter, except TenantID, which is
// required.
type Filter struct {
	// TenantID is the tenant whose records are returned (Metadata.TenantID); required.
	TenantID string
	// Types, when not empty, keeps records whose EventType is one of them.
	Types []string
	// From, when not zero, keeps records whose Timestamp is at or after it.
	From time.Time
	// To, when not zero, keeps records whose Timestamp is before it.
	To time.Time
	// After keeps records whose Position is greater than it.
	After int64
	// Limit, when positive, is the largest number of records returned.
	Limit int
}

var (
	// ErrConflict is returned by Append when the stream's version is not the expected one or
	// when one of the events' ids is already stored; the store is left unchanged.
	ErrConflict = errors.New("store: conflict")
	// ErrNoTenant is returned by Query for a Filter without a TenantID.
	ErrNoTenant = errors.New("store: filter has no tenant id")
)

// Conflict returns an error wrapping ErrConflict that names the stream and the reason. Store
// implementations use it so that every store words its conflicts alike.
func Conflict(stream string, format string, args ...any) error {
	return fmt.Errorf("append to %q: %s: %w", stream, fmt.Sprintf(format, args...), ErrConflict)
}

// CheckAppend validates Append's arguments the same way for every store: a non-empty stream
// name, a non-negative expected version, and events that each carry an id, with no id twice in
// the batch (ErrConflict).
func CheckAppend(stream string, expected int64, events []event.Envelope) error {
	if stream == "" {
		return errors.New("append: empty stream name")
	}
	if expected < 0 {
		return fmt.Errorf("append to %q: negative expected version %d", stream, expected)
	}
	seen := make(map[string]struct{}, len(events))
	for i, e := range events {
		if e.EventID == "" {
			return fmt.Errorf("append to %q: event %d (%s) has no id", stream, i, e.EventType)
		}
		if _, dup := seen[e.EventID]; dup {
			return Conflict(stream, "event id %s appears twice in the batch", e.EventID)
		}
		seen[e.EventID] = struct{}{}
	}
	return nil
}

// Normalize returns env as every store returns it: the timestamp in UTC without a monotonic
// clock reading, and an empty Data as nil.
func Normalize(env event.Envelope) event.Envelope {
	env.Timestamp = FromUnixNano(UnixNano(env.Timestamp))
	if len(env.Data) == 0 {
		env.Data = nil
	}
	return env
}

// Match reports whether r passes f, apart from After and Limit. Stores that filter in memory
// use it.
func (f Filter) Match(r Record) bool {
	if r.Metadata.TenantID != f.TenantID {
		return false
	}
	if len(f.Types) > 0 {
		ok := false
		for _, t := range f.Types {
			if t == r.EventType {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if !f.From.IsZero() && r.Timestamp.Before(f.From) {
		return false
	}
	if !f.To.IsZero() && !r.Timestamp.Before(f.To) {
		return false
	}
	return true
}

// UnixNano returns t as nanoseconds since the Unix epoch, the form SQL stores keep timestamps
// in; the zero time is math.MinInt64 so that it sorts first and reads back as the zero time.
// Times before 1678 or after 2262 cannot be represented.
func UnixNano(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

// FromUnixNano is the inverse of UnixNano: a UTC time, or the zero time for math.MinInt64.
func FromUnixNano(n int64) time.Time {
	if n == math.MinInt64 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// CheckLimit returns an error for a Read limit that is not positive.
func CheckLimit(limit int) error {
	if limit <= 0 {
		return fmt.Errorf("read: limit %d is not positive", limit)
	}
	return nil
}
