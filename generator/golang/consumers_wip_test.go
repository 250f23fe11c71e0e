//go:build eventgen_wip

package golang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
	speccue "github.com/eventgen/eventgen/spec/cue"
	"github.com/eventgen/eventgen/spec/load"
)

// generateWithConsumers is Generate plus the handler and aggregate files, until they are wired
// into Generate.
func generateWithConsumers(t testing.TB, m *spec.Model, pkg string) []genfile.File {
	t.Helper()
	g := newGenerator(m, Options{Package: pkg})
	g.declareNames()
	c := g.declareConsumerNames(naming.NewScope())
	if err := g.diags.Err(); err != nil {
		t.Fatalf("declare: %v", err)
	}
	todo := append(g.files(), c.files()...)
	tf := g.newFile()
	if c.consumerTests(tf) {
		todo = append(todo, pending{"eventgen_consumers_gen_test.go", tf})
	}
	if err := g.diags.Err(); err != nil {
		t.Fatalf("generate: %v", err)
	}
	files, err := renderAll(todo)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func loadCUE(t testing.TB, src string) *spec.Model {
	t.Helper()
	m, err := speccue.LoadSource("spec.cue", []byte(src))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if ds := load.Check(m); ds.Err() != nil {
		t.Fatalf("check: %v", ds)
	}
	return m
}

func TestWIPConsumers(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "workflow", "spec", "workflow.cue"))
	if err != nil {
		t.Fatal(err)
	}
	wf := generateWithConsumers(t, loadCUE(t, string(src)), "workflowevents")
	odd := generateWithConsumers(t, loadCUE(t, oddSpec), "odd")
	dir := writeModule(t, map[string][]genfile.File{"workflowevents": wf, "odd": odd})
	if os.Getenv("EVENTGEN_KEEP") != "" {
		t.Log(dir)
	}
	goCmd(t, dir, "vet", "./...")
	out := goCmd(t, dir, "test", "-count=1", "-v", "./...")
	if strings.Contains(out, "SKIP") {
		t.Errorf("skipped tests:\n%s", out)
	}
	t.Log(out)
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
