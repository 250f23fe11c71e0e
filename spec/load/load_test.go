package load

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/spec"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadPicksTheFrontendByFile(t *testing.T) {
	dir := t.TempDir()
	cueFile := write(t, dir, "spec.cue", "eventgen: source: \"s\"\nevents: \"a.b\": v1: x: string\n")
	yamlFile := write(t, dir, "spec.yaml", `asyncapi: 3.0.0
info: {title: t, version: "1"}
x-eventgen: {source: s}
components:
  messages:
    ab:
      name: a.b
      payload:
        type: object
        required: [x]
        properties:
          x: {type: string}
`)
	for _, p := range []string{cueFile, dir, yamlFile} {
		m, err := Load(p)
		if err != nil {
			t.Fatalf("Load(%s): %v", p, err)
		}
		if e := m.Event("a.b"); e == nil || e.Latest().Field("x") == nil || m.Source != "s" {
			t.Errorf("Load(%s): model without event a.b field x", p)
		}
		if ds := Check(m); ds.HasErrors() {
			t.Errorf("Check(%s): %v", p, ds)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	txt := write(t, dir, "notes.txt", "hello")
	bad := write(t, dir, "bad.cue", "events: \"a.b\": {\n")
	if _, err := Load(filepath.Join(dir, "missing.cue")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want an error wrapping os.ErrNotExist", err)
	}
	if _, err := Load(txt); err == nil || !strings.Contains(err.Error(), "not a .cue file") {
		t.Errorf("unknown extension: %v", err)
	}
	var ds spec.Diagnostics
	if _, err := Load(bad); !errors.As(err, &ds) {
		t.Errorf("syntax error: %v, want spec.Diagnostics", err)
	}
}

func TestLintIsSeparateFromCheck(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "spec.cue", "eventgen: source: \"s\"\n#Unused: string\nevents: \"a.b\": v1: x: string\n")
	m, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if ds := Check(m); len(ds) != 0 {
		t.Errorf("Check reports lint findings: %v", ds)
	}
	lint := Lint(m)
	if len(lint) != 2 || lint.HasErrors() {
		t.Errorf("Lint = %v, want two warnings (undocumented event, unused definition)", lint)
	}
}
