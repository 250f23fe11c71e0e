package golang

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/internal/gomodtest"
	"github.com/eventgen/eventgen/spec"
)

// testdataFile is a hand-written file of testdata/PKG, for a throwaway module's package PKG.
func testdataFile(t testing.TB, path string) genfile.File {
	t.Helper()
	content, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	return genfile.File{Path: filepath.Base(path), Content: content}
}

func generate(t testing.TB, m *spec.Model, pkg string) []genfile.File {
	t.Helper()
	files, err := Generate(m, Options{Package: pkg})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return files
}

func fileContent(files []genfile.File, path string) string {
	for _, f := range files {
		if f.Path == path {
			return string(f.Content)
		}
	}
	return ""
}

// TestGeneratedCodeBuildsAndPasses compiles the generated code of the running example and of
// a model that uses every type and upcast rule, vets it, and runs the generated tests together
// with tests that use the generated API the way a user would.
func TestGeneratedCodeBuildsAndPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	workflow := generate(t, workflowModel(), "workflowevents")
	workflow = append(workflow, testdataFile(t, "workflowevents/api_test.go"))
	shop := generate(t, shopModel(), "shop")
	shop = append(shop, testdataFile(t, "shop/custom.go"), testdataFile(t, "shop/api_test.go"))
	dir := gomodtest.Write(t, map[string][]genfile.File{"workflowevents": workflow, "shop": shop})
	gomodtest.Go(t, dir, "vet", "./...")
	out := gomodtest.Go(t, dir, "test", "-count=1", "-v", "./...")
	for _, want := range []string{
		"--- PASS: TestWorkflowStartedExample0", "--- PASS: TestWorkflowStartedExample1",
		"--- PASS: TestOrderPlacedExample0", "--- PASS: TestOrderPlacedExample1", "--- PASS: TestOrderPlacedExample2",
		"--- PASS: TestDecodeV1UpcastsToLatest", "--- PASS: TestValidateListsEveryViolation",
		"--- PASS: TestNewStampsEnvelope", "--- PASS: TestShopUpcastChain",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go test output lacks %q:\n%s", want, out)
		}
	}
	if os.Getenv("EVENTGEN_BENCH") != "" {
		t.Log(gomodtest.Go(t, dir, "test", "-run", "^$", "-bench", ".", "-benchmem", "./workflowevents"))
	}
}

// TestGenerateIsDeterministic generates the same models twice and compares every byte.
func TestGenerateIsDeterministic(t *testing.T) {
	for name, m := range map[string]func() *spec.Model{"workflow": workflowModel, "shop": shopModel, "synthetic": func() *spec.Model { return syntheticModel(50) }} {
		a, b := generate(t, m(), "p"), generate(t, m(), "p")
		if len(a) != len(b) {
			t.Fatalf("%s: %d files, then %d", name, len(a), len(b))
		}
		for i := range a {
			if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
				t.Errorf("%s: file %s differs between two runs", name, a[i].Path)
			}
		}
	}
}

// TestGeneratedFilesAreFormatted checks every file: gofmt'd, marked generated, sorted, named *_gen.go.
func TestGeneratedFilesAreFormatted(t *testing.T) {
	files := generate(t, shopModel(), "shop")
	files = append(files, generate(t, workflowModel(), "workflowevents")...)
	for _, f := range files {
		formatted, err := format.Source(f.Content)
		if err != nil {
			t.Errorf("%s does not parse: %v", f.Path, err)
			continue
		}
		if !bytes.Equal(formatted, f.Content) {
			t.Errorf("%s is not gofmt-formatted", f.Path)
		}
		if !strings.HasPrefix(string(f.Content), genfile.GoHeader+"\n") {
			t.Errorf("%s does not start with %q", f.Path, genfile.GoHeader)
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Content, parser.ParseComments)
		if err != nil || !isGenerated(parsed.Comments) {
			t.Errorf("%s is not recognised as generated code (err %v)", f.Path, err)
		}
		if !strings.HasSuffix(f.Path, "_gen.go") && !strings.HasSuffix(f.Path, "_gen_test.go") {
			t.Errorf("%s is not named *_gen.go", f.Path)
		}
	}
	paths := func(fs []genfile.File) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Path)
		}
		return out
	}
	got := strings.Join(paths(generate(t, workflowModel(), "w")), " ")
	want := "aggregates_gen.go eventgen_gen.go eventgen_gen_test.go types_gen.go workflow_completed_gen.go workflow_created_gen.go workflow_node_added_gen.go workflow_started_gen.go"
	if got != want {
		t.Errorf("files = %s, want %s", got, want)
	}
}

func isGenerated(groups []*ast.CommentGroup) bool {
	for _, g := range groups {
		for _, c := range g.List {
			if c.Text == genfile.GoHeader {
				return true
			}
		}
	}
	return false
}

// TestGeneratedNames checks the names that generated-go.md fixes in the generated source.
func TestGeneratedNames(t *testing.T) {
	files := generate(t, workflowModel(), "workflowevents")
	started := fileContent(files, "workflow_started_gen.go")
	for _, want := range []string{
		`const WorkflowStartedType = "workflow.started"`,
		"const WorkflowStartedLatest = 2",
		"type WorkflowStarted = WorkflowStartedV2",
		"func (WorkflowStartedV2) EventType() string",
		"func (WorkflowStartedV2) EventVersion() int",
		"func (p WorkflowStartedV2) Validate() error",
		"type WorkflowStartedV2ExecutionMode string",
		`WorkflowStartedV2ExecutionModeDryRun WorkflowStartedV2ExecutionMode = "dry-run"`,
		"WorkflowID    string                         `eventgen:\"required\" json:\"workflowId\"`",
		"Priority      *int64                         `json:\"priority,omitempty\"`",
		"func upcastWorkflowStartedV1(in WorkflowStartedV1) (WorkflowStartedV2, error)",
		"func DecodeWorkflowStarted(env event.Envelope) (WorkflowStarted, error)",
		"// A run of the workflow began.",
	} {
		if !strings.Contains(started, want) {
			t.Errorf("workflow_started_gen.go lacks %q", want)
		}
	}
	pkg := fileContent(files, "eventgen_gen.go")
	for _, want := range []string{
		"func Decode(env event.Envelope) (event.Payload, error)",
		"func New(meta event.Metadata, p event.Payload) (event.Envelope, error)",
		"func Upcast(p event.Payload) (event.Payload, error)",
	} {
		if !strings.Contains(pkg, want) {
			t.Errorf("eventgen_gen.go lacks %q", want)
		}
	}
	types := fileContent(files, "types_gen.go")
	for _, want := range []string{"type Node struct", "type NodeType string", "Config map[string]string `json:\"config,omitzero\"`", "// Free-form settings of the step."} {
		if !strings.Contains(types, want) {
			t.Errorf("types_gen.go lacks %q", want)
		}
	}
}
