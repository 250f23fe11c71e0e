package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/eventgen/eventgen/spec"
	"github.com/spf13/pflag"
)

// formatFlag registers --format, the output format of findings.
func formatFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVar(p, "format", "text", "output format of findings: text, github (Actions annotations) or json")
}

func validFormat(f string) bool { return f == "text" || f == "github" || f == "json" }

// jsonFinding is one finding in --format json.
type jsonFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule,omitempty"`
	Message  string `json:"message"`
}

// printDiagnostics writes findings, sorted, in the given format. File names are made relative
// to the current directory when they lie below it.
func printDiagnostics(w io.Writer, format string, ds spec.Diagnostics) {
	ds = ds.Sorted()
	for i := range ds {
		ds[i].Pos.File = relPath(ds[i].Pos.File)
	}
	switch format {
	case "json":
		out := make([]jsonFinding, 0, len(ds))
		for _, d := range ds {
			out = append(out, jsonFinding{File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col,
				Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	case "github":
		for _, d := range ds {
			level := "error"
			if d.Severity == spec.Warning {
				level = "warning"
			}
			msg := d.Message
			if d.Rule != "" {
				msg = d.Rule + ": " + msg
			}
			fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d::%s\n", level, ghEscapeProp(d.Pos.File), d.Pos.Line, d.Pos.Col, ghEscapeData(msg))
		}
	default:
		for _, d := range ds {
			fmt.Fprintln(w, d.String())
		}
	}
}

// ghEscapeData and ghEscapeProp escape as GitHub's workflow commands require.
func ghEscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghEscapeProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func relPath(p string) string {
	if p == "" || !filepath.IsAbs(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// reportError prints err for command c and returns its exit code: 1 with the findings when err
// holds spec.Diagnostics, 2 otherwise.
func reportError(e *env, c, format string, err error) int {
	var ds spec.Diagnostics
	if errors.As(err, &ds) {
		printDiagnostics(e.stderr, format, ds)
		return exitFindings
	}
	fmt.Fprintf(e.stderr, "eventgen %s: %v\n", c, err)
	return exitError
}
