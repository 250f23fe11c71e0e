// Command eventgen compiles an event spec (CUE or AsyncAPI) into typed Go events, upcasters,
// handlers, EventBridge patterns, JSON Schemas and generated tests.
//
// Usage:
//
//	eventgen generate [--out DIR] [--package NAME] SPEC
//	eventgen check    [--out DIR] [--package NAME] SPEC
//	eventgen vet      SPEC
//	eventgen breaking --against OLD SPEC
//	eventgen match    --pattern FILE --event FILE
//	eventgen version
//
// Exit codes: 0 success, 1 findings (an invalid spec, out-of-date files, breaking changes,
// no match), 2 anything else (a usage error, an unreadable file, an invalid pattern).
// Run `eventgen help COMMAND` or `eventgen COMMAND --help` for a command's flags and an example.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/eventgen/eventgen/internal/heapfloor"
)

// Exit codes, as cli.md fixes them.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// command is one subcommand: its flags and its run function, in the style of buf's commands.
type command struct {
	name    string
	args    string // the positional arguments, for the usage line
	short   string // one line for the command list
	long    string // what it does, in full
	example string
	// flags registers the command's flags and returns the function that runs it.
	flags func(fs *pflag.FlagSet) func(env *env, args []string) int
}

// env is what a command reads and writes, so that tests run commands in-process.
type env struct {
	stdout, stderr io.Writer
}

func commands() []*command {
	return []*command{
		generateCommand(),
		checkCommand(),
		vetCommand(),
		breakingCommand(),
		matchCommand(),
		versionCommand(),
	}
}

func main() {
	// A run is a short batch job whose garbage is most of what it allocates: collecting it
	// only once the heap is large makes generation about a third faster (see heapfloor).
	heapfloor.Raise(heapfloor.DefaultFloor)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one eventgen command line and returns its exit code.
func run(args []string, stdout, stderr io.Writer) (code int) {
	e := &env{stdout: stdout, stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "eventgen: internal error (this is a bug, please report it with the spec that caused it): %v\n", r)
			code = exitError
		}
	}()
	if len(args) == 0 {
		usage(stderr)
		return exitError
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		if len(args) > 1 {
			if c := find(args[1]); c != nil {
				fs, _ := newFlagSet(c)
				commandUsage(stdout, c, fs)
				return exitOK
			}
		}
		usage(stdout)
		return exitOK
	}
	c := find(name)
	if c == nil {
		fmt.Fprintf(stderr, "eventgen: unknown command %q\n\n", name)
		usage(stderr)
		return exitError
	}
	fs, runFn := newFlagSet(c)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			commandUsage(stdout, c, fs)
			return exitOK
		}
		fmt.Fprintf(stderr, "eventgen %s: %v\n", c.name, err)
		fmt.Fprintf(stderr, "Run 'eventgen %s --help' for usage.\n", c.name)
		return exitError
	}
	return runFn(e, fs.Args())
}

func find(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func newFlagSet(c *command) (*pflag.FlagSet, func(*env, []string) int) {
	fs := pflag.NewFlagSet("eventgen "+c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed by run, with a hint
	fs.SortFlags = true
	runFn := c.flags(fs)
	return fs, runFn
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "eventgen compiles an event spec (CUE or AsyncAPI) into typed Go events, upcasters,")
	fmt.Fprintln(w, "handlers, EventBridge patterns, JSON Schemas and generated tests.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  eventgen COMMAND [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.short)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'eventgen COMMAND --help' for a command's flags and an example.")
}

func commandUsage(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage:\n  eventgen %s %s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.long))
	if fs.HasFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsages())
	}
	fmt.Fprintf(w, "\nExample:\n%s\n", indent(strings.TrimSpace(c.example)))
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// usageError prints a usage problem of c and returns exit code 2.
func usageError(e *env, c string, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "eventgen %s: %s\n", c, fmt.Sprintf(format, args...))
	fmt.Fprintf(e.stderr, "Run 'eventgen %s --help' for usage.\n", c)
	return exitError
}
