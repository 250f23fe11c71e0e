package check

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/spec"
	speccue "github.com/eventgen/eventgen/spec/cue"
)

const base = `
aggregates: Workflow: id: "workflowId"
`

func TestCheck(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"valid", base + `events: "workflow.created": {aggregate: "Workflow", v1: workflowId: string}`, ``},
		{"event type form", `events: "Workflow": v1: {}`, `spec.cue:1:9: events.Workflow: an event type is lower case and dot-separated with at least two parts (domain.entity.action), as in "workflow.started"`},
		{"no version", `events: "a.b": {}`, `spec.cue:1:9: events."a.b": the event has no version; add v1: {...} with its payload fields`},
		{"gap", `events: "a.b": {v1: {}, v3: {}}`, `spec.cue:1:25: events."a.b": version v3 follows v1; add v2 or renumber`},
		{"first not v1", `events: "a.b": {v2: {}}`, `spec.cue:1:17: events."a.b": the first version is v2; versions start at v1, so add v1 or renumber`},
		{"unknown aggregate", `events: "a.b": {aggregate: "Order", v1: {}}`, `spec.cue:1:17: events."a.b".aggregate: unknown aggregate "Order"; declare it, as in aggregates: Order: id: "..."`},
		{"missing id", base + `events: "a.b": {aggregate: "Workflow", v1: {}}`, `spec.cue:3:40: events."a.b".v1: events of aggregate Workflow carry its id; add the field workflowId: string`},
		{"optional id", base + `events: "a.b": {aggregate: "Workflow", v1: workflowId?: string}`, `spec.cue:3:44: events."a.b".v1.workflowId: the id of aggregate Workflow must be required; remove the ?`},
		{"int id", base + `events: "a.b": {aggregate: "Workflow", v1: workflowId: int}`, `spec.cue:3:44: events."a.b".v1.workflowId: the id of aggregate Workflow must be a string, not int`},
		{"aggregate name", `aggregates: workflow: id: "x"`, `spec.cue:1:13: aggregates.workflow: aggregate names are PascalCase, as in Workflow; rename it`},
		{"rule name", `rules: Live_Runs: on: ["a.b"]`, `spec.cue:1:8: rules.Live_Runs: rule names are kebab-case, as in live-runs-of-org-123; rename it`},
		{"handler unknown event", `events: "a.b": v1: {}` + "\n" + `handlers: h: on: ["a.c"]`, `spec.cue:2:19: handlers.h.on: unknown event type "a.c"; declare it under events or fix the name`},
		{"handler unknown rule", `handlers: h: rule: "r"`, `spec.cue:1:11: handlers.h.rule: unknown rule "r"; declare it under rules or fix the name`},
		{"handler both", `events: "a.b": v1: {}` + "\n" + `rules: r: on: ["a.b"]` + "\n" + `handlers: h: {on: ["a.b"], rule: "r"}`, `spec.cue:3:11: handlers.h: give either on or rule, not both`},
		{"handler unknown mode", `events: "a.b": v1: {}` + "\n" + `handlers: h: {on: ["a.b"], unknown: "retry"}`, `spec.cue:2:11: handlers.h.unknown: must be "skip" or "fail", not "retry"`},
		{"handler name", `events: "a.b": v1: {}` + "\n" + `handlers: RunDash: on: ["a.b"]`, `spec.cue:2:11: handlers.RunDash: handler names are kebab-case, as in run-dashboard; rename it`},
		{"example version", `events: "a.b": {v1: {}, examples: [{version: 2, data: {}}]}`, `spec.cue:1:36: events."a.b".examples[0]: version 2 does not exist; the event has v1..v1`},
		{"invalid example", "import \"strings\"\n" + `events: "a.b": {v1: name: strings.MinRunes(1), examples: [{version: 1, data: name: ""}]}`, `spec.cue:2:59: events."a.b".examples[0] is not a valid v1 payload: name must have at least 1 rune; fix the example or mark it valid: false`},
		{"valid false passes", `events: "workflow.started": {v1: name: string, examples: [{version: 1, data: name: "x"}, {version: 1, data: name: "y", valid: false}]}`, `spec.cue:1:90: events."workflow.started".examples[1] is marked valid: false but passes every constraint`},
		{"latest on latest", `events: "a.b": {v1: {}, examples: [{version: 1, data: {}, latest: {}}]}`, ``},
		{"invalid latest on latest", `events: "a.b": {v1: {n: int}, examples: [{version: 1, data: {n: 1}, latest: {n: "x"}}]}`, `spec.cue:1:42: events."a.b".examples[0]: latest is not a valid v1 payload: n must be an integer`},
		{"unknown field warns", `events: "a.b": {v1: {n: int}, examples: [{version: 1, data: {n: 1, extra: 1}}]}`, `spec.cue:1:42: warning: events."a.b".examples[0].data.extra: not a field of v1; decoders ignore it`},
		{"unknown nested field warns", `events: "a.b": {v1: {s: {n: int}}, examples: [{version: 1, data: {s: {n: 1, extra: 1}}}]}`, `spec.cue:1:47: warning: events."a.b".examples[0].data.s.extra: not a field of its type; decoders ignore it`},
		{"valid false only unknown", `events: "a.b": {v1: {n: int}, examples: [{version: 1, data: {n: 1, extra: 1}, valid: false}]}`, "spec.cue:1:42: events.\"a.b\".examples[0] is marked valid: false but passes every constraint; decoders ignore unknown fields\nspec.cue:1:42: warning: events.\"a.b\".examples[0].data.extra: not a field of v1; decoders ignore it"},
		{"missing required is invalid", `events: "a.b": {v1: {n: int, at: _, s: {x: string}}, examples: [{version: 1, data: {s: {}}, valid: false}, {version: 1, data: {n: null, at: 1, s: {x: "a"}}, valid: false}]}`, ``},
		{"bad package", "eventgen: package: \"bad-name\"\n" + `events: "a.b": v1: {}`, `spec.cue:1:1: eventgen.package: "bad-name" is not a Go package name; use a lower-case identifier, as in package: "workflowevents"`},
		{"keyword package", "eventgen: package: \"type\"\n" + `events: "a.b": v1: {}`, `spec.cue:1:1: eventgen.package: "type" is not a Go package name; use a lower-case identifier, as in package: "workflowevents"`},
		{"bad field names", `events: "a.b": v1: {"a,b": int, "q\"": int, ok: {"x\\y": int}, "with space-and.dots": int}`,
			"spec.cue:1:21: events.\"a.b\".v1.\"a,b\": the field name \"a,b\" cannot be a JSON name of generated Go (a struct tag cannot carry it); use letters, digits and punctuation other than , \" ` and \\\n" +
				"spec.cue:1:33: events.\"a.b\".v1.\"q\\\"\": the field name \"q\\\"\" cannot be a JSON name of generated Go (a struct tag cannot carry it); use letters, digits and punctuation other than , \" ` and \\\n" +
				"spec.cue:1:50: events.\"a.b\".v1.ok.\"x\\\\y\": the field name \"x\\\\y\" cannot be a JSON name of generated Go (a struct tag cannot carry it); use letters, digits and punctuation other than , \" ` and \\"},
		{"empty aggregate", `events: "a.b": {aggregate: "", v1: {}}`, `spec.cue:1:17: events."a.b".aggregate: the aggregate name is empty; name a declared aggregate or remove aggregate`},
		{"invalid latest", `events: "a.b": {v1: {}, v2: {n: int}, examples: [{version: 1, data: {}, latest: {n: "x"}}]}`, `spec.cue:1:50: events."a.b".examples[0]: latest is not a valid v2 payload: n must be an integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := speccue.LoadSource("spec.cue", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			ds := withoutSourceWarning(Check(m))
			got := ""
			if len(ds) > 0 {
				got = ds.Error()
			}
			if got != tt.want {
				t.Errorf("findings\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestLint(t *testing.T) {
	src := "#Used: {a: string}\n#Unused: {b: string}\n" + `events: "a.b": v1: u: #Used` + "\n// Documented.\n" + `events: "a.c": v1: {}` + "\n" + `rules: r: on: ["a.b"]`
	m, err := speccue.LoadSource("spec.cue", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`spec.cue:2:1: warning: #Unused is not used by any event; use it or remove it`,
		`spec.cue:3:9: warning: events."a.b": add a doc comment saying what happened`,
	}, "\n")
	if got := Lint(m).Error(); got != want {
		t.Errorf("lint\n got: %s\nwant: %s", got, want)
	}
}

