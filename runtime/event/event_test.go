package event

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"2", 2, true}, {"2.0", 2, true}, {"2.x", 2, true}, {"2.7", 2, true}, {"10.0", 10, true},
		{"", 0, false}, {"0", 0, false}, {"-1", 0, false}, {"v2", 0, false}, {"2.", 0, false},
		{"02", 0, false}, {"2.0.1", 0, false}, {"2.y", 0, false}, {" 2", 0, false}, {"+2", 0, false},
	} {
		got, err := ParseVersion(tc.in)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("ParseVersion(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
		if !tc.ok && (err == nil || !errors.Is(err, ErrUnknownVersion)) {
			t.Errorf("ParseVersion(%q) = %d, %v; want an error wrapping ErrUnknownVersion", tc.in, got, err)
		}
	}
	if VersionString(3) != "3.0" {
		t.Errorf("VersionString(3) = %q", VersionString(3))
	}
}

func TestCausedBy(t *testing.T) {
	cause := Envelope{EventID: "e1", Metadata: Metadata{UserID: "u", OrganizationID: "o", TenantID: "t", TraceParent: "tp"}}
	got := CausedBy(cause)
	want := Metadata{UserID: "u", OrganizationID: "o", TenantID: "t", CorrelationID: "e1", CausationID: "e1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CausedBy of a first event (-want +got):\n%s", diff)
	}
	second := Envelope{EventID: "e2", Metadata: got}
	got2 := CausedBy(second)
	if got2.CorrelationID != "e1" || got2.CausationID != "e2" {
		t.Errorf("CausedBy of a caused event: correlation %q causation %q; want e1, e2", got2.CorrelationID, got2.CausationID)
	}
}

func TestEventBridgeForm(t *testing.T) {
	env := Envelope{
		Version: "2.0", EventType: "workflow.started", EventID: "id-1",
		Timestamp: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)),
		Source:    "workflow-engine", Metadata: Metadata{TenantID: "t1"},
		Data: json.RawMessage(`{"a":1}`),
	}
	b, err := env.EventBridge()
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"version":"0","id":"id-1","detail-type":"workflow.started","source":"workflow-engine","account":"","time":"2026-01-02T02:04:05Z","region":"","resources":[],` +
		`"detail":{"version":"2.0","eventType":"workflow.started","eventId":"id-1","timestamp":"2026-01-02T03:04:05+01:00","source":"workflow-engine","metadata":{"tenantId":"t1"},"data":{"a":1}}}`
	if string(b) != want {
		t.Errorf("EventBridge() =\n%s\nwant\n%s", b, want)
	}
}

func TestValidationError(t *testing.T) {
	var ve ValidationError
	if ve.Err() != nil {
		t.Error("an empty ValidationError is not an error")
	}
	ve.Add("nodes[0].id", "must match \"^n\"")
	ve.Add("", "is not an object")
	err := ve.Err()
	var got *ValidationError
	if !errors.As(err, &got) || len(got.Violations) != 2 {
		t.Fatalf("Err() = %v, want the *ValidationError with 2 violations", err)
	}
	if msg := err.Error(); msg != `invalid payload: nodes[0].id: must match "^n"; is not an object` {
		t.Errorf("Error() = %q", msg)
	}
}

type payload struct {
	N int `json:"n"`
}

func (payload) EventType() string { return "a.b" }
func (payload) EventVersion() int { return 3 }
func (p payload) Validate() error {
	if p.N < 0 {
		ve := &ValidationError{}
		ve.Add("n", "must be >= 0")
		return ve.Err()
	}
	return nil
}

func TestNewEnvelope(t *testing.T) {
	before := time.Now().UTC()
	env, err := NewEnvelope("src", Metadata{UserID: "u"}, payload{N: 1})
	if err != nil {
		t.Fatal(err)
	}
	id, err := uuid.Parse(env.EventID)
	if err != nil || id.Version() != 7 {
		t.Errorf("EventID %q is not a UUIDv7 (err=%v)", env.EventID, err)
	}
	if env.Timestamp.Location() != time.UTC || env.Timestamp.Before(before.Add(-time.Second)) {
		t.Errorf("Timestamp %v is not the current UTC time", env.Timestamp)
	}
	if env.Version != "3.0" || env.EventType != "a.b" || env.Source != "src" || env.Metadata.UserID != "u" || string(env.Data) != `{"n":1}` {
		t.Errorf("envelope = %+v", env)
	}
	_, err = NewEnvelope("src", Metadata{}, payload{N: -1})
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "n: must be >= 0") {
		t.Errorf("NewEnvelope of an invalid payload: err = %v, want a *ValidationError", err)
	}
	a, b := NewID(), NewID()
	if a == b || a > b {
		t.Errorf("NewID is not unique and time-ordered: %s then %s", a, b)
	}
}

func TestEnvelopeJSONIsTheWireForm(t *testing.T) {
	in := `{"version":"2","eventType":"a.b","eventId":"x","timestamp":"2026-01-01T00:00:00Z","source":"s","metadata":{"correlationId":"c","traceparent":"00-1-2-01"},"data":{"k":[1]}}`
	var env Envelope
	if err := json.Unmarshal([]byte(in), &env); err != nil {
		t.Fatal(err)
	}
	if env.Metadata.CorrelationID != "c" || env.Metadata.TraceParent != "00-1-2-01" || string(env.Data) != `{"k":[1]}` {
		t.Errorf("decoded %+v", env)
	}
	out, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("round trip:\n got %s\nwant %s", out, in)
	}
}

func TestHandlerFunc(t *testing.T) {
	var got string
	var h Handler = HandlerFunc(func(_ context.Context, env Envelope) error { got = env.EventID; return nil })
	if err := h.Handle(context.Background(), Envelope{EventID: "x"}); err != nil || got != "x" {
		t.Errorf("HandlerFunc did not call through: %q, %v", got, err)
	}
}

func TestAddIf(t *testing.T) {
	ve := &ValidationError{}
	ve.AddIf(false, "a", "kept out")
	ve.AddIf(true, "b", "must be >= 0")
	if len(ve.Violations) != 1 || ve.Violations[0] != (Violation{Path: "b", Message: "must be >= 0"}) {
		t.Errorf("violations %v, want only b", ve.Violations)
	}
}
