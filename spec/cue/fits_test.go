package cue

import (
	"os"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

// TestFitsSchema checks the shortcut past the schema: it must never accept a spec that
// schema.cue rejects, and it must accept ordinary specs, or loading loses its speed.
func TestFitsSchema(t *testing.T) {
	workflow, err := os.ReadFile("testdata/workflow.cue")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, src string
		fits      bool // whether the shortcut must accept the spec
	}{
		{"workflow example", string(workflow), true},
		{"empty", ``, true},
		{"settings", `eventgen: {source: "s", package: "p", bus: "b"}`, true},
		{"definitions and hidden fields at the root", "#A: {a: string}\n_x: 1\nevents: \"a.b\": v1: a: #A", true},
		{"event", `events: "a.b": {aggregate: "A", source: "s", v1: {a: string}, v2: {v1, b?: int}, upcast: v1: {set: b: 1, rename: a: "c", drop: ["x"], custom: false}, examples: [{version: 1, data: {a: "x"}, latest: {a: "x"}, valid: true}]}`, true},
		{"aggregate", `aggregates: A: id: "aId"`, true},
		{"rule", `rules: r: {description: "d", bus: "b", on: ["a.b", {prefix: "a."}], match: data: x: ["y"], tenantScoped: true, pattern: {source: ["s"]}, examples: {matches: [{type: "a.b", version: 1, metadata: {}, data: {}}], rejects: []}, targets: [{arn: "x", deadLetterArn: "y", maxRetries: 185, maxEventAgeSeconds: 60}]}`, true},
		{"handler", `handlers: h: {on: ["a.b"], rule: "r", unknown: "fail"}`, true},

		{"unknown top-level key", `evnts: {}`, false},
		{"unknown event key", `events: "a.b": {aggregat: "X", v1: {}}`, false},
		{"bad version key", `events: "a.b": {v1x: {}}`, false},
		{"version not a struct", `events: "a.b": {v1: 5}`, false},
		{"unknown upcast step", `events: "a.b": {v1: {}, upcast: first: set: {}}`, false},
		{"unknown upcast key", `events: "a.b": {v1: {}, upcast: v1: sett: {}}`, false},
		{"rename to a number", `events: "a.b": {v1: {}, upcast: v1: rename: a: 1}`, false},
		{"drop of numbers", `events: "a.b": {v1: {}, upcast: v1: drop: [1]}`, false},
		{"custom not bool", `events: "a.b": {v1: {}, upcast: v1: custom: "yes"}`, false},
		{"example version a string", `events: "a.b": {v1: {}, examples: [{version: "1", data: {}}]}`, false},
		{"example unknown key", `events: "a.b": {v1: {}, examples: [{version: 1, data: {}, extra: 1}]}`, false},
		{"examples not a list", `events: "a.b": {v1: {}, examples: {version: 1}}`, false},
		{"unknown settings key", `eventgen: sorce: "x"`, false},
		{"setting not a string", `eventgen: source: 5`, false},
		{"aggregate without struct", `aggregates: A: "aId"`, false},
		{"aggregate unknown key", `aggregates: A: {id: "x", key: "y"}`, false},
		{"unknown handler key", `handlers: h: {on: ["a.b"], unknwn: "skip"}`, false},
		{"handler on a number", `handlers: h: on: [1]`, false},
		{"target out of bounds", `rules: r: targets: [{arn: "x", maxRetries: 500}]`, false},
		{"target age too low", `rules: r: targets: [{arn: "x", maxEventAgeSeconds: 59}]`, false},
		{"rule unknown key", `rules: r: {matches: {}}`, false},
		{"rule example without closed keys", `rules: r: examples: matches: [{type: "a.b", version: 1, data: {}, extra: 1}]`, false},
		{"rule on a number", `rules: r: on: [1]`, false},
		{"open list", `handlers: h: on: [...int]`, false},
		{"optional setting", `eventgen: source?: "x"`, false},
		{"hidden field in an event", `events: "a.b": {v1: {}, _x: 1}`, false},
		{"definition in an event", `events: "a.b": {v1: {}, #X: 1}`, false},
	}
	ctx := cuecontext.New()
	schema := ctx.CompileBytes(schemaSource, cue.Filename(schemaFile)).LookupPath(cue.MakePath(cue.Def("Spec")))
	if err := schema.Err(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := ctx.CompileString(tt.src)
			if err := user.Validate(); err != nil {
				t.Fatalf("the spec is not valid CUE: %v", err)
			}
			got := fitsSchema(user)
			if got != tt.fits {
				t.Errorf("fitsSchema = %v, want %v", got, tt.fits)
			}
			if schemaErr := user.Unify(schema).Validate(); got && schemaErr != nil {
				t.Errorf("fitsSchema accepted a spec the schema rejects: %v", schemaErr)
			}
		})
	}
}

// FuzzFitsSchema looks for a spec that the shortcut accepts and the schema rejects:
//
//	go test -fuzz FuzzFitsSchema ./spec/cue
func FuzzFitsSchema(f *testing.F) {
	if src, err := os.ReadFile("testdata/workflow.cue"); err == nil {
		f.Add(string(src))
	}
	f.Add(`events: "a.b": {v1: {}, upcast: v1: {set: {}, rename: a: "b", drop: ["c"], custom: true}}`)
	f.Add(`rules: r: {on: ["a.b"], targets: [{arn: "x", maxRetries: 3, maxEventAgeSeconds: 60}]}`)
	f.Add(`handlers: h: {on: ["a.b"], rule: "r", unknown: "skip"}` + "\naggregates: A: id: \"a\"")
	ctx := cuecontext.New()
	schema := ctx.CompileBytes(schemaSource, cue.Filename(schemaFile)).LookupPath(cue.MakePath(cue.Def("Spec")))
	f.Fuzz(func(t *testing.T, src string) {
		user := ctx.CompileString(src)
		if user.Err() != nil || user.Validate() != nil || !fitsSchema(user) {
			return
		}
		if err := user.Unify(schema).Validate(); err != nil {
			t.Errorf("fitsSchema accepted a spec the schema rejects: %v", err)
		}
	})
}
