package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/spec"
	sjs "github.com/santhosh-tekuri/jsonschema/v6"
)

func intp(n int) *int { return &n }

// TestTypeTable asserts the exact schema fragment, keyword order included, of every row of
// the spec language's type table.
func TestTypeTable(t *testing.T) {
	node := &spec.Definition{Name: "Node", Type: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{{Name: "id", Type: &spec.Type{Kind: spec.KindString}}}}}
	tests := []struct {
		name string
		typ  *spec.Type
		want string
	}{
		{"string", &spec.Type{Kind: spec.KindString}, `{"type":"string"}`},
		{"pattern", &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^wf-<[a-z]+>$"}}},
			`{"type":"string","pattern":"^wf-<[a-z]+>$"}`},
		{"not pattern", &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{NotPatterns: []string{"^tmp"}}},
			`{"type":"string","not":{"pattern":"^tmp"}}`},
		{"several patterns", &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^a", "b$"}, NotPatterns: []string{"x", "y"}}},
			`{"type":"string","pattern":"^a","not":{"pattern":"x"},"allOf":[{"pattern":"b$"},{"not":{"pattern":"y"}}]}`},
		{"runes", &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{MinRunes: intp(1), MaxRunes: intp(200)}},
			`{"type":"string","minLength":1,"maxLength":200}`},
		{"enum", &spec.Type{Kind: spec.KindEnum, Enum: []string{"live", "dry-run"}},
			`{"type":"string","enum":["live","dry-run"]}`},
		{"enum default", &spec.Type{Kind: spec.KindEnum, Enum: []string{"skip", "fail"}, Default: json.RawMessage(`"skip"`)},
			`{"type":"string","enum":["skip","fail"],"default":"skip"}`},
		{"nullable enum", &spec.Type{Kind: spec.KindEnum, Enum: []string{"a"}, Nullable: true},
			`{"type":["string","null"],"enum":["a",null]}`},
		{"int", &spec.Type{Kind: spec.KindInt}, `{"type":"integer"}`},
		{"int bounds", &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}, Max: &spec.Bound{Value: "10"}}},
			`{"type":"integer","minimum":0,"maximum":10}`},
		{"int exclusive", &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "-5", Exclusive: true}, Max: &spec.Bound{Value: "5", Exclusive: true}}},
			`{"type":"integer","exclusiveMinimum":-5,"exclusiveMaximum":5}`},
		{"int8", &spec.Type{Kind: spec.KindInt, Bits: 8, Sized: true}, `{"type":"integer","minimum":-128,"maximum":127}`},
		{"int16", &spec.Type{Kind: spec.KindInt, Bits: 16, Sized: true}, `{"type":"integer","minimum":-32768,"maximum":32767}`},
		{"int32", &spec.Type{Kind: spec.KindInt, Bits: 32, Sized: true}, `{"type":"integer","minimum":-2147483648,"maximum":2147483647}`},
		{"int64", &spec.Type{Kind: spec.KindInt, Bits: 64, Sized: true}, `{"type":"integer","minimum":-9223372036854775808,"maximum":9223372036854775807}`},
		{"uint", &spec.Type{Kind: spec.KindInt, Unsigned: true, Sized: true}, `{"type":"integer","minimum":0,"maximum":18446744073709551615}`},
		{"uint8", &spec.Type{Kind: spec.KindInt, Bits: 8, Unsigned: true, Sized: true}, `{"type":"integer","minimum":0,"maximum":255}`},
		{"uint8 tighter spec bounds", &spec.Type{Kind: spec.KindInt, Bits: 8, Unsigned: true, Sized: true, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0", Exclusive: true}, Max: &spec.Bound{Value: "100"}}},
			`{"type":"integer","exclusiveMinimum":0,"maximum":100}`},
		{"int8 looser spec bounds", &spec.Type{Kind: spec.KindInt, Bits: 8, Sized: true, Constraints: spec.Constraints{Min: &spec.Bound{Value: "-1000"}, Max: &spec.Bound{Value: "127", Exclusive: true}}},
			`{"type":"integer","minimum":-128,"exclusiveMaximum":127}`},
		{"int default", &spec.Type{Kind: spec.KindInt, Default: json.RawMessage(`3`)}, `{"type":"integer","default":3}`},
		{"float", &spec.Type{Kind: spec.KindFloat}, `{"type":"number"}`},
		{"float32 bounds", &spec.Type{Kind: spec.KindFloat, Bits: 32, Sized: true, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0.5"}, Max: &spec.Bound{Value: "1e3", Exclusive: true}}},
			`{"type":"number","minimum":0.5,"exclusiveMaximum":1e3}`},
		{"bool", &spec.Type{Kind: spec.KindBool}, `{"type":"boolean"}`},
		{"bytes", &spec.Type{Kind: spec.KindBytes}, `{"type":"string","contentEncoding":"base64"}`},
		{"time", &spec.Type{Kind: spec.KindTime}, `{"type":"string","format":"date-time"}`},
		{"nullable string", &spec.Type{Kind: spec.KindString, Nullable: true, Constraints: spec.Constraints{MaxRunes: intp(3)}},
			`{"type":["string","null"],"maxLength":3}`},
		{"nullable int", &spec.Type{Kind: spec.KindInt, Nullable: true}, `{"type":["integer","null"]}`},
		{"ref", &spec.Type{Kind: spec.KindRef, Ref: "Node"}, `{"$ref":"#/$defs/Node"}`},
		{"nullable ref", &spec.Type{Kind: spec.KindRef, Ref: "Node", Nullable: true},
			`{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]}`},
		{"list", &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Node"}, Constraints: spec.Constraints{MinItems: intp(1), MaxItems: intp(5), UniqueItems: true}},
			`{"type":"array","items":{"$ref":"#/$defs/Node"},"minItems":1,"maxItems":5,"uniqueItems":true}`},
		{"nullable list", &spec.Type{Kind: spec.KindList, Nullable: true, Elem: &spec.Type{Kind: spec.KindString}},
			`{"type":["array","null"],"items":{"type":"string"}}`},
		{"list default is not a default", &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindBool}, Default: json.RawMessage(`[]`)},
			`{"type":"array","items":{"type":"boolean"}}`},
		{"map", &spec.Type{Kind: spec.KindMap, Elem: &spec.Type{Kind: spec.KindString}},
			`{"type":"object","additionalProperties":{"type":"string"}}`},
		{"inline struct", &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
			{Name: "b", Doc: "The b.", Type: &spec.Type{Kind: spec.KindInt}},
			{Name: "a", Optional: true, Type: &spec.Type{Kind: spec.KindString}},
			{Name: "c", Type: &spec.Type{Kind: spec.KindRef, Ref: "Node", Nullable: true}},
			{Name: "d", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"x", "y"}, Default: json.RawMessage(`"x"`)}},
		}},
			`{"type":"object","properties":{"b":{"description":"The b.","type":"integer"},"a":{"type":"string"},"c":{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]},"d":{"type":"string","enum":["x","y"],"default":"x"}},"required":["b","c"]}`},
		{"empty inline struct", &spec.Type{Kind: spec.KindStruct}, `{"type":"object"}`},
		{"any", &spec.Type{Kind: spec.KindAny}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &builder{model: &spec.Model{Definitions: []*spec.Definition{node}}, where: "x"}
			var got bytes.Buffer
			if err := writeValue(&got, b.schema(tt.typ, "x")); err != nil {
				t.Fatal(err)
			}
			if len(b.diags) > 0 {
				t.Fatalf("diagnostics: %v", b.diags)
			}
			if got.String() != tt.want {
				t.Errorf("schema fragment\n got %s\nwant %s", got.String(), tt.want)
			}
			// Every fragment must also be a valid schema on its own.
			doc := &object{}
			doc.set("$schema", MetaSchema)
			doc.set("$ref", "#/$defs/frag")
			defs := &object{}
			defs.set("frag", b.schema(tt.typ, "x"))
			defs.set("Node", b.schema(node.Type, "Node"))
			doc.set("$defs", defs)
			content, err := encode(doc)
			if err != nil {
				t.Fatal(err)
			}
			compile(t, "urn:test:"+strings.ReplaceAll(tt.name, " ", "-"), content)
		})
	}
}

