package spec

import (
	"cmp"
	"encoding/json"
	"slices"
)

// Model is one spec, read from CUE or AsyncAPI: the single intermediate representation that
// every check and every backend works on. Frontends fill it; nothing in it refers back to the
// input format. Slices are sorted by name (events by type, versions by number) so that every
// consumer sees the same order for the same spec.
type Model struct {
	// Source is the default EventBridge source of every event (eventgen.source).
	Source string
	// Package is the Go package name of the generated code (eventgen.package); empty when the
	// spec does not say, in which case the output directory's last element is used.
	Package string
	// Bus is the default event bus name of rules (eventgen.bus).
	Bus string
	// Pos is where the spec's eventgen settings stand (or the first spec file).
	Pos Pos

	Definitions []*Definition
	Aggregates  []*Aggregate
	Events      []*Event
	Rules       []*Rule
	Handlers    []*Handler
}

// Definition is a reusable named type (#Name in CUE, components.schemas.Name in AsyncAPI),
// generated once as a Go type.
type Definition struct {
	// Name is the definition's name without the leading '#'.
	Name string
	// GoName overrides the derived Go name (@go(Name)); empty when not given.
	GoName string
	Doc    string
	Type   *Type
	Pos    Pos
}

// Aggregate is an event-sourced aggregate: events that name it share a stream per id.
type Aggregate struct {
	// Name is the aggregate's PascalCase name ("Workflow").
	Name string
	// ID is the JSON name of the data field that carries the stream id ("workflowId").
	ID    string
	Doc   string
	Pos   Pos
	IDPos Pos
}

// Event is one event type with every version it ever had.
type Event struct {
	// Type is the event type in domain.entity.action form ("workflow.started").
	Type string
	// Aggregate names the aggregate the event belongs to; empty for none.
	Aggregate    string
	AggregatePos Pos
	// Source overrides Model.Source for this event; empty for the default.
	Source string
	Doc    string
	Pos    Pos
	// Versions are v1..vN in order, with no gaps; the last is the latest.
	Versions []*Version
	// Upcasts are the steps vN → vN+1, sorted by From. A step may be missing when the spec
	// gives none; the checks decide whether the implicit step is complete.
	Upcasts  []*Upcast
	Examples []*Example
}

// Latest returns the event's latest version, or nil when it has none.
func (e *Event) Latest() *Version {
	if len(e.Versions) == 0 {
		return nil
	}
	return e.Versions[len(e.Versions)-1]
}

// Version returns version n of the event, or nil.
func (e *Event) Version(n int) *Version {
	for _, v := range e.Versions {
		if v.Number == n {
			return v
		}
	}
	return nil
}

// UpcastFrom returns the spec's upcast step from version n, or nil when it gives none.
func (e *Event) UpcastFrom(n int) *Upcast {
	for _, u := range e.Upcasts {
		if u.From == n {
			return u
		}
	}
	return nil
}

// Version is one payload shape of an event.
type Version struct {
	Number int
	// Doc is the doc comment on the version; it becomes the Go doc of its type.
	Doc    string
	Fields []*Field
	Pos    Pos
}

// Field returns the field with JSON name name, or nil.
func (v *Version) Field(name string) *Field { return findField(v.Fields, name) }

// Field is one named member of a payload, a definition or an inline struct.
type Field struct {
	// Name is the JSON name, exactly as the spec writes it.
	Name string
	// GoName overrides the derived Go name (@go(Name)); empty when not given.
	GoName string
	Doc    string
	Type   *Type
	// Optional is true for `name?: T`; required fields (`name: T`, `name!: T`) are false.
	Optional bool
	Pos      Pos
}

// Kind is the shape of a Type.
type Kind int

// The kinds of a Type. The zero Kind is invalid so that a forgotten assignment shows.
const (
	KindInvalid Kind = iota
	KindString       // string
	KindInt          // any integer kind; Type.Bits and Type.Unsigned say which
	KindFloat        // float32 or float64; Type.Bits says which
	KindBool         // bool
	KindBytes        // []byte, base64 in JSON
	KindTime         // time.Time, RFC 3339 in JSON
	KindAny          // `_`: json.RawMessage
	KindEnum         // a string enum: Type.Enum holds its values
	KindList         // [...Elem]
	KindMap          // {[string]: Elem}
	KindStruct       // an inline struct: Type.Fields
	KindRef          // a reference to Definition Type.Ref
)

