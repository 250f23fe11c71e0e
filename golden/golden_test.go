package golden

import (
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator"
	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/generator/outdir"
	"github.com/eventgen/eventgen/spec/load"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected files of every golden case")

// generate runs the whole pipeline on a case's spec, as `eventgen generate` does.
func generate(t *testing.T, specPath string) []genfile.File {
	t.Helper()
	m, err := load.Load(specPath)
	if err != nil {
		t.Fatalf("load %s: %v", specPath, err)
	}
	if err := load.Check(m).Err(); err != nil {
		t.Fatalf("check %s:\n%v", specPath, err)
	}
	pkg, err := generator.PackageName("", m, "out")
	if err != nil {
		t.Fatal(err)
	}
	files, err := generator.Generate(m, generator.Options{Package: pkg})
	if err != nil {
		t.Fatalf("generate %s:\n%v", specPath, err)
	}
	return append(files, outdir.NewManifest(files))
}

// specOf returns the spec path of a case: the single file in CASE/spec, or the directory.
func specOf(t *testing.T, dir string) (path, sameAs string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "spec"))
	if err != nil {
		t.Fatal(err)
	}
	var specs []string
	entry := ""
	for _, e := range entries {
		switch {
		case e.Name() == "ENTRY":
			b, err := os.ReadFile(filepath.Join(dir, "spec", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			entry = filepath.Join(dir, "spec", strings.TrimSpace(string(b)))
		case e.Name() == "SAME_AS":
			b, err := os.ReadFile(filepath.Join(dir, "spec", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			sameAs = strings.TrimSpace(string(b))
		case !e.IsDir():
			specs = append(specs, filepath.Join(dir, "spec", e.Name()))
		}
	}
	if entry != "" {
		return entry, sameAs
	}
	if len(specs) == 1 && !strings.HasSuffix(specs[0], ".cue") {
		return specs[0], sameAs
	}
	return filepath.Join(dir, "spec"), sameAs
}

// readOut returns the generated files in CASE/out, as listed by its manifest.
func readOut(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join(dir, "out")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		// Hand-written files (custom upcast steps) live beside generated ones; they are the
		// case's input, not its output.
		if strings.HasSuffix(rel, ".go") && !strings.HasPrefix(string(b), genfile.GoHeader) {
			return nil
		}
		out[rel] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("*", "spec"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases found (err=%v)", err)
	}
	for _, c := range cases {
		dir := filepath.Dir(c)
		t.Run(dir, func(t *testing.T) {
			specPath, sameAs := specOf(t, dir)
			files := generate(t, specPath)
			got := map[string]string{}
			for _, f := range files {
				got[f.Path] = string(f.Content)
			}
			if sameAs != "" {
				want := readOut(t, sameAs)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s must generate exactly what %s does (-%s +%s):\n%s", specPath, sameAs, sameAs, dir, diff)
				}
				return
			}
			if *update {
				if _, err := outdir.Write(filepath.Join(dir, "out"), files[:len(files)-1]); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(readOut(t, dir), got); diff != "" {
				t.Errorf("generated files differ from %s/out (-want +got); run go test ./golden -update if the change is intended:\n%s", dir, diff)
			}
		})
	}
}

// TestGoldenCompiles vets every case's Go output with the real toolchain, as sqlc compiles its
// examples: golden code that does not build fails here even when it matches byte for byte.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not compiling the golden outputs")
	}
	var pkgs []string
	outs, _ := filepath.Glob(filepath.Join("*", "out"))
	for _, o := range outs {
		if gos, _ := filepath.Glob(filepath.Join(o, "*.go")); len(gos) > 0 {
			pkgs = append(pkgs, "./"+filepath.ToSlash(o))
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("no golden Go output to compile")
	}
	cmd := exec.Command("go", append([]string{"vet"}, pkgs...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
}
