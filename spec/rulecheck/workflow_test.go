package rulecheck

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eventgen/eventgen/spec/cue"
)

// TestWorkflowExample checks the running example (a copy of
// shared/design/examples/workflow/workflow.cue) through the real CUE frontend: its rules
// type-check with the one expected warning, and their examples match as they say.
func TestWorkflowExample(t *testing.T) {
	m, err := cue.Load("testdata/workflow.cue")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range Check(m).Sorted() {
		got = append(got, d.String())
	}
	want := []string{
		`testdata/workflow.cue:94:9: warning: rules."live-runs-of-org-123".match.data.executionMode: events of workflow.started v1 can never match this rule, as those versions have no data.executionMode; match a field every version has, or accept that`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if ds := Lint(m); len(ds) != 0 {
		t.Errorf("lint: %v", ds)
	}
}

// TestPositionsThroughCUE checks that findings point at the CUE source the user wrote.
func TestPositionsThroughCUE(t *testing.T) {
	src := `package broken

eventgen: source: "workflow-engine"

events: "workflow.completed": v1: {
	workflowId: string
	durationMs: int & >=0
}

rules: "slow-runs": {
	description: "Runs that took long."
	on: ["workflow.completed", "workflow.failed"]
}

rules: "typed-wrong": {
	description: "Wrong operators."
	on: ["workflow.completed"]
	match: data: {
		durationMs: [{prefix: "1"}]
		workflowID: ["wf-1"]
	}
	examples: matches: [{type: "workflow.completed", version: 1, data: {workflowId: "wf-1", durationMs: 5}}]
}
`
	m, err := cue.LoadSource("broken.cue", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range Check(m).Sorted() {
		got = append(got, d.String())
	}
	want := []string{
		`broken.cue:12:29: rules."slow-runs".on[1]: event type "workflow.failed" is not declared; did you mean "workflow.completed"? Otherwise declare it under events or fix the name`,
		`broken.cue:19:3: rules."typed-wrong".match.data.durationMs: {"prefix":"1"} needs a string field, but data.durationMs is an integer (in workflow.completed v1); use a number, or numeric, anything-but or exists`,
		`broken.cue:20:3: rules."typed-wrong".match.data.workflowID: no version of workflow.completed has data.workflowID; did you mean "workflowId"? Otherwise fix the path (payload fields are under data, metadata fields under metadata)`,
		`broken.cue:22:22: rules."typed-wrong".examples.matches[0]: the rule does not match this workflow.completed v1 event: detail.data.durationMs is 5, which [{"prefix":"1"}] does not accept; fix the example or the rule`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
