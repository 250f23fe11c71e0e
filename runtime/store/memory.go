package store

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/eventgen/eventgen/runtime/event"
)

// memory is the Store returned by NewMemory.
type memory struct {
	mu      sync.RWMutex
	all     []Record           // all[i].Position == i+1
	streams map[string][]int64 // stream -> positions, in version order
	ids     map[string]struct{}
}

// NewMemory returns an empty Store that keeps its records in memory, for tests and for
// processes that need no durability. It is safe for concurrent use. Like the database
// stores, it keeps copies: changing the Data of an appended envelope or of a returned record
// does not change what it holds.
func NewMemory() Store {
	return &memory{streams: map[string][]int64{}, ids: map[string]struct{}{}}
}

// Append implements Store.
func (m *memory) Append(ctx context.Context, stream string, expected int64, events ...event.Envelope) (int64, error) {
	if err := CheckAppend(stream, expected, events); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("append to %q: %w", stream, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	positions := m.streams[stream]
	if current := int64(len(positions)); current != expected {
		return 0, Conflict(stream, "expected version %d, stream is at %d", expected, current)
	}
	for _, e := range events {
		if _, dup := m.ids[e.EventID]; dup {
			return 0, Conflict(stream, "event id %s is already stored", e.EventID)
		}
	}
	for i, e := range events {
		e = Normalize(e)
		e.Data = slices.Clone(e.Data)
		r := Record{Stream: stream, Version: expected + int64(i) + 1, Position: int64(len(m.all)) + 1, Envelope: e}
		m.all = append(m.all, r)
		positions = append(positions, r.Position)
		m.ids[e.EventID] = struct{}{}
	}
	m.streams[stream] = positions
	return expected + int64(len(events)), nil
}

// Load implements Store.
func (m *memory) Load(ctx context.Context, stream string, after int64) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load %q: %w", stream, err)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	positions := m.streams[stream]
	if after < 0 {
		after = 0
	}
	if after >= int64(len(positions)) {
		return nil, nil
	}
	out := make([]Record, 0, int64(len(positions))-after)
	for _, p := range positions[after:] {
		out = append(out, m.all[p-1])
	}
	return detach(out), nil
}

// Read implements Store.
func (m *memory) Read(ctx context.Context, after int64, limit int) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read after %d: %w", after, err)
	}
	if err := CheckLimit(limit); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if after < 0 {
		after = 0
	}
	if after >= int64(len(m.all)) {
		return nil, nil
	}
	end := min(int64(len(m.all)), after+int64(limit))
	return detach(slices.Clone(m.all[after:end])), nil
}

// Query implements Store.
func (m *memory) Query(ctx context.Context, f Filter) ([]Record, error) {
	if f.TenantID == "" {
		return nil, fmt.Errorf("query: %w", ErrNoTenant)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("query tenant %q: %w", f.TenantID, err)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Record
	start := max(f.After, 0)
	for _, r := range m.all[min(start, int64(len(m.all))):] {
		if !f.Match(r) {
			continue
		}
		out = append(out, r)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return detach(out), nil
}

// detach gives the records copies of their Data, so that a caller changing a returned
// record's bytes does not change the store. The copies share one allocation; each is capped
// at its own length, so that appending to one does not overwrite the next.
func detach(rs []Record) []Record {
	size := 0
	for _, r := range rs {
		size += len(r.Data)
	}
	buf := make([]byte, 0, size)
	for i := range rs {
		if rs[i].Data == nil {
			continue
		}
		start := len(buf)
		buf = append(buf, rs[i].Data...)
		rs[i].Data = buf[start:len(buf):len(buf)]
	}
	return rs
}
