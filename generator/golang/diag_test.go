package golang

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/spec"
)

// oneVersion is an event with one version of the given fields.
func oneVersion(typ string, line int, fields ...*spec.Field) *spec.Event {
	return &spec.Event{Type: typ, Pos: at(line), Versions: []*spec.Version{{Number: 1, Pos: at(line), Fields: fields}}}
}

// twoVersions is an event with versions v1 and v2 and the given step from v1.
func twoVersions(v1, v2 []*spec.Field, step *spec.Upcast) *spec.Event {
	e := &spec.Event{Type: "a.b", Pos: at(1), Versions: []*spec.Version{{Number: 1, Pos: at(2), Fields: v1}, {Number: 2, Pos: at(3), Fields: v2}}}
	if step != nil {
		e.Upcasts = []*spec.Upcast{step}
	}
	return e
}

func strField(name string, line int) *spec.Field { return field(name, str(line, spec.Constraints{})) }

func TestGenerateDiagnostics(t *testing.T) {
	tests := []struct {
		name     string
		model    *spec.Model
		wantLine int
		want     string
	}{
		{
			name:     "two events with one Go name",
			model:    &spec.Model{Events: []*spec.Event{oneVersion("a.b-c", 1), oneVersion("a.bC", 7)}},
			wantLine: 7,
			want:     `events."a.bC": Go name ABC is already used by events."a.b-c" (workflow.cue:1:2)`,
		},
		{
			name: "event version against a definition",
			model: &spec.Model{
				Definitions: []*spec.Definition{{Name: "Other", GoName: "XYV1", Pos: at(9), Type: inline(strField("a", 9))}},
				Events:      []*spec.Event{oneVersion("x.y", 4)},
			},
			wantLine: 4,
			want:     `events."x.y".v1: Go name XYV1 is already used by #Other`,
		},
		{
			name:     "@go names a predeclared identifier",
			model:    &spec.Model{Definitions: []*spec.Definition{{Name: "Name", GoName: "string", Pos: at(3), Type: kind(spec.KindString)}}},
			wantLine: 3,
			want:     "#Name has Go name string, which would shadow Go's predeclared identifier",
		},
		{
			name:     "@go on a field is not exported",
			model:    &spec.Model{Events: []*spec.Event{oneVersion("a.b", 1, &spec.Field{Name: "x", GoName: "x", Type: kind(spec.KindString), Pos: at(5)})}},
			wantLine: 5,
			want:     `events."a.b".v1.x has Go name "x", which is not an exported Go identifier`,
		},
		{
			name:     "two fields with one Go name",
			model:    &spec.Model{Events: []*spec.Event{oneVersion("a.b", 1, strField("raw-ip", 2), strField("rawIp", 3))}},
			wantLine: 3,
			want:     `events."a.b".v1.rawIp: Go name RawIP is already used by events."a.b".v1.raw-ip`,
		},
		{
			name:     "field against a payload method",
			model:    &spec.Model{Events: []*spec.Event{oneVersion("a.b", 1, strField("eventType", 6))}},
			wantLine: 6,
			want:     `events."a.b".v1.eventType: Go name EventType is already used by the generated method ABV1.EventType`,
		},
		{
			name:     "enum values with one Go name",
			model:    &spec.Model{Events: []*spec.Event{oneVersion("a.b", 1, field("mode", enum(8, "dry-run", "dryRun")))}},
			wantLine: 8,
			want:     `events."a.b".v1.mode value "dryRun": Go name ABV1ModeDryRun is already used`,
		},
		{
			name:     "reference to an unknown definition",
			model:    &spec.Model{Events: []*spec.Event{oneVersion("a.b", 1, field("n", ref(4, "Nope")))}},
			wantLine: 4,
			want:     `events."a.b".v1.n refers to #Nope, which the spec does not define`,
		},
		{
			name:     "invalid regular expression",
			model:    &spec.Model{Events: []*spec.Event{oneVersion("a.b", 1, field("n", str(6, spec.Constraints{Patterns: []string{"a("}})))}},
			wantLine: 6,
			want:     `the regular expression "a(" of ABV1N is not valid RE2`,
		},
		{
			name:     "event without versions",
			model:    &spec.Model{Events: []*spec.Event{{Type: "a.b", Pos: at(2)}}},
			wantLine: 2,
			want:     `events."a.b" has no version; add v1`,
		},
		{
			name:     "upcast leaves a required field without a value",
			model:    &spec.Model{Events: []*spec.Event{twoVersions([]*spec.Field{strField("a", 2)}, []*spec.Field{strField("a", 3), strField("mode", 4)}, nil)}},
			wantLine: 4,
			want:     `events."a.b".v2: field mode of v2 gets no value: add it to set, rename a v1 field to it, or make the step custom: true`,
		},
		{
			name: "upcast set value of the wrong type",
			model: &spec.Model{Events: []*spec.Event{twoVersions([]*spec.Field{strField("a", 2)},
				[]*spec.Field{strField("a", 3), field("n", &spec.Type{Kind: spec.KindInt, Pos: at(4)})},
				&spec.Upcast{From: 1, Pos: at(5), Set: []*spec.UpcastSet{{Field: "n", Value: json.RawMessage(`"high"`), Pos: at(6)}}})}},
			wantLine: 6,
			want:     `events."a.b".upcast.v1: the value "high" set for field n does not fit its type: "high" is not an integer`,
		},
		{
			name: "upcast set of an enum value outside the enum",
			model: &spec.Model{Events: []*spec.Event{twoVersions(nil,
				[]*spec.Field{field("m", enum(4, "a", "b"))},
				&spec.Upcast{From: 1, Pos: at(5), Set: []*spec.UpcastSet{{Field: "m", Value: json.RawMessage(`"c"`), Pos: at(7)}}})}},
			wantLine: 7,
			want:     `"c" is not one of "a", "b"`,
		},
		{
			name: "upcast of a field whose type changes",
			model: &spec.Model{Events: []*spec.Event{twoVersions([]*spec.Field{strField("a", 2)},
				[]*spec.Field{field("a", &spec.Type{Kind: spec.KindInt, Pos: at(3)})}, nil)}},
			wantLine: 3,
			want:     `field a of v1 cannot be carried into v2: a string cannot become a int64`,
		},
		{
			name: "upcast of an optional field into a required one",
			model: &spec.Model{Events: []*spec.Event{twoVersions([]*spec.Field{optional(strField("a", 2))},
				[]*spec.Field{strField("a", 3)}, nil)}},
			wantLine: 3,
			want:     `an optional or nullable value cannot become a required one`,
		},
		{
			name: "rename from a field the old version lacks",
			model: &spec.Model{Events: []*spec.Event{twoVersions([]*spec.Field{strField("a", 2)},
				[]*spec.Field{strField("a", 3), optional(strField("b", 3))},
				&spec.Upcast{From: 1, Pos: at(5), Rename: []*spec.UpcastRename{{From: "z", To: "b", Pos: at(8)}}})}},
			wantLine: 8,
			want:     `events."a.b".upcast.v1: rename names field z, which v1 does not have`,
		},
		{
			name: "example of an unknown version",
			model: &spec.Model{Events: []*spec.Event{{Type: "a.b", Pos: at(1), Versions: []*spec.Version{{Number: 1, Pos: at(1)}},
				Examples: []*spec.Example{{Version: 4, Valid: true, Data: json.RawMessage(`{}`), Pos: at(9)}}}}},
			wantLine: 9,
			want:     `events."a.b".examples[0] names version 4, which the event does not have`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Generate(tt.model, Options{Package: "p"})
			if err == nil {
				t.Fatalf("Generate succeeded with %d files, want an error", len(files))
			}
			var ds spec.Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("error %v is a %T, want spec.Diagnostics", err, err)
			}
			found := slices.ContainsFunc(ds, func(d spec.Diagnostic) bool {
				return strings.Contains(d.Message, tt.want) && d.Pos.Line == tt.wantLine && d.Pos.File == "workflow.cue"
			})
			if !found {
				t.Errorf("diagnostics:\n%v\nwant one at line %d containing %q", ds, tt.wantLine, tt.want)
			}
		})
	}
}

