// Package load reads a spec from disk with the frontend its file calls for and runs every
// check of the model. It is the single entry point that the CLI and the tests use, so that
// generate, check, vet and breaking see the same model and the same findings.
package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/asyncapi"
	"github.com/eventgen/eventgen/spec/check"
	"github.com/eventgen/eventgen/spec/cue"
	"github.com/eventgen/eventgen/spec/evolve"
	"github.com/eventgen/eventgen/spec/rulecheck"
)

// Load reads the spec at path: a .cue file or a directory holding a CUE package, or an
// AsyncAPI document (.yaml, .yml, .json). The format is told by the file, never by a flag.
// Problems in the spec are returned as spec.Diagnostics; anything else (an unreadable path)
// as an ordinary error.
func Load(path string) (*spec.Model, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	if st.IsDir() {
		return cue.Load(path)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".cue":
		return cue.Load(path)
	case ".yaml", ".yml", ".json":
		return asyncapi.Load(path)
	}
	return nil, fmt.Errorf("read spec %s: not a .cue file, a CUE package directory or an AsyncAPI document (.yaml, .yml, .json)", path)
}

// Check runs every check that generate runs: the model's own rules, upcast completeness,
// upcast examples and rule type checks. Warnings come back too; only error-level findings
// stop generation.
func Check(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	ds = append(ds, check.Check(m)...)
	ds = append(ds, evolve.CheckUpcasts(m)...)
	ds = append(ds, evolve.CheckExamples(m)...)
	ds = append(ds, rulecheck.Check(m)...)
	return ds.Sorted()
}

// Lint returns the findings that only `eventgen vet` reports: style and documentation.
func Lint(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	ds = append(ds, check.Lint(m)...)
	ds = append(ds, rulecheck.Lint(m)...)
	return ds.Sorted()
}
