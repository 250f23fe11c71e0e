// Package generator turns a checked spec.Model into the files eventgen writes: Go code,
// EventBridge patterns and their CloudFormation, JSON Schemas and the EVENTS.md catalogue.
//
// Generate is a pure function from model to sorted files; `eventgen generate`, `eventgen check`
// and the tests all call it, and package outdir applies its result to a directory. Each output
// kind is a backend package of its own (golang, eventbridge, cfn, jsonschema, docs); none of
// them reads files.
package generator

import (
	"errors"
	"fmt"
	"go/token"
	"sync"

	"github.com/eventgen/eventgen/generator/cfn"
	"github.com/eventgen/eventgen/generator/docs"
	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/generator/golang"
	"github.com/eventgen/eventgen/generator/jsonschema"
	"github.com/eventgen/eventgen/spec"
)

// Options control generation.
type Options struct {
	// Package is the Go package name of the generated code. It must be set; see PackageName.
	Package string
}

// PackageName resolves the generated package's name: the flag when given, else the spec's
// eventgen.package, else the output directory's last element.
func PackageName(flag string, m *spec.Model, outDirBase string) (string, error) {
	name := flag
	if name == "" {
		name = m.Package
	}
	if name == "" {
		name = outDirBase
	}
	if !token.IsIdentifier(name) || token.IsKeyword(name) || name == "_" {
		return "", fmt.Errorf("package name %q is not a Go identifier; set eventgen: package in the spec or pass --package", name)
	}
	return name, nil
}

// Generate returns every file the spec produces, sorted by path. Positioned problems found
// while generating (a Go name collision, say) are returned as spec.Diagnostics.
func Generate(m *spec.Model, opts Options) ([]genfile.File, error) {
	if opts.Package == "" {
		return nil, errors.New("generator: no package name given")
	}
	backends := []struct {
		name string
		run  func() ([]genfile.File, error)
	}{
		{"go", func() ([]genfile.File, error) { return golang.Generate(m, golang.Options{Package: opts.Package}) }},
		{"eventbridge", func() ([]genfile.File, error) { return eventbridge.Generate(m) }},
		{"cloudformation", func() ([]genfile.File, error) { return cfn.Generate(m) }},
		{"jsonschema", func() ([]genfile.File, error) { return jsonschema.Generate(m) }},
		{"docs", func() ([]genfile.File, error) { return docs.Generate(m) }},
	}
	// The backends only read the model, so they run concurrently: the Go backend is most of
	// the work, and the others then cost no wall time. Results are combined in the fixed
	// order above, so output and diagnostics do not depend on scheduling.
	type result struct {
		files []genfile.File
		err   error
	}
	results := make([]result, len(backends))
	var wg sync.WaitGroup
	for i, b := range backends {
		wg.Go(func() {
			files, err := b.run()
			results[i] = result{files, err}
		})
	}
	wg.Wait()
	var (
		out   []genfile.File
		diags spec.Diagnostics
	)
	for i, b := range backends {
		files, err := results[i].files, results[i].err
		var ds spec.Diagnostics
		switch {
		case errors.As(err, &ds):
			diags = append(diags, ds...)
		case err != nil:
			return nil, fmt.Errorf("%s backend: %w", b.name, err)
		}
		out = append(out, files...)
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	genfile.Sort(out)
	return out, nil
}