func TestGenerateRejectsBadPackageName(t *testing.T) {
	for _, pkg := range []string{"", "type", "my-pkg", "1x"} {
		if _, err := Generate(workflowModel(), Options{Package: pkg}); err == nil {
			t.Errorf("Generate with package %q succeeded", pkg)
		}
	}
	if _, err := Generate(nil, Options{Package: "p"}); err == nil {
		t.Error("Generate(nil) succeeded")
	}
}

func TestCustomStep(t *testing.T) {
	m := shopModel()
	got := CustomUpcastSignatures(m)
	want := []string{"func upcastOrderPlacedV2(in OrderPlacedV2) (OrderPlacedV3, error)"}
	if !slices.Equal(got, want) {
		t.Errorf("CustomUpcastSignatures = %q, want %q", got, want)
	}
	placed := fileContent(generate(t, m, "shop"), "order_placed_gen.go")
	if strings.Contains(placed, "func upcastOrderPlacedV2(") {
		t.Error("the custom step was generated")
	}
	if !strings.Contains(placed, "return eventgenStep(upcastOrderPlacedV2, OrderPlacedType, 2)(out)") || !strings.Contains(placed, "func upcastOrderPlacedV1(in OrderPlacedV1) (OrderPlacedV2, error)") {
		t.Error("the chain does not call the custom step, or the generated step is missing")
	}
	if len(CustomUpcastSignatures(workflowModel())) != 0 {
		t.Error("the running example has no custom step")
	}
}
