package eventbridge

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eventgen/eventgen/spec/cue"
)

// TestWorkflowExample generates the pattern files of the running example (a copy of
// shared/design/examples/workflow/workflow.cue) through the real CUE frontend.
func TestWorkflowExample(t *testing.T) {
	m, err := cue.Load("testdata/workflow.cue")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(m)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = string(f.Content)
	}
	want := map[string]string{
		"eventbridge/live-runs-of-org-123.json": `{
  "detail": {
    "data": {
      "executionMode": [
        "live"
      ],
      "workflowId": [
        {
          "exists": true
        }
      ]
    },
    "metadata": {
      "organizationId": [
        "org-123"
      ]
    }
  },
  "detail-type": [
    "workflow.started"
  ],
  "source": [
    "workflow-engine"
  ]
}
`,
		"eventbridge/tenant-workflow-activity.json": `{
  "detail": {
    "metadata": {
      "tenantId": [
        "${tenantId}"
      ]
    }
  },
  "detail-type": [
    {
      "prefix": "workflow."
    }
  ],
  "source": [
    "workflow-engine"
  ]
}
`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}
