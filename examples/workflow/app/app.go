package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/bus"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// Errors of the commands, for callers that tell a bad request from a failure.
var (
	// ErrNotFound is returned by a command on a workflow that does not exist.
	ErrNotFound = errors.New("workflow not found")
	// ErrExists is returned by CreateWorkflow for an id that is taken.
	ErrExists = errors.New("workflow already exists")
	// ErrState is returned by a command that the workflow's status does not allow.
	ErrState = errors.New("command not allowed in the workflow's status")
)

// runnerRule routes every workflow.started event to the runner. The spec has no rule for it,
// so the service declares its own pattern; it is matched like the generated ones.
var runnerRule = event.Rule{
	Name:    "workflow-runner",
	Bus:     workflowevents.LiveRunsOfOrg123Rule.Bus,
	Pattern: []byte(`{"source":["workflow-engine"],"detail-type":["workflow.started"]}`),
}

// dashboardRule routes every event of the workflow engine to the dashboard's dispatcher, which
// skips the types handler run-dashboard does not take (its unknown: "skip").
var dashboardRule = event.Rule{
	Name:    "run-dashboard",
	Bus:     workflowevents.LiveRunsOfOrg123Rule.Bus,
	Pattern: []byte(`{"source":["workflow-engine"]}`),
}

// Service is the workflow engine: commands, the outbox that publishes stored events, and the
// consumers subscribed to the bus.
type Service struct {
	store     store.Store
	bus       *bus.Bus
	workflows workflowevents.WorkflowRepository
	// Dashboard is the run-dashboard projection.
	Dashboard *Dashboard
	// Notifier receives the live runs of organisation org-123.
	Notifier *Notifier
	now      func() time.Time

	// outbox state: published is the store position of the last published record.
	mu        sync.Mutex
	published int64
	flushing  bool
	dirty     bool
}

