//go:build eventgen_wip

package golang

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWIPDump(t *testing.T) {
	dir := os.Getenv("EVENTGEN_DUMP")
	if dir == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(filepath.Join(repoRoot(t), "examples", "workflow", "spec", "workflow.cue"))
	for _, f := range generateWithConsumers(t, loadCUE(t, string(src)), "workflowevents") {
		write(t, filepath.Join(dir, f.Path), f.Content)
	}
}
