package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eventgen/eventgen/generator"
	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/internal/gomodtest"
	"github.com/eventgen/eventgen/spec/asyncapi/internal/synthetic"
	"github.com/eventgen/eventgen/spec/load"
)

// TestSyntheticDocumentGenerates keeps the benchmark's document honest: it must load and
// pass the checks, and what it generates must compile, vet clean and pass its generated tests.
func TestSyntheticDocumentGenerates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synthetic.asyncapi3.yaml")
	if err := os.WriteFile(path, []byte(synthetic.Document(6)), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := load.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := load.Check(m).Err(); err != nil {
		t.Fatal(err)
	}
	files, err := generator.Generate(m, generator.Options{Package: "synthetic"})
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		return
	}
	mod := gomodtest.Write(t, map[string][]genfile.File{"synthetic": files})
	gomodtest.Go(t, mod, "vet", "./...")
	gomodtest.Go(t, mod, "test", "-count=1", "./...")
}
