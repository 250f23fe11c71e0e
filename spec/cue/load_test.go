package cue

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/eventgen/eventgen/spec"
)

var update = flag.Bool("update", false, "rewrite testdata/*.model.json from the loader's output")

func intp(n int) *int { return &n }

// ignorePos drops positions from comparisons of types.
var ignorePos = cmpopts.IgnoreFields(spec.Type{}, "Pos")

// loadField loads a one-field event payload and returns the field.
func loadField(t *testing.T, decl string) *spec.Field {
	t.Helper()
	src := "import (\n\t\"strings\"\n\t\"list\"\n\t\"time\"\n)\n\n#Node: {id: string}\n#Mode: \"a\" | \"b\"\n\n_uses: [strings.MinRunes(0), list.MinItems(0), time.Time]\n\nevents: \"a.b\": v1: {\n\t" + decl + "\n}\n"
	m, err := LoadSource("spec.cue", []byte(src))
	if err != nil {
		t.Fatalf("loading %q: %v", decl, err)
	}
	f := m.Events[0].Versions[0].Fields
	if len(f) != 1 {
		t.Fatalf("loading %q: %d fields, want 1", decl, len(f))
	}
	return f[0]
}

func TestTypes(t *testing.T) {
	tests := []struct {
		decl     string
		want     *spec.Type
		optional bool
	}{
		{decl: `f: string`, want: &spec.Type{Kind: spec.KindString}},
		{decl: `f: string & =~"^a" & !~"b$"`, want: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^a"}, NotPatterns: []string{"b$"}}}},
		{decl: `f: strings.MinRunes(1) & strings.MaxRunes(200)`, want: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{MinRunes: intp(1), MaxRunes: intp(200)}}},
		{decl: `f: string & strings.MinRunes(1)`, want: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{MinRunes: intp(1)}}},
		{decl: `f: int`, want: &spec.Type{Kind: spec.KindInt}},
		{decl: `f: int8`, want: &spec.Type{Kind: spec.KindInt, Bits: 8, Sized: true}},
		{decl: `f: int16`, want: &spec.Type{Kind: spec.KindInt, Bits: 16, Sized: true}},
		{decl: `f: int32`, want: &spec.Type{Kind: spec.KindInt, Bits: 32, Sized: true}},
		{decl: `f: int64`, want: &spec.Type{Kind: spec.KindInt, Bits: 64, Sized: true}},
		{decl: `f: uint`, want: &spec.Type{Kind: spec.KindInt, Unsigned: true, Sized: true}},
		{decl: `f: uint8`, want: &spec.Type{Kind: spec.KindInt, Bits: 8, Unsigned: true, Sized: true}},
		{decl: `f: uint16`, want: &spec.Type{Kind: spec.KindInt, Bits: 16, Unsigned: true, Sized: true}},
		{decl: `f: uint32`, want: &spec.Type{Kind: spec.KindInt, Bits: 32, Unsigned: true, Sized: true}},
		{decl: `f: uint64`, want: &spec.Type{Kind: spec.KindInt, Bits: 64, Unsigned: true, Sized: true}},
		{decl: `f: int & >=0 & <=10`, want: &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}, Max: &spec.Bound{Value: "10"}}}},
		{decl: `f: int & >-5 & <1_000`, want: &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "-5", Exclusive: true}, Max: &spec.Bound{Value: "1000", Exclusive: true}}}},
		{decl: `f: int32 & >=0`, want: &spec.Type{Kind: spec.KindInt, Bits: 32, Sized: true, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}}}},
		{decl: `f: float`, want: &spec.Type{Kind: spec.KindFloat}},
		{decl: `f: number`, want: &spec.Type{Kind: spec.KindFloat}},
		{decl: `f: float32`, want: &spec.Type{Kind: spec.KindFloat, Bits: 32, Sized: true}},
		{decl: `f: float64 & >=0.5`, want: &spec.Type{Kind: spec.KindFloat, Bits: 64, Sized: true, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0.5"}}}},
		{decl: `f: >=0 & <=1`, want: &spec.Type{Kind: spec.KindFloat, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}, Max: &spec.Bound{Value: "1"}}}},
		{decl: `f: bool`, want: &spec.Type{Kind: spec.KindBool}},
		{decl: `f: bytes`, want: &spec.Type{Kind: spec.KindBytes}},
		{decl: `f: time.Time`, want: &spec.Type{Kind: spec.KindTime}},
		{decl: `f: _`, want: &spec.Type{Kind: spec.KindAny}},
		{decl: `f: "live" | "dry-run"`, want: &spec.Type{Kind: spec.KindEnum, Enum: []string{"live", "dry-run"}}},
		{decl: `f: *"skip" | "fail"`, want: &spec.Type{Kind: spec.KindEnum, Enum: []string{"skip", "fail"}, Default: json.RawMessage(`"skip"`)}},
		{decl: `f: "a" | *"b"`, want: &spec.Type{Kind: spec.KindEnum, Enum: []string{"a", "b"}, Default: json.RawMessage(`"b"`)}},
		{decl: `f: "only"`, want: &spec.Type{Kind: spec.KindEnum, Enum: []string{"only"}}},
		{decl: `f: *5 | int`, want: &spec.Type{Kind: spec.KindInt, Default: json.RawMessage(`5`)}},
		{decl: `f: string | null`, want: &spec.Type{Kind: spec.KindString, Nullable: true}},
		{decl: `f: #Node | null`, want: &spec.Type{Kind: spec.KindRef, Ref: "Node", Nullable: true}},
		{decl: `f: #Node`, want: &spec.Type{Kind: spec.KindRef, Ref: "Node"}},
		{decl: `f: {#Node}`, want: &spec.Type{Kind: spec.KindRef, Ref: "Node"}},
		{decl: `f: #Mode`, want: &spec.Type{Kind: spec.KindRef, Ref: "Mode"}},
		{decl: `f: [...#Node]`, want: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Node"}}},
		{decl: `f: [...string] & list.MinItems(1) & list.MaxItems(3) & list.UniqueItems()`, want: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindString}, Constraints: spec.Constraints{MinItems: intp(1), MaxItems: intp(3), UniqueItems: true}}},
		{decl: `f: [...int] | null`, want: &spec.Type{Kind: spec.KindList, Nullable: true, Elem: &spec.Type{Kind: spec.KindInt}}},
		{decl: `f: {[string]: string}`, want: &spec.Type{Kind: spec.KindMap, Elem: &spec.Type{Kind: spec.KindString}}},
		{decl: `f: {[string]: [...#Node]}`, want: &spec.Type{Kind: spec.KindMap, Elem: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Node"}}}},
		{decl: `f?: int`, want: &spec.Type{Kind: spec.KindInt}, optional: true},
		{decl: `f!: int`, want: &spec.Type{Kind: spec.KindInt}},
		{decl: "f: {\n\t\t// The id.\n\t\tid: string @go(ID)\n\t\tn?: int\n\t}", want: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
			{Name: "id", GoName: "ID", Doc: "The id.", Type: &spec.Type{Kind: spec.KindString}},
			{Name: "n", Optional: true, Type: &spec.Type{Kind: spec.KindInt}},
		}}},
		{decl: `f: [...{a: int, b?: [...string]}]`, want: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
			{Name: "a", Type: &spec.Type{Kind: spec.KindInt}},
			{Name: "b", Optional: true, Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindString}}},
		}}}},
		{decl: `f: {a: string} | null`, want: &spec.Type{Kind: spec.KindStruct, Nullable: true, Fields: []*spec.Field{{Name: "a", Type: &spec.Type{Kind: spec.KindString}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.decl, func(t *testing.T) {
			f := loadField(t, tt.decl)
			if f.Optional != tt.optional {
				t.Errorf("Optional = %v, want %v", f.Optional, tt.optional)
			}
			if diff := cmp.Diff(tt.want, f.Type, ignorePos, cmpopts.IgnoreFields(spec.Field{}, "Pos")); diff != "" {
				t.Errorf("type of %s (-want +got):\n%s", tt.decl, diff)
			}
		})
	}
}

func TestFieldDocAndGoName(t *testing.T) {
	f := loadField(t, "// The workflow's id.\n\tworkflowId: string @go(WorkflowID)")
	if f.Doc != "The workflow's id." || f.GoName != "WorkflowID" || f.Name != "workflowId" {
		t.Errorf("got Name %q, Doc %q, GoName %q", f.Name, f.Doc, f.GoName)
	}
	if want := (spec.Pos{File: "spec.cue", Line: 14, Col: 2}); f.Pos != want {
		t.Errorf("Pos = %v, want %v", f.Pos, want)
	}
}

// TestVersionEmbedding checks that v2: {v1, ...} gets v1's fields, in declaration order,
// with references to definitions kept, and that a refined field unifies both declarations.
func TestVersionEmbedding(t *testing.T) {
	src := `
#Node: {id: string}
events: "a.b": {
	v1: {
		id:    string
		nodes: [...#Node]
		root:  #Node | null
	}
	// The second shape.
	v2: {
		v1
		id:   =~"^x"
		mode: "live" | "dry-run"
	}
}
`
	m, err := LoadSource("spec.cue", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	v2 := m.Events[0].Versions[1]
	want := []*spec.Field{
		{Name: "id", Type: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^x"}}}, Pos: spec.Pos{File: "spec.cue", Line: 5, Col: 3}},
		{Name: "nodes", Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Node"}}, Pos: spec.Pos{File: "spec.cue", Line: 6, Col: 3}},
		{Name: "root", Type: &spec.Type{Kind: spec.KindRef, Ref: "Node", Nullable: true}, Pos: spec.Pos{File: "spec.cue", Line: 7, Col: 3}},
		{Name: "mode", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"live", "dry-run"}}, Pos: spec.Pos{File: "spec.cue", Line: 13, Col: 3}},
	}
	if diff := cmp.Diff(want, v2.Fields, ignorePos); diff != "" {
		t.Errorf("v2 fields (-want +got):\n%s", diff)
	}
	if v2.Doc != "The second shape." || v2.Number != 2 {
		t.Errorf("v2: Number %d, Doc %q", v2.Number, v2.Doc)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax error", `events: "a.b": v1: foo: `, `spec.cue:1:25: expected operand, found 'EOF'`},
		{"unknown top-level key", `evnts: {}`, `spec.cue:1:1: evnts: unknown field; allowed here: eventgen, aggregates, events, rules, handlers and #Definitions`},
		{"unknown event key", `events: "a.b": {aggregat: "X", v1: {}}`, `spec.cue:1:17: events."a.b".aggregat: unknown field; allowed here: aggregate, source, upcast, examples and versions v1, v2, ...`},
		{"unknown upcast key", `events: "a.b": {v1: {}, upcast: v1: sett: {}}`, `spec.cue:1:37: events."a.b".upcast.v1.sett: unknown field; allowed here: set, rename, drop and custom`},
		{"unknown settings key", `eventgen: sorce: "x"`, `spec.cue:1:11: eventgen.sorce: unknown field; allowed here: source, package and bus`},
		{"unknown handler key", `handlers: h: {on: ["a.b"], unknwn: "skip"}`, `spec.cue:1:28: handlers.h.unknwn: unknown field; allowed here: on, rule and unknown`},
		{"disjunction of structs", `events: "a.b": v1: foo: {a: int} | {b: string}`, `spec.cue:1:20: events."a.b".v1.foo: a disjunction of structs is not supported; use one struct with optional fields`},
		{"struct-typed default", `events: "a.b": v1: foo: *{a: 1} | {a: int}`, `spec.cue:1:20: events."a.b".v1.foo: a disjunction of structs is not supported; use one struct with optional fields`},
		{"int or string", `events: "a.b": v1: foo: int | string`, `spec.cue:1:20: events."a.b".v1.foo: a disjunction of int and string is not supported; use one type, or separate optional fields`},
		{"conflicting kinds", `events: "a.b": v1: foo: string & int`, `spec.cue:1:25: events."a.b".v1.foo: conflicting values string and int (mismatched types string and int)`},
		{"bad type name", `events: "a.b": v1: foo: int128`, `spec.cue:1:20: events."a.b".v1.foo: the type int128 is not supported; use string, bool, bytes, int, int8..int64, uint..uint64, float, float32, float64, number or time.Time`},
		{"fixed-length list", `events: "a.b": v1: foo: [string, int]`, `spec.cue:1:20: events."a.b".v1.foo: a list type is written [...T]; fixed-length lists and list values are not supported`},
		{"numeric enum", `events: "a.b": v1: foo: 1 | 2`, `spec.cue:1:20: events."a.b".v1.foo: only strings can form an enum; for numbers use a bounded type such as int & >=1 & <=3`},
		{"unsupported builtin", "import \"strings\"\nevents: \"a.b\": v1: foo: strings.ToUpper(\"x\")", `spec.cue:2:20: events."a.b".v1.foo: strings.ToUpper is not supported; use strings.MinRunes, strings.MaxRunes, list.MinItems, list.MaxItems or list.UniqueItems`},
		{"wrong setting type", `events: "a.b": aggregate: 5`, `spec.cue:1:27: events."a.b".aggregate: conflicting values 5 and string (mismatched types int and string)`},
		{"unresolved reference", `events: "a.b": v1: {a: #Missing}`, `spec.cue:1:24: events."a.b".v1.a: reference "#Missing" not found`},
		{"bad version key", `events: "a.b": v01: {}`, `spec.cue:1:16: events."a.b".v01: versions are named v1, v2, ...; rename v01`},
		{"target out of bounds", `rules: r: targets: [{arn: "x", maxRetries: 500}]`, `spec.cue:1:44: rules.r.targets[0].maxRetries: invalid value 500 (out of bound <=185)`},
		{"nested definition", "#A: {#B: string}\nevents: \"a.b\": v1: foo: #A.#B", `spec.cue:2:20: events."a.b".v1.foo: a selection is not supported as a type; use a top-level definition (#Name)`},
		{"map with int keys", `events: "a.b": v1: foo: {[int]: string}`, `spec.cue:1:20: events."a.b".v1.foo: a map type is written {[string]: T}; keys other than string are not supported`},
		{"field reference", "_x: string\nevents: \"a.b\": v1: foo: _x", `spec.cue:2:20: events."a.b".v1.foo: _x refers to a field; only definitions (#Name) can be used as types`},
		{"regex on int", `events: "a.b": v1: foo: int & =~"x"`, `spec.cue:1:25: events."a.b".v1.foo: conflicting values int and =~"x" (mismatched types int and string)`},
		{"fractional int bound", `events: "a.b": v1: foo: int & >=0.5`, `spec.cue:1:20: events."a.b".v1.foo: an int cannot have a fractional bound`},
		{"number constant", `events: "a.b": v1: foo: 5`, `spec.cue:1:20: events."a.b".v1.foo: a constant 5 is not a type; use a type such as int with bounds`},
		{"non-concrete example", `events: "a.b": {v1: {a: string}, examples: [{version: 1, data: {a: string}}]}`, `spec.cue:1:58: events."a.b".examples[0].data: must be a concrete value: events."a.b".examples.0.data.a: incomplete value string`},
		{"non-string on", `handlers: h: on: [1]`, `spec.cue:1:19: handlers.h.on[0]: conflicting values 1 and string (mismatched types int and string)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LoadSource("spec.cue", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; model %+v", m)
			}
			if _, ok := err.(spec.Diagnostics); !ok {
				t.Errorf("error is %T, want spec.Diagnostics", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.cue"))
	if err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Fatalf("err = %v, want a not-exist error", err)
	}
	if _, ok := err.(spec.Diagnostics); ok {
		t.Errorf("a missing file must not be a spec diagnostic")
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// TestLoadDirectory loads a package split over two files and checks that positions are
// relative to the current directory.
func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.cue", "package x\n\neventgen: source: \"s\"\n#Node: {id: string}\n")
	write("b.cue", "package x\n\nevents: \"a.b\": v1: node: #Node\n")
	t.Chdir(dir)
	m, err := Load(".")
	if err != nil {
		t.Fatal(err)
	}
	if m.Source != "s" || len(m.Events) != 1 || m.Events[0].Versions[0].Fields[0].Type.Ref != "Node" {
		t.Errorf("model: source %q, events %d", m.Source, len(m.Events))
	}
	if want := (spec.Pos{File: "b.cue", Line: 3, Col: 9}); m.Events[0].Pos != want {
		t.Errorf("event Pos = %v, want %v", m.Events[0].Pos, want)
	}
	write("c.cue", "package y\n")
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "package y differs from package x") {
		t.Errorf("mixed packages: err = %v", err)
	}
}

// TestWorkflow loads the running example and compares its whole model with
// testdata/workflow.model.json (go test -update rewrites it).
func TestWorkflow(t *testing.T) {
	m, err := Load("testdata/workflow.cue")
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := "testdata/workflow.model.json"
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.TrimSpace(string(want)), strings.TrimSpace(string(got))); diff != "" {
		t.Errorf("workflow model (-want +got):\n%s", diff)
	}
	// A few facts spelled out, so that the golden file cannot drift silently.
	started := m.Event("workflow.started")
	if started == nil || len(started.Versions) != 2 || len(started.Versions[1].Fields) != 8 {
		t.Fatalf("workflow.started: %+v", started)
	}
	if f := started.Versions[1].Field("nodes"); f.Type.Kind != spec.KindList || f.Type.Elem.Ref != "Node" {
		t.Errorf("v2.nodes = %+v", f.Type)
	}
	if ex := started.Examples[1]; ex.Valid || ex.Version != 2 {
		t.Errorf("second example: %+v", ex)
	}
	if r := m.Rule("live-runs-of-org-123"); r.MatchPos["data.executionMode"].Line != 94 {
		t.Errorf("MatchPos = %v", r.MatchPos)
	}
}
