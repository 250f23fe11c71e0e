package main

import (
	"fmt"
	"path/filepath"

	"github.com/eventgen/eventgen/generator"
	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/generator/golang"
	"github.com/eventgen/eventgen/generator/outdir"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/load"
	"github.com/spf13/pflag"
)

// outputFlags are the flags generate and check share.
type outputFlags struct {
	out     string
	pkg     string
	format  string
	verbose bool
}

func (f *outputFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.out, "out", ".", "output directory of the generated files")
	fs.StringVar(&f.pkg, "package", "", "Go package name of the generated code (default: the spec's eventgen.package, else the last element of --out)")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "list every file written, deleted or unchanged")
	formatFlag(fs, &f.format)
}

// compiled is a spec turned into files, with the warnings found on the way.
type compiled struct {
	model    *spec.Model
	files    []genfile.File
	warnings spec.Diagnostics
}

// compile loads and checks the spec and generates its files: the pipeline generate and check
// share. Errors are spec.Diagnostics for an invalid spec.
func compile(specPath string, f *outputFlags) (*compiled, error) {
	m, err := load.Load(specPath)
	if err != nil {
		return nil, err
	}
	ds := load.Check(m)
	if err := ds.Err(); err != nil {
		return nil, err
	}
	absOut, err := filepath.Abs(f.out)
	if err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	pkg, err := generator.PackageName(f.pkg, m, filepath.Base(absOut))
	if err != nil {
		return nil, err
	}
	files, err := generator.Generate(m, generator.Options{Package: pkg})
	if err != nil {
		return nil, err
	}
	return &compiled{model: m, files: files, warnings: ds.Warnings()}, nil
}

func generateCommand() *command {
	return &command{
		name:  "generate",
		args:  "[--out DIR] [--package NAME] SPEC",
		short: "write the generated files for a spec",
		long: `Generate reads SPEC (a .cue file, a directory holding a CUE package, or an AsyncAPI
document) and writes the generated Go code, EventBridge patterns, JSON Schemas and EVENTS.md
into DIR. Writing is all or nothing; only changed files are rewritten; files that an earlier
run generated and the spec no longer produces are deleted; files eventgen did not generate
are never touched. Exit 1 when the spec is invalid (nothing is written).`,
		example: `eventgen generate --out internal/events events/spec
# in a Go file of the output package:
//go:generate go run github.com/eventgen/eventgen/cmd/eventgen generate --out . ../../events/spec`,
		flags: func(fs *pflag.FlagSet) func(*env, []string) int {
			var f outputFlags
			f.register(fs)
			return func(e *env, args []string) int { return runGenerate(e, &f, args) }
		},
	}
}

func runGenerate(e *env, f *outputFlags, args []string) int {
	if len(args) != 1 {
		return usageError(e, "generate", "want exactly one SPEC argument, got %d", len(args))
	}
	if !validFormat(f.format) {
		return usageError(e, "generate", "--format must be text, github or json, not %q", f.format)
	}
	c, err := compile(args[0], f)
	if err != nil {
		return reportError(e, "generate", f.format, err)
	}
	printDiagnostics(e.stderr, f.format, c.warnings)
	res, err := outdir.Write(f.out, c.files)
	if err != nil {
		fmt.Fprintf(e.stderr, "eventgen generate: %v\n", err)
		return exitError
	}
	if f.verbose {
		for _, p := range res.Written {
			fmt.Fprintf(e.stderr, "wrote     %s\n", filepath.Join(f.out, p))
		}
		for _, p := range res.Deleted {
			fmt.Fprintf(e.stderr, "deleted   %s\n", filepath.Join(f.out, p))
		}
		for _, p := range res.Unchanged {
			fmt.Fprintf(e.stderr, "unchanged %s\n", filepath.Join(f.out, p))
		}
	}
	for _, sig := range golang.CustomUpcastSignatures(c.model) {
		fmt.Fprintf(e.stderr, "write this upcast step by hand in a non-generated file of package %s:\n\t%s\n", c.model.Package, sig)
	}
	fmt.Fprintf(e.stderr, "eventgen: %d written, %d deleted, %d unchanged in %s\n", len(res.Written), len(res.Deleted), len(res.Unchanged), f.out)
	return exitOK
}
