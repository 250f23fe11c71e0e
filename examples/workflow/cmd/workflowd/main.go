// Command workflowd runs the running example's workflow engine on the embedded defaults: a
// SQLite event store and the in-process bus. It plays the example flow once (create two
// workflows, add nodes, start them: one live in org-123, which the notifier hears about, one
// dry run), prints each event as it is published and the run dashboard, and exits. Run it
// again on the same database to see the dashboard rebuilt from the store.
//
//	go run ./examples/workflow/cmd/workflowd [-db FILE]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/eventgen/eventgen/examples/workflow/app"
	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store/sqlite"
)

func main() {
	db := flag.String("db", filepath.Join(os.TempDir(), "workflowd.db"), "SQLite database `file` of the event store")
	flag.Parse()
	if err := run(context.Background(), *db); err != nil {
		fmt.Fprintln(os.Stderr, "workflowd:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, db string) error {
	st, err := sqlite.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := app.Start(ctx, st, app.Options{Notifications: os.Stdout})
	if err != nil {
		return err
	}
	fmt.Printf("store %s; dashboard rebuilt with %d workflows\n", db, len(svc.Dashboard.Runs()))
	// Print every event as the bus delivers it.
	trace := event.Rule{Name: "trace", Bus: workflowevents.LiveRunsOfOrg123Rule.Bus, Pattern: []byte(`{"source":["workflow-engine"]}`)}
	if err := svc.Bus().Subscribe(trace, event.HandlerFunc(printEvent)); err != nil {
		return err
	}

	// Fresh ids per run, so that runs on one database do not collide.
	suffix := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	flows := []struct {
		id, org string
		mode    workflowevents.WorkflowStartedV2ExecutionMode
	}{
		{"wf-live" + suffix, "org-123", workflowevents.WorkflowStartedV2ExecutionModeLive},
		{"wf-dry" + suffix, "org-123", workflowevents.WorkflowStartedV2ExecutionModeDryRun},
	}
	for _, f := range flows {
		meta := event.Metadata{TenantID: "tenant-1", OrganizationID: f.org, UserID: "user-1", CorrelationID: "req-" + f.id}
		if err := svc.CreateWorkflow(ctx, meta, f.id, "nightly report"); err != nil {
			return err
		}
		for _, n := range []workflowevents.Node{
			{ID: "n1", Type: workflowevents.NodeTypeHTTP},
			{ID: "n2", Type: workflowevents.NodeTypeLlm},
		} {
			if err := svc.AddNode(ctx, meta, f.id, n); err != nil {
				return err
			}
		}
		if err := svc.StartWorkflow(ctx, meta, f.id, f.mode); err != nil {
			return err
		}
	}
	if err := svc.Close(ctx); err != nil {
		return err
	}
	fmt.Println("dashboard:")
	for _, r := range svc.Dashboard.Runs() {
		fmt.Printf("  %-16s %-8s %-10s runs=%d duration=%s correlation=%s\n", r.WorkflowID, r.Mode, r.Status, r.Runs, r.Duration, r.CorrelationID)
	}
	return nil
}

func printEvent(_ context.Context, env event.Envelope) error {
	fmt.Printf("event %-20s v%-3s id=%s correlation=%s causation=%s\n",
		env.EventType, env.Version, env.EventID, env.Metadata.CorrelationID, env.Metadata.CausationID)
	return nil
}
