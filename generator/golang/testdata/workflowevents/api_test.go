package workflowevents

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
)

// The tests below use the generated API the way a user does.

const startedV1 = `{"workflowId":"wf-1","workflowName":"nightly","nodes":[{"id":"n1","type":"http"}],"connections":[],"triggeredBy":"schedule"}`

func TestDecodeV1UpcastsToLatest(t *testing.T) {
	for _, version := range []string{"1", "1.0", "1.x", "1.7"} {
		env := event.Envelope{EventType: "workflow.started", Version: version, Data: []byte(startedV1)}
		p, err := Decode(env)
		if err != nil {
			t.Fatalf("Decode(version %q): %v", version, err)
		}
		got, ok := p.(WorkflowStartedV2)
		if !ok {
			t.Fatalf("Decode(version %q) = %T, want WorkflowStartedV2", version, p)
		}
		if got.ExecutionMode != WorkflowStartedV2ExecutionModeLive {
			t.Errorf("executionMode = %q, want live", got.ExecutionMode)
		}
		if !got.StartedAt.Equal(time.Unix(0, 0)) || got.WorkflowName != "nightly" || len(got.Nodes) != 1 || got.Nodes[0].ID != "n1" {
			t.Errorf("upcast payload = %+v", got)
		}
		typed, err := DecodeWorkflowStarted(env)
		if err != nil || typed.WorkflowID != "wf-1" || typed.TriggeredBy != WorkflowStartedV2TriggeredBySchedule {
			t.Errorf("DecodeWorkflowStarted = %+v, %v", typed, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      event.Envelope
		wantErr  error
		wantText []string
	}{
		{"unknown type", event.Envelope{EventType: "workflow.paused", Version: "1.0", Data: []byte(`{}`)}, event.ErrUnknownType, []string{`"workflow.paused"`}},
		{"unknown version", event.Envelope{EventType: "workflow.started", Version: "3.0", Data: []byte(startedV1)}, event.ErrUnknownVersion, []string{"workflow.started", `"3.0"`}},
		{"malformed version", event.Envelope{EventType: "workflow.started", Version: "v1", Data: []byte(startedV1)}, event.ErrUnknownVersion, []string{"workflow.started", `"v1"`}},
	}
	for _, tt := range tests {
		_, err := Decode(tt.env)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: Decode error %v, want one wrapping %v", tt.name, err, tt.wantErr)
			continue
		}
		for _, w := range tt.wantText {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %s", tt.name, err, w)
			}
		}
	}
	_, err := Decode(event.Envelope{EventType: "workflow.created", Version: "1", Data: []byte(`{"workflowId":"nope","name":""}`)})
	var ve *event.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 2 {
		t.Fatalf("Decode of an invalid payload: %v, want a ValidationError with 2 violations", err)
	}
	if _, err := DecodeWorkflowCreated(event.Envelope{EventType: "workflow.started", Version: "1"}); !errors.Is(err, event.ErrUnknownType) {
		t.Errorf("DecodeWorkflowCreated of another type: %v, want ErrUnknownType", err)
	}
}

func TestValidateListsEveryViolation(t *testing.T) {
	priority := int64(11)
	p := WorkflowStartedV2{
		WorkflowName:  "",
		Nodes:         []Node{{ID: "n1", Type: NodeTypeLlm}, {ID: "x", Type: "bogus"}},
		TriggeredBy:   "nope",
		ExecutionMode: "",
		Priority:      &priority,
	}
	err := p.Validate()
	var ve *event.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want a *event.ValidationError", err)
	}
	want := []event.Violation{
		{Path: "workflowName", Message: "must have at least 1 rune"},
		{Path: "nodes[1].id", Message: `must match "^n[0-9]+$"`},
		{Path: "nodes[1].type", Message: `must be one of "http", "llm", "branch"`},
		{Path: "connections", Message: "is required"},
		{Path: "triggeredBy", Message: `must be one of "user", "schedule", "event"`},
		{Path: "executionMode", Message: `must be one of "live", "dry-run"`},
		{Path: "priority", Message: "must be <= 10"},
	}
	if len(ve.Violations) != len(want) {
		t.Fatalf("violations = %v, want %v", ve.Violations, want)
	}
	for i := range want {
		if ve.Violations[i] != want[i] {
			t.Errorf("violation %d = %+v, want %+v", i, ve.Violations[i], want[i])
		}
	}
	created := WorkflowCreatedV1{WorkflowID: "wf-1", Name: strings.Repeat("é", 200)}
	if err := created.Validate(); err != nil {
		t.Errorf("200 runes of 2 bytes each: %v, want valid (runes are counted, not bytes)", err)
	}
	created.Name += "é"
	if err := created.Validate(); err == nil || !strings.Contains(err.Error(), "name: must have at most 200 runes") {
		t.Errorf("201 runes: %v", err)
	}
}

