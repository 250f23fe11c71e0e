package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen/eventgen/examples/workflow/workflowevents"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
	"github.com/eventgen/eventgen/runtime/store/postgres"
	"github.com/eventgen/eventgen/runtime/store/sqlite"
)

// stores are the stores the flow runs on: SQLite always, PostgreSQL when EVENTGEN_PG_DSN is
// set (in a schema of its own, dropped at the end).
func stores(t *testing.T) map[string]func(t *testing.T) store.Store {
	out := map[string]func(t *testing.T) store.Store{
		"sqlite": func(t *testing.T) store.Store {
			s, err := sqlite.Open(filepath.Join(t.TempDir(), "workflow.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
	if dsn := os.Getenv("EVENTGEN_PG_DSN"); dsn != "" {
		out["postgres"] = func(t *testing.T) store.Store {
			var b [6]byte
			rand.Read(b[:])
			schema := "workflow_app_" + hex.EncodeToString(b[:])
			ctx := context.Background()
			s, err := postgres.Open(ctx, dsn, postgres.Schema(schema))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if _, err := s.Pool().Exec(ctx, `DROP SCHEMA "`+schema+`" CASCADE`); err != nil {
					t.Errorf("drop schema %s: %v", schema, err)
				}
				s.Close()
			})
			return s
		}
	} else {
		t.Log("EVENTGEN_PG_DSN not set: the flow runs on SQLite only")
	}
	return out
}

// fixedClock returns a clock that advances by step on every reading.
func fixedClock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	now := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
}

func request(org, correlation string) event.Metadata {
	return event.Metadata{TenantID: "tenant-" + org, OrganizationID: org, UserID: "user-1", CorrelationID: correlation}
}

func node(id string, typ workflowevents.NodeType) workflowevents.Node {
	return workflowevents.Node{ID: id, Type: typ}
}

// TestFlow plays the seed's flow end to end on every store: create workflows, add nodes,
// start them; the runner completes each run, the notifier gets the live runs of org-123 only,
// the dashboard shows every run, every event carries its cause's ids, and a restarted service
// rebuilds the same dashboard from the store without notifying again.
func TestFlow(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			var notes bytes.Buffer
			clock := fixedClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), 250*time.Millisecond)
			svc, err := Start(ctx, st, Options{Notifications: &notes, Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			type run struct {
				id, org string
				mode    workflowevents.WorkflowStartedV2ExecutionMode
				notify  bool
			}
			runs := []run{
				{"wf-live", "org-123", workflowevents.WorkflowStartedV2ExecutionModeLive, true},
				{"wf-dry", "org-123", workflowevents.WorkflowStartedV2ExecutionModeDryRun, false},
				{"wf-other", "org-456", workflowevents.WorkflowStartedV2ExecutionModeLive, false},
			}
			for _, r := range runs {
				meta := request(r.org, "req-"+r.id)
				if err := svc.CreateWorkflow(ctx, meta, r.id, "nightly "+r.id); err != nil {
					t.Fatal(err)
				}
				for _, n := range []workflowevents.Node{node("n1", workflowevents.NodeTypeHTTP), node("n2", workflowevents.NodeTypeLlm)} {
					if err := svc.AddNode(ctx, meta, r.id, n); err != nil {
						t.Fatal(err)
					}
				}
				if err := svc.StartWorkflow(ctx, meta, r.id, r.mode); err != nil {
					t.Fatal(err)
				}
			}

			settle(t, svc)

			// The notifier got the live run of org-123, once.
			sent := svc.Notifier.Sent()
			if len(sent) != 1 || sent[0].WorkflowID != "wf-live" || sent[0].OrganizationID != "org-123" {
				t.Errorf("notifications = %+v, want one for wf-live in org-123", sent)
			}
			if !strings.Contains(notes.String(), "live run of wf-live") {
				t.Errorf("notification text = %q", notes.String())
			}

			// Every run completed, and the dashboard shows it.
			dash := svc.Dashboard.Runs()
			if len(dash) != len(runs) {
				t.Fatalf("dashboard = %+v, want %d runs", dash, len(runs))
			}
			for _, r := range runs {
				w, err := svc.Workflow(ctx, r.id)
				if err != nil {
					t.Fatal(err)
				}
				if w.Status != StatusSucceeded || len(w.Nodes) != 2 || w.Runs != 1 {
					t.Errorf("%s: state = %+v, want succeeded with 2 nodes and 1 run", r.id, w)
				}
				line, ok := svc.Dashboard.Run(r.id)
				if !ok || line.Status != "succeeded" || line.Mode != string(r.mode) || line.Runs != 1 || line.Duration <= 0 || line.CorrelationID != "req-"+r.id {
					t.Errorf("%s: dashboard line = %+v", r.id, line)
				}
			}

			// Causation: command events carry the request's ids; the completion is caused by the start.
			records, err := st.Load(ctx, "workflow-wf-live", 0)
			if err != nil {
				t.Fatal(err)
			}
			var types []string
			for _, r := range records {
				types = append(types, r.EventType)
			}
			if got := strings.Join(types, " "); got != "workflow.created workflow.node.added workflow.node.added workflow.started workflow.completed" {
				t.Fatalf("stream workflow-wf-live = %s", got)
			}
			for _, r := range records[:4] {
				if r.Metadata.CorrelationID != "req-wf-live" || r.Metadata.CausationID != "" || r.Metadata.TenantID != "tenant-org-123" {
					t.Errorf("%s metadata = %+v, want the request's", r.EventType, r.Metadata)
				}
			}
			started, completed := records[3], records[4]
			want := event.CausedBy(started.Envelope)
			if completed.Metadata != want || completed.Metadata.CausationID != started.EventID || completed.Metadata.CorrelationID != "req-wf-live" {
				t.Errorf("completion metadata = %+v, want %+v (caused by the start)", completed.Metadata, want)
			}
			if dl := svc.Bus().DeadLetters(runnerRule.Name); len(dl) != 0 {
				t.Errorf("runner dead letters: %+v", dl)
			}

			// Commands check the aggregate's rules.
			meta := request("org-123", "req-bad")
			for _, tc := range []struct {
				name string
				err  error
				want error
			}{
				{"create twice", svc.CreateWorkflow(ctx, meta, "wf-live", "again"), ErrExists},
				{"unknown workflow", svc.StartWorkflow(ctx, meta, "wf-none", workflowevents.WorkflowStartedV2ExecutionModeLive), ErrNotFound},
				{"duplicate node", svc.AddNode(ctx, meta, "wf-live", node("n1", workflowevents.NodeTypeBranch)), ErrState},
			} {
				if !errors.Is(tc.err, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
				}
			}

			// A restarted service rebuilds the same dashboard and does not notify again.
			before := svc.Dashboard.Runs()
			notes.Reset()
			again, err := Start(ctx, st, Options{Notifications: &notes, Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			if got := again.Dashboard.Runs(); !equalRuns(got, before) {
				t.Errorf("rebuilt dashboard = %+v, want %+v", got, before)
			}
			if n := len(again.Notifier.Sent()); n != 0 || notes.Len() != 0 {
				t.Errorf("restart sent %d notifications: %q", n, notes.String())
			}
			// The rebuilt service runs a second run of wf-live and notifies it.
			if err := again.StartWorkflow(ctx, request("org-123", "req-second"), "wf-live", workflowevents.WorkflowStartedV2ExecutionModeLive); err != nil {
				t.Fatal(err)
			}
			settle(t, again)
			if line, _ := again.Dashboard.Run("wf-live"); line.Runs != 2 || line.Status != "succeeded" || line.CorrelationID != "req-second" {
				t.Errorf("second run: dashboard line = %+v", line)
			}
			if n := len(again.Notifier.Sent()); n != 1 {
				t.Errorf("second run: %d notifications, want 1", n)
			}
		})
	}
}

