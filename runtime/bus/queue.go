package bus

import (
	"context"
	"sync"
)

// queue is a subscription's delivery queue on an asynchronous bus: a FIFO without a fixed
// capacity, so that a handler can always queue follow-up events, with an optional bound that
// publishers outside handlers wait on.
type queue struct {
	mu       sync.Mutex
	items    []delivery
	head     int // items[head:] are queued
	closed   bool
	nonEmpty *sync.Cond    // workers wait on it for items or for close
	room     chan struct{} // made by a publisher waiting for room, closed when an item leaves
}

func newQueue() *queue {
	q := &queue{}
	q.nonEmpty = sync.NewCond(&q.mu)
	return q
}

func (q *queue) len() int { return len(q.items) - q.head }

// push appends d, waiting for room while the queue holds limit items or more (limit <= 0:
// no bound). It fails when ctx ends first (with ctx's error) or the queue is closed
// (ErrClosed).
func (q *queue) push(ctx context.Context, d delivery, limit int) error {
	q.mu.Lock()
	for {
		if q.closed {
			q.mu.Unlock()
			return ErrClosed
		}
		if limit <= 0 || q.len() < limit {
			q.items = append(q.items, d)
			q.nonEmpty.Signal()
			q.mu.Unlock()
			return nil
		}
		if q.room == nil {
			q.room = make(chan struct{})
		}
		room := q.room
		q.mu.Unlock()
		select {
		case <-room:
		case <-ctx.Done():
			return ctx.Err()
		}
		q.mu.Lock()
	}
}

// pop takes the oldest item, waiting for one; false when the queue is closed and empty.
func (q *queue) pop() (delivery, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.len() == 0 && !q.closed {
		q.nonEmpty.Wait()
	}
	if q.len() == 0 {
		return delivery{}, false
	}
	d := q.items[q.head]
	q.items[q.head] = delivery{} // let the envelope be collected
	q.head++
	switch {
	case q.head == len(q.items):
		q.items, q.head = q.items[:0], 0
	case q.head >= 1024 && 2*q.head >= len(q.items):
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.wakePublishers()
	return d, true
}

// close makes pop return false once the queue is empty, and push refuse.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.nonEmpty.Broadcast()
	q.wakePublishers()
	q.mu.Unlock()
}

// closeAndTake closes the queue and returns what it held.
func (q *queue) closeAndTake() []delivery {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := append([]delivery(nil), q.items[q.head:]...)
	q.items, q.head = nil, 0
	q.closed = true
	q.nonEmpty.Broadcast()
	q.wakePublishers()
	return out
}

// wakePublishers wakes the publishers waiting for room; the caller holds q.mu.
func (q *queue) wakePublishers() {
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
}
