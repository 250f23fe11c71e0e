package generator_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/generator"
	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/internal/gomodtest"
	"github.com/eventgen/eventgen/internal/heapfloor"
	"github.com/eventgen/eventgen/spec/load"
)

// syntheticSpec returns a CUE spec of n events with 2 versions each: strings with patterns
// and rune bounds, bounded ints, enums, a nested list of a definition, an optional field and
// an upcast step.
func syntheticSpec(n int) string {
	var b strings.Builder
	b.WriteString("package synthetic\n\nimport \"strings\"\n\neventgen: {source: \"synthetic\", package: \"synthetic\"}\n\n")
	b.WriteString("// An item of an order.\n#Item: {\n\tsku: string & =~\"^[A-Z0-9-]+$\"\n\tqty: int & >=1 & <=1000\n}\n\n")
	for i := range n {
		fmt.Fprintf(&b, `events: "domain%d.entity.changed": {
	// Version one of event %d.
	v1: {
		id:     string & strings.MinRunes(1) & strings.MaxRunes(64)
		name:   string
		count:  int & >=0
		state:  "open" | "closed"
		items:  [...#Item]
		note?:  string
	}
	// Version two adds a mode and a score.
	v2: {
		v1
		mode:   *"fast" | "slow"
		score?: float & >=0 & <=1
	}
	upcast: v1: set: mode: "fast"
}

`, i, i)
	}
	return b.String()
}

// BenchmarkGenerate runs what `eventgen generate` runs, short of writing, from CUE text on
// disk to formatted files in memory: load, check, every backend. It runs with the heap floor
// the command sets (internal/heapfloor); BenchmarkGenerateDefaultGC runs the same with Go's
// default GOGC for comparison. The target is 1000 events × 2 versions in at most 1.0 s on a
// 2-core machine.
func BenchmarkGenerate(b *testing.B) {
	b.Cleanup(heapfloor.Raise(heapfloor.DefaultFloor))
	benchmarkGenerate(b)
}

// BenchmarkGenerateDefaultGC is BenchmarkGenerate without the heap floor.
func BenchmarkGenerateDefaultGC(b *testing.B) {
	benchmarkGenerate(b)
}

func benchmarkGenerate(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "spec.cue")
			if err := os.WriteFile(path, []byte(syntheticSpec(n)), 0o644); err != nil {
				b.Fatal(err)
			}
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
				if len(files) < 3*n {
					b.Fatalf("%d files for %d events", len(files), n)
				}
			}
		})
	}
}

// TestSyntheticSpecGenerates keeps the benchmark's spec honest: it must be valid, and what it
// generates must compile, vet clean and pass its generated tests.
func TestSyntheticSpecGenerates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "spec.cue")
	if err := os.WriteFile(path, []byte(syntheticSpec(3)), 0o644); err != nil {
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
	// 3 events: a Go file and 2 schemas each, plus shared Go files and EVENTS.md.
	if len(files) < 3*3+2 {
		t.Errorf("%d files, want at least 11", len(files))
	}
	if testing.Short() {
		return
	}
	mod := gomodtest.Write(t, map[string][]genfile.File{"synthetic": files})
	gomodtest.Go(t, mod, "vet", "./...")
	gomodtest.Go(t, mod, "test", "-count=1", "./...")
}
