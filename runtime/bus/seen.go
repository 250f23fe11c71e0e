package bus

import (
	"context"
	"sync"
)

// SeenSet remembers which events each subscription handled. The memory one is NewSeenSet;
// runtime/store/sqlite and runtime/store/postgres keep one in their database ((*Store).SeenSet).
type SeenSet interface {
	// Seen reports whether Mark was called for the subscription and event id.
	Seen(ctx context.Context, subscription, eventID string) (bool, error)
	// Mark records that the subscription handled the event id.
	Mark(ctx context.Context, subscription, eventID string) error
}

// MemorySeenSet is a SeenSet in memory. It grows with every id marked.
type MemorySeenSet struct {
	mu  sync.RWMutex
	ids map[[2]string]struct{}
}

// NewSeenSet returns an empty SeenSet in memory.
func NewSeenSet() *MemorySeenSet { return &MemorySeenSet{ids: map[[2]string]struct{}{}} }

// Seen implements SeenSet.
func (m *MemorySeenSet) Seen(_ context.Context, subscription, eventID string) (bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.ids[[2]string{subscription, eventID}]
	return ok, nil
}

// Mark implements SeenSet.
func (m *MemorySeenSet) Mark(_ context.Context, subscription, eventID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ids[[2]string{subscription, eventID}] = struct{}{}
	return nil
}
