package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eventgen/eventgen/generator"
	"github.com/eventgen/eventgen/spec/asyncapi"
	"github.com/eventgen/eventgen/spec/asyncapi/internal/synthetic"
)

// BenchmarkGenerate1000 runs the whole pipeline on a 1,000-message AsyncAPI 3.0 document:
// Load, then every backend. The target is at most one second per run.
func BenchmarkGenerate1000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "synthetic.asyncapi3.yaml")
	if err := os.WriteFile(path, []byte(synthetic.Document(1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		m, err := asyncapi.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		files, err := generator.Generate(m, generator.Options{Package: "synthetic"})
		if err != nil {
			b.Fatal(err)
		}
		if len(files) == 0 {
			b.Fatal("no files generated")
		}
	}
}
