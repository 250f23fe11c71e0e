package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/evolve"
	"github.com/eventgen/eventgen/spec/load"
	"github.com/spf13/pflag"
)

func breakingCommand() *command {
	return &command{
		name:  "breaking",
		args:  "--against OLD [--format text|github|json] SPEC",
		short: "report changes that break stored events or consumers since OLD",
		long: `Breaking compares SPEC with an older revision of it, OLD, and prints every change that
breaks stored events or their consumers, one a line, sorted, each with a stable rule ID:
EVENT_NO_DELETE, VERSION_NO_DELETE, FIELD_NO_DELETE, FIELD_SAME_TYPE, FIELD_NO_REQUIRED_ADD,
FIELD_SAME_OPTIONALITY, ENUM_VALUE_NO_DELETE, CONSTRAINT_NO_TIGHTEN, LATEST_VERSION_NO_DOWNGRADE.
A new version whose upcast step is incomplete is reported too.

OLD is a spec file or directory, or REV:PATH to read PATH (relative to the current
directory) from git at revision REV, e.g. origin/main:events/spec. Findings in OLD name it
that way. Exit 1 when there is any breaking change, 0 when there is none.`,
		example: `eventgen breaking --against origin/main:events/spec events/spec`,
		flags: func(fs *pflag.FlagSet) func(*env, []string) int {
			var against, format string
			fs.StringVar(&against, "against", "", "the older revision to compare with: a path, or REV:PATH read from git")
			formatFlag(fs, &format)
			return func(e *env, args []string) int { return runBreaking(e, against, format, args) }
		},
	}
}

func runBreaking(e *env, against, format string, args []string) int {
	if len(args) != 1 {
		return usageError(e, "breaking", "want exactly one SPEC argument, got %d", len(args))
	}
	if against == "" {
		return usageError(e, "breaking", "--against OLD is required")
	}
	if !validFormat(format) {
		return usageError(e, "breaking", "--format must be text, github or json, not %q", format)
	}
	cur, err := load.Load(args[0])
	if err != nil {
		return reportError(e, "breaking", format, err)
	}
	old, cleanup, err := evolve.LoadOld(context.Background(), against, load.Load)
	defer cleanup()
	if err != nil {
		// The old revision is input, not the change under review: any problem with it is exit 2.
		var ds spec.Diagnostics
		if errors.As(err, &ds) {
			fmt.Fprintf(e.stderr, "eventgen breaking: the old spec %s is invalid:\n", against)
			printDiagnostics(e.stderr, format, ds)
			return exitError
		}
		fmt.Fprintf(e.stderr, "eventgen breaking: %v\n", err)
		return exitError
	}
	ds := evolve.Breaking(old, cur)
	if len(ds) > 0 || format == "json" {
		printDiagnostics(e.stdout, format, ds)
	}
	if ds.HasErrors() {
		return exitFindings
	}
	return exitOK
}