// compile compiles a schema with the reference validator, checking it against the draft
// 2020-12 meta-schema, with format and content assertions on.
func compile(t *testing.T, url string, content []byte) *sjs.Schema {
	t.Helper()
	doc, err := sjs.UnmarshalJSON(bytes.NewReader(content))
	if err != nil {
		t.Fatalf("%s: not JSON: %v", url, err)
	}
	c := sjs.NewCompiler()
	c.DefaultDraft(sjs.Draft2020)
	c.AssertFormat()
	c.AssertContent()
	meta, err := c.Compile(MetaSchema)
	if err != nil {
		t.Fatalf("compile meta-schema: %v", err)
	}
	if err := meta.Validate(doc); err != nil {
		t.Fatalf("%s is not valid against the 2020-12 meta-schema: %v\n%s", url, err, content)
	}
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile %s: %v\n%s", url, err, content)
	}
	return sch
}

func instance(t *testing.T, data string) any {
	t.Helper()
	v, err := sjs.UnmarshalJSON(strings.NewReader(data))
	if err != nil {
		t.Fatalf("instance %s: %v", data, err)
	}
	return v
}

// schemas generates m and compiles every file, keyed by path.
func schemas(t *testing.T, m *spec.Model) map[string]*sjs.Schema {
	t.Helper()
	files, err := Generate(m)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	out := map[string]*sjs.Schema{}
	for _, f := range files {
		out[f.Path] = compile(t, "urn:test:"+f.Path, f.Content)
	}
	return out
}