func TestPayload(t *testing.T) {
	src := `
import ("strings", "list", "time")
#Node: {id: string & =~"^n[0-9]+$"}
events: "a.b": v1: {
	name:  string & strings.MinRunes(1) & strings.MaxRunes(3)
	mode:  *"live" | "dry-run"
	nodes: [...#Node] & list.MaxItems(2) & list.UniqueItems()
	small: int8
	count: uint & >0 & <=10
	ratio?: float & >=0.5
	at:    time.Time
	blob:  bytes
	tags?: {[string]: bool}
	maybe: string | null
	sub: {x!: int}
}
`
	m, err := speccue.LoadSource("spec.cue", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	v := m.Events[0].Versions[0]
	tests := []struct {
		data string
		want []event.Violation
	}{
		{`{"name":"ab","nodes":[{"id":"n1"}],"small":1,"count":3,"at":"2026-01-01T00:00:00Z","blob":"aGk=","maybe":null,"sub":{"x":1}}`, nil},
		{`{"name":"","mode":"x","nodes":[{"id":"a"},{"id":"a"},{"id":"a"}],"small":200,"count":0,"ratio":0.1,"at":"yesterday","blob":"!!","tags":{"k":1},"sub":{},"extra":1}`, []event.Violation{
			{Path: "name", Message: "must have at least 1 rune"},
			{Path: "mode", Message: `must be one of "live", "dry-run"`},
			{Path: "nodes[0].id", Message: `must match "^n[0-9]+$"`},
			{Path: "nodes[1].id", Message: `must match "^n[0-9]+$"`},
			{Path: "nodes[2].id", Message: `must match "^n[0-9]+$"`},
			{Path: "nodes", Message: "must have at most 2 items"},
			{Path: "nodes", Message: "must not contain duplicate items"},
			{Path: "small", Message: "must fit in int8"},
			{Path: "count", Message: "must be > 0"},
			{Path: "ratio", Message: "must be >= 0.5"},
			{Path: "at", Message: "must be an RFC 3339 time"},
			{Path: "blob", Message: "must be base64-encoded bytes"},
			{Path: `tags["k"]`, Message: "must be true or false"},
			{Path: "maybe", Message: "is required"},
			{Path: "sub.x", Message: "is required"},
		}},
		{`{"name":"abcd","nodes":null,"small":1.5,"count":-1,"at":"2026-01-01T00:00:00Z","blob":"","maybe":"x","sub":{"x":1}}`, []event.Violation{
			{Path: "name", Message: "must have at most 3 runes"},
			{Path: "nodes", Message: "must not be null"},
			{Path: "small", Message: "must be an integer"},
			{Path: "count", Message: "must fit in uint"},
		}},
		{`[]`, []event.Violation{{Path: "", Message: "must be an object"}}},
	}
	for _, tt := range tests {
		got := Payload(m, v, json.RawMessage(tt.data))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Payload(%s) (-want +got):\n%s", tt.data, diff)
		}
	}
}

