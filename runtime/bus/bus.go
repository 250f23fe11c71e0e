package bus

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/pattern"
)

// ErrClosed is returned by Publish, Subscribe and Replay after Close, and is wrapped by the
// errors of deliveries abandoned when Close's context ends before the queues are drained.
var ErrClosed = errors.New("bus: closed")

// DeadLetter is an event a subscription could not handle: the handler failed on every try.
type DeadLetter struct {
	// Envelope is the event that was not handled.
	Envelope event.Envelope
	// Err is the error of the last try; it wraps ErrClosed for a delivery abandoned by Close.
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
// Delivery is asynchronous: Publish matches and archives the events, queues one delivery per
// matching subscription and returns; each subscription has its own worker goroutines
// (Concurrency, 1 by default, so that a subscription sees events in publish order) that call
// the handler, retry it with exponential backoff and dead-letter what still fails. Publish
// blocks while a subscription's queue is full. Wait waits until every queued delivery is done;
// Close drains the queues and stops the workers.
//
// A Bus is safe for concurrent use.
type Bus struct {
	cfg     busConfig
	matcher *pattern.Matcher

	// ctx is the handlers' context; cancel ends it when Close gives up waiting.
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.RWMutex // guards subs and closed; held for reading while queueing
	subs   map[string]*subscription
	closed bool

	workers sync.WaitGroup
	pending atomic.Int64 // deliveries queued and not yet done
	idleMu  sync.Mutex
	idle    chan struct{} // closed when pending drops to zero
}

type subscription struct {
	name    string
	handler event.Handler
	pattern *pattern.Pattern
	cfg     subConfig
	queue   chan delivery

	mu   sync.Mutex
	dead []DeadLetter
}

type delivery struct {
	env    event.Envelope
	replay bool
}

// New returns a bus; options set its defaults (Retries, Backoff), queue size and archive.
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
	return &Bus{
		cfg:     cfg,
		matcher: pattern.NewMatcher(),
		ctx:     ctx,
		cancel:  cancel,
		subs:    map[string]*subscription{},
		idle:    make(chan struct{}),
	}
}

// Subscribe adds a subscription: h receives every event published from now on that matches
// rule.Pattern. Rule names are unique on a bus; rule.Bus is not checked. An invalid pattern is
// an error, with the pattern package's (AWS's) wording.
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
	s := &subscription{name: rule.Name, handler: h, pattern: p, cfg: cfg, queue: make(chan delivery, b.cfg.queueSize)}

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return fmt.Errorf("bus: subscribe %q: %w", rule.Name, ErrClosed)
	}
	if _, dup := b.subs[rule.Name]; dup {
		return fmt.Errorf("bus: subscribe %q: a rule of that name is already subscribed", rule.Name)
	}
	b.subs[rule.Name] = s
	if err := b.matcher.Add(rule.Name, rule.Pattern); err != nil {
		delete(b.subs, rule.Name)
		return fmt.Errorf("bus: subscribe %q: %w", rule.Name, err)
	}
	for range cfg.concurrency {
		b.workers.Add(1)
		go b.work(s)
	}
	return nil
}

// Publish matches each event against every subscription's pattern (in its EventBridge form,
// event.Envelope.EventBridge), archives the events and queues a delivery to each matching
// subscription. It returns once the deliveries are queued, not handled (see Wait).
//
// An event that cannot be encoded fails the whole call before anything is archived or queued.
// When ctx ends while Publish waits for room in a full queue, it returns ctx's error and the
// deliveries queued so far stay queued. After Close it returns ErrClosed.
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
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return fmt.Errorf("bus: publish: %w", ErrClosed)
	}
	if b.cfg.archive != nil {
		if err := b.cfg.archive.add(ctx, envs); err != nil {
			return fmt.Errorf("bus: publish: archive: %w", err)
		}
	}
	for i, names := range matches {
		for _, name := range names {
			s := b.subs[name]
			if s == nil {
				continue
			}
			if err := b.enqueue(ctx, s, delivery{env: envs[i]}); err != nil {
				return fmt.Errorf("bus: publish event %s to %q: %w", envs[i].EventID, name, err)
			}
		}
	}
	return nil
}

