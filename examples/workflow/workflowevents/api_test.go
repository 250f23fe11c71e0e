package workflowevents_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/event"
)

// These tests use the generated API the way a service does: build payloads, wrap them in
// envelopes, decode what comes back (old versions included), and rely on Validate.

func TestNewAndDecodeRoundTrip(t *testing.T) {
	started := workflowevents.WorkflowStarted{
		WorkflowID:    "wf-1",
		WorkflowName:  "nightly",
		Nodes:         []workflowevents.Node{{ID: "n1", Type: workflowevents.NodeTypeHTTP}},
		Connections:   []workflowevents.Connection{},
		TriggeredBy:   workflowevents.WorkflowStartedV2TriggeredBySchedule,
		ExecutionMode: workflowevents.WorkflowStartedV2ExecutionModeLive,
		StartedAt:     time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	env, err := workflowevents.New(event.Metadata{OrganizationID: "org-123"}, started)
	if err != nil {
		t.Fatal(err)
	}
	if env.Source != "workflow-engine" || env.EventType != workflowevents.WorkflowStartedType || env.Version != "2.0" {
		t.Errorf("envelope: source %q type %q version %q", env.Source, env.EventType, env.Version)
	}
	p, err := workflowevents.Decode(env)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := p.(workflowevents.WorkflowStarted)
	if !ok || got.WorkflowName != "nightly" || got.Nodes[0].Type != workflowevents.NodeTypeHTTP {
		t.Errorf("Decode = %#v", p)
	}
}

func TestStoredV1IsReadAsLatest(t *testing.T) {
	env := event.Envelope{
		Version: "1", EventType: "workflow.started", EventID: "e1", Source: "workflow-engine",
		Data: json.RawMessage(`{"workflowId":"wf-1","workflowName":"old","nodes":[],"connections":[],"triggeredBy":"user"}`),
	}
	p, err := workflowevents.Decode(env)
	if err != nil {
		t.Fatal(err)
	}
	v2 := p.(workflowevents.WorkflowStartedV2)
	if v2.ExecutionMode != workflowevents.WorkflowStartedV2ExecutionModeLive || !v2.StartedAt.Equal(time.Unix(0, 0)) {
		t.Errorf("v1 upcast: executionMode %q startedAt %v; want live and the epoch", v2.ExecutionMode, v2.StartedAt)
	}
	up, err := workflowevents.Upcast(workflowevents.WorkflowStartedV1{WorkflowID: "wf-2", WorkflowName: "x", Nodes: []workflowevents.Node{}, Connections: []workflowevents.Connection{}, TriggeredBy: "event"})
	if err != nil || up.EventVersion() != workflowevents.WorkflowStartedLatest {
		t.Errorf("Upcast(v1) = %#v, %v", up, err)
	}
}

// TestUpcastTakesValuesAndPointers lifts payloads given either way and returns values; a nil
// pointer or a type the package does not declare is an unknown type.
func TestUpcastTakesValuesAndPointers(t *testing.T) {
	v1 := workflowevents.WorkflowStartedV1{WorkflowID: "wf-3", WorkflowName: "x", Nodes: []workflowevents.Node{}, Connections: []workflowevents.Connection{}, TriggeredBy: "event"}
	latest := workflowevents.WorkflowCompletedV1{WorkflowID: "wf-3"}
	for _, tc := range []struct {
		name string
		in   event.Payload
		want event.Payload
	}{
		{"old version", v1, workflowevents.WorkflowStarted{WorkflowID: "wf-3", WorkflowName: "x", Nodes: []workflowevents.Node{}, Connections: []workflowevents.Connection{}, TriggeredBy: "event", ExecutionMode: workflowevents.WorkflowStartedV2ExecutionModeLive, StartedAt: time.Unix(0, 0).UTC()}},
		{"pointer to an old version", &v1, workflowevents.WorkflowStarted{WorkflowID: "wf-3", WorkflowName: "x", Nodes: []workflowevents.Node{}, Connections: []workflowevents.Connection{}, TriggeredBy: "event", ExecutionMode: workflowevents.WorkflowStartedV2ExecutionModeLive, StartedAt: time.Unix(0, 0).UTC()}},
		{"latest version", latest, latest},
		{"pointer to the latest version", &latest, latest},
	} {
		got, err := workflowevents.Upcast(tc.in)
		if err != nil {
			t.Errorf("%s: Upcast: %v", tc.name, err)
			continue
		}
		gotJSON, _ := json.Marshal(got)
		wantJSON, _ := json.Marshal(tc.want)
		if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", tc.want) || string(gotJSON) != string(wantJSON) {
			t.Errorf("%s: Upcast = %T %s, want %T %s", tc.name, got, gotJSON, tc.want, wantJSON)
		}
	}
	for _, in := range []event.Payload{(*workflowevents.WorkflowStartedV1)(nil), (*workflowevents.WorkflowCompletedV1)(nil), foreign{}} {
		if _, err := workflowevents.Upcast(in); !errors.Is(err, event.ErrUnknownType) {
			t.Errorf("Upcast(%T) error = %v, want ErrUnknownType", in, err)
		}
	}
}

// foreign is a payload type the generated package does not declare.
type foreign struct{}

func (foreign) EventType() string { return "other.thing" }
func (foreign) EventVersion() int { return 1 }
func (foreign) Validate() error   { return nil }

func TestDecodeErrors(t *testing.T) {
	_, err := workflowevents.Decode(event.Envelope{Version: "1", EventType: "workflow.deleted", Data: json.RawMessage(`{}`)})
	if !errors.Is(err, event.ErrUnknownType) {
		t.Errorf("unknown type: %v", err)
	}
	_, err = workflowevents.Decode(event.Envelope{Version: "3.0", EventType: "workflow.started", Data: json.RawMessage(`{}`)})
	if !errors.Is(err, event.ErrUnknownVersion) {
		t.Errorf("unknown version: %v", err)
	}
	_, err = workflowevents.Decode(event.Envelope{Version: "1.0", EventType: "workflow.created", Data: json.RawMessage(`{"workflowId":"WF","name":""}`)})
	var ve *event.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 2 {
		t.Fatalf("invalid payload: %v, want a *event.ValidationError with 2 violations", err)
	}
	if ve.Violations[0].Path != "workflowId" || ve.Violations[1].Path != "name" {
		t.Errorf("violations %+v, want workflowId then name", ve.Violations)
	}
}

func TestValidateListsEveryViolationByPath(t *testing.T) {
	p := workflowevents.WorkflowNodeAdded{WorkflowID: "wf-1", Node: workflowevents.Node{ID: "x1", Type: "quantum"}}
	err := p.Validate()
	var ve *event.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 2 || ve.Violations[0].Path != "node.id" || ve.Violations[1].Path != "node.type" {
		t.Errorf("Validate() = %v", err)
	}
	name := workflowevents.WorkflowCreated{WorkflowID: "wf-a", Name: strings.Repeat("ü", 200)}
	if err := name.Validate(); err != nil {
		t.Errorf("200 runes (400 bytes) must be valid: runes count, not bytes: %v", err)
	}
	name.Name += "ü"
	if err := name.Validate(); err == nil {
		t.Error("201 runes must be invalid")
	}
}
