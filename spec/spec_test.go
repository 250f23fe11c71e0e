package spec

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		pos  Pos
		want string
	}{
		{Pos{"a.cue", 3, 7}, "a.cue:3:7"},
		{Pos{"a.cue", 3, 0}, "a.cue:3"},
		{Pos{"a.cue", 0, 0}, "a.cue"},
		{Pos{}, "-"},
	} {
		if got := tc.pos.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.pos, got, tc.want)
		}
	}
}

func TestDiagnosticsSortAndErr(t *testing.T) {
	ds := Diagnostics{
		Warnf(Pos{"b.cue", 1, 1}, "later file"),
		Errorf(Pos{"a.cue", 10, 2}, "second"),
		Errorf(Pos{"a.cue", 2, 9}, "first"),
		Errorf(Pos{"a.cue", 2, 9}, "first"), // an exact duplicate is reported once
		{Pos: Pos{"a.cue", 10, 2}, Rule: "FIELD_NO_DELETE", Message: "gone"},
	}
	want := "a.cue:2:9: first\na.cue:10:2: second\na.cue:10:2: FIELD_NO_DELETE: gone\nb.cue:1:1: warning: later file"
	if got := ds.Error(); got != want {
		t.Errorf("Error():\n%s\nwant\n%s", got, want)
	}
	var as Diagnostics
	if err := ds.Err(); !errors.As(err, &as) || len(as) != 4 {
		t.Errorf("Err() = %v, want the 4 distinct findings", err)
	}
	if err := ds.Warnings().Err(); err != nil {
		t.Errorf("warnings alone are not an error: %v", err)
	}
	if !ds.HasErrors() || ds.Warnings().HasErrors() {
		t.Error("HasErrors is wrong")
	}
}

func TestModelLookupsSortAndResolve(t *testing.T) {
	node := &Type{Kind: KindStruct}
	m := &Model{
		Source: "default",
		Bus:    "bus",
		Definitions: []*Definition{
			{Name: "Node", Type: node},
			{Name: "Alias", Type: &Type{Kind: KindRef, Ref: "Node"}},
			{Name: "Loop", Type: &Type{Kind: KindRef, Ref: "Loop"}},
		},
		Events: []*Event{
			{Type: "b.x", Source: "own", Versions: []*Version{{Number: 1}, {Number: 2, Fields: []*Field{{Name: "f"}}}}},
			{Type: "a.x"},
		},
		Rules: []*Rule{{Name: "z"}, {Name: "a", Bus: "other"}},
	}
	m.Sort()
	if got := []string{m.Events[0].Type, m.Definitions[0].Name, m.Rules[0].Name}; !cmp.Equal(got, []string{"a.x", "Alias", "a"}) {
		t.Errorf("after Sort: %v", got)
	}
	e := m.Event("b.x")
	if e == nil || e.Latest().Number != 2 || e.Version(1) == nil || e.Version(3) != nil || e.Latest().Field("f") == nil {
		t.Fatal("event lookups are wrong")
	}
	if m.Event("a.x").Latest() != nil {
		t.Error("Latest of an event without versions must be nil")
	}
	if m.EventSource(e) != "own" || m.EventSource(m.Event("a.x")) != "default" {
		t.Error("EventSource does not prefer the event's own source")
	}
	if m.RuleBus(m.Rule("a")) != "other" || m.RuleBus(m.Rule("z")) != "bus" {
		t.Error("RuleBus does not prefer the rule's own bus")
	}
	if got := m.Resolve(&Type{Kind: KindRef, Ref: "Alias"}); got != node {
		t.Errorf("Resolve through an alias = %v, want the Node struct", got)
	}
	if m.Resolve(&Type{Kind: KindRef, Ref: "Loop"}) != nil || m.Resolve(&Type{Kind: KindRef, Ref: "Missing"}) != nil {
		t.Error("Resolve of a cycle or an unknown definition must be nil")
	}
}
