package bus

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/pattern"
)

// ErrClosed is returned by Publish, Subscribe and Replay after Close or Shutdown, and is
// wrapped by the errors of deliveries that Shutdown abandoned when its context ended.
var ErrClosed = errors.New("bus: closed")

// ErrTooDeep is returned by a synchronous Publish made by a handler when handlers have
// published from handlers more than MaxDepth times in a row: most likely a cycle of rules
// whose handlers publish events that lead back to themselves. A handler failing with it is
// dead-lettered at once, without retries.
var ErrTooDeep = errors.New("bus: handlers publishing from handlers nested too deep (a cycle of rules?)")

// MaxDepth is how deep synchronous Publish calls made by handlers may nest. It is small on
// purpose: a cascade where every handler publishes two events stays within 2^MaxDepth
// deliveries, so an endless one ends in a fraction of a second instead of running forever.
const MaxDepth = 16

// DeadLetter is an event a subscription could not handle: the handler failed on every try,
// or the delivery was abandoned (its Publish context ended, or Shutdown gave up).
type DeadLetter struct {
	// Envelope is the event that was not handled.
	Envelope event.Envelope
	// Err is the error of the last try. For an abandoned delivery it wraps the reason
	// (ErrClosed, or the Publish context's error) and the last try's error, if any.
	Err error
	// Attempts is the number of tries: calls of the handler, and seen-set checks that failed.
	Attempts int
}

// PanicError is the error of a try whose handler panicked.
type PanicError struct {
	// Value is the value the handler panicked with.
	Value any
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

// Error returns "handler panicked: " and the panic value.
func (e *PanicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.Value) }

// Bus is an in-process event bus with EventBridge semantics: subscriptions are rules (event
// patterns) with a target handler, and Publish delivers a copy of each event to the handler
// of every rule that matches its EventBridge form.
//
// By default delivery is synchronous: Publish calls the handlers on the caller's goroutine
// and returns once every matching subscription has handled (or dead-lettered) every event.
// With the Async option, Publish queues the deliveries and returns; worker goroutines deliver
// them (see Async). Either way Close drains what is in flight and refuses what comes later.
//
// A Bus is safe for concurrent use. Handlers must not call Close, Shutdown or Wait: those wait
// for the handler's own delivery to end.
type Bus struct {
	cfg     busConfig
	matcher *pattern.Matcher

	// ctx is the context of the asynchronous workers' handler calls; cancel ends it when
	// Shutdown gives up. abort is closed at the same moment, for synchronous deliveries.
	ctx    context.Context
	cancel context.CancelFunc
	abort  chan struct{}

	mu      sync.RWMutex             // guards subs, closed and drained; never held while blocking
	subs    map[string]*subscription // replaced, never changed, by Subscribe
	closed  bool                     // no more Publish, Subscribe or Replay from outside a handler
	drained bool                     // no more Publish at all: Shutdown has finished waiting or given up

	workers sync.WaitGroup
	// pending counts what Close waits for: synchronous Publish and Replay calls under way,
	// and asynchronous deliveries queued or being handled.
	pending atomic.Int64
	idleMu  sync.Mutex
	idle    chan struct{} // made by Wait, closed when pending drops to zero
}

type subscription struct {
	name    string
	handler event.Handler
	pattern *pattern.Pattern
	cfg     subConfig
	queue   *queue // nil on a synchronous bus

	mu   sync.Mutex
	dead []DeadLetter
}

type delivery struct {
	env    event.Envelope
	replay bool
}

// handlerCtx is the context that handlers receive: it marks calls made from this bus's
// handlers, so that their Publish calls nest (synchronous bus) or skip the queue bound
// (asynchronous bus) and are accepted while Close drains.
type handlerCtx struct {
	context.Context
	bus   *Bus
	depth int
}

type handlerKey struct{}

