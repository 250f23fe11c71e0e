package outdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/google/go-cmp/cmp"
)

func files(kv ...string) []genfile.File {
	var out []genfile.File
	for i := 0; i < len(kv); i += 2 {
		out = append(out, genfile.File{Path: kv[i], Content: []byte(kv[i+1])})
	}
	return out
}

func read(t *testing.T, dir, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, p))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteThenUnchanged(t *testing.T) {
	dir := t.TempDir()
	fs := files("a_gen.go", genfile.GoHeader+"\npackage a\n", "schemas/x.v1.json", "{}\n")
	res, err := Write(dir, fs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a_gen.go", "schemas/x.v1.json"}, res.Written); diff != "" {
		t.Errorf("written (-want +got):\n%s", diff)
	}
	if got := read(t, dir, ManifestName); !strings.Contains(got, `"schemas/x.v1.json"`) {
		t.Errorf("manifest does not list the schema:\n%s", got)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(filepath.Join(dir, "a_gen.go"), old, old); err != nil {
		t.Fatal(err)
	}
	res, err = Write(dir, fs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Written) != 0 || len(res.Unchanged) != 2 {
		t.Errorf("second write: %+v, want nothing written and 2 unchanged", res)
	}
	st, _ := os.Stat(filepath.Join(dir, "a_gen.go"))
	if !st.ModTime().Equal(old) {
		t.Errorf("unchanged file was rewritten: mtime %v, want %v", st.ModTime(), old)
	}
	if d, err := Check(dir, fs); err != nil || len(d) != 0 {
		t.Errorf("Check after Write = %v, %v; want no differences", d, err)
	}
}

func TestStaleFilesAreDeletedAndReported(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, files("eventbridge/r.json", "{}\n", "a_gen.go", genfile.GoHeader+"\n")); err != nil {
		t.Fatal(err)
	}
	next := files("a_gen.go", genfile.GoHeader+"\n")
	d, err := Check(dir, next)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, x := range d {
		kinds = append(kinds, x.Path+":"+x.Kind)
	}
	if diff := cmp.Diff([]string{ManifestName + ":differs", "eventbridge/r.json:stale"}, kinds); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	res, err := Write(dir, next)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"eventbridge/r.json"}, res.Deleted); diff != "" {
		t.Errorf("deleted (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "eventbridge")); !os.IsNotExist(err) {
		t.Errorf("empty directory eventbridge was left behind (err=%v)", err)
	}
}

func TestForeignFilesAreNeverTouched(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "EVENTS.md"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "custom.go"), []byte("package a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(dir, files("a_gen.go", "x\n", "EVENTS.md", "generated\n"))
	if err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("Write over a foreign file: err = %v, want a refusal", err)
	}
	if got := read(t, dir, "EVENTS.md"); got != "mine\n" {
		t.Errorf("foreign file changed to %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "a_gen.go")); !os.IsNotExist(err) {
		t.Errorf("a refused run still wrote a_gen.go (all or nothing)")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries after a refused run, want the 2 foreign files", len(entries))
	}
	if _, err := Write(dir, files("a_gen.go", "x\n")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, dir, "custom.go"); got != "package a\n" {
		t.Errorf("a file not in the manifest was touched: %q", got)
	}
}

func TestPathsOutsideTheDirectoryAreRefused(t *testing.T) {
	for _, p := range []string{"../x.go", "/etc/passwd", "a/../../x", "", ".", "a//b", `a\b`, ManifestName} {
		t.Run(p, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Write(dir, files(p, "x")); err == nil {
				t.Errorf("Write(%q) succeeded, want a refusal", p)
			}
			if _, err := Check(dir, files(p, "x")); err == nil {
				t.Errorf("Check(%q) succeeded, want a refusal", p)
			}
		})
	}
}

func TestCheckShowsAUnifiedDiff(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, files("a.json", "one\ntwo\n")); err != nil {
		t.Fatal(err)
	}
	d, err := Check(dir, files("a.json", "one\nthree\n", "b.json", "new\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d) != 3 { // a.json differs, b.json missing, manifest differs
		t.Fatalf("Check: %d differences, want 3: %+v", len(d), d)
	}
	if !strings.Contains(d[1].Diff, "-two\n+three\n") || d[1].Kind != "differs" {
		t.Errorf("diff of a.json:\n%s", d[1].Diff)
	}
	if d[2].Kind != "missing" || !strings.Contains(d[2].Diff, "+new") {
		t.Errorf("b.json: %+v", d[2])
	}
}

func TestBrokenManifestIsAnError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(`{"generator":"eventgen","files":["../../etc/passwd"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, files("a.go", "x")); err == nil || !strings.Contains(err.Error(), "leave the output directory") {
		t.Errorf("Write with a manifest naming ../../etc/passwd: err = %v", err)
	}
}