func TestCheckTypeConstraints(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"bad regex", `events: "a.b": v1: x: string & =~"("`,
			"spec.cue:1:23: events.\"a.b\".v1.x: the regular expression \"(\" is not valid RE2 (error parsing regexp: missing closing ): `(`); fix it"},
		{"bad negated regex in a definition", "#D: {y: string & !~\"[\"}\nevents: \"a.b\": v1: d: #D",
			"spec.cue:1:9: #D.y: the regular expression \"[\" is not valid RE2 (error parsing regexp: missing closing ]: `[`); fix it"},
		{"runes", "import \"strings\"\nevents: \"a.b\": v1: x: string & strings.MinRunes(3) & strings.MaxRunes(2)",
			`spec.cue:2:23: events."a.b".v1.x: at least 3 and at most 2 runes: no string fits; swap or fix the bounds`},
		{"nested", `events: "a.b": v1: s: {inner: [...string & =~"a{2,1}"]}`,
			"spec.cue:1:35: events.\"a.b\".v1.s.inner[]: the regular expression \"a{2,1}\" is not valid RE2 (error parsing regexp: invalid repeat count: `{2,1}`); fix it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := speccue.LoadSource("spec.cue", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			got := withoutSourceWarning(Check(m)).Error()
			if got != tc.want {
				t.Errorf("Check:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// withoutSourceWarning drops the warning about a missing eventgen.source, which most specs of
// these tests lack on purpose; TestSourceWarning checks it.
func withoutSourceWarning(ds spec.Diagnostics) spec.Diagnostics {
	var out spec.Diagnostics
	for _, d := range ds {
		if !strings.Contains(d.Message, "no source is set") {
			out = append(out, d)
		}
	}
	return out
}

func TestSourceWarning(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"no source at all", `events: "a.b": v1: {}` + "\n" + `events: "c.d": v1: {}`,
			`spec.cue:1:1: warning: eventgen.source: no source is set, so every envelope would carry an empty source; set eventgen: source: "..." (as in "com.example.workflows")`},
		{"one event without", `events: "a.b": {source: "s", v1: {}}` + "\n" + `events: "c.d": v1: {}`,
			`spec.cue:2:9: warning: events."c.d": no source is set, so its envelopes would carry an empty source; set eventgen: source: "..." or the event's source`},
		{"default source", "eventgen: source: \"s\"\n" + `events: "a.b": v1: {}`, ``},
		{"no events", `#D: string`, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := speccue.LoadSource("spec.cue", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			ds := Check(m)
			got := ""
			if len(ds) > 0 {
				got = ds.Error()
			}
			if got != tc.want {
				t.Errorf("Check:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}
