package golang

import (
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/internal/gomodtest"
	speccue "github.com/eventgen/eventgen/spec/cue"
)

// mutualSpec has two definitions that hold each other, only one of them with a constraint of
// its own: both need validating and presence checks, whichever the generator looks at first.
const mutualSpec = `package p

// A holds a B.
#A: {b?: #B, x: string & =~"^x"}
// B holds an A.
#B: {a?: #A}

events: "e.aaa": v1: {a?: #A}
events: "e.one": v1: {b?: #B}
`

// mutualTest decodes payloads whose problems sit two definitions deep.
const mutualTest = `package p

import (
	"errors"
	"testing"

	"github.com/eventgen/eventgen/runtime/event"
)

func TestDeepThroughMutualDefinitions(t *testing.T) {
	for data, want := range map[string]event.Violation{
		` + "`" + `{"b":{"a":{"x":"y"}}}` + "`" + `: {Path: "b.a.x", Message: ` + "`" + `must match "^x"` + "`" + `},
		` + "`" + `{"b":{"a":{}}}` + "`" + `:          {Path: "b.a.x", Message: "is required"},
	} {
		_, err := DecodeEOne(event.Envelope{EventType: EOneType, Version: "1", Data: []byte(data)})
		var ve *event.ValidationError
		if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0] != want {
			t.Errorf("%s: error %v, want the violation %v", data, err, want)
		}
	}
}
`

func TestMutuallyRecursiveDefinitions(t *testing.T) {
	m, err := speccue.LoadSource("spec.cue", []byte(mutualSpec))
	if err != nil {
		t.Fatal(err)
	}
	files := generate(t, m, "p")
	if src := fileContent(files, "types_gen.go"); !strings.Contains(src, "func (p B) validate(") {
		t.Errorf("B has no validate method although the A inside it has a constraint:\n%s", src)
	}
	if src := fileContent(files, "e_one_gen.go"); !strings.Contains(src, `v.validate("b", ve)`) {
		t.Errorf("e.one's Validate does not validate its B:\n%s", src)
	}
	if testing.Short() {
		return
	}
	files = append(files, genfile.File{Path: "deep_test.go", Content: []byte(mutualTest)})
	dir := gomodtest.Write(t, map[string][]genfile.File{"p": files})
	gomodtest.Go(t, dir, "test", "-count=1", "./...")
}
