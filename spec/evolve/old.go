package evolve

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// LoadFunc reads a spec from a path on disk; spec/load.Load is the one the CLI passes.
type LoadFunc func(path string) (*spec.Model, error)

// LoadOld reads the older revision of a spec for Breaking. ref is a path on disk (a file or
// a directory), or REV:PATH, PATH read from git at revision REV (relative to the current
// directory, as git reads REV:./PATH). The REV:PATH form is recognised only when
// ref does not exist on disk as given. The git tree is copied into a temporary directory and
// read with load; positions in the model, and in the spec.Diagnostics load may return, show
// the files as REV:PATH/FILE instead of the temporary path, so findings read
// `origin/main:events/spec/workflow.cue:12:3`.
//
// The returned cleanup removes the temporary copy; it is never nil and safe to call when
// the error is not nil.
func LoadOld(ctx context.Context, ref string, load LoadFunc) (m *spec.Model, cleanup func(), err error) {
	cleanup = func() {}
	if _, statErr := os.Stat(ref); statErr == nil {
		m, err = load(ref)
		return m, cleanup, err
	} else if !errors.Is(statErr, os.ErrNotExist) {
		return nil, cleanup, fmt.Errorf("read old spec: %w", statErr)
	}
	rev, rel, ok := strings.Cut(ref, ":")
	if !ok || rev == "" || rel == "" {
		return nil, cleanup, fmt.Errorf("read old spec %s: no such file or directory, and not of the form REV:PATH", ref)
	}
	dir, err := os.MkdirTemp("", "eventgen-old-")
	if err != nil {
		return nil, cleanup, fmt.Errorf("read old spec %s: %w", ref, err)
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	object := rev + ":./" + strings.TrimPrefix(filepath.ToSlash(rel), "./")
	kind, err := git(ctx, "", "cat-file", "-t", object)
	if err != nil {
		return nil, cleanup, fmt.Errorf("read old spec %s from git: %w", ref, err)
	}
	var loadPath string
	switch kind := strings.TrimSpace(string(kind)); kind {
	case "blob":
		content, err := git(ctx, "", "cat-file", "blob", object)
		if err != nil {
			return nil, cleanup, fmt.Errorf("read old spec %s from git: %w", ref, err)
		}
		loadPath = filepath.Join(dir, path.Base(filepath.ToSlash(rel)))
		if err := os.WriteFile(loadPath, content, 0o644); err != nil {
			return nil, cleanup, fmt.Errorf("read old spec %s: %w", ref, err)
		}
	case "tree":
		archive, err := gitArchive(ctx, object)
		if err != nil {
			return nil, cleanup, fmt.Errorf("read old spec %s from git: %w", ref, err)
		}
		if err := extractTar(archive, dir); err != nil {
			return nil, cleanup, fmt.Errorf("read old spec %s from git: %w", ref, err)
		}
		loadPath = dir
	default:
		return nil, cleanup, fmt.Errorf("read old spec %s from git: it is a %s, not a file or a directory", ref, kind)
	}
	rename := tempRenamer(dir, loadPath, rev, rel)
	m, err = load(loadPath)
	var ds spec.Diagnostics
	if errors.As(err, &ds) {
		for i := range ds {
			ds[i].Pos = rename(ds[i].Pos)
		}
	}
	if m != nil {
		rewritePositions(reflect.ValueOf(m), rename, map[uintptr]bool{})
	}
	if err != nil {
		return nil, cleanup, fmt.Errorf("read old spec %s: %w", ref, err)
	}
	return m, cleanup, nil
}

// git runs one read-only git command in dir ("" for the current directory) and returns
// its stdout.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			return nil, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.Bytes(), nil
}

// gitArchive returns the tar archive of the tree object (REV:./PATH). git archive limits
// itself to the current directory's part of the tree when run below the repository's root,
// so the object is resolved here and archived from the root.
func gitArchive(ctx context.Context, object string) ([]byte, error) {
	oid, err := git(ctx, "", "rev-parse", "--verify", "--quiet", object)
	if err != nil {
		return nil, err
	}
	top, err := git(ctx, "", "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	return git(ctx, strings.TrimSpace(string(top)), "archive", "--format=tar", strings.TrimSpace(string(oid)))
}

// extractTar writes the regular files of a tar archive below dir, refusing names that
// would leave it.
func extractTar(archive []byte, dir string) error {
	tr := tar.NewReader(bytes.NewReader(archive))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading git archive: %w", err)
		}
		name := path.Clean(h.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("git archive holds %q, a path outside the spec directory", h.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			content, err := io.ReadAll(tr)
			if err != nil {
				return fmt.Errorf("reading git archive: %w", err)
			}
			if err := os.WriteFile(target, content, 0o644); err != nil {
				return err
			}
		}
	}
}

// tempRenamer returns the function that turns a position in the temporary copy (dir, read
// at loadPath) into one that names REV:PATH as the user wrote it. Frontends may name files
// relative to the current directory or absolutely; both are recognised.
func tempRenamer(dir, loadPath, rev, rel string) func(spec.Pos) spec.Pos {
	absDir, _ := filepath.Abs(dir)
	absLoad, _ := filepath.Abs(loadPath)
	rel = strings.TrimSuffix(filepath.ToSlash(rel), "/")
	return func(p spec.Pos) spec.Pos {
		if p.File == "" {
			return p
		}
		abs, err := filepath.Abs(p.File)
		if err != nil {
			return p
		}
		if abs == absLoad && absLoad != absDir {
			p.File = rev + ":" + rel
			return p
		}
		if inside, err := filepath.Rel(absDir, abs); err == nil && filepath.IsLocal(inside) {
			p.File = rev + ":" + path.Join(rel, filepath.ToSlash(inside))
		}
		return p
	}
}

var posType = reflect.TypeFor[spec.Pos]()

// rewritePositions applies rename to every spec.Pos reachable from v (the model and all its
// elements, maps of positions included). Reflection keeps it complete when the model grows
// new positioned elements; seen guards against pointers shared between elements.
func rewritePositions(v reflect.Value, rename func(spec.Pos) spec.Pos, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		rewritePositions(v.Elem(), rename, seen)
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(rename(v.Interface().(spec.Pos))))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				rewritePositions(v.Field(i), rename, seen)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // json.RawMessage and other bytes hold no positions
		}
		for i := range v.Len() {
			rewritePositions(v.Index(i), rename, seen)
		}
	case reflect.Map:
		if v.Type().Elem() != posType {
			for _, k := range v.MapKeys() {
				rewritePositions(v.MapIndex(k), rename, seen) // values of other maps are not settable; none hold positions today
			}
			return
		}
		for _, k := range v.MapKeys() {
			v.SetMapIndex(k, reflect.ValueOf(rename(v.MapIndex(k).Interface().(spec.Pos))))
		}
	}
}
