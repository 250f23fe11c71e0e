package asyncapi_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eventgen/eventgen/spec/asyncapi"
	"github.com/eventgen/eventgen/spec/asyncapi/internal/synthetic"
)

// writeSynthetic writes a synthetic document of n messages into a temporary directory.
func writeSynthetic(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "synthetic.asyncapi3.yaml")
	if err := os.WriteFile(path, []byte(synthetic.Document(n)), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkLoad1000 reads a 1,000-message document into a model.
func BenchmarkLoad1000(b *testing.B) {
	path := writeSynthetic(b, 1000)
	for b.Loop() {
		m, err := asyncapi.Load(path)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Events) != 500 {
			b.Fatalf("%d events, want 500", len(m.Events))
		}
	}
}
