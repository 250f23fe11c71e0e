package evolve

import (
	"testing"

	"github.com/eventgen/eventgen/spec"
	"github.com/google/go-cmp/cmp"
)

const stepPrefix = `events."workflow.started".upcast.v1: `

func TestCheckUpcasts(t *testing.T) {
	node := def("Node", tStruct(req("id", tString(), 90)))
	nodeCopy := def("NodeCopy", tStruct(req("id", tString(), 91)))
	nodeWider := def("NodeWider", tStruct(req("id", tString(), 92), opt("label", tString(), 93)))
	tests := []struct {
		name  string
		v1    []*spec.Field
		v2    []*spec.Field
		steps []*spec.Upcast
		defs  []*spec.Definition
		want  []string
	}{
		// Sources that are complete.
		{
			name: "same field, same type",
			v1:   []*spec.Field{req("workflowId", tString(), 10)},
			v2:   []*spec.Field{req("workflowId", tString(), 20)},
		},
		{
			name: "assignable widenings",
			v1: []*spec.Field{
				req("a", tInt(32, false), 10), req("b", tInt(8, true), 11), req("c", tFloat(32), 12),
				req("d", tString(), 13), req("e", tString(), 14), req("f", tEnum("user", "schedule"), 15),
				req("g", tInt(0, false), 16), req("h", tInt(16, true), 17),
			},
			v2: []*spec.Field{
				req("a", tInt(64, false), 20), req("b", tInt(16, false), 21), req("c", tFloat(64), 22),
				opt("d", tString(), 23), req("e", nullable(tString()), 24), req("f", tEnum("user", "schedule", "event"), 25),
				req("g", tInt(64, false), 26), req("h", tInt(64, true), 27),
			},
		},
		{
			name: "nested structs, lists and maps element-wise",
			v1: []*spec.Field{
				req("s", tStruct(req("n", tInt(32, false), 30), opt("o", tString(), 31)), 10),
				req("l", tList(tInt(8, false)), 11),
				req("m", tMap(tEnum("a")), 12),
			},
			v2: []*spec.Field{
				req("s", tStruct(req("n", tInt(64, false), 40), opt("o", tString(), 41), opt("p", tBool(), 42)), 20),
				req("l", tList(tInt(16, false)), 21),
				req("m", tMap(tEnum("a", "b")), 22),
			},
		},
		{
			name: "refs to the same or a structurally assignable definition",
			v1:   []*spec.Field{req("n", tRef("Node"), 10), req("m", tRef("Node"), 11), req("w", tList(tRef("Node")), 12)},
			v2:   []*spec.Field{req("n", tRef("Node"), 20), req("m", tRef("NodeCopy"), 21), req("w", tList(tRef("NodeWider")), 22)},
			defs: []*spec.Definition{node, nodeCopy, nodeWider},
		},
		{
			name:  "rename, set, drop and optional",
			v1:    []*spec.Field{req("name", tString(), 10), req("legacy", tBool(), 11)},
			v2:    []*spec.Field{req("workflowName", tString(), 20), req("mode", tEnum("live", "dry-run"), 21), req("startedAt", tTime(), 22), opt("priority", bounded(tInt(0, false), "0", "10"), 23)},
			steps: []*spec.Upcast{step(1, 30, rename("name", "workflowName", 31), set("mode", `"live"`, 32), set("startedAt", `"1970-01-01T00:00:00Z"`, 33), drop("legacy", 34))},
		},
		{
			name:  "a type change written as drop and set",
			v1:    []*spec.Field{req("priority", tString(), 10)},
			v2:    []*spec.Field{req("priority", tInt(0, false), 20)},
			steps: []*spec.Upcast{step(1, 30, drop("priority", 31), set("priority", `5`, 32))},
		},
		{
			name:  "a swap of two fields by renames",
			v1:    []*spec.Field{req("a", tString(), 10), req("b", tString(), 11)},
			v2:    []*spec.Field{req("a", tString(), 20), req("b", tString(), 21)},
			steps: []*spec.Upcast{step(1, 30, rename("a", "b", 31), rename("b", "a", 32))},
		},
		{
			name:  "custom: nothing else is checked",
			v1:    []*spec.Field{req("a", tString(), 10)},
			v2:    []*spec.Field{req("b", tInt(0, false), 20)},
			steps: []*spec.Upcast{step(1, 30, true)},
		},

		// Missing and superfluous sources.
		{
			name: "no source",
			v1:   []*spec.Field{req("workflowId", tString(), 10)},
			v2:   []*spec.Field{req("workflowId", tString(), 20), req("startedAt", tTime(), 21)},
			want: []string{`s.cue:21:3: ` + stepPrefix + `field startedAt of v2 has no source in v1; add set: {startedAt: ...}, rename: {oldName: "startedAt"}, make it optional in v2, or write the step by hand with custom: true`},
		},
		{
			name: "field lost without drop",
			v1:   []*spec.Field{req("workflowId", tString(), 10), req("legacy", tBool(), 11)},
			v2:   []*spec.Field{req("workflowId", tString(), 20)},
			want: []string{`s.cue:11:3: ` + stepPrefix + `field legacy of v1 is not in v2; add drop: ["legacy"] to lose it on purpose, rename: {legacy: "newName"} to keep it, or write the step by hand with custom: true`},
		},
		{
			name:  "a dropped field with no other source",
			v1:    []*spec.Field{req("a", tString(), 10)},
			v2:    []*spec.Field{req("a", tString(), 20)},
			steps: []*spec.Upcast{step(1, 30, drop("a", 31))},
			want:  []string{`s.cue:20:3: ` + stepPrefix + `field a of v2 has no source in v1; add set: {a: ...}, rename: {oldName: "a"}, make it optional in v2, or write the step by hand with custom: true`},
		},

		// Types that are not assignable.
		{
			name: "narrowing an int",
			v1:   []*spec.Field{req("n", tInt(64, false), 10)},
			v2:   []*spec.Field{req("n", tInt(32, false), 20)},
			want: []string{`s.cue:20:3: ` + stepPrefix + `field n of v2: cannot take the value of field n of v1: int64 is not assignable to int32 (an integer kind may only widen: int8→int16→int32→int64, uint8→…→uint64, uintN→intM when M > N); add drop: ["n"] and set: {n: ...}, or write the step by hand with custom: true`},
		},
		{
			name: "uint64 to int64 and int to float",
			v1:   []*spec.Field{req("u", tInt(64, true), 10), req("f", tInt(0, false), 11)},
			v2:   []*spec.Field{req("u", tInt(64, false), 20), req("f", tFloat(0), 21)},
			want: []string{
				`s.cue:20:3: ` + stepPrefix + `field u of v2: cannot take the value of field u of v1: uint64 is not assignable to int64 (an integer kind may only widen: int8→int16→int32→int64, uint8→…→uint64, uintN→intM when M > N); add drop: ["u"] and set: {u: ...}, or write the step by hand with custom: true`,
				`s.cue:21:3: ` + stepPrefix + `field f of v2: cannot take the value of field f of v1: int is not assignable to number; add drop: ["f"] and set: {f: ...}, or write the step by hand with custom: true`,
			},
		},
		{
			name: "enum to a subset, nullable to non-nullable, optional to required",
			v1:   []*spec.Field{req("e", tEnum("a", "b", "c"), 10), req("n", nullable(tString()), 11), opt("o", tString(), 12)},
			v2:   []*spec.Field{req("e", tEnum("a"), 20), req("n", tString(), 21), req("o", tString(), 22)},
			want: []string{
				`s.cue:20:3: ` + stepPrefix + `field e of v2: cannot take the value of field e of v1: "a" lacks "b", "c"; add drop: ["e"] and set: {e: ...}, or write the step by hand with custom: true`,
				`s.cue:21:3: ` + stepPrefix + `field n of v2: cannot take the value of field n of v1: string | null may be null but string may not; add drop: ["n"] and set: {n: ...}, or write the step by hand with custom: true`,
				`s.cue:22:3: ` + stepPrefix + `field o of v2: field o of v1 is optional but o of v2 is required; make o optional in v2, add drop: ["o"] and set: {o: ...}, or write the step by hand with custom: true`,
			},
		},
		{
			name: "nested struct losing a field, list of a wider definition the other way",
			v1:   []*spec.Field{req("s", tStruct(req("x", tString(), 30), req("y", tString(), 31)), 10), req("w", tList(tRef("NodeWider")), 11)},
			v2:   []*spec.Field{req("s", tStruct(req("x", tString(), 40)), 20), req("w", tList(tRef("Node")), 21)},
			defs: []*spec.Definition{node, nodeWider},
			want: []string{
				`s.cue:20:3: ` + stepPrefix + `field s of v2: cannot take the value of field s of v1: field y would be lost; add drop: ["s"] and set: {s: ...}, or write the step by hand with custom: true`,
				`s.cue:21:3: ` + stepPrefix + `field w of v2: cannot take the value of field w of v1: element: field label would be lost; add drop: ["w"] and set: {w: ...}, or write the step by hand with custom: true`,
			},
		},

		// set.
		{
			name: "set values that their field rejects",
			v1:   []*spec.Field{},
			v2: []*spec.Field{
				req("p", bounded(tInt(0, false), "0", "10"), 20), req("m", tEnum("live", "dry-run"), 21),
				req("t", tTime(), 22), req("id", pattern(tString(), "^wf-"), 23), req("b", tInt(8, false), 24), req("s", tString(), 25),
			},
			steps: []*spec.Upcast{step(1, 30, set("p", `11`, 31), set("m", `"test"`, 32), set("t", `"yesterday"`, 33), set("id", `"x"`, 34), set("b", `300`, 35), set("s", `1`, 36))},
			want: []string{
				`s.cue:31:3: ` + stepPrefix + `set: {p: 11}: 11 is above the maximum <=10; give a value that v2.p accepts`,
				`s.cue:32:3: ` + stepPrefix + `set: {m: "test"}: "test" is not one of "live" | "dry-run"; give a value that v2.m accepts`,
				`s.cue:33:3: ` + stepPrefix + `set: {t: "yesterday"}: "yesterday" is not an RFC 3339 time; give a value that v2.t accepts`,
				`s.cue:34:3: ` + stepPrefix + `set: {id: "x"}: "x" does not match =~"^wf-"; give a value that v2.id accepts`,
				`s.cue:35:3: ` + stepPrefix + `set: {b: 300}: 300 is out of range of int8; give a value that v2.b accepts`,
				`s.cue:36:3: ` + stepPrefix + `set: {s: 1}: 1 is not a value of string; give a value that v2.s accepts`,
			},
		},
		{
			name:  "set on a field v1 already gives",
			v1:    []*spec.Field{req("mode", tString(), 10)},
			v2:    []*spec.Field{req("mode", tString(), 20)},
			steps: []*spec.Upcast{step(1, 30, set("mode", `"live"`, 31))},
			want:  []string{`s.cue:31:3: ` + stepPrefix + `set: {mode: "live"}: field mode of v2 already gets the value of field mode of v1; a field takes exactly one source, so remove the set, or add drop: ["mode"] to replace the old value`},
		},
		{
			name:  "set and rename into one field",
			v1:    []*spec.Field{req("name", tString(), 10)},
			v2:    []*spec.Field{req("title", tString(), 20)},
			steps: []*spec.Upcast{step(1, 30, rename("name", "title", 31), set("title", `"x"`, 32))},
			want:  []string{`s.cue:32:3: ` + stepPrefix + `set: {title: "x"}: field title of v2 also gets a value from rename: {name: "title"}; a field takes exactly one source, so remove one`},
		},
		{
			name:  "set on a field v2 lacks",
			v1:    []*spec.Field{},
			v2:    []*spec.Field{},
			steps: []*spec.Upcast{step(1, 30, set("ghost", `1`, 31))},
			want:  []string{`s.cue:31:3: ` + stepPrefix + `set: {ghost: 1}: v2 has no field ghost; remove the entry or add the field to v2`},
		},

		// rename.
		{
			name:  "rename from a missing field and into a missing field",
			v1:    []*spec.Field{req("a", tString(), 10)},
			v2:    []*spec.Field{req("a", tString(), 20)},
			steps: []*spec.Upcast{step(1, 30, rename("nope", "a", 31), rename("a", "nowhere", 32))},
			want: []string{
				// A rename that cannot apply is reported once and otherwise ignored: field a
				// still comes from v1's a, so there is no follow-on finding.
				`s.cue:31:3: ` + stepPrefix + `rename: {nope: "a"}: v1 has no field nope; rename a field that v1 has`,
				`s.cue:32:3: ` + stepPrefix + `rename: {a: "nowhere"}: v2 has no field nowhere; rename into a field of v2, or drop: ["a"] to lose it`,
			},
		},
		{
			name:  "rename of an unassignable type",
			v1:    []*spec.Field{req("count", tString(), 10)},
			v2:    []*spec.Field{req("total", tInt(0, false), 20)},
			steps: []*spec.Upcast{step(1, 30, rename("count", "total", 31))},
			want:  []string{`s.cue:31:3: ` + stepPrefix + `rename: {count: "total"}: cannot take the value of field count of v1: string is not assignable to int; add drop: ["count"] and set: {total: ...}, or write the step by hand with custom: true`},
		},
		{
			name:  "rename into a field that v1 still gives",
			v1:    []*spec.Field{req("a", tString(), 10), req("b", tString(), 11)},
			v2:    []*spec.Field{req("b", tString(), 20)},
			steps: []*spec.Upcast{step(1, 30, rename("a", "b", 31))},
			want:  []string{`s.cue:31:3: ` + stepPrefix + `rename: {a: "b"}: field b of v2 already gets the value of field b of v1; a field takes exactly one source, so add drop: ["b"] or rename b too`},
		},
		{
			name:  "two renames into one field, one field renamed twice",
			v1:    []*spec.Field{req("a", tString(), 10), req("b", tString(), 11)},
			v2:    []*spec.Field{req("c", tString(), 20), req("d", tString(), 21)},
			steps: []*spec.Upcast{step(1, 30, rename("a", "c", 31), rename("b", "c", 32), rename("a", "d", 33))},
			want: []string{
				`s.cue:11:3: ` + stepPrefix + `field b of v1 is not in v2; add drop: ["b"] to lose it on purpose, rename: {b: "newName"} to keep it, or write the step by hand with custom: true`,
				`s.cue:21:3: ` + stepPrefix + `field d of v2 has no source in v1; add set: {d: ...}, rename: {oldName: "d"}, make it optional in v2, or write the step by hand with custom: true`,
				`s.cue:32:3: ` + stepPrefix + `rename: {b: "c"}: field c of v2 already gets its value from rename: {a: "c"}; a field takes exactly one source, so keep one rename`,
				`s.cue:33:3: ` + stepPrefix + `rename: {a: "d"}: field a of v1 is already renamed to c; keep one rename`,
			},
		},

		// drop.
		{
			name:  "drop of a missing field, drop of a renamed field",
			v1:    []*spec.Field{req("a", tString(), 10)},
			v2:    []*spec.Field{req("b", tString(), 20)},
			steps: []*spec.Upcast{step(1, 30, rename("a", "b", 31), drop("a", 32), drop("ghost", 33))},
			want: []string{
				`s.cue:32:3: ` + stepPrefix + `drop: ["a"]: field a of v1 is also renamed to b; a field is either dropped or renamed, so remove one`,
				`s.cue:33:3: ` + stepPrefix + `drop: ["ghost"]: v1 has no field ghost; remove it from drop`,
			},
		},

		// custom.
		{
			name:  "custom mixed with set, rename and drop",
			v1:    []*spec.Field{req("a", tString(), 10)},
			v2:    []*spec.Field{req("b", tString(), 20)},
			steps: []*spec.Upcast{step(1, 30, true, set("b", `"x"`, 31), rename("a", "b", 32), drop("a", 33))},
			want: []string{
				`s.cue:31:3: ` + stepPrefix + `set: {b: "x"} has no effect in a step with custom: true (the whole step is hand-written); remove it, or remove custom: true`,
				`s.cue:32:3: ` + stepPrefix + `rename: {a: "b"} has no effect in a step with custom: true (the whole step is hand-written); remove it, or remove custom: true`,
				`s.cue:33:3: ` + stepPrefix + `drop: ["a"] has no effect in a step with custom: true (the whole step is hand-written); remove it, or remove custom: true`,
			},
		},

		// Steps that do not fit the versions.
		{
			name:  "a step from the latest version and from a missing one",
			v1:    []*spec.Field{req("a", tString(), 10)},
			v2:    []*spec.Field{req("a", tString(), 20)},
			steps: []*spec.Upcast{step(2, 30), step(7, 35)},
			want: []string{
				`s.cue:30:3: events."workflow.started".upcast.v2: v2 is the latest version, so there is nothing to upcast it to; remove the step or add v3`,
				`s.cue:35:3: events."workflow.started".upcast.v7: there is no v7 to upcast from (the versions are v1 to v2); remove the step or name an existing version`,
			},
		},

		// Warnings.
		{
			name: "a stricter constraint is a warning",
			v1:   []*spec.Field{req("name", tString(), 10), req("p", bounded(tInt(0, false), "0", ""), 11)},
			v2:   []*spec.Field{req("name", minRunes(tString(), 1), 20), req("p", bounded(tInt(0, false), "0", "10"), 21)},
			want: []string{
				`s.cue:20:3: warning: ` + stepPrefix + `field name of v2 is stricter than field name of v1 (minimum length in runes 1 added), so an upcast v1 payload may fail validation; check the stored data, or write the step by hand with custom: true`,
				`s.cue:21:3: warning: ` + stepPrefix + `field p of v2 is stricter than field p of v1 (maximum <=10 added), so an upcast v1 payload may fail validation; check the stored data, or write the step by hand with custom: true`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := model([]*spec.Version{version(1, 9, tt.v1...), version(2, 19, tt.v2...)}, tt.steps, tt.defs...)
			got := diagStrings(CheckUpcasts(m))
			want := diagStrings(diagsFromStrings(tt.want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CheckUpcasts (-want +got):\n%s", diff)
			}
		})
	}
}

// diagsFromStrings keeps the expectations readable in any order: the test sorts them the
// way Diagnostics sorts, by comparing rendered lines position first.
func diagsFromStrings(lines []string) spec.Diagnostics {
	ds := make(spec.Diagnostics, len(lines))
	for i, l := range lines {
		ds[i] = parseDiag(l)
	}
	return ds
}

// TestCheckUpcastsCUE runs the check on a spec read by the real CUE frontend, so that the
// findings stand at the positions a user sees: the entries of upcast, the fields of v2.
func TestCheckUpcastsCUE(t *testing.T) {
	const file = "testdata/upcast/spec.cue:"
	m := loadCUE(t, "testdata/upcast/spec.cue")
	want := []string{
		file + `12:3: ` + stepPrefix + `field tags of v1 is not in v2; add drop: ["tags"] to lose it on purpose, rename: {tags: "newName"} to keep it, or write the step by hand with custom: true`,
		file + `18:3: ` + stepPrefix + `field startedAt of v2 has no source in v1; add set: {startedAt: ...}, rename: {oldName: "startedAt"}, make it optional in v2, or write the step by hand with custom: true`,
		file + `19:3: ` + stepPrefix + `field priority of v2 has no source in v1; add set: {priority: ...}, rename: {oldName: "priority"}, make it optional in v2, or write the step by hand with custom: true`,
		file + `24:4: ` + stepPrefix + `rename: {owner: "workflowName"}: field workflowName of v2 already gets its value from rename: {name: "workflowName"}; a field takes exactly one source, so keep one rename`,
		file + `27:4: ` + stepPrefix + `set: {executionMode: "test"}: "test" is not one of "live" | "dry-run"; give a value that v2.executionMode accepts`,
		file + `28:4: ` + stepPrefix + `set: {workflowId: "wf-0"}: field workflowId of v2 already gets the value of field workflowId of v1; a field takes exactly one source, so remove the set, or add drop: ["workflowId"] to replace the old value`,
		file + `30:20: ` + stepPrefix + `drop: ["ghost"]: v1 has no field ghost; remove it from drop`,
		file + `32:10: events."workflow.started".upcast.v2: v2 is the latest version, so there is nothing to upcast it to; remove the step or add v3`,
	}
	if diff := cmp.Diff(diagStrings(diagsFromStrings(want)), diagStrings(CheckUpcasts(m))); diff != "" {
		t.Errorf("CheckUpcasts (-want +got):\n%s", diff)
	}
	// The example's chain is incomplete: CheckUpcasts has reported it, CheckExamples stays quiet.
	if ds := CheckExamples(m); len(ds) > 0 {
		t.Errorf("CheckExamples = %v, want nothing for a chain CheckUpcasts rejects", ds)
	}
}
