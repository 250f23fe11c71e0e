package bus

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// archive keeps published events for Replay.
type archive interface {
	add(ctx context.Context, envs []event.Envelope) error
	// each calls fn for every archived event with a Timestamp in [from, to), in archive order.
	each(ctx context.Context, from, to time.Time, fn func(event.Envelope) error) error
}

func inWindow(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}

// memoryArchive is the default archive.
type memoryArchive struct {
	mu   sync.RWMutex
	envs []event.Envelope
}

func (a *memoryArchive) add(_ context.Context, envs []event.Envelope) error {
	a.mu.Lock()
	a.envs = append(a.envs, envs...)
	a.mu.Unlock()
	return nil
}

func (a *memoryArchive) each(ctx context.Context, from, to time.Time, fn func(event.Envelope) error) error {
	a.mu.RLock()
	envs := a.envs[:len(a.envs):len(a.envs)]
	a.mu.RUnlock()
	for _, env := range envs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if inWindow(env.Timestamp, from, to) {
			if err := fn(env); err != nil {
				return err
			}
		}
	}
	return nil
}

// storeArchive archives to a store.Store.
type storeArchive struct{ s store.Store }

const archivePrefix = "$bus-archive/"

func (a storeArchive) add(ctx context.Context, envs []event.Envelope) error {
	if len(envs) == 0 {
		return nil
	}
	_, err := a.s.Append(ctx, archivePrefix+envs[0].EventID, 0, envs...)
	if !errors.Is(err, store.ErrConflict) {
		return err
	}
	// Some event is stored already (published twice, or kept by the application in the same
	// store): archive the others one by one.
	for _, env := range envs {
		if _, err := a.s.Append(ctx, archivePrefix+env.EventID, 0, env); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return nil
}

func (a storeArchive) each(ctx context.Context, from, to time.Time, fn func(event.Envelope) error) error {
	var after int64
	for {
		rs, err := a.s.Read(ctx, after, 1000)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return nil
		}
		for _, r := range rs {
			after = r.Position
			if inWindow(r.Timestamp, from, to) {
				if err := fn(r.Envelope); err != nil {
					return err
				}
			}
		}
	}
}
