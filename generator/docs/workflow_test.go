package docs

import (
	"testing"

	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/cue"
)

// workflowSpec is the running example of the spec language, as the repository keeps it.
const workflowSpec = "../../examples/workflow/spec/workflow.cue"

// workflowModel reads the running example with the real CUE frontend; each call returns a
// fresh model that the test may change.
func workflowModel(t *testing.T) *spec.Model {
	t.Helper()
	m, err := cue.Load(workflowSpec)
	if err != nil {
		t.Fatalf("load %s: %v", workflowSpec, err)
	}
	return m
}
