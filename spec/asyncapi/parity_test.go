package asyncapi

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/eventgen/eventgen/spec"
	speccue "github.com/eventgen/eventgen/spec/cue"
)

// workflowDir holds the running example written as AsyncAPI documents.
const workflowDir = "../../examples/workflow/asyncapi"

// workflowCUE is the running example in CUE: the reference the AsyncAPI documents must match.
var workflowCUE = []string{"../../examples/workflow/workflow.cue", "/work/shared/design/examples/workflow/workflow.cue"}

// modelOptions compare two models for meaning: positions (which differ between formats by
// nature) are ignored and doc comments compared with their whitespace normalised.
var modelOptions = cmp.Options{
	cmpopts.IgnoreTypes(spec.Pos{}),
	cmpopts.IgnoreFields(spec.Rule{}, "MatchPos"),
	cmpopts.IgnoreFields(spec.Handler{}, "OnPos"),
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && (sf.Name() == "Doc" || sf.Name() == "Description")
	}, cmp.Comparer(func(a, b string) bool {
		return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	})),
	cmpopts.EquateEmpty(),
}

// TestWorkflowParity loads the running example from CUE and from its AsyncAPI 3.0 (YAML and
// JSON) and 2.6 documents and requires the same model from all of them.
func TestWorkflowParity(t *testing.T) {
	want := loadCUEWorkflow(t)
	for _, name := range []string{"workflow.asyncapi3.yaml", "workflow.asyncapi3.json", "workflow.asyncapi26.yaml"} {
		t.Run(name, func(t *testing.T) {
			got, err := Load(filepath.Join(workflowDir, name))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(want, got, modelOptions); diff != "" {
				t.Errorf("model differs from the CUE spec's (-cue +asyncapi):\n%s", diff)
			}
		})
	}
}

func loadCUEWorkflow(t *testing.T) *spec.Model {
	t.Helper()
	for _, p := range workflowCUE {
		m, err := speccue.Load(p)
		if err == nil {
			return m
		}
		if !strings.Contains(err.Error(), "no such file") {
			t.Fatalf("spec/cue.Load(%s): %v", p, err)
		}
	}
	t.Fatalf("the running example workflow.cue is in none of %v", workflowCUE)
	return nil
}

// TestWorkflowPositions checks that the AsyncAPI model points into the documents, relative to
// the current directory.
func TestWorkflowPositions(t *testing.T) {
	m, err := Load(filepath.Join(workflowDir, "workflow.asyncapi26.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The documents lie above the test's directory, so positions name them absolutely.
	doc, _ := filepath.Abs(filepath.Join(workflowDir, "workflow.asyncapi26.yaml"))
	shared, _ := filepath.Abs(filepath.Join(workflowDir, "workflow.schemas.yaml"))
	e := m.Event("workflow.started")
	for _, c := range []struct {
		name string
		got  spec.Pos
		want spec.Pos
	}{
		{"model (x-eventgen)", m.Pos, spec.Pos{File: doc, Line: 10, Col: 1}},
		{"definition Node", m.Definition("Node").Pos, spec.Pos{File: shared, Line: 4, Col: 5}},
		{"Node.config", m.Definition("Node").Type.Field("config").Pos, spec.Pos{File: shared, Line: 15, Col: 9}},
		{"workflow.started v2", e.Version(2).Pos, spec.Pos{File: doc, Line: 110, Col: 5}},
		{"v2.priority", e.Version(2).Field("priority").Pos, spec.Pos{File: doc, Line: 126, Col: 15}},
		{"upcast v1", e.UpcastFrom(1).Pos, spec.Pos{File: doc, Line: 130, Col: 7}},
		{"handler run-dashboard", m.Handlers[0].Pos, spec.Pos{File: doc, Line: 52, Col: 20}},
	} {
		if c.got != c.want {
			t.Errorf("%s at %v, want %v", c.name, c.got, c.want)
		}
	}
}
