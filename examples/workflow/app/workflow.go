package app

import (
	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/event"
)

// Status is where a workflow stands.
type Status string

// The statuses of a workflow. A workflow that does not exist has the empty status.
const (
	StatusCreated   Status = "created"
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
)

// Workflow is the state of a Workflow aggregate, rebuilt from its events by
// workflowevents.WorkflowRepository.Load. It implements workflowevents.WorkflowState.
type Workflow struct {
	ID     string
	Name   string
	Nodes  []workflowevents.Node
	Status Status
	// Runs counts the runs started so far.
	Runs int
	// LastStarted is the envelope of the latest workflow.started event, the cause of the run's
	// completion.
	LastStarted event.Envelope
}

var _ workflowevents.WorkflowState = (*Workflow)(nil)

// ApplyWorkflowCreated implements workflowevents.WorkflowState.
func (w *Workflow) ApplyWorkflowCreated(_ event.Envelope, e workflowevents.WorkflowCreated) {
	w.ID, w.Name, w.Status = e.WorkflowID, e.Name, StatusCreated
}

// ApplyWorkflowNodeAdded implements workflowevents.WorkflowState.
func (w *Workflow) ApplyWorkflowNodeAdded(_ event.Envelope, e workflowevents.WorkflowNodeAdded) {
	w.Nodes = append(w.Nodes, e.Node)
}

// ApplyWorkflowStarted implements workflowevents.WorkflowState. Events stored as v1 arrive here
// upcast to v2, with executionMode "live".
func (w *Workflow) ApplyWorkflowStarted(env event.Envelope, _ workflowevents.WorkflowStarted) {
	w.Status = StatusRunning
	w.Runs++
	w.LastStarted = env
}

// ApplyWorkflowCompleted implements workflowevents.WorkflowState.
func (w *Workflow) ApplyWorkflowCompleted(_ event.Envelope, e workflowevents.WorkflowCompleted) {
	if e.Status == workflowevents.WorkflowCompletedV1StatusSucceeded {
		w.Status = StatusSucceeded
	} else {
		w.Status = StatusFailed
	}
}

// hasNode reports whether the workflow has a node with id.
func (w *Workflow) hasNode(id string) bool {
	for _, n := range w.Nodes {
		if n.ID == id {
			return true
		}
	}
	return false
}