var kindNames = [...]string{"invalid", "string", "int", "float", "bool", "bytes", "time", "any", "enum", "list", "map", "struct", "ref"}

// String returns the kind's lower-case name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Type is a payload type with its constraints.
type Type struct {
	Kind Kind
	// Nullable is true for `T | null`: the field is present and may be null (Go *T).
	Nullable bool
	// Bits is the size of an int or float kind: 0 for the default (int64, float64), else
	// 8, 16, 32 or 64. Unsigned marks the uint kinds. Sized reports whether the spec named a
	// Go kind (int32, uint, float32...) rather than plain int or number.
	Bits     int
	Unsigned bool
	Sized    bool
	// Enum holds the values of a KindEnum type, in the spec's order.
	Enum []string
	// Default is the JSON value that fills a missing field on decode (`*"a" | "b"`); nil for none.
	Default json.RawMessage
	// Elem is the element type of a list or map.
	Elem *Type
	// Fields are the members of an inline struct.
	Fields []*Field
	// Ref is the referenced definition's name (without '#') for KindRef.
	Ref string
	// Constraints are what Validate checks besides the kind itself.
	Constraints Constraints
	Pos         Pos
}

// Field returns the inline struct's field with JSON name name, or nil.
func (t *Type) Field(name string) *Field { return findField(t.Fields, name) }

// Constraints are the validation rules of a type, as the spec states them.
type Constraints struct {
	// Patterns must all match (=~); NotPatterns must all not match (!~). RE2 syntax.
	Patterns    []string
	NotPatterns []string
	// MinRunes and MaxRunes bound a string's length in runes; nil for no bound.
	MinRunes *int
	MaxRunes *int
	// Min and Max bound a number; nil for no bound.
	Min *Bound
	Max *Bound
	// MinItems, MaxItems and UniqueItems constrain a list.
	MinItems    *int
	MaxItems    *int
	UniqueItems bool
}

// IsZero reports whether no constraint is set.
func (c Constraints) IsZero() bool {
	return len(c.Patterns) == 0 && len(c.NotPatterns) == 0 && c.MinRunes == nil && c.MaxRunes == nil &&
		c.Min == nil && c.Max == nil && c.MinItems == nil && c.MaxItems == nil && !c.UniqueItems
}

// Bound is one end of a numeric range.
type Bound struct {
	// Value is the bound as a decimal literal, exactly as written ("0", "10", "1.5"), so that
	// large integers keep their precision.
	Value string
	// Exclusive is true for > and <, false for >= and <=.
	Exclusive bool
}

// Upcast says how a payload of version From becomes version From+1.
type Upcast struct {
	From   int
	Set    []*UpcastSet
	Rename []*UpcastRename
	Drop   []*UpcastDrop
	// Custom marks a hand-written step: func upcast<E>V<From>(in <E>V<From>) (<E>V<From+1>, error).
	Custom bool
	Pos    Pos
}

// UpcastSet gives a constant value to a field of the new version.
type UpcastSet struct {
	Field string
	// Value is the constant as compact JSON.
	Value json.RawMessage
	Pos   Pos
}

// UpcastRename carries field From of the old version into field To of the new one.
type UpcastRename struct {
	From, To string
	Pos      Pos
}

// UpcastDrop lists a field of the old version that the new one no longer has.
type UpcastDrop struct {
	Field string
	Pos   Pos
}

// Example is one example payload of an event.
type Example struct {
	Version int
	// Data is the payload as compact JSON, keys in the spec's order.
	Data json.RawMessage
	// Latest is what upcasting Data to the latest version must give; nil when not stated.
	Latest json.RawMessage
	// Valid is what Validate must say of Data (default true).
	Valid bool
	Pos   Pos
}

