package bus

import (
	"time"

	"github.com/eventgen/eventgen/runtime/store"
)

// Option configures New.
type Option interface{ applyBus(*busConfig) }

// SubscribeOption configures Subscribe.
type SubscribeOption interface{ applySub(*subConfig) }

type busConfig struct {
	retry     retryConfig
	queueSize int
	archive   archive
	onError   func(error)
}

type subConfig struct {
	retry       retryConfig
	concurrency int
	seen        SeenSet
}

type retryConfig struct {
	retries             int
	backoff, maxBackoff time.Duration
}

// delay returns the wait after the given failed try: backoff, doubling, at most maxBackoff.
func (r retryConfig) delay(attempt int) time.Duration {
	d := r.backoff
	for i := 1; i < attempt && d < r.maxBackoff; i++ {
		d *= 2
	}
	return min(d, r.maxBackoff)
}

// RetryOption is an option of both New (the bus's default) and Subscribe (that subscription).
type RetryOption struct{ apply func(*retryConfig) }

func (o RetryOption) applyBus(c *busConfig) { o.apply(&c.retry) }
func (o RetryOption) applySub(c *subConfig) { o.apply(&c.retry) }

// Retries sets how often a failed delivery is tried again after the first try (default 2);
// then the event is dead-lettered. Negative counts are taken as 0.
func Retries(n int) RetryOption {
	return RetryOption{func(r *retryConfig) { r.retries = max(n, 0) }}
}

// Backoff sets the wait before the first retry (default 100ms); each later retry waits twice
// as long as the one before, up to MaxBackoff.
func Backoff(d time.Duration) RetryOption {
	return RetryOption{func(r *retryConfig) { r.backoff = max(d, 0) }}
}

// MaxBackoff caps the doubling wait between retries (default one minute).
func MaxBackoff(d time.Duration) RetryOption {
	return RetryOption{func(r *retryConfig) { r.maxBackoff = max(d, 0) }}
}

type busOption func(*busConfig)

func (o busOption) applyBus(c *busConfig) { o(c) }

// QueueSize sets the length of each subscription's delivery queue (default 1024); Publish
// blocks while a matching subscription's queue is full.
func QueueSize(n int) Option { return busOption(func(c *busConfig) { c.queueSize = max(n, 0) }) }

// ArchiveTo archives published events in s instead of memory, each under the stream
// "$bus-archive/<event id>" (an event id already in s is not archived twice), and makes
// Replay read every event of s, whichever stream holds it.
func ArchiveTo(s store.Store) Option {
	return busOption(func(c *busConfig) { c.archive = storeArchive{s} })
}

// NoArchive keeps the bus from archiving events; Replay is then an error. Long-running buses
// that do not replay use it to keep their memory bounded.
func NoArchive() Option { return busOption(func(c *busConfig) { c.archive = nil }) }

// OnError sets a function called, from a worker goroutine, for every dead letter and for every
// seen-set Mark that failed after the handler succeeded.
func OnError(f func(error)) Option { return busOption(func(c *busConfig) { c.onError = f }) }

type subOption func(*subConfig)

func (o subOption) applySub(c *subConfig) { o(c) }

// Concurrency sets the number of worker goroutines of a subscription (default 1). With more
// than one, events may be handled out of publish order, and Idempotent may let a duplicate in
// when both copies are in flight at once.
func Concurrency(n int) SubscribeOption {
	return subOption(func(c *subConfig) { c.concurrency = max(n, 1) })
}

// Idempotent makes a subscription skip events whose id seen holds for it: a duplicate is
// acknowledged without calling the handler. Ids are marked after the handler succeeds, so an
// event is handled at least once and, with one worker, at most once per id.
func Idempotent(seen SeenSet) SubscribeOption {
	return subOption(func(c *subConfig) { c.seen = seen })
}