// enqueue queues d for s; the caller holds b.mu for reading.
func (b *Bus) enqueue(ctx context.Context, s *subscription, d delivery) error {
	b.pending.Add(1)
	select {
	case s.queue <- d:
		return nil
	default:
	}
	select {
	case s.queue <- d:
		return nil
	case <-ctx.Done():
		b.done()
		return ctx.Err()
	}
}

// done marks one delivery as finished.
func (b *Bus) done() {
	if b.pending.Add(-1) == 0 {
		b.idleMu.Lock()
		if b.pending.Load() == 0 {
			close(b.idle)
			b.idle = make(chan struct{})
		}
		b.idleMu.Unlock()
	}
}

// Wait waits until every delivery queued so far has been handled or dead-lettered, or until
// ctx ends.
func (b *Bus) Wait(ctx context.Context) error {
	for {
		b.idleMu.Lock()
		if b.pending.Load() == 0 {
			b.idleMu.Unlock()
			return nil
		}
		idle := b.idle
		b.idleMu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return fmt.Errorf("bus: wait: %w", ctx.Err())
		}
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
	return append([]DeadLetter(nil), s.dead...)
}

// Replay queues again, to the named subscription only, every archived event whose Timestamp
// is in [from, to) and that matches the subscription's pattern, in archive order; a zero from
// or to leaves that end open. Replayed deliveries skip the subscription's seen-set check
// (Idempotent): a replay is an explicit request to handle the events again. Like Publish,
// Replay returns once the deliveries are queued.
func (b *Bus) Replay(ctx context.Context, rule string, from, to time.Time) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return fmt.Errorf("bus: replay %q: %w", rule, ErrClosed)
	}
	s := b.subs[rule]
	if s == nil {
		return fmt.Errorf("bus: replay: no subscription %q", rule)
	}
	if b.cfg.archive == nil {
		return fmt.Errorf("bus: replay %q: the bus keeps no archive", rule)
	}
	err := b.cfg.archive.each(ctx, from, to, func(env event.Envelope) error {
		eb, err := env.EventBridge()
		if err != nil {
			return err
		}
		ok, err := s.pattern.Match(eb)
		if err != nil || !ok {
			return err
		}
		return b.enqueue(ctx, s, delivery{env: env, replay: true})
	})
	if err != nil {
		return fmt.Errorf("bus: replay %q: %w", rule, err)
	}
	return nil
}

// Close stops accepting events and waits until the queued deliveries are handled or
// dead-lettered, and the workers have stopped. When ctx ends first, Close cancels the
// handlers' context, stops retrying, dead-letters what is still queued (with errors wrapping
// ErrClosed), waits for the workers to stop and returns ctx's error. Closing twice is not an
// error.
func (b *Bus) Close(ctx context.Context) error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	for _, s := range b.subs {
		close(s.queue)
	}
	b.mu.Unlock()

	stopped := make(chan struct{})
	go func() {
		b.workers.Wait()
		close(stopped)
	}()
	select {
	case <-stopped:
		b.cancel()
		return nil
	case <-ctx.Done():
		b.cancel()
		<-stopped
		return fmt.Errorf("bus: close: %w", ctx.Err())
	}
}

// work delivers s's queue until it is closed.
func (b *Bus) work(s *subscription) {
	defer b.workers.Done()
	for d := range s.queue {
		b.deliver(s, d)
		b.done()
	}
}

// deliver handles one delivery: the seen-set check, the tries with backoff, the dead letter.
func (b *Bus) deliver(s *subscription, d delivery) {
	ctx := b.ctx
	id := d.env.EventID
	seen := s.cfg.seen
	if d.replay {
		seen = nil
	}
	attempts := 0
	var last error
	for {
		if ctx.Err() != nil {
			last = fmt.Errorf("%w before the event was handled (last error: %v)", ErrClosed, last)
			break
		}
		err := b.try(ctx, s, seen, d.env, &attempts)
		if err == nil {
			return
		}
		last = err
		if attempts > s.cfg.retry.retries {
			break
		}
		if !sleep(ctx, s.cfg.retry.delay(attempts)) {
			continue // ctx ended: dead-letter at the top of the loop
		}
	}
	s.mu.Lock()
	s.dead = append(s.dead, DeadLetter{Envelope: d.env, Err: last, Attempts: attempts})
	s.mu.Unlock()
	if b.cfg.onError != nil {
		b.cfg.onError(fmt.Errorf("bus: %q dead-lettered event %s after %d attempts: %w", s.name, id, attempts, last))
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

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
