package asyncapi

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load as a document: it must return a model or an error,
// never panic or hang.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"../../examples/workflow/asyncapi/workflow.asyncapi3.yaml",
		"../../examples/workflow/asyncapi/workflow.asyncapi26.yaml",
		"testdata/shop.asyncapi26.json",
	} {
		data, err := os.ReadFile(seed)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(message3("name: a.b", "payload: {allOf: [{$ref: '#/components/messages/m/payload'}]}")))
	f.Add([]byte(message3("name: a.b", "payload: &p {properties: {a: *p}}")))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte(`{"asyncapi": "3.0.0", "components": {"messages": {"m": {"name": "a.b", "payload": {"$ref": "#"}}}}}`))
	dir := f.TempDir()
	path := filepath.Join(dir, "doc.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := Load(path)
		if (m == nil) == (err == nil) {
			t.Fatalf("Load returned model %v and error %v; want exactly one", m, err)
		}
	})
}
