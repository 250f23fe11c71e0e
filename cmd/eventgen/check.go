package main

import (
	"fmt"

	"github.com/eventgen/eventgen/generator/outdir"
	"github.com/spf13/pflag"
)

func checkCommand() *command {
	return &command{
		name:  "check",
		args:  "[--out DIR] [--package NAME] SPEC",
		short: "fail when the generated files in DIR are out of date",
		long: `Check compares what generate would write for SPEC with the files in DIR, without writing.
It prints a unified diff on stdout for every file that differs, is missing, or is a stale
generated file, and exits 1 when there is any; 0 when DIR is up to date. Use it as a CI gate.`,
		example: `eventgen check --out internal/events events/spec`,
		flags: func(fs *pflag.FlagSet) func(*env, []string) int {
			var f outputFlags
			f.register(fs)
			return func(e *env, args []string) int { return runCheck(e, &f, args) }
		},
	}
}

func runCheck(e *env, f *outputFlags, args []string) int {
	if len(args) != 1 {
		return usageError(e, "check", "want exactly one SPEC argument, got %d", len(args))
	}
	if !validFormat(f.format) {
		return usageError(e, "check", "--format must be text, github or json, not %q", f.format)
	}
	c, err := compile(args[0], f)
	if err != nil {
		return reportError(e, "check", f.format, err)
	}
	printDiagnostics(e.stderr, f.format, c.warnings)
	diffs, err := outdir.Check(f.out, c.files)
	if err != nil {
		fmt.Fprintf(e.stderr, "eventgen check: %v\n", err)
		return exitError
	}
	for _, d := range diffs {
		fmt.Fprint(e.stdout, d.Diff)
	}
	if len(diffs) > 0 {
		for _, d := range diffs {
			fmt.Fprintf(e.stderr, "%s: %s\n", d.Path, d.Kind)
		}
		fmt.Fprintf(e.stderr, "eventgen check: %d generated files are out of date in %s; run eventgen generate\n", len(diffs), f.out)
		return exitFindings
	}
	return exitOK
}
