// Package outdir applies generated files to an output directory and compares them with it.
//
// It is the only part of eventgen that writes generated files. Its rules, from cli.md:
//
//   - all or nothing: every changed file is first written to a temporary name beside its
//     target, and only when all of them are written are they renamed into place, so an error
//     or an interrupted run never leaves a half-written file;
//   - only changed files are rewritten, so unchanged files keep their modification time;
//   - a manifest (.eventgen.json) lists the files eventgen owns; a file it owned that the
//     spec no longer produces is deleted by Write and reported by Check;
//   - a file that eventgen does not own is never touched, and a path that would leave the
//     directory is refused.
package outdir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/pmezard/go-difflib/difflib"
)

// ManifestName is the manifest's file name in the output directory.
const ManifestName = ".eventgen.json"

// Manifest lists the files eventgen generated into a directory.
type Manifest struct {
	// Generator is always "eventgen"; it marks the file as ours.
	Generator string `json:"generator"`
	// Files are the generated files' slash-separated paths, sorted, the manifest excluded.
	Files []string `json:"files"`
}

// NewManifest returns the manifest file for files.
func NewManifest(files []genfile.File) genfile.File {
	m := Manifest{Generator: "eventgen", Files: make([]string, 0, len(files))}
	for _, f := range files {
		m.Files = append(m.Files, f.Path)
	}
	slices.Sort(m.Files)
	data, _ := json.MarshalIndent(m, "", "  ") // a struct of strings always encodes
	return genfile.File{Path: ManifestName, Content: append(data, '\n')}
}

// ReadManifest reads dir's manifest; a missing manifest is an empty one.
func ReadManifest(dir string) (Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return Manifest{}, nil
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Generator != "eventgen" {
		return Manifest{}, fmt.Errorf("%s is not an eventgen manifest; remove it or choose another --out", filepath.Join(dir, ManifestName))
	}
	for _, p := range m.Files {
		if err := checkPath(p); err != nil {
			return Manifest{}, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestName), err)
		}
	}
	return m, nil
}

