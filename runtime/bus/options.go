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
	async     bool
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

// Async makes delivery asynchronous. Publish then matches and archives the events, queues
// one delivery per matching subscription and returns without waiting for the handlers. Each
// subscription has its own queue and worker goroutines (Concurrency, 1 by default) that call
// the handler, retry it and dead-letter what still fails. With one worker a subscription sees
// events in the order they were queued, which for one publisher is publish order; a slow
// subscription does not hold up the others. Handlers get the bus's own context, which
// Shutdown cancels when it gives up. Wait waits until the queues are drained.
func Async() Option { return busOption(func(c *busConfig) { c.async = true }) }

// QueueSize bounds each subscription's queue on an asynchronous bus (default 1024; n <= 0:
// no bound): a Publish that finds a matching queue holding n deliveries waits for room. A
// Publish from one of the bus's handlers never waits (its deliveries go past the bound), so a
// handler that publishes to its own rule, or to a rule whose handler publishes back, cannot
// deadlock the workers. A synchronous bus has no queues and ignores it.
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

// OnError sets a function called for every dead letter and for every seen-set Mark that
// failed after the handler succeeded: from the publishing goroutine on a synchronous bus, from
// a worker goroutine on an asynchronous one (and from Shutdown for the queued deliveries it
// abandons). It must be safe for concurrent use.
func OnError(f func(error)) Option { return busOption(func(c *busConfig) { c.onError = f }) }

type subOption func(*subConfig)

func (o subOption) applySub(c *subConfig) { o(c) }

// Concurrency sets the number of worker goroutines of a subscription on an asynchronous bus
// (default 1). With more than one, events may be handled out of publish order, and Idempotent
// may let a duplicate in when both copies are in flight at once. A synchronous bus runs
// handlers on the publishers' goroutines and ignores it.
func Concurrency(n int) SubscribeOption {
	return subOption(func(c *subConfig) { c.concurrency = max(n, 1) })
}

// Idempotent makes a subscription skip events whose id seen holds for it: a duplicate is
// acknowledged without calling the handler. Ids are marked after the handler succeeds, so an
// event is handled at least once, and at most once per id unless two copies of it are
// delivered at the same moment (concurrent Publish calls of the same event on a synchronous
// bus, Concurrency above 1 on an asynchronous one).
func Idempotent(seen SeenSet) SubscribeOption {
	return subOption(func(c *subConfig) { c.seen = seen })
}