func TestWorkflowFiles(t *testing.T) {
	files, err := Generate(workflowModel(t))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
		if !bytes.HasSuffix(f.Content, []byte("}\n")) || bytes.HasSuffix(f.Content, []byte("\n\n")) {
			t.Errorf("%s does not end in exactly one newline", f.Path)
		}
	}
	want := []string{
		"schemas/workflow.completed.v1.json",
		"schemas/workflow.created.v1.json",
		"schemas/workflow.node.added.v1.json",
		"schemas/workflow.started.v1.json",
		"schemas/workflow.started.v2.json",
	}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("paths\n got %q\nwant %q", paths, want)
	}
	sorted := append([]genfile.File(nil), files...)
	genfile.Sort(sorted)
	for i := range files {
		if files[i].Path != sorted[i].Path {
			t.Errorf("files are not in path order: %s at %d", files[i].Path, i)
		}
	}
}

// TestWorkflowStartedV2 pins one whole file: keyword order, property order, $defs, indent.
func TestWorkflowStartedV2(t *testing.T) {
	m := workflowModel(t)
	e := m.Event("workflow.started")
	got, err := Schema(m, e, e.Version(2))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:eventgen:workflow-engine:workflow.started:v2",
  "title": "workflow.started v2",
  "type": "object",
  "properties": {
    "workflowId": {
      "type": "string"
    },
    "workflowName": {
      "type": "string",
      "minLength": 1
    },
    "nodes": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/Node"
      }
    },
    "connections": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/Connection"
      }
    },
    "triggeredBy": {
      "type": "string",
      "enum": [
        "user",
        "schedule",
        "event"
      ]
    },
    "executionMode": {
      "type": "string",
      "enum": [
        "live",
        "dry-run"
      ]
    },
    "startedAt": {
      "type": "string",
      "format": "date-time"
    },
    "priority": {
      "type": "integer",
      "minimum": 0,
      "maximum": 10
    }
  },
  "required": [
    "workflowId",
    "workflowName",
    "nodes",
    "connections",
    "triggeredBy",
    "executionMode",
    "startedAt"
  ],
  "$defs": {
    "Connection": {
      "description": "An edge between two nodes.",
      "type": "object",
      "properties": {
        "from": {
          "type": "string"
        },
        "to": {
          "type": "string"
        }
      },
      "required": [
        "from",
        "to"
      ]
    },
    "Node": {
      "description": "A step of a workflow graph.",
      "type": "object",
      "properties": {
        "id": {
          "type": "string",
          "pattern": "^n[0-9]+$"
        },
        "type": {
          "type": "string",
          "enum": [
            "http",
            "llm",
            "branch"
          ]
        },
        "config": {
          "description": "Free-form settings of the step.",
          "type": "object",
          "additionalProperties": {
            "type": "string"
          }
        }
      },
      "required": [
        "id",
        "type"
      ]
    }
  }
}
`
	if string(got) != want {
		t.Errorf("workflow.started v2 schema\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestExamplesValidate checks the spec's own examples against the schemas: valid examples
// (and their stated latest form, and the data of rule examples) validate, invalid ones fail.
func TestExamplesValidate(t *testing.T) {
	m := workflowModel(t)
	compiled := schemas(t, m)
	for _, e := range m.Events {
		for i, ex := range e.Examples {
			sch := compiled[Path(e.Type, ex.Version)]
			err := sch.Validate(instance(t, string(ex.Data)))
			switch {
			case ex.Valid && err != nil:
				t.Errorf("%s example %d (v%d) is valid but the schema rejects it: %v", e.Type, i, ex.Version, err)
			case !ex.Valid && err == nil:
				t.Errorf("%s example %d (v%d) is invalid but the schema accepts it", e.Type, i, ex.Version)
			}
			if ex.Latest != nil {
				latest := compiled[Path(e.Type, e.Latest().Number)]
				if err := latest.Validate(instance(t, string(ex.Latest))); err != nil {
					t.Errorf("%s example %d: latest form rejected: %v", e.Type, i, err)
				}
			}
		}
	}
	for _, r := range m.Rules {
		for _, ex := range append(append([]*spec.RuleExample(nil), r.Examples.Matches...), r.Examples.Rejects...) {
			if err := compiled[Path(ex.Type, ex.Version)].Validate(instance(t, string(ex.Data))); err != nil {
				t.Errorf("rule %s example of %s v%d rejected: %v", r.Name, ex.Type, ex.Version, err)
			}
		}
	}
}

// TestInstances checks what the schemas accept and reject, constraint by constraint.
func TestInstances(t *testing.T) {
	ptr := intp
	f := func(name string, typ *spec.Type) *spec.Field { return &spec.Field{Name: name, Type: typ} }
	m := &spec.Model{
		Source: "test",
		Definitions: []*spec.Definition{{Name: "Tree", Type: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
			f("name", &spec.Type{Kind: spec.KindString}),
			{Name: "children", Optional: true, Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Tree"}}},
		}}}},
		Events: []*spec.Event{{Type: "a.b", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{
			f("id", &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^wf-"}, NotPatterns: []string{"tmp"}, MinRunes: ptr(4), MaxRunes: ptr(6)}}),
			f("small", &spec.Type{Kind: spec.KindInt, Bits: 8, Sized: true}),
			f("ratio", &spec.Type{Kind: spec.KindFloat, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0", Exclusive: true}, Max: &spec.Bound{Value: "1"}}}),
			f("mode", &spec.Type{Kind: spec.KindEnum, Enum: []string{"live", "dry-run"}, Default: json.RawMessage(`"live"`)}),
			f("note", &spec.Type{Kind: spec.KindString, Nullable: true}),
			{Name: "tags", Optional: true, Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindString}, Constraints: spec.Constraints{MaxItems: ptr(2), UniqueItems: true}}},
			{Name: "labels", Optional: true, Type: &spec.Type{Kind: spec.KindMap, Elem: &spec.Type{Kind: spec.KindInt}}},
			{Name: "at", Optional: true, Type: &spec.Type{Kind: spec.KindTime}},
			{Name: "blob", Optional: true, Type: &spec.Type{Kind: spec.KindBytes}},
			{Name: "tree", Optional: true, Type: &spec.Type{Kind: spec.KindRef, Ref: "Tree", Nullable: true}},
			{Name: "raw", Optional: true, Type: &spec.Type{Kind: spec.KindAny}},
		}}}}},
	}
	sch := schemas(t, m)["schemas/a.b.v1.json"]
	const base = `"id":"wf-1","small":1,"ratio":0.5,"note":null`
	tests := []struct {
		name  string
		data  string
		valid bool
	}{
		{"minimal", `{` + base + `}`, true},
		{"all fields", `{` + base + `,"mode":"dry-run","tags":["a","b"],"labels":{"x":1},"at":"2026-01-01T00:00:00Z","blob":"aGk=","tree":{"name":"r","children":[{"name":"c"}]},"raw":[1,{"x":null}]}`, true},
		{"null tree", `{` + base + `,"tree":null}`, true},
		{"multibyte runes count once", `{"id":"wf-éé","small":1,"ratio":1,"note":"x"}`, true},
		{"missing required", `{"id":"wf-1","small":1,"ratio":0.5}`, false},
		// Decoders ignore unknown fields (a newer producer may add optional ones), so the
		// schema accepts them.
		{"unknown field", `{` + base + `,"extra":1}`, true},
		{"unknown field in definition", `{` + base + `,"tree":{"name":"r","x":1}}`, true},
		{"pattern", `{"id":"xx-1","small":1,"ratio":0.5,"note":null}`, false},
		{"not pattern", `{"id":"wf-tmp","small":1,"ratio":0.5,"note":null}`, false},
		{"too short", `{"id":"wf-","small":1,"ratio":0.5,"note":null}`, false},
		{"too long", `{"id":"wf-1234","small":1,"ratio":0.5,"note":null}`, false},
		{"int8 overflow", `{"id":"wf-1","small":128,"ratio":0.5,"note":null}`, false},
		{"int8 underflow", `{"id":"wf-1","small":-129,"ratio":0.5,"note":null}`, false},
		{"not an integer", `{"id":"wf-1","small":1.5,"ratio":0.5,"note":null}`, false},
		{"exclusive minimum", `{"id":"wf-1","small":1,"ratio":0,"note":null}`, false},
		{"maximum", `{"id":"wf-1","small":1,"ratio":1.01,"note":null}`, false},
		{"enum", `{` + base + `,"mode":"LIVE"}`, false},
		{"null enum", `{` + base + `,"mode":null}`, false},
		{"null string field ok but not number", `{"id":"wf-1","small":null,"ratio":0.5,"note":null}`, false},
		{"duplicate items", `{` + base + `,"tags":["a","a"]}`, false},
		{"too many items", `{` + base + `,"tags":["a","b","c"]}`, false},
		{"map element", `{` + base + `,"labels":{"x":"1"}}`, false},
		{"date-time", `{` + base + `,"at":"yesterday"}`, false},
		{"base64", `{` + base + `,"blob":"not base64!"}`, false},
		{"recursive definition", `{` + base + `,"tree":{"name":"r","children":[{"name":1}]}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sch.Validate(instance(t, tt.data))
			if tt.valid && err != nil {
				t.Errorf("rejected: %v", err)
			}
			if !tt.valid && err == nil {
				t.Errorf("accepted %s", tt.data)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	first, err := Generate(workflowModel(t))
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := Generate(workflowModel(t))
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(first) {
			t.Fatalf("%d files, then %d", len(first), len(again))
		}
		for i := range first {
			if first[i].Path != again[i].Path || !bytes.Equal(first[i].Content, again[i].Content) {
				t.Fatalf("%s differs between runs", first[i].Path)
			}
		}
	}
}