// checkPath refuses a path that is not a clean, relative path inside the directory.
func checkPath(p string) error {
	if p == "" || path.IsAbs(p) || strings.Contains(p, `\`) || path.Clean(p) != p || p == "." ||
		p == ".." || strings.HasPrefix(p, "../") || filepath.IsAbs(filepath.FromSlash(p)) {
		return fmt.Errorf("path %q would leave the output directory; refusing to write it", p)
	}
	return nil
}

// Result says what Write did, each list sorted.
type Result struct {
	Written   []string
	Unchanged []string
	Deleted   []string
}

// Write makes dir hold files (plus the manifest), as described in the package doc.
func Write(dir string, files []genfile.File) (Result, error) {
	var res Result
	all, err := withManifest(files)
	if err != nil {
		return res, err
	}
	old, err := ReadManifest(dir)
	if err != nil {
		return res, err
	}
	owned := make(map[string]bool, len(old.Files))
	for _, p := range old.Files {
		owned[p] = true
	}

	// Plan: which files change, refusing foreign ones before anything is written.
	var changed []genfile.File
	for _, f := range all {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		cur, err := os.ReadFile(target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			changed = append(changed, f)
		case err != nil:
			return res, fmt.Errorf("read %s: %w", target, err)
		case bytes.Equal(cur, f.Content):
			res.Unchanged = append(res.Unchanged, f.Path)
		case owned[f.Path] || f.Path == ManifestName || isOurs(cur):
			changed = append(changed, f)
		default:
			return res, fmt.Errorf("refusing to overwrite %s: eventgen did not generate it (it is not listed in %s); move it away or choose another --out", target, ManifestName)
		}
	}

	// Stage every changed file under a temporary name; on any error remove them all.
	var staged []string
	cleanup := func() {
		for _, t := range staged {
			os.Remove(t)
		}
	}
	for _, f := range changed {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			cleanup()
			return Result{}, fmt.Errorf("create directory for %s: %w", target, err)
		}
		tmp, err := writeTemp(target, f.Content)
		if err != nil {
			cleanup()
			return Result{}, err
		}
		staged = append(staged, tmp)
	}
	for i, f := range changed {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.Rename(staged[i], target); err != nil {
			cleanup()
			return Result{}, fmt.Errorf("replace %s: %w", target, err)
		}
		if f.Path != ManifestName {
			res.Written = append(res.Written, f.Path)
		}
	}

	// Delete the files we owned that the spec no longer produces.
	produced := make(map[string]bool, len(all))
	for _, f := range all {
		produced[f.Path] = true
	}
	for _, p := range old.Files {
		if produced[p] {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("delete stale %s: %w", target, err)
		}
		res.Deleted = append(res.Deleted, p)
		removeEmptyParents(dir, path.Dir(p))
	}
	res.Unchanged = slices.DeleteFunc(res.Unchanged, func(p string) bool { return p == ManifestName })
	return res, nil
}

// isOurs reports whether content carries eventgen's generated-code header, so a generated Go
// file whose manifest was lost can still be regenerated.
func isOurs(content []byte) bool {
	return bytes.HasPrefix(content, []byte(genfile.GoHeader))
}

// writeTemp writes content to a new temporary file beside target and returns its name. It
// does not fsync: the rename already guarantees that a failed or interrupted run (an error, a
// killed process) leaves every target whole, which is what cli.md asks; surviving a power cut
// too would cost a disk flush per file, seconds for a large spec, for files a rerun regenerates.
func writeTemp(target string, content []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".eventgen-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	_, werr := f.Write(content)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	return f.Name(), nil
}

// removeEmptyParents removes rel and its parents inside dir while they are empty.
func removeEmptyParents(dir, rel string) {
	for rel != "." && rel != "/" && rel != "" {
		if os.Remove(filepath.Join(dir, filepath.FromSlash(rel))) != nil {
			return // not empty, or already gone
		}
		rel = path.Dir(rel)
	}
}

// withManifest validates the files' paths and returns them sorted, with the manifest added.
func withManifest(files []genfile.File) ([]genfile.File, error) {
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		if err := checkPath(f.Path); err != nil {
			return nil, err
		}
		if f.Path == ManifestName {
			return nil, fmt.Errorf("a backend produced %s, the manifest's own name", ManifestName)
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("two generated files share the path %s", f.Path)
		}
		seen[f.Path] = true
	}
	all := append(slices.Clone(files), NewManifest(files))
	genfile.Sort(all)
	return all, nil
}

// Difference is one way in which dir differs from what generate would write.
type Difference struct {
	// Path is the slash-separated path in the output directory.
	Path string
	// Kind is "differs", "missing" or "stale".
	Kind string
	// Diff is a unified diff from the file on disk to the generated one.
	Diff string
}

// Check compares dir with files (plus the manifest) and returns every difference, sorted by path.
func Check(dir string, files []genfile.File) ([]Difference, error) {
	all, err := withManifest(files)
	if err != nil {
		return nil, err
	}
	old, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	var diffs []Difference
	produced := make(map[string]bool, len(all))
	for _, f := range all {
		produced[f.Path] = true
		cur, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			diffs = append(diffs, Difference{Path: f.Path, Kind: "missing", Diff: unified(f.Path, nil, f.Content)})
		case err != nil:
			return nil, fmt.Errorf("read %s: %w", f.Path, err)
		case !bytes.Equal(cur, f.Content):
			diffs = append(diffs, Difference{Path: f.Path, Kind: "differs", Diff: unified(f.Path, cur, f.Content)})
		}
	}
	for _, p := range old.Files {
		if produced[p] {
			continue
		}
		cur, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // stale entry whose file is already gone: the manifest diff shows it
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		diffs = append(diffs, Difference{Path: p, Kind: "stale", Diff: unified(p, cur, nil)})
	}
	slices.SortFunc(diffs, func(a, b Difference) int { return strings.Compare(a.Path, b.Path) })
	return diffs, nil
}

func unified(name string, from, to []byte) string {
	d := difflib.UnifiedDiff{
		A:        difflib.SplitLines(string(from)),
		B:        difflib.SplitLines(string(to)),
		FromFile: "a/" + name,
		ToFile:   "b/" + name,
		Context:  3,
	}
	if from == nil {
		d.A, d.FromFile = nil, "/dev/null"
	}
	if to == nil {
		d.B, d.ToFile = nil, "/dev/null"
	}
	s, err := difflib.GetUnifiedDiffString(d)
	if err != nil {
		return fmt.Sprintf("--- a/%s\n+++ b/%s\n(cannot diff: %v)\n", name, name, err)
	}
	return s
}
