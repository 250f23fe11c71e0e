package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/pflag"
)

func versionCommand() *command {
	return &command{
		name:    "version",
		short:   "print eventgen's version",
		long:    `Version prints the version of this eventgen binary (the module version it was built from).`,
		example: `eventgen version`,
		flags: func(fs *pflag.FlagSet) func(*env, []string) int {
			return func(e *env, args []string) int {
				if len(args) != 0 {
					return usageError(e, "version", "takes no arguments")
				}
				fmt.Fprintf(e.stdout, "eventgen %s\n", version())
				return exitOK
			}
		},
	}
}

// version is the main module's version, "(devel)" for a build from a checkout.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
