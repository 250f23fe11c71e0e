package main

import (
	"fmt"
	"os"

	"github.com/eventgen/eventgen/runtime/pattern"
	"github.com/spf13/pflag"
)

func matchCommand() *command {
	return &command{
		name:  "match",
		args:  "--pattern FILE --event FILE",
		short: "test one EventBridge pattern against one event",
		long: `Match tests an EventBridge event pattern against an event, like
'aws events test-event-pattern', with eventgen's AWS-exact matcher. The event is the
EventBridge form ({"source", "detail-type", "detail": ...}). Exit 0 when it matches, 1 when it
does not, 2 when the pattern or the event is invalid (with the reason).`,
		example: `eventgen match --pattern eventbridge/live-runs-of-org-123.json --event event.json`,
		flags: func(fs *pflag.FlagSet) func(*env, []string) int {
			var patternFile, eventFile string
			fs.StringVar(&patternFile, "pattern", "", "file holding the EventBridge pattern (JSON)")
			fs.StringVar(&eventFile, "event", "", "file holding the event (JSON)")
			return func(e *env, args []string) int {
				if len(args) != 0 || patternFile == "" || eventFile == "" {
					return usageError(e, "match", "want --pattern FILE and --event FILE and no arguments")
				}
				pat, err := os.ReadFile(patternFile)
				if err != nil {
					return usageError(e, "match", "%v", err)
				}
				ev, err := os.ReadFile(eventFile)
				if err != nil {
					return usageError(e, "match", "%v", err)
				}
				p, err := pattern.Compile(pat)
				if err != nil {
					fmt.Fprintf(e.stderr, "eventgen match: invalid pattern %s: %v\n", patternFile, err)
					return exitError
				}
				ok, err := p.Match(ev)
				if err != nil {
					fmt.Fprintf(e.stderr, "eventgen match: invalid event %s: %v\n", eventFile, err)
					return exitError
				}
				if !ok {
					fmt.Fprintln(e.stdout, "no match")
					return exitFindings
				}
				fmt.Fprintln(e.stdout, "match")
				return exitOK
			}
		},
	}
}
