package golang

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSmokeWrite(t *testing.T) {
	files, err := Generate(workflowModel(), Options{Package: "workflowevents"})
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("SMOKE_DIR")
	if dir == "" {
		t.Skip()
	}
	for _, f := range files {
		os.WriteFile(filepath.Join(dir, f.Path), f.Content, 0o644)
	}
}
