package app

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/event"
)

// Notification is what the notifier sent for one live run.
type Notification struct {
	WorkflowID     string
	OrganizationID string
	// EventID is the id of the workflow.started event that caused it.
	EventID string
}

// Notifier is the target of rule live-runs-of-org-123: the bus hands it the live runs of
// organisation org-123, and it writes one line per run. It is an event.Handler; a redelivered
// event is notified once.
type Notifier struct {
	out  io.Writer
	mu   sync.Mutex
	sent []Notification
	seen map[string]bool
}

var _ event.Handler = (*Notifier)(nil)

// Handle implements event.Handler.
func (n *Notifier) Handle(_ context.Context, env event.Envelope) error {
	started, err := workflowevents.DecodeWorkflowStarted(env)
	if err != nil {
		return fmt.Errorf("notifier: %w", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen[env.EventID] {
		return nil
	}
	if n.seen == nil {
		n.seen = map[string]bool{}
	}
	n.seen[env.EventID] = true
	n.sent = append(n.sent, Notification{WorkflowID: started.WorkflowID, OrganizationID: env.Metadata.OrganizationID, EventID: env.EventID})
	if _, err := fmt.Fprintf(n.out, "notify %s: live run of %s (%q, %d nodes), correlation %s\n",
		env.Metadata.OrganizationID, started.WorkflowID, started.WorkflowName, len(started.Nodes), env.Metadata.CorrelationID); err != nil {
		return fmt.Errorf("notifier: %w", err)
	}
	return nil
}

// Sent returns the notifications sent so far, in order.
func (n *Notifier) Sent() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.sent...)
}
