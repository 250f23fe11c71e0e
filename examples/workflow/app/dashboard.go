package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// Run is one line of the dashboard: the latest run of a workflow.
type Run struct {
	WorkflowID string
	Name       string
	Mode       string
	// Status is "running", "succeeded" or "failed".
	Status    string
	StartedAt time.Time
	// Duration is the run's duration, once it completed.
	Duration time.Duration
	// Runs counts the runs of the workflow so far.
	Runs int
	// CorrelationID is the correlation id of the latest run's events.
	CorrelationID string
}

// Dashboard is the projection of handler run-dashboard: the latest run of every workflow. It
// implements workflowevents.RunDashboardHandler; each event counts once, however often it is
// delivered, so replaying the store or a bus redelivery leaves it unchanged. It is safe for
// concurrent use.
type Dashboard struct {
	mu   sync.Mutex
	runs map[string]*Run
	seen map[string]struct{}
}

var _ workflowevents.RunDashboardHandler = (*Dashboard)(nil)

// NewDashboard returns an empty dashboard.
func NewDashboard() *Dashboard {
	return &Dashboard{runs: map[string]*Run{}, seen: map[string]struct{}{}}
}

// rebuildPage is how many records Rebuild reads at a time.
const rebuildPage = 500

// Rebuild applies every record of st, in store order, through the handler's generated
// dispatcher (which skips the event types it does not take and upcasts old versions), and
// returns the position of the last record read: the store's head.
func (d *Dashboard) Rebuild(ctx context.Context, st store.Store) (int64, error) {
	dispatch := workflowevents.NewRunDashboardDispatcher(d)
	var after int64
	for {
		records, err := st.Read(ctx, after, rebuildPage)
		if err != nil {
			return 0, fmt.Errorf("rebuild dashboard: %w", err)
		}
		if len(records) == 0 {
			return after, nil
		}
		for _, r := range records {
			if err := dispatch.Handle(ctx, r.Envelope); err != nil {
				return 0, fmt.Errorf("rebuild dashboard at position %d: %w", r.Position, err)
			}
			after = r.Position
		}
	}
}

// first reports whether env is new to the dashboard, and marks it seen. Callers hold d.mu.
func (d *Dashboard) first(env event.Envelope) bool {
	if _, ok := d.seen[env.EventID]; ok {
		return false
	}
	d.seen[env.EventID] = struct{}{}
	return true
}

// HandleWorkflowStarted implements workflowevents.RunDashboardHandler.
func (d *Dashboard) HandleWorkflowStarted(_ context.Context, env event.Envelope, e workflowevents.WorkflowStarted) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.first(env) {
		return nil
	}
	r := d.runs[e.WorkflowID]
	if r == nil {
		r = &Run{WorkflowID: e.WorkflowID}
		d.runs[e.WorkflowID] = r
	}
	r.Name, r.Mode, r.Status = e.WorkflowName, string(e.ExecutionMode), string(StatusRunning)
	r.StartedAt, r.Duration, r.CorrelationID = e.StartedAt, 0, env.Metadata.CorrelationID
	r.Runs++
	return nil
}

// HandleWorkflowCompleted implements workflowevents.RunDashboardHandler.
func (d *Dashboard) HandleWorkflowCompleted(_ context.Context, env event.Envelope, e workflowevents.WorkflowCompleted) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.first(env) {
		return nil
	}
	r := d.runs[e.WorkflowID]
	if r == nil {
		// The start is not known (a store trimmed before it): show the completion alone.
		r = &Run{WorkflowID: e.WorkflowID}
		d.runs[e.WorkflowID] = r
	}
	r.Status = string(e.Status)
	r.Duration = time.Duration(e.DurationMs) * time.Millisecond
	return nil
}

// Runs returns the dashboard's lines, sorted by workflow id.
func (d *Dashboard) Runs() []Run {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Run, 0, len(d.runs))
	for _, r := range d.runs {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Run) int { return strings.Compare(a.WorkflowID, b.WorkflowID) })
	return out
}

// Run returns the line of workflow id and whether it has one.
func (d *Dashboard) Run(id string) (Run, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	r, ok := d.runs[id]
	if !ok {
		return Run{}, false
	}
	return *r, true
}