// Value implements context.Context.
func (c *handlerCtx) Value(key any) any {
	if key == (handlerKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// fromHandler returns the handler context of b that ctx derives from, or nil.
func (b *Bus) fromHandler(ctx context.Context) *handlerCtx {
	hc, _ := ctx.Value(handlerKey{}).(*handlerCtx)
	for hc != nil && hc.bus != b {
		// A handler of another bus; look further out for one of b.
		hc, _ = hc.Context.Value(handlerKey{}).(*handlerCtx)
	}
	return hc
}

// New returns a bus; options set its defaults (Retries, Backoff), its delivery mode (Async),
// queue size and archive.
func New(opts ...Option) *Bus {
	cfg := busConfig{
		retry:     retryConfig{retries: 2, backoff: 100 * time.Millisecond, maxBackoff: time.Minute},
		queueSize: 1024,
		archive:   &memoryArchive{},
	}
	for _, o := range opts {
		o.applyBus(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Bus{
		cfg:     cfg,
		matcher: pattern.NewMatcher(),
		cancel:  cancel,
		abort:   make(chan struct{}),
		subs:    map[string]*subscription{},
	}
	b.ctx = &handlerCtx{Context: ctx, bus: b}
	return b
}

// Subscribe adds a subscription: h receives every event published from now on that matches
// rule.Pattern. Rule names are unique on a bus; rule.Bus is not checked. An invalid pattern is
// an error, with the pattern package's (AWS's) wording. After Close it returns ErrClosed.
func (b *Bus) Subscribe(rule event.Rule, h event.Handler, opts ...SubscribeOption) error {
	if rule.Name == "" {
		return errors.New("bus: subscribe: rule has no name")
	}
	if h == nil {
		return fmt.Errorf("bus: subscribe %q: nil handler", rule.Name)
	}
	p, err := pattern.Compile(rule.Pattern)
	if err != nil {
		return fmt.Errorf("bus: subscribe %q: %w", rule.Name, err)
	}
	cfg := subConfig{retry: b.cfg.retry, concurrency: 1}
	for _, o := range opts {
		o.applySub(&cfg)
	}
	s := &subscription{name: rule.Name, handler: h, pattern: p, cfg: cfg}
	if b.cfg.async {
		s.queue = newQueue()
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return fmt.Errorf("bus: subscribe %q: %w", rule.Name, ErrClosed)
	}
	if _, dup := b.subs[rule.Name]; dup {
		return fmt.Errorf("bus: subscribe %q: a rule of that name is already subscribed", rule.Name)
	}
	if err := b.matcher.Add(rule.Name, rule.Pattern); err != nil {
		return fmt.Errorf("bus: subscribe %q: %w", rule.Name, err)
	}
	// Copy on write: Publish reads the map it got from begin without holding the lock.
	subs := maps.Clone(b.subs)
	subs[rule.Name] = s
	b.subs = subs
	if s.queue != nil {
		for range cfg.concurrency {
			b.workers.Add(1)
			go b.work(s)
		}
	}
	return nil
}

// Publish matches each event against every subscription's pattern (in its EventBridge form,
// event.Envelope.EventBridge), archives the events and delivers a copy of each to every
// matching subscription. An event that cannot be encoded fails the whole call before anything
// is archived or delivered. After Close it returns ErrClosed, except to handlers whose own
// delivery Close is still waiting for (their follow-up events are part of the drain).
//
// On a synchronous bus (the default) Publish returns when every delivery is done: handled, or
// dead-lettered after its retries. A handler's failure is not Publish's error: it is in
// DeadLetters. Events are delivered in order, each to its matching subscriptions in rule-name
// order. Handlers get ctx (with the bus's mark); a Publish from a handler delivers its events
// before the outer call moves on. When ctx ends, Publish stops: the delivery under way ends
// as a dead letter (after its current try), so does every delivery of the call not yet made,
// each with an error wrapping ctx's error, and Publish returns ctx's error.
//
// On an asynchronous bus (Async) Publish returns once the deliveries are queued. It waits
// while a matching subscription's queue holds QueueSize deliveries or more, except when called
// from a handler of this bus (so that a handler publishing to its own rule cannot deadlock);
// when ctx ends during that wait it returns ctx's error and the deliveries queued so far stay
// queued.
func (b *Bus) Publish(ctx context.Context, envs ...event.Envelope) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bus: publish: %w", err)
	}
	matches := make([][]string, len(envs))
	for i, env := range envs {
		eb, err := env.EventBridge()
		if err != nil {
			return fmt.Errorf("bus: publish: %w", err)
		}
		if matches[i], err = b.matcher.Match(eb); err != nil {
			return fmt.Errorf("bus: publish event %s: %w", env.EventID, err)
		}
	}
	hc := b.fromHandler(ctx)
	if !b.cfg.async && hc != nil && hc.depth >= MaxDepth {
		return ErrTooDeep
	}
	subs, err := b.begin(hc != nil, "publish")
	if err != nil {
		return err
	}
	if b.cfg.archive != nil {
		if err := b.cfg.archive.add(ctx, envs); err != nil {
			b.done(1)
			return fmt.Errorf("bus: publish: archive: %w", err)
		}
	}
	if b.cfg.async {
		err := b.enqueue(ctx, hc != nil, subs, envs, matches)
		b.done(1) // after queueing, so that Wait never sees this call as finished before
		return err
	}
	defer b.done(1)
	depth := 1
	if hc != nil {
		depth = hc.depth + 1
	}
	dctx := &handlerCtx{Context: ctx, bus: b, depth: depth}
	var stopped error // set once ctx ends: the remaining deliveries are abandoned
	for i, names := range matches {
		for _, name := range names {
			s := subs[name]
			if s == nil {
				continue // subscribed after the snapshot
			}
			if stopped != nil {
				s.deadLetter(b, envs[i], abandoned(stopped, nil), 0)
				continue
			}
			if !b.deliver(dctx, s, delivery{env: envs[i]}) {
				stopped = ctx.Err()
				if stopped == nil {
					stopped = ErrClosed // Shutdown gave up
				}
			}
		}
	}
	if stopped != nil {
		return fmt.Errorf("bus: publish: %w", stopped)
	}
	return nil
}

// begin checks that the bus accepts work (from a handler, until it is drained; from elsewhere,
// until it is closed), counts one unit of pending work and returns the subscriptions.
func (b *Bus) begin(fromHandler bool, op string) (map[string]*subscription, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.drained || (b.closed && !fromHandler) {
		return nil, fmt.Errorf("bus: %s: %w", op, ErrClosed)
	}
	b.pending.Add(1)
	return b.subs, nil
}

// enqueue queues the matched deliveries of an asynchronous Publish. One publisher queues
// them in event order, so each subscription's queue keeps the events' order.
func (b *Bus) enqueue(ctx context.Context, fromHandler bool, subs map[string]*subscription, envs []event.Envelope, matches [][]string) error {
	for i, names := range matches {
		for _, name := range names {
			s := subs[name]
			if s == nil {
				continue
			}
			if err := b.push(ctx, fromHandler, s, delivery{env: envs[i]}); err != nil {
				return fmt.Errorf("bus: publish event %s to %q: %w", envs[i].EventID, s.name, err)
			}
		}
	}
	return nil
}

// push queues d for s, counting it as pending; the caller holds no lock. A delivery that
// could not be queued (ctx ended while waiting for room, or the bus was drained) is not
// counted.
func (b *Bus) push(ctx context.Context, fromHandler bool, s *subscription, d delivery) error {
	limit := b.cfg.queueSize
	if fromHandler {
		limit = 0 // a handler never waits for its own worker
	}
	b.pending.Add(1)
	if err := s.queue.push(ctx, d, limit); err != nil {
		b.done(1)
		return err
	}
	return nil
}

// done marks n units of pending work as finished.
func (b *Bus) done(n int64) {
	if b.pending.Add(-n) == 0 {
		b.idleMu.Lock()
		if b.pending.Load() == 0 && b.idle != nil {
			close(b.idle)
			b.idle = nil
		}
		b.idleMu.Unlock()
	}
}

// Wait waits until no delivery is under way: every Publish and Replay call has returned and,
// on an asynchronous bus, every delivery queued so far has been handled or dead-lettered. It
// returns ctx's error when ctx ends first.
func (b *Bus) Wait(ctx context.Context) error {
	b.idleMu.Lock()
	if b.pending.Load() == 0 {
		b.idleMu.Unlock()
		return nil
	}
	if b.idle == nil {
		b.idle = make(chan struct{})
	}
	idle := b.idle
	b.idleMu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("bus: wait: %w", ctx.Err())
	}
}

// DeadLetters returns the dead letters of the named subscription so far, oldest first; nil for
// an unknown name.
func (b *Bus) DeadLetters(ruleName string) []DeadLetter {
	b.mu.RLock()
	s := b.subs[ruleName]
	b.mu.RUnlock()
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dead)
}

