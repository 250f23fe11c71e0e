package golang

import (
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/internal/gomodtest"
	"github.com/eventgen/eventgen/spec/check"
	speccue "github.com/eventgen/eventgen/spec/cue"
	"github.com/eventgen/eventgen/spec/evolve"
)

// TestDecodeSeesPresence compiles the code generated from testdata/presence/spec.cue, whose
// examples the generate-time checks accept, and runs its generated tests with a hand-written
// one: generated Decode must report a missing required field or a null non-nullable one at
// every depth exactly as spec/check does, skip the constraints of an absent optional list,
// ignore unknown fields, and compare times as instants.
func TestDecodeSeesPresence(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	m, err := speccue.Load("testdata/presence/spec.cue")
	if err != nil {
		t.Fatal(err)
	}
	ds := append(check.Check(m), evolve.CheckExamples(m)...)
	if err := ds.Err(); err != nil {
		t.Fatalf("the spec's examples do not pass the generate-time checks:\n%v", err)
	}
	files := generate(t, m, "presence")
	files = append(files, testdataFile(t, "presence/api_test.go"), testdataFile(t, "presence/spec.cue"))
	dir := gomodtest.Write(t, map[string][]genfile.File{"presence": files})
	gomodtest.Go(t, dir, "vet", "./...")
	out := gomodtest.Go(t, dir, "test", "-count=1", "-v", "./...")
	for _, want := range []string{
		"--- PASS: TestItemChangedExample0", "--- PASS: TestItemChangedExample1", "--- PASS: TestItemChangedExample2",
		"--- PASS: TestItemChangedExample3", "--- PASS: TestItemChangedExample4", "--- PASS: TestItemChangedExample5",
		"--- PASS: TestItemChangedExample6", "--- PASS: TestDecodeAgreesWithTheChecker",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go test output lacks %q:\n%s", want, out)
		}
	}
}

// TestOptionalNilListSkipsConstraints checks the generated Validate of an optional list with a
// minimum count: the check runs only when the list is there.
func TestOptionalNilListSkipsConstraints(t *testing.T) {
	m, err := speccue.LoadSource("spec.cue", []byte("import \"list\"\nevents: \"a.b\": v1: {tags?: [...string] & list.MinItems(1), both: [...string] & list.MinItems(1) | null}"))
	if err != nil {
		t.Fatal(err)
	}
	src := fileContent(generate(t, m, "p"), "a_b_gen.go")
	for _, want := range []string{
		"if p.Tags != nil {\n\t\tve.AddIf(len(p.Tags) < 1, ",
		"if p.Both != nil {\n\t\tve.AddIf(len(p.Both) < 1, ",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("a_b_gen.go lacks %q:\n%s", want, src)
		}
	}
}
