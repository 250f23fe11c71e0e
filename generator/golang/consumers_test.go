package golang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/internal/gomodtest"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/check"
	speccue "github.com/eventgen/eventgen/spec/cue"
)

func loadCUE(t testing.TB, src string) *spec.Model {
	t.Helper()
	m, err := speccue.LoadSource("spec.cue", []byte(src))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if ds := check.Check(m); ds.Err() != nil {
		t.Fatalf("check: %v", ds)
	}
	return m
}

// TestConsumersBuildAndPass generates the running example and a spec with odd corners (rule
// handlers, unknown: "fail", no examples, constrained ids, named id types, upcasts), vets the
// code and runs its generated tests, which must route every event and round-trip every
// aggregate event without skipping one.
func TestConsumersBuildAndPass(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	src, err := os.ReadFile(filepath.Join(gomodtest.RepoRoot(t), "examples", "workflow", "spec", "workflow.cue"))
	if err != nil {
		t.Fatal(err)
	}
	wf := generate(t, loadCUE(t, string(src)), "workflowevents")
	odd := generate(t, loadCUE(t, oddSpec), "odd")
	dir := gomodtest.Write(t, map[string][]genfile.File{"workflowevents": wf, "odd": odd})
	if os.Getenv("EVENTGEN_KEEP") != "" {
		t.Log(dir)
	}
	gomodtest.Go(t, dir, "vet", "./...")
	out := gomodtest.Go(t, dir, "test", "-count=1", "-v", "./...")
	if strings.Contains(out, "SKIP") {
		t.Errorf("skipped tests:\n%s", out)
	}
	for _, want := range []string{
		"--- PASS: TestRunDashboardDispatcherRoutes/workflow.started", "--- PASS: TestRunDashboardDispatcherUnknown/unknown_version",
		"--- PASS: TestWorkflowRepositoryRoundTrip/workflow.node.added", "--- PASS: TestAccountAuditDispatcherRoutes/account.opened",
		"--- PASS: TestAccountAuditDispatcherUnknown/unknown_type", "--- PASS: TestLedgerRepositoryRoundTrip/ledger.entry.posted",
		"--- PASS: TestEverythingDispatcherRoutes/misc.thing.happened", "--- PASS: TestAccountRepositoryRoundTrip/account.opened",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go test output lacks %q:\n%s", want, out)
		}
	}
}

const oddSpec = `
import (
	"list"
	"strings"
	"time"
)

eventgen: source: "odd"
eventgen: bus: "b"
#Code: string & =~"^[A-Z]{3}-[0-9]{2,4}$"
aggregates: Account: id: "accountId"
aggregates: Ledger: id: "code"
events: "account.opened": {
	aggregate: "Account"
	v1: {accountId: string & =~"^acc_[0-9a-f]{8}$", owner: string & strings.MinRunes(3), limit: int & >10 & <=12, rate: float & >0.5 & <0.75, tags: [...string] & list.MinItems(2), at: time.Time, raw: _, blob: bytes, note?: string, kind: "a" | "b"}
}
events: "account.closed": {
	aggregate: "Account"
	v1: {accountId: string, reason: string}
	v2: {accountId: string, reason: string, code: #Code}
	upcast: v1: set: code: "ABC-12"
	examples: [{version: 1, data: {accountId: "x", reason: "r"}}]
}
events: "ledger.entry.posted": {
	aggregate: "Ledger"
	v1: {code: #Code, amount: int}
}
events: "misc.thing.happened": v1: {n: int8 & >=-5 & <=-2}
rules: "accounts": {
	on: [{prefix: "account."}]
}
handlers: "account-audit": {rule: "accounts", unknown: "fail"}
handlers: "everything": {on: ["misc.thing.happened", "ledger.entry.posted", "account.closed"]}
`

// TestConsumerNameCollisions checks that Go names of handlers and aggregates that collide with
// other generated names are positioned generate errors, not code that does not compile.
func TestConsumerNameCollisions(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"aggregate event interface vs event", `
aggregates: Workflow: id: "workflowId"
events: "workflow.event": v1: workflowId: string
events: "workflow.created": {aggregate: "Workflow", v1: workflowId: string}`,
			"aggregates.Workflow (its event interface): Go name WorkflowEvent is already used by events.\"workflow.event\""},
		{"handler interface vs event", `
events: "run.dashboard.handler": v1: x: string
handlers: "run-dashboard": on: ["run.dashboard.handler"]`,
			"handlers.\"run-dashboard\" (its handler interface): Go name RunDashboardHandler is already used by events.\"run.dashboard.handler\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := loadCUE(t, tt.src)
			_, err := Generate(m, Options{Package: "p"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Generate error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestSampleValues checks the payload builder on constraints: the values it makes must pass
// the same validator as the spec's examples.
func TestSampleValues(t *testing.T) {
	tests := []struct {
		name string
		typ  string
	}{
		{"pattern", `string & =~"^wf-[a-z0-9]+$"`},
		{"pattern with counted repeat", `string & =~"^[A-Z]{3}-[0-9]{2,4}$"`},
		{"pattern alternation", `string & =~"^(abc|de)+x?$"`},
		{"pattern and length", `string & =~"^a" & strings.MinRunes(5) & strings.MaxRunes(6)`},
		{"exclusive int bounds", `int & >10 & <12`},
		{"negative int range", `int8 & >=-5 & <=-2`},
		{"exclusive float bounds", `float & >0.5 & <0.75`},
		{"list of at least 2", `[...string] & list.MinItems(2)`},
		{"nested struct", `{a: string & strings.MinRunes(2), b?: int}`},
		{"time", `time.Time`},
		{"bytes", `bytes`},
		{"any", `_`},
		{"enum", `"x" | "y"`},
		{"nullable", `string | null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "events: \"a.b\": v1: f: " + tt.typ + "\n"
			for _, pkg := range []string{"list", "strings", "time"} {
				if strings.Contains(tt.typ, pkg+".") {
					src = "import \"" + pkg + "\"\n" + src
				}
			}
			m := loadCUE(t, src)
			g := newGenerator(m, Options{Package: "p"})
			p, ok := g.validPayload(m.Events[0])
			if !ok {
				v := (&sampler{m: m}).fields(m.Events[0].Latest().Fields)
				t.Fatalf("no valid payload of %s; the builder made %v", tt.typ, v)
			}
			if vs := check.Payload(m, m.Events[0].Latest(), p.data); len(vs) > 0 {
				t.Fatalf("payload %s: %v", p.data, vs)
			}
		})
	}
}