func TestDiagnostics(t *testing.T) {
	pos := spec.Pos{File: "s.cue", Line: 3, Col: 5}
	tests := []struct {
		name string
		typ  *spec.Type
		want string
	}{
		{"unknown definition", &spec.Type{Kind: spec.KindRef, Ref: "Missing", Pos: pos},
			`s.cue:3:5: events."a.b".v1.f: #Missing is not a definition of the spec; define it or fix the name`},
		{"bad bound", &spec.Type{Kind: spec.KindInt, Pos: pos, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0x10"}}},
			`s.cue:3:5: events."a.b".v1.f: the bound "0x10" is not a decimal number`},
		{"invalid kind", &spec.Type{Pos: pos}, `s.cue:3:5: events."a.b".v1.f: type kind invalid has no JSON Schema form`},
		{"list without element", &spec.Type{Kind: spec.KindList, Pos: pos}, `s.cue:3:5: events."a.b".v1.f[]: the list has no element type`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &spec.Model{Events: []*spec.Event{
				{Type: "a.b", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{{Name: "f", Type: tt.typ}}}}},
				{Type: "c.d", Versions: []*spec.Version{{Number: 1}}},
			}}
			files, err := Generate(m)
			var ds spec.Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("error %v is not spec.Diagnostics", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if len(files) != 1 || files[0].Path != "schemas/c.d.v1.json" {
				t.Errorf("the other event's schema should still be generated, got %v", files)
			}
		})
	}
}

func TestID(t *testing.T) {
	tests := []struct {
		source, typ string
		n           int
		want        string
	}{
		{"workflow-engine", "workflow.started", 2, "urn:eventgen:workflow-engine:workflow.started:v2"},
		{"com.example/orders svc", "a.b", 1, "urn:eventgen:com.example%2Forders%20svc:a.b:v1"},
		{"x:y", "a.b", 10, "urn:eventgen:x%3Ay:a.b:v10"},
	}
	for _, tt := range tests {
		if got := ID(tt.source, tt.typ, tt.n); got != tt.want {
			t.Errorf("ID(%q, %q, %d) = %s, want %s", tt.source, tt.typ, tt.n, got, tt.want)
		}
	}
	// An event's own source wins over the model's.
	m := &spec.Model{Source: "default", Events: []*spec.Event{{Type: "a.b", Source: "own", Versions: []*spec.Version{{Number: 1}}}}}
	files, err := Generate(m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files[0].Content, []byte(`"$id": "urn:eventgen:own:a.b:v1"`)) {
		t.Errorf("event source not used:\n%s", files[0].Content)
	}
}