func TestNewStampsEnvelope(t *testing.T) {
	before := time.Now()
	meta := event.Metadata{TenantID: "t-1", CorrelationID: "c-1"}
	env, err := New(meta, WorkflowCreatedV1{WorkflowID: "wf-1", Name: "nightly"})
	if err != nil {
		t.Fatal(err)
	}
	if len(env.EventID) != 36 || env.EventID[14] != '7' {
		t.Errorf("event id %q is not a UUIDv7", env.EventID)
	}
	if env.Timestamp.Location() != time.UTC || env.Timestamp.Before(before.Add(-time.Second)) || env.Timestamp.After(time.Now().Add(time.Second)) {
		t.Errorf("timestamp %v is not the current UTC time", env.Timestamp)
	}
	if env.Source != "workflow-engine" || env.EventType != WorkflowCreatedType || env.Version != "1.0" || env.Metadata != meta {
		t.Errorf("envelope = %+v", env)
	}
	back, err := DecodeWorkflowCreated(env)
	if err != nil || back.Name != "nightly" {
		t.Errorf("decode of New's envelope = %+v, %v", back, err)
	}
	var ve *event.ValidationError
	if _, err := New(meta, WorkflowCreatedV1{WorkflowID: "bad"}); !errors.As(err, &ve) {
		t.Errorf("New of an invalid payload: %v, want a ValidationError", err)
	}
	if _, err := New(meta, nil); !errors.Is(err, event.ErrUnknownType) {
		t.Errorf("New(nil): %v, want ErrUnknownType", err)
	}
	if _, err := New(meta, foreign{}); !errors.Is(err, event.ErrUnknownType) {
		t.Errorf("New(foreign): %v, want ErrUnknownType", err)
	}
}

func TestUpcast(t *testing.T) {
	v1 := WorkflowStartedV1{WorkflowID: "wf-1", TriggeredBy: WorkflowStartedV1TriggeredByUser}
	for _, in := range []event.Payload{v1, &v1} {
		out, err := Upcast(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := out.(WorkflowStarted); got.TriggeredBy != WorkflowStartedV2TriggeredByUser || got.EventVersion() != WorkflowStartedLatest {
			t.Errorf("Upcast(%T) = %+v", in, got)
		}
	}
	if _, err := Upcast(foreign{}); !errors.Is(err, event.ErrUnknownType) {
		t.Errorf("Upcast(foreign): %v", err)
	}
	var nilPtr *WorkflowStartedV1
	if _, err := Upcast(nilPtr); !errors.Is(err, event.ErrUnknownType) {
		t.Errorf("Upcast(nil pointer): %v", err)
	}
}

type foreign struct{}

func (foreign) EventType() string { return "other.thing" }
func (foreign) EventVersion() int { return 1 }
func (foreign) Validate() error   { return nil }

var sink event.Payload

func BenchmarkDecodeV1ToLatest(b *testing.B) {
	env := event.Envelope{EventType: "workflow.started", Version: "1.0", Data: []byte(startedV1)}
	b.ReportAllocs()
	for b.Loop() {
		p, err := Decode(env)
		if err != nil {
			b.Fatal(err)
		}
		sink = p
	}
}

func BenchmarkDecodeLatest(b *testing.B) {
	env := event.Envelope{EventType: "workflow.started", Version: "2.0",
		Data: []byte(`{"workflowId":"wf-1","workflowName":"nightly","nodes":[{"id":"n1","type":"http"}],"connections":[],"triggeredBy":"schedule","executionMode":"live","startedAt":"1970-01-01T00:00:00Z"}`)}
	b.ReportAllocs()
	for b.Loop() {
		p, err := Decode(env)
		if err != nil {
			b.Fatal(err)
		}
		sink = p
	}
}