// settle waits until svc has published and handled everything, and closes it at the end of t.
func settle(t *testing.T, svc *Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := svc.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close(context.Background()) })
}

func equalRuns(a, b []Run) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i].StartedAt.Equal(b[i].StartedAt) && withoutTime(a[i]) == withoutTime(b[i])) {
			return false
		}
	}
	return true
}

func withoutTime(r Run) Run { r.StartedAt = time.Time{}; return r }

// TestDashboardIsIdempotent delivers every stored event twice more: the dashboard is unchanged.
func TestDashboardIsIdempotent(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory()
	svc, err := Start(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	meta := request("org-123", "req-1")
	if err := svc.CreateWorkflow(ctx, meta, "wf-1", "one"); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddNode(ctx, meta, "wf-1", node("n1", workflowevents.NodeTypeHTTP)); err != nil {
		t.Fatal(err)
	}
	if err := svc.StartWorkflow(ctx, meta, "wf-1", workflowevents.WorkflowStartedV2ExecutionModeLive); err != nil {
		t.Fatal(err)
	}
	settle(t, svc)
	before := svc.Dashboard.Runs()
	for range 2 {
		if _, err := svc.Dashboard.Rebuild(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	if got := svc.Dashboard.Runs(); !equalRuns(got, before) || got[0].Runs != 1 {
		t.Errorf("after replays: %+v, want %+v", got, before)
	}
}

// TestOldVersionsAreUpcast stores a workflow.started v1 envelope, as an older release wrote it:
// the repository's Load and the dashboard's rebuild both see it as v2, in live mode.
func TestOldVersionsAreUpcast(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory()
	repo := workflowevents.WorkflowRepository{Store: st}
	meta := request("org-123", "req-old")
	if _, err := repo.Append(ctx, "wf-old", 0, meta, workflowevents.WorkflowCreated{WorkflowID: "wf-old", Name: "old"}); err != nil {
		t.Fatal(err)
	}
	v1, err := workflowevents.New(meta, workflowevents.WorkflowStartedV1{
		WorkflowID: "wf-old", WorkflowName: "old", Nodes: []workflowevents.Node{node("n1", workflowevents.NodeTypeHTTP)},
		Connections: []workflowevents.Connection{}, TriggeredBy: workflowevents.WorkflowStartedV1TriggeredBySchedule,
	})
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != "1.0" {
		t.Fatalf("v1 envelope version = %q", v1.Version)
	}
	if _, err := st.Append(ctx, "workflow-wf-old", 1, v1); err != nil {
		t.Fatal(err)
	}
	var w Workflow
	version, err := repo.Load(ctx, "wf-old", &w)
	if err != nil || version != 2 || w.Status != StatusRunning || w.LastStarted.EventID != v1.EventID {
		t.Fatalf("Load = %d, %v, state %+v", version, err, w)
	}
	d := NewDashboard()
	if _, err := d.Rebuild(ctx, st); err != nil {
		t.Fatal(err)
	}
	if line, ok := d.Run("wf-old"); !ok || line.Mode != "live" || !line.StartedAt.Equal(time.Unix(0, 0)) {
		t.Errorf("dashboard line of a v1 start = %+v", line)
	}
}

// TestConcurrentCommands adds nodes to one workflow from many goroutines: optimistic
// concurrency makes losers load and decide again, so every node is added exactly once.
func TestConcurrentCommands(t *testing.T) {
	ctx := context.Background()
	svc, err := Start(ctx, store.NewMemory(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	meta := request("org-1", "req-c")
	if err := svc.CreateWorkflow(ctx, meta, "wf-c", "concurrent"); err != nil {
		t.Fatal(err)
	}
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = svc.AddNode(ctx, meta, "wf-c", node("n"+string(rune('1'+i)), workflowevents.NodeTypeHTTP))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	w, err := svc.Workflow(ctx, "wf-c")
	if err != nil || len(w.Nodes) != n {
		t.Fatalf("workflow = %+v, %v; want %d nodes", w, err, n)
	}
}

// TestAppendRefusesForeignIDs checks the repository contract the commands rely on: an event
// of another workflow never lands in this one's stream, and a stale version is a conflict.
func TestAppendRefusesForeignIDs(t *testing.T) {
	ctx := context.Background()
	repo := workflowevents.WorkflowRepository{Store: store.NewMemory()}
	meta := request("org-1", "req-x")
	if _, err := repo.Append(ctx, "wf-a", 0, meta, workflowevents.WorkflowCreated{WorkflowID: "wf-b", Name: "b"}); err == nil {
		t.Error("Append stored an event of wf-b in wf-a's stream")
	}
	if _, err := repo.Append(ctx, "wf-a", 0, meta, workflowevents.WorkflowCreated{WorkflowID: "wf-a", Name: ""}); err == nil {
		t.Error("Append stored an invalid event")
	}
	if _, err := repo.Append(ctx, "wf-a", 0, meta, workflowevents.WorkflowCreated{WorkflowID: "wf-a", Name: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Append(ctx, "wf-a", 0, meta, workflowevents.WorkflowCreated{WorkflowID: "wf-a", Name: "a"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale Append = %v, want store.ErrConflict", err)
	}
}

// TestCommandsDeliverSynchronously checks that, on one goroutine, a command returns after the
// bus delivered its events and the events its consumers caused: the runner's completion is on
// the dashboard without Settle.
func TestCommandsDeliverSynchronously(t *testing.T) {
	ctx := context.Background()
	var notes bytes.Buffer
	svc, err := Start(ctx, store.NewMemory(), Options{Notifications: &notes})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close(ctx) })
	meta := request("org-123", "req-sync")
	if err := svc.CreateWorkflow(ctx, meta, "wf-s", "sync"); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddNode(ctx, meta, "wf-s", node("n1", workflowevents.NodeTypeHTTP)); err != nil {
		t.Fatal(err)
	}
	if err := svc.StartWorkflow(ctx, meta, "wf-s", workflowevents.WorkflowStartedV2ExecutionModeLive); err != nil {
		t.Fatal(err)
	}
	if line, ok := svc.Dashboard.Run("wf-s"); !ok || line.Status != "succeeded" || line.Runs != 1 {
		t.Errorf("dashboard line right after StartWorkflow = %+v, want the completed run", line)
	}
	if n := len(svc.Notifier.Sent()); n != 1 || !strings.Contains(notes.String(), "live run of wf-s") {
		t.Errorf("%d notifications right after StartWorkflow (%q), want 1", n, notes.String())
	}
}