// Options configure a Service. The zero value is usable.
type Options struct {
	// Notifications receives one line per notification; nil discards them.
	Notifications io.Writer
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Start returns a running service on st: it rebuilds the dashboard from every stored event
// (store.Read), subscribes the consumers to a new in-process bus (synchronous: a command's
// Publish runs the consumers) and publishes, from then on, every event appended to st. Events stored before Start are not published again: the
// dashboard has them from the store, and their notifications were sent by the process that
// stored them.
func Start(ctx context.Context, st store.Store, opts Options) (*Service, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Notifications == nil {
		opts.Notifications = io.Discard
	}
	s := &Service{
		store:     st,
		bus:       bus.New(),
		workflows: workflowevents.WorkflowRepository{Store: st},
		Dashboard: NewDashboard(),
		Notifier:  &Notifier{out: opts.Notifications},
		now:       opts.Now,
	}
	head, err := s.Dashboard.Rebuild(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	s.published = head
	subscriptions := []struct {
		rule event.Rule
		h    event.Handler
	}{
		{workflowevents.LiveRunsOfOrg123Rule, s.Notifier},
		{dashboardRule, workflowevents.NewRunDashboardDispatcher(s.Dashboard)},
		{runnerRule, event.HandlerFunc(s.run)},
	}
	for _, sub := range subscriptions {
		if err := s.bus.Subscribe(sub.rule, sub.h, bus.Retries(3), bus.Backoff(time.Millisecond)); err != nil {
			return nil, fmt.Errorf("start: subscribe %s: %w", sub.rule.Name, err)
		}
	}
	return s, nil
}

// Bus returns the service's bus, for its dead letters and for more subscribers.
func (s *Service) Bus() *bus.Bus { return s.bus }

// Settle waits until the service is quiet: every stored event published and every delivery
// handled, including the events that handlers caused. The bus delivers synchronously, so a
// command returns after the consumers handled its events and the events they caused; but when
// commands run on several goroutines at once, one of them publishes for all (see flush) and
// the others return before their events are delivered. Tests and the command line call Settle
// before they read the projections.
func (s *Service) Settle(ctx context.Context) error {
	for {
		if err := s.bus.Wait(ctx); err != nil {
			return err
		}
		s.mu.Lock()
		busy, after := s.flushing, s.published
		s.mu.Unlock()
		if !busy {
			records, err := s.store.Read(ctx, after, 1)
			if err != nil {
				return fmt.Errorf("settle: %w", err)
			}
			if len(records) == 0 {
				return nil
			}
			if err := s.flush(ctx); err != nil {
				return err
			}
			continue
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("settle: %w", ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// Close settles the service and shuts its bus down; when ctx ends first it gives up with
// ctx's error (bus.Bus.Shutdown).
func (s *Service) Close(ctx context.Context) error {
	if err := s.Settle(ctx); err != nil {
		return err
	}
	return s.bus.Shutdown(ctx)
}

// CreateWorkflow creates the workflow id named name. meta is the metadata of the request: its
// tenant, user, organisation and correlation id go on the event.
func (s *Service) CreateWorkflow(ctx context.Context, meta event.Metadata, id, name string) error {
	return s.change(ctx, id, meta, func(w *Workflow) ([]workflowevents.WorkflowEvent, error) {
		if w.Status != "" {
			return nil, fmt.Errorf("create workflow %q: %w", id, ErrExists)
		}
		return []workflowevents.WorkflowEvent{workflowevents.WorkflowCreated{WorkflowID: id, Name: name}}, nil
	})
}

// AddNode adds a node to workflow id, which must not be running.
func (s *Service) AddNode(ctx context.Context, meta event.Metadata, id string, node workflowevents.Node) error {
	return s.change(ctx, id, meta, func(w *Workflow) ([]workflowevents.WorkflowEvent, error) {
		switch {
		case w.Status == "":
			return nil, fmt.Errorf("add node to %q: %w", id, ErrNotFound)
		case w.Status == StatusRunning:
			return nil, fmt.Errorf("add node to %q while it runs: %w", id, ErrState)
		case w.hasNode(node.ID):
			return nil, fmt.Errorf("add node %s to %q: it has that node already: %w", node.ID, id, ErrState)
		}
		return []workflowevents.WorkflowEvent{workflowevents.WorkflowNodeAdded{WorkflowID: id, Node: node}}, nil
	})
}

// StartWorkflow starts a run of workflow id in mode; the workflow needs a node and must not be
// running. The runner completes the run when it receives the workflow.started event.
func (s *Service) StartWorkflow(ctx context.Context, meta event.Metadata, id string, mode workflowevents.WorkflowStartedV2ExecutionMode) error {
	return s.change(ctx, id, meta, func(w *Workflow) ([]workflowevents.WorkflowEvent, error) {
		switch {
		case w.Status == "":
			return nil, fmt.Errorf("start %q: %w", id, ErrNotFound)
		case w.Status == StatusRunning:
			return nil, fmt.Errorf("start %q: it runs already: %w", id, ErrState)
		case len(w.Nodes) == 0:
			return nil, fmt.Errorf("start %q: it has no node: %w", id, ErrState)
		}
		return []workflowevents.WorkflowEvent{workflowevents.WorkflowStarted{
			WorkflowID:    id,
			WorkflowName:  w.Name,
			Nodes:         w.Nodes,
			Connections:   []workflowevents.Connection{},
			TriggeredBy:   workflowevents.WorkflowStartedV2TriggeredByUser,
			ExecutionMode: mode,
			StartedAt:     s.now().UTC(),
		}}, nil
	})
}

// Workflow loads the current state of workflow id; ErrNotFound when it does not exist.
func (s *Service) Workflow(ctx context.Context, id string) (*Workflow, error) {
	var w Workflow
	version, err := s.workflows.Load(ctx, id, &w)
	if err != nil {
		return nil, err
	}
	if version == 0 {
		return nil, fmt.Errorf("workflow %q: %w", id, ErrNotFound)
	}
	return &w, nil
}

// maxAttempts bounds the load-decide-append loop of a command that keeps losing races.
const maxAttempts = 5

// change runs one command on workflow id: it loads the aggregate, lets decide produce events
// from its state, and appends them at the version it loaded. When another writer came first
// (store.ErrConflict) it loads and decides again. Then it publishes what was stored.
func (s *Service) change(ctx context.Context, id string, meta event.Metadata, decide func(*Workflow) ([]workflowevents.WorkflowEvent, error)) error {
	for attempt := 1; ; attempt++ {
		var w Workflow
		version, err := s.workflows.Load(ctx, id, &w)
		if err != nil {
			return err
		}
		events, err := decide(&w)
		if err != nil {
			return err
		}
		_, err = s.workflows.Append(ctx, id, version, meta, events...)
		if errors.Is(err, store.ErrConflict) && attempt < maxAttempts {
			continue
		}
		if err != nil {
			return err
		}
		return s.flush(ctx)
	}
}

// flushPage is how many records the outbox reads at a time.
const flushPage = 100

// flush publishes every record stored after the last published one, in store order. A call
// made while another is publishing (a consumer's command, or another goroutine) only marks
// the outbox dirty: the running flush reads again before it stops, so nothing is left behind
// and events are published in order.
func (s *Service) flush(ctx context.Context) error {
	s.mu.Lock()
	if s.flushing {
		s.dirty = true
		s.mu.Unlock()
		return nil
	}
	s.flushing = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.flushing = false
		s.mu.Unlock()
	}()
	for {
		s.mu.Lock()
		after := s.published
		s.mu.Unlock()
		records, err := s.store.Read(ctx, after, flushPage)
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if len(records) == 0 {
			s.mu.Lock()
			again := s.dirty
			s.dirty = false
			s.mu.Unlock()
			if again {
				continue
			}
			return nil
		}
		for _, r := range records {
			if err := s.bus.Publish(ctx, r.Envelope); err != nil {
				return fmt.Errorf("publish %s %s: %w", r.EventType, r.EventID, err)
			}
			s.mu.Lock()
			s.published = r.Position
			s.mu.Unlock()
		}
	}
}

// run is the runner: it completes the run that a workflow.started event began. Its event is
// caused by the started event (event.CausedBy), so it carries the run's correlation id and
// the started event's id as causation id.
func (s *Service) run(ctx context.Context, env event.Envelope) error {
	started, err := workflowevents.DecodeWorkflowStarted(env)
	if err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	meta := event.CausedBy(env)
	id := started.WorkflowID
	return s.change(ctx, id, meta, func(w *Workflow) ([]workflowevents.WorkflowEvent, error) {
		if w.Status != StatusRunning || w.LastStarted.EventID != env.EventID {
			return nil, nil // this run completed already: a redelivery
		}
		elapsed := max(s.now().Sub(started.StartedAt), 0)
		result := fmt.Sprintf("%d nodes ran (%s)", len(started.Nodes), started.ExecutionMode)
		return []workflowevents.WorkflowEvent{workflowevents.WorkflowCompleted{
			WorkflowID: id,
			Status:     workflowevents.WorkflowCompletedV1StatusSucceeded,
			DurationMs: elapsed.Milliseconds(),
			Result:     &result,
		}}, nil
	})
}