// Rule is an EventBridge rule.
type Rule struct {
	// Name is the rule name, kebab-case ("live-runs-of-org-123").
	Name        string
	Description string
	// Bus is the event bus; empty for Model.Bus.
	Bus string
	// On lists the event types the rule filters on: exact types or EventBridge matchers.
	On []*OnItem
	// Match is the content filter under detail, as compact JSON (nil for none). Its leaves
	// are EventBridge value lists.
	Match json.RawMessage
	// MatchPos maps a dotted path of Match ("data.executionMode") to its position.
	MatchPos     map[string]Pos
	TenantScoped bool
	// Pattern is a raw EventBridge pattern used instead of On and Match (nil for none).
	Pattern  json.RawMessage
	Examples RuleExamples
	Targets  []*Target
	Pos      Pos
}

// OnItem is one entry of a rule's `on`: an exact event type, or an EventBridge matcher on the
// type such as {"prefix":"workflow."}.
type OnItem struct {
	// Type is the exact event type; empty when Matcher is set.
	Type string
	// Matcher is the matcher object as compact JSON; nil when Type is set.
	Matcher json.RawMessage
	Pos     Pos
}

// RuleExamples are events a rule must match and events it must reject.
type RuleExamples struct {
	Matches []*RuleExample
	Rejects []*RuleExample
}

// RuleExample is one example event of a rule.
type RuleExample struct {
	Type    string
	Version int
	// Metadata is the envelope's metadata as compact JSON (nil for none).
	Metadata json.RawMessage
	// Data is the payload as compact JSON.
	Data json.RawMessage
	Pos  Pos
}

// Target is a rule target for the CloudFormation output.
type Target struct {
	ARN                string
	DeadLetterARN      string
	MaxRetries         *int
	MaxEventAgeSeconds *int
	Pos                Pos
}

// Handler is a consumer of events.
type Handler struct {
	// Name is the handler name, kebab-case ("run-dashboard").
	Name string
	Doc  string
	// On lists the event types handled; empty when Rule is set.
	On    []string
	OnPos []Pos
	// Rule names a rule whose event types the handler takes instead of On.
	Rule string
	// Unknown is what the dispatcher does with an event type or version it does not know:
	// "skip" (the default) or "fail".
	Unknown string
	Pos     Pos
}

// Event returns the event of type typ, or nil.
func (m *Model) Event(typ string) *Event {
	for _, e := range m.Events {
		if e.Type == typ {
			return e
		}
	}
	return nil
}

// Definition returns the definition named name (without '#'), or nil.
func (m *Model) Definition(name string) *Definition {
	for _, d := range m.Definitions {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// Aggregate returns the aggregate named name, or nil.
func (m *Model) Aggregate(name string) *Aggregate {
	for _, a := range m.Aggregates {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Rule returns the rule named name, or nil.
func (m *Model) Rule(name string) *Rule {
	for _, r := range m.Rules {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// EventSource returns the EventBridge source of e: its own, or the model's default.
func (m *Model) EventSource(e *Event) string {
	if e.Source != "" {
		return e.Source
	}
	return m.Source
}

// RuleBus returns the event bus of r: its own, or the model's default.
func (m *Model) RuleBus(r *Rule) string {
	if r.Bus != "" {
		return r.Bus
	}
	return m.Bus
}

// Resolve follows a KindRef to the definition's type; other types are returned as they are.
// It returns nil for a reference to an unknown definition.
func (m *Model) Resolve(t *Type) *Type {
	seen := 0
	for t != nil && t.Kind == KindRef {
		d := m.Definition(t.Ref)
		if d == nil || seen > len(m.Definitions) {
			return nil
		}
		t = d.Type
		seen++
	}
	return t
}

func findField(fields []*Field, name string) *Field {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Sort puts the model's top-level slices in the order this package documents: definitions,
// aggregates, rules and handlers by name, events by type. Frontends call it last.
func (m *Model) Sort() {
	slices.SortFunc(m.Definitions, func(a, b *Definition) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(m.Aggregates, func(a, b *Aggregate) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(m.Events, func(a, b *Event) int { return cmp.Compare(a.Type, b.Type) })
	slices.SortFunc(m.Rules, func(a, b *Rule) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(m.Handlers, func(a, b *Handler) int { return cmp.Compare(a.Name, b.Name) })
}
