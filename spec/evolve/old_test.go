package evolve

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/cue"
)

const oldSpec = `package spec

eventgen: source: "workflow-engine"

events: "workflow.started": v1: {
	workflowId:   string
	workflowName: string
}
`

const curSpec = `package spec

eventgen: source: "workflow-engine"

events: "workflow.started": v1: {
	workflowId: string
}
`

// gitRepo makes a git repository in a temporary directory, commits spec/spec.cue holding
// oldSpec, then changes the working copy to curSpec, and makes it the current directory.
func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(content string) {
		if err := os.MkdirAll("spec", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("spec", "spec.cue"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	write(oldSpec)
	run("add", "spec")
	run("commit", "-q", "-m", "spec")
	write(curSpec)
	return dir
}

func cueLoad(path string) (*spec.Model, error) { return cue.Load(path) }

func TestLoadOld(t *testing.T) {
	gitRepo(t)
	tests := []struct {
		name    string
		dir     string // the current directory below the repository, "" for its root
		ref     string
		wantPos string // the position of field workflowName of v1, "" when the ref has none
	}{
		{name: "a directory in git", ref: "HEAD:spec", wantPos: "HEAD:spec/spec.cue:7:2"},
		{name: "a file in git", ref: "HEAD:spec/spec.cue", wantPos: "HEAD:spec/spec.cue:7:2"},
		{name: "a path relative to a subdirectory", dir: "spec", ref: "HEAD:.", wantPos: "HEAD:spec.cue:7:2"},
		{name: "a path on disk is read as it is", ref: "spec"},
	}
	root, _ := os.Getwd()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(filepath.Join(root, tt.dir))
			m, cleanup, err := LoadOld(context.Background(), tt.ref, cueLoad)
			defer cleanup()
			if err != nil {
				t.Fatalf("LoadOld(%q): %v", tt.ref, err)
			}
			f := m.Event("workflow.started").Version(1).Field("workflowName")
			if tt.wantPos == "" {
				if f != nil {
					t.Errorf("LoadOld(%q) read the committed spec, want the working copy", tt.ref)
				}
				return
			}
			if f == nil {
				t.Fatalf("LoadOld(%q) has no v1.workflowName: it did not read the committed spec", tt.ref)
			}
			if got := f.Pos.String(); got != tt.wantPos {
				t.Errorf("position = %s, want %s", got, tt.wantPos)
			}
			// Every position of the model names the revision, none the temporary copy.
			rewritePositions(reflectValue(m), func(p spec.Pos) spec.Pos {
				if p.File != "" && !strings.HasPrefix(p.File, "HEAD:") {
					t.Errorf("position %s does not name the revision", p)
				}
				return p
			}, map[uintptr]bool{})
		})
	}
}

func TestLoadOldBreaking(t *testing.T) {
	gitRepo(t)
	old, cleanup, err := LoadOld(context.Background(), "HEAD:spec", cueLoad)
	defer cleanup()
	if err != nil {
		t.Fatal(err)
	}
	cur, err := cue.Load("spec")
	if err != nil {
		t.Fatal(err)
	}
	want := `HEAD:spec/spec.cue:7:2: FIELD_NO_DELETE: events."workflow.started".v1.workflowName was deleted from an existing version; restore it, and make the new shape a new version`
	if got := Breaking(old, cur).Error(); got != want {
		t.Errorf("Breaking =\n%s\nwant\n%s", got, want)
	}
}

func TestLoadOldErrors(t *testing.T) {
	gitRepo(t)
	if err := os.WriteFile("broken.cue", []byte("package spec\n\nevents: \"workflow.started\": v1: {\n\tworkflowId: string &\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "broken", "--", "broken.cue")
	if out, err := exec.Command("git", "add", "broken.cue").CombinedOutput(); err != nil {
		t.Fatalf("git add: %v\n%s", err, out)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git commit: %v\n%s", err, out)
	}
	if err := os.Remove("broken.cue"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref     string
		wantErr string
	}{
		{ref: "no-such-path", wantErr: "read old spec no-such-path: no such file or directory, and not of the form REV:PATH"},
		{ref: "HEAD:missing", wantErr: "read old spec HEAD:missing from git: git cat-file -t HEAD:./missing: fatal: path 'missing' does not exist in 'HEAD'"},
		{ref: "nosuchrev:spec", wantErr: "read old spec nosuchrev:spec from git: git cat-file -t nosuchrev:./spec: fatal: "},
		{ref: "HEAD:broken.cue", wantErr: "read old spec HEAD:broken.cue: HEAD:broken.cue:5:1: "},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			m, cleanup, err := LoadOld(context.Background(), tt.ref, cueLoad)
			cleanup()
			if err == nil {
				t.Fatalf("LoadOld(%q) = %v, want an error", tt.ref, m)
			}
			if !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("LoadOld(%q) error =\n%v\nwant it to start with\n%s", tt.ref, err, tt.wantErr)
			}
		})
	}
	// A spec error in the old revision stays a spec.Diagnostics, positioned at REV:PATH.
	_, cleanup, err := LoadOld(context.Background(), "HEAD:broken.cue", cueLoad)
	cleanup()
	var ds spec.Diagnostics
	if !errors.As(err, &ds) || len(ds) == 0 || ds[0].Pos.File != "HEAD:broken.cue" {
		t.Errorf("LoadOld of a broken spec: error %v, want spec.Diagnostics at HEAD:broken.cue", err)
	}
}
