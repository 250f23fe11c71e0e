package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eventgen/eventgen/generator"
	"github.com/eventgen/eventgen/internal/heapfloor"
	"github.com/eventgen/eventgen/spec/asyncapi/internal/synthetic"
	"github.com/eventgen/eventgen/spec/load"
)

// BenchmarkGenerate1000 runs what `eventgen generate` runs, short of writing, on a
// 1,000-message AsyncAPI 3.0 document: load, check, every backend. It runs with the heap
// floor the command sets; gc=default runs with Go's default GOGC for comparison. The target
// is at most one second per run.
func BenchmarkGenerate1000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "synthetic.asyncapi3.yaml")
	if err := os.WriteFile(path, []byte(synthetic.Document(1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, err := load.Load(path)
			if err != nil {
				b.Fatal(err)
			}
			if err := load.Check(m).Err(); err != nil {
				b.Fatal(err)
			}
			files, err := generator.Generate(m, generator.Options{Package: "synthetic"})
			if err != nil {
				b.Fatal(err)
			}
			// A JSON Schema per message, a Go file per event type (a pair of messages).
			if len(files) < 1000+1000/2 {
				b.Fatalf("%d files for 1000 messages", len(files))
			}
		}
	}
	b.Run("gc=floor", func(b *testing.B) {
		b.Cleanup(heapfloor.Raise(heapfloor.DefaultFloor))
		run(b)
	})
	b.Run("gc=default", run)
}