// Replay delivers again, to the named subscription only, every archived event whose Timestamp
// is in [from, to) and that matches the subscription's pattern, in archive order; a zero from
// or to leaves that end open. Replayed deliveries skip the subscription's seen-set check
// (Idempotent): a replay is an explicit request to handle the events again. Like Publish,
// Replay returns when the deliveries are done (synchronous bus) or queued (Async); when ctx
// ends it stops and returns ctx's error.
func (b *Bus) Replay(ctx context.Context, rule string, from, to time.Time) error {
	hc := b.fromHandler(ctx)
	subs, err := b.begin(hc != nil, fmt.Sprintf("replay %q", rule))
	if err != nil {
		return err
	}
	defer b.done(1)
	s := subs[rule]
	if s == nil {
		return fmt.Errorf("bus: replay: no subscription %q", rule)
	}
	if b.cfg.archive == nil {
		return fmt.Errorf("bus: replay %q: the bus keeps no archive", rule)
	}
	depth := 1
	if hc != nil {
		depth = hc.depth + 1
	}
	dctx := &handlerCtx{Context: ctx, bus: b, depth: depth}
	err = b.cfg.archive.each(ctx, from, to, func(env event.Envelope) error {
		eb, err := env.EventBridge()
		if err != nil {
			return err
		}
		ok, err := s.pattern.Match(eb)
		if err != nil || !ok {
			return err
		}
		d := delivery{env: env, replay: true}
		if b.cfg.async {
			return b.push(ctx, hc != nil, s, d)
		}
		if !b.deliver(dctx, s, d) {
			if err := ctx.Err(); err != nil {
				return err
			}
			return ErrClosed
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bus: replay %q: %w", rule, err)
	}
	return nil
}

// Close is Shutdown without a deadline: it refuses new events and subscriptions, waits until
// every delivery under way (and, on an asynchronous bus, every queued one) is handled or
// dead-lettered, and stops the workers. Handlers' own Publish calls are still accepted while
// Close waits, so that cascades of events finish. Publish, Replay and Subscribe then return
// ErrClosed. Closing again returns nil once the bus is drained.
func (b *Bus) Close() error { return b.Shutdown(context.Background()) }

// Shutdown is Close with a deadline: when ctx ends before the bus is drained, it gives up. It
// then cancels the context of the handlers running on asynchronous workers, stops every retry
// and backoff wait (those deliveries end as dead letters wrapping ErrClosed when their handler
// returns), turns every queued delivery into a dead letter wrapping ErrClosed with 0
// attempts, and returns ctx's error without waiting for handlers still running; Wait waits for
// them.
func (b *Bus) Shutdown(ctx context.Context) error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()

	if err := b.Wait(ctx); err != nil {
		b.giveUp()
		return fmt.Errorf("bus: shutdown: %w", ctx.Err())
	}
	b.mu.Lock()
	if !b.drained {
		b.drained = true
		for _, s := range b.subs {
			if s.queue != nil {
				s.queue.close()
			}
		}
	}
	b.mu.Unlock()
	b.workers.Wait() // the queues are empty and closed: the workers are on their way out
	b.cancel()
	return nil
}

// giveUp abandons what is in flight or queued: see Shutdown.
func (b *Bus) giveUp() {
	b.mu.Lock()
	first := !b.drained
	b.drained = true
	subs := b.subs
	b.mu.Unlock()
	if !first {
		return
	}
	close(b.abort)
	b.cancel()
	for _, s := range subs {
		if s.queue == nil {
			continue
		}
		for _, d := range s.queue.closeAndTake() {
			s.deadLetter(b, d.env, abandoned(ErrClosed, nil), 0)
			b.done(1)
		}
	}
}

// work delivers s's queue until it is closed and empty.
func (b *Bus) work(s *subscription) {
	defer b.workers.Done()
	for {
		d, ok := s.queue.pop()
		if !ok {
			return
		}
		b.deliver(b.ctx, s, d)
		b.done(1)
	}
}

// deliver handles one delivery: the seen-set check, the tries with backoff, the dead letter.
// It reports false when it stopped because ctx ended or Shutdown gave up.
func (b *Bus) deliver(ctx context.Context, s *subscription, d delivery) bool {
	seen := s.cfg.seen
	if d.replay {
		seen = nil
	}
	attempts := 0
	var last error
	for {
		if cause := b.stopped(ctx); cause != nil {
			s.deadLetter(b, d.env, abandoned(cause, last), attempts)
			return false
		}
		err := b.try(ctx, s, seen, d.env, &attempts)
		if err == nil {
			return true
		}
		last = err
		if attempts > s.cfg.retry.retries || errors.Is(err, ErrTooDeep) {
			break // spent, or a cycle that trying again cannot end
		}
		b.sleep(ctx, s.cfg.retry.delay(attempts)) // when cut short, the loop's top dead-letters
	}
	s.deadLetter(b, d.env, last, attempts)
	return true
}

// stopped returns why deliveries must stop (ErrClosed when Shutdown gave up, or ctx's error),
// or nil.
func (b *Bus) stopped(ctx context.Context) error {
	select {
	case <-b.abort:
		return ErrClosed
	default:
	}
	return ctx.Err()
}

// abandoned is the dead-letter error of a delivery that stopped for cause after last.
func abandoned(cause, last error) error {
	if last == nil {
		return fmt.Errorf("delivery abandoned before it was handled: %w", cause)
	}
	return fmt.Errorf("delivery abandoned before it was handled: %w (last error: %w)", cause, last)
}

// deadLetter records a dead letter and reports it to OnError.
func (s *subscription) deadLetter(b *Bus, env event.Envelope, err error, attempts int) {
	s.mu.Lock()
	s.dead = append(s.dead, DeadLetter{Envelope: env, Err: err, Attempts: attempts})
	s.mu.Unlock()
	if b.cfg.onError != nil {
		b.cfg.onError(fmt.Errorf("bus: %q dead-lettered event %s after %d attempts: %w", s.name, env.EventID, attempts, err))
	}
}

// try is one try: nil when the event was handled now or before (seen).
func (b *Bus) try(ctx context.Context, s *subscription, seen SeenSet, env event.Envelope, attempts *int) error {
	*attempts++
	if seen != nil {
		done, err := seen.Seen(ctx, s.name, env.EventID)
		if err != nil {
			return fmt.Errorf("seen-set: %w", err)
		}
		if done {
			return nil
		}
	}
	if err := call(ctx, s.handler, env); err != nil {
		return err
	}
	if seen != nil {
		if err := seen.Mark(ctx, s.name, env.EventID); err != nil && b.cfg.onError != nil {
			// The event was handled: report, do not retry the handler.
			b.cfg.onError(fmt.Errorf("bus: %q handled event %s but could not mark it seen: %w", s.name, env.EventID, err))
		}
	}
	return nil
}

// call runs the handler, turning a panic into a *PanicError.
func call(ctx context.Context, h event.Handler, env event.Envelope) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return h.Handle(ctx, env)
}

// sleep waits d, or until ctx ends or Shutdown gives up.
func (b *Bus) sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-b.abort:
	}
}
