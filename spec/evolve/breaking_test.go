package evolve

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/cue"
	"github.com/google/go-cmp/cmp"
)

// TestBreaking runs each fixture pair testdata/breaking/<case>/{previous,current}/spec.cue
// through the real CUE frontend and Breaking, in the style of buf's breaking tests: a
// directory named after a rule must report exactly the findings listed, and the ok_ pairs
// must report nothing.
func TestBreaking(t *testing.T) {
	const (
		prev = "previous/spec.cue"
		cur  = "current/spec.cue"
	)
	tests := map[string][]string{
		"EVENT_NO_DELETE": {
			prev + `:9:9: EVENT_NO_DELETE: events."workflow.completed" was deleted; stored events of this type can no longer be decoded and its consumers break; restore the event`,
		},
		"VERSION_NO_DELETE": {
			prev + `:6:2: VERSION_NO_DELETE: events."workflow.started".v1 was deleted; stored v1 events can no longer be decoded; restore v1`,
		},
		"FIELD_NO_DELETE": {
			prev + `:7:2: FIELD_NO_DELETE: events."workflow.started".v1.workflowName was deleted from an existing version; restore it, and make the new shape a new version`,
		},
		"FIELD_SAME_TYPE": {
			cur + `:7:2: FIELD_SAME_TYPE: events."workflow.started".v1.nodes[].weight changed type from string to int; restore the type, and make the new shape a new version`,
			cur + `:12:2: FIELD_SAME_TYPE: events."workflow.started".v1.count changed type from int32 to int64; restore the type, and make the new shape a new version`,
		},
		"FIELD_NO_REQUIRED_ADD": {
			cur + `:11:3: FIELD_NO_REQUIRED_ADD: events."workflow.started".v1.owner.email is a new required field of an existing version, but stored events lack it; make it optional, give it a default, or add it in a new version`,
			cur + `:13:2: FIELD_NO_REQUIRED_ADD: events."workflow.started".v1.startedAt is a new required field of an existing version, but stored events lack it; make it optional, give it a default, or add it in a new version`,
		},
		"FIELD_SAME_OPTIONALITY": {
			cur + `:7:2: FIELD_SAME_OPTIONALITY: events."workflow.started".v1.note became required, but stored events may lack it; make it optional again, or make the new shape a new version`,
		},
		"ENUM_VALUE_NO_DELETE": {
			cur + `:7:2: ENUM_VALUE_NO_DELETE: events."workflow.started".v1.triggeredBy lost enum value "event", so stored events with it fail validation; restore the value`,
		},
		"CONSTRAINT_NO_TIGHTEN": {
			cur + `:11:2: CONSTRAINT_NO_TIGHTEN: events."workflow.started".v1.workflowId: pattern =~"^wf-[a-z0-9]+$" added, so stored events may fail validation; loosen it back, and make the new shape a new version`,
			cur + `:12:2: CONSTRAINT_NO_TIGHTEN: events."workflow.started".v1.name: maximum length in runes tightened from 200 to 100, so stored events may fail validation; loosen it back, and make the new shape a new version`,
			cur + `:13:2: CONSTRAINT_NO_TIGHTEN: events."workflow.started".v1.priority: minimum tightened from >=0 to >0, so stored events may fail validation; loosen it back, and make the new shape a new version`,
			cur + `:14:2: CONSTRAINT_NO_TIGHTEN: events."workflow.started".v1.tags: maximum number of items tightened from 5 to 3, so stored events may fail validation; loosen it back, and make the new shape a new version`,
			cur + `:15:2: CONSTRAINT_NO_TIGHTEN: events."workflow.started".v1.label: minimum length in runes 1 added, so stored events may fail validation; loosen it back, and make the new shape a new version`,
		},
		"LATEST_VERSION_NO_DOWNGRADE": {
			// Lowering the latest version always deletes one too.
			cur + `:5:9: LATEST_VERSION_NO_DOWNGRADE: events."workflow.started": the latest version went down from v2 to v1; producers and stored events of v2 would be newer than the code; keep v2 as the latest`,
			prev + `:9:2: VERSION_NO_DELETE: events."workflow.started".v2 was deleted; stored v2 events can no longer be decoded; restore v2`,
		},
		"new_version_incomplete_upcast": {
			cur + `:13:3: events."workflow.started".upcast.v1: field startedAt of v2 has no source in v1; add set: {startedAt: ...}, rename: {oldName: "startedAt"}, make it optional in v2, or write the step by hand with custom: true`,
		},
		"ok_new_version":        nil,
		"ok_new_optional_field": nil,
		"ok_widened_constraint": nil,
		"ok_new_enum_value":     nil,
		"ok_new_event":          nil,
		"ok_definition_inlined": nil,
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "breaking"))
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		if _, ok := tests[entry.Name()]; !ok {
			t.Errorf("fixture testdata/breaking/%s has no expectation in TestBreaking", entry.Name())
		}
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", "breaking", name)
			old := loadCUE(t, filepath.Join(dir, "previous", "spec.cue"))
			cur := loadCUE(t, filepath.Join(dir, "current", "spec.cue"))
			for i, w := range want {
				want[i] = filepath.ToSlash(dir) + "/" + w
			}
			got := diagStrings(Breaking(old, cur))
			if diff := cmp.Diff(diagStrings(diagsFromStrings(want)), got, cmpEmpty); diff != "" {
				t.Errorf("Breaking (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBreakingSameSpec checks that a spec compared with itself has no breaking change,
// for the running example that uses every part of the language.
func TestBreakingSameSpec(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "workflow", "spec", "workflow.cue")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("running example not in the tree: %v", err)
	}
	m := loadCUE(t, path)
	if ds := Breaking(m, loadCUE(t, path)); len(ds) > 0 {
		t.Errorf("Breaking(example, example) = %v, want nothing", ds)
	}
	if ds := CheckUpcasts(m); ds.HasErrors() {
		t.Errorf("CheckUpcasts(example) = %v, want no error", ds)
	}
	if ds := CheckExamples(m); len(ds) > 0 {
		t.Errorf("CheckExamples(example) = %v, want nothing", ds)
	}
}

func loadCUE(t *testing.T, path string) *spec.Model {
	t.Helper()
	m, err := cue.Load(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return m
}
