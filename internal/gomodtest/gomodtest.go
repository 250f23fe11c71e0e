// Package gomodtest lets tests compile and run generated code as a user would: in a throwaway
// module that requires eventgen through a replace directive pointing at this checkout.
package gomodtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator/genfile"
)

// RepoRoot is the root of the eventgen module.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root, err := filepath.Abs(filepath.Join(filepath.Dir(file), "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Write writes a throwaway module that requires eventgen through a replace directive, with one
// package directory per entry of pkgs, and returns its directory.
func Write(t testing.TB, pkgs map[string][]genfile.File) string {
	t.Helper()
	dir := t.TempDir()
	root := RepoRoot(t)
	gomod := "module example.com/generated\n\ngo 1.26\n\nrequire github.com/eventgen/eventgen v0.0.0\n\nreplace github.com/eventgen/eventgen => " + root + "\n"
	write(t, filepath.Join(dir, "go.mod"), []byte(gomod))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "go.sum"), sum)
	for pkg, files := range pkgs {
		for _, f := range files {
			write(t, filepath.Join(dir, pkg, filepath.FromSlash(f.Path)), f.Content)
		}
	}
	return dir
}

func write(t testing.TB, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Go runs the go command in dir and returns its output; a failure fails the test. The
// throwaway module is not tidy, so the go command reads the go.mod of every module in
// eventgen's graph; it fetches what the module cache lacks through the environment's GOPROXY,
// as the go command of eventgen's own tests does.
func Go(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
