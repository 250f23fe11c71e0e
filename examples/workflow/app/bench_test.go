package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
	"github.com/eventgen/eventgen/runtime/store/sqlite"
)

// fillWorkflow appends a workflow.created event and n-1 workflow.node.added events to the
// stream of workflow id, in batches.
func fillWorkflow(b *testing.B, repo workflowevents.WorkflowRepository, id string, n int) {
	b.Helper()
	ctx := context.Background()
	meta := request("org-1", "req-bench")
	version, err := repo.Append(ctx, id, 0, meta, workflowevents.WorkflowCreated{WorkflowID: id, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 500
	for i := 1; i < n; {
		var events []workflowevents.WorkflowEvent
		for ; i < n && len(events) < batch; i++ {
			events = append(events, workflowevents.WorkflowNodeAdded{WorkflowID: id, Node: workflowevents.Node{ID: "n" + strconv.Itoa(i), Type: workflowevents.NodeTypeHTTP}})
		}
		if version, err = repo.Append(ctx, id, version, meta, events...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad loads a Workflow aggregate of 1,000 and 10,000 events from the memory and the
// SQLite store through the generated repository: store read, decode, validate, apply.
func BenchmarkLoad(b *testing.B) {
	opens := []struct {
		name string
		open func(b *testing.B) store.Store
	}{
		{"memory", func(*testing.B) store.Store { return store.NewMemory() }},
		{"sqlite", func(b *testing.B) store.Store {
			s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}},
	}
	for _, o := range opens {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("%s/events=%d", o.name, n), func(b *testing.B) {
				repo := workflowevents.WorkflowRepository{Store: o.open(b)}
				fillWorkflow(b, repo, "wf-bench", n)
				ctx := context.Background()
				b.ReportAllocs()
				loads := 0
				for b.Loop() {
					loads++
					var w Workflow
					version, err := repo.Load(ctx, "wf-bench", &w)
					if err != nil || version != int64(n) || len(w.Nodes) != n-1 {
						b.Fatalf("Load = %d, %v with %d nodes", version, err, len(w.Nodes))
					}
				}
				b.ReportMetric(float64(n)*float64(loads)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}

// countingHandler is a RunDashboardHandler that only counts its calls.
type countingHandler struct{ started, completed int }

func (h *countingHandler) HandleWorkflowStarted(context.Context, event.Envelope, workflowevents.WorkflowStarted) error {
	h.started++
	return nil
}

func (h *countingHandler) HandleWorkflowCompleted(context.Context, event.Envelope, workflowevents.WorkflowCompleted) error {
	h.completed++
	return nil
}

// BenchmarkDispatch measures envelopes per second through the generated run-dashboard
// dispatcher: a workflow.started v1 envelope, decoded, validated and upcast to v2 before the
// handler sees it, and the same event stored as v2 for comparison.
func BenchmarkDispatch(b *testing.B) {
	meta := request("org-123", "req-bench")
	nodes := []workflowevents.Node{{ID: "n1", Type: workflowevents.NodeTypeHTTP}, {ID: "n2", Type: workflowevents.NodeTypeLlm}}
	v1, err := workflowevents.New(meta, workflowevents.WorkflowStartedV1{
		WorkflowID: "wf-1", WorkflowName: "nightly", Nodes: nodes, Connections: []workflowevents.Connection{{From: "n1", To: "n2"}},
		TriggeredBy: workflowevents.WorkflowStartedV1TriggeredBySchedule,
	})
	if err != nil {
		b.Fatal(err)
	}
	p, err := workflowevents.DecodeWorkflowStarted(v1)
	if err != nil {
		b.Fatal(err)
	}
	v2, err := workflowevents.New(meta, p)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  event.Envelope
	}{{"v1-upcast", v1}, {"v2", v2}} {
		b.Run(tc.name, func(b *testing.B) {
			var h countingHandler
			d := workflowevents.NewRunDashboardDispatcher(&h)
			ctx := context.Background()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if err := d.Handle(ctx, tc.env); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if h.started != n {
				b.Fatalf("handler called %d times for %d envelopes", h.started, n)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "envelopes/s")
		})
	}
}
