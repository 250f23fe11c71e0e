package event

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Envelope is a domain event as it is stored and sent.
type Envelope struct {
	// Version is the payload version: "2.0" for v2; "2" and "2.x" are read as v2 too.
	Version string `json:"version"`
	// EventType is the event type, such as "workflow.started".
	EventType string `json:"eventType"`
	// EventID identifies the event; stores keep each id once.
	EventID string `json:"eventId"`
	// Timestamp is when the event happened, in UTC.
	Timestamp time.Time `json:"timestamp"`
	// Source is the EventBridge source of the event.
	Source string `json:"source"`
	// Metadata carries tenancy, identity and tracing information.
	Metadata Metadata `json:"metadata"`
	// Data is the payload as JSON.
	Data json.RawMessage `json:"data"`
}

// Metadata is the context an event carries besides its payload.
type Metadata struct {
	UserID         string `json:"userId,omitempty"`
	OrganizationID string `json:"organizationId,omitempty"`
	TenantID       string `json:"tenantId,omitempty"`
	CorrelationID  string `json:"correlationId,omitempty"`
	CausationID    string `json:"causationId,omitempty"`
	// TraceParent is the W3C trace context of the operation that produced the event.
	TraceParent string `json:"traceparent,omitempty"`
}

// Payload is implemented by every generated event version.
type Payload interface {
	// EventType returns the event type, such as "workflow.started".
	EventType() string
	// EventVersion returns the version number of the payload's shape.
	EventVersion() int
	// Validate returns nil, or a *ValidationError that lists every violation.
	Validate() error
}

// Handler handles one envelope.
type Handler interface {
	Handle(ctx context.Context, env Envelope) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, env Envelope) error

// Handle calls f(ctx, env).
func (f HandlerFunc) Handle(ctx context.Context, env Envelope) error { return f(ctx, env) }

// Rule is an EventBridge rule: a named pattern on a bus.
type Rule struct {
	Name string
	Bus  string
	// Pattern is the EventBridge event pattern as JSON.
	Pattern []byte
}

var (
	// ErrUnknownType is wrapped by decoders for an event type they do not know.
	ErrUnknownType = errors.New("unknown event type")
	// ErrUnknownVersion is wrapped by decoders for a version of a known type they do not know.
	ErrUnknownVersion = errors.New("unknown event version")
)

// Violation is one broken constraint of a payload.
type Violation struct {
	// Path is the JSON path of the offending value, such as "nodes[0].id"; empty for the
	// payload itself.
	Path string
	// Message says what is wrong, such as "must have at least 1 rune".
	Message string
}

// ValidationError lists every violation Validate found.
type ValidationError struct {
	Violations []Violation
}

// Error lists the violations as "path: message", separated by "; ".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		if v.Path == "" {
			parts[i] = v.Message
		} else {
			parts[i] = v.Path + ": " + v.Message
		}
	}
	return "invalid payload: " + strings.Join(parts, "; ")
}

// Add records a violation at path.
func (e *ValidationError) Add(path, message string) {
	e.Violations = append(e.Violations, Violation{Path: path, Message: message})
}

// AddIf records a violation at path when violated is true. Generated Validate methods state a
// rule per line with it: ve.AddIf(p.Count < 0, "count", "must be >= 0").
func (e *ValidationError) AddIf(violated bool, path, message string) {
	if violated {
		e.Add(path, message)
	}
}

// Err returns e when it holds a violation, else nil; generated Validate methods end with it.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Violations) == 0 {
		return nil
	}
	return e
}

// VersionString returns the envelope form of version n: "2.0" for 2.
func VersionString(n int) string { return strconv.Itoa(n) + ".0" }

// ParseVersion reads an envelope version: "2", "2.0" and "2.x" (any minor) are all 2.
func ParseVersion(s string) (int, error) {
	major, minor, hasMinor := strings.Cut(s, ".")
	n, err := strconv.Atoi(major)
	if err != nil || n < 1 || major != strconv.Itoa(n) {
		return 0, fmt.Errorf("%w: version %q is not N, N.0 or N.x", ErrUnknownVersion, s)
	}
	if hasMinor && minor != "x" {
		if _, err := strconv.ParseUint(minor, 10, 32); err != nil {
			return 0, fmt.Errorf("%w: version %q is not N, N.0 or N.x", ErrUnknownVersion, s)
		}
	}
	return n, nil
}

// CausedBy returns metadata for an event caused by env: the same correlation id (env's event id
// when env has none), env's event id as causation id, and env's tenant, user and organisation.
// The trace context is left empty: the caused event belongs to a span of its own, which the
// caller sets when it has one.
func CausedBy(env Envelope) Metadata {
	correlation := env.Metadata.CorrelationID
	if correlation == "" {
		correlation = env.EventID
	}
	return Metadata{
		UserID:         env.Metadata.UserID,
		OrganizationID: env.Metadata.OrganizationID,
		TenantID:       env.Metadata.TenantID,
		CorrelationID:  correlation,
		CausationID:    env.EventID,
	}
}

// eventBridgeEvent is the event as EventBridge sees it; field order follows AWS's documents.
type eventBridgeEvent struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// EventBridge returns the event as EventBridge sees it, which is what rules match and what
// PutEvents sends: {"version":"0","id":EventID,"detail-type":EventType,"source":Source,
// "account":"","time":Timestamp,"region":"","resources":[],"detail":<the envelope JSON>}.
func (e Envelope) EventBridge() ([]byte, error) {
	detail, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("event %s: encode envelope: %w", e.EventID, err)
	}
	return json.Marshal(eventBridgeEvent{
		Version:    "0",
		ID:         e.EventID,
		DetailType: e.EventType,
		Source:     e.Source,
		Time:       e.Timestamp.UTC().Format(time.RFC3339),
		Resources:  []string{},
		Detail:     detail,
	})
}

// NewID returns a fresh event id: a UUIDv7, so ids sort by creation time.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// NewEnvelope validates p and wraps it in a new envelope: a fresh id (NewID), the current UTC
// time, the given source and metadata, and p's type and version. Generated New functions call it.
func NewEnvelope(source string, meta Metadata, p Payload) (Envelope, error) {
	if err := p.Validate(); err != nil {
		return Envelope{}, fmt.Errorf("new %s v%d: %w", p.EventType(), p.EventVersion(), err)
	}
	data, err := json.Marshal(p)
	if err != nil {
		return Envelope{}, fmt.Errorf("new %s v%d: encode payload: %w", p.EventType(), p.EventVersion(), err)
	}
	return Envelope{
		Version:   VersionString(p.EventVersion()),
		EventType: p.EventType(),
		EventID:   NewID(),
		Timestamp: time.Now().UTC(),
		Source:    source,
		Metadata:  meta,
		Data:      data,
	}, nil
}
