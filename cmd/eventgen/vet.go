package main

import (
	"errors"

	"github.com/eventgen/eventgen/generator"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/load"
	"github.com/spf13/pflag"
)

func vetCommand() *command {
	return &command{
		name:  "vet",
		args:  "[--format text|github|json] SPEC",
		short: "report every finding of a spec, lint included, without writing",
		long: `Vet runs every check that generate runs and the lint checks on top (documentation,
naming style, unused definitions), and prints the findings, sorted, on stdout. It writes
nothing. Exit 1 when any finding is an error; warnings alone exit 0.`,
		example: `eventgen vet --format github events/spec`,
		flags: func(fs *pflag.FlagSet) func(*env, []string) int {
			var format string
			formatFlag(fs, &format)
			return func(e *env, args []string) int {
				if len(args) != 1 {
					return usageError(e, "vet", "want exactly one SPEC argument, got %d", len(args))
				}
				if !validFormat(format) {
					return usageError(e, "vet", "--format must be text, github or json, not %q", format)
				}
				m, err := load.Load(args[0])
				if err != nil {
					return reportError(&env{stdout: e.stdout, stderr: e.stdout}, "vet", format, err)
				}
				ds := append(load.Check(m), load.Lint(m)...)
				if !ds.HasErrors() {
					// Some problems only generation finds (Go name collisions, say): generate in
					// memory, writing nothing, to report them too.
					ds = append(ds, generationFindings(m)...)
				}
				if len(ds) > 0 || format == "json" {
					printDiagnostics(e.stdout, format, ds)
				}
				if ds.HasErrors() {
					return exitFindings
				}
				return exitOK
			}
		},
	}
}

// generationFindings returns the diagnostics that generating m reports; the package name does
// not change them, so any valid one serves.
func generationFindings(m *spec.Model) spec.Diagnostics {
	pkg := m.Package
	if pkg == "" {
		pkg = "events"
	}
	_, err := generator.Generate(m, generator.Options{Package: pkg})
	var ds spec.Diagnostics
	if errors.As(err, &ds) {
		return ds
	}
	if err != nil {
		return spec.Diagnostics{spec.Errorf(m.Pos, "generate: %v", err)}
	}
	return nil
}
