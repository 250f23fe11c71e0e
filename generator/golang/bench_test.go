package golang

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/eventgen/eventgen/spec"
)

// syntheticModel has n events of two versions each, shaped like the running example: strings
// with patterns and lengths, an enum, a list of a shared definition, an optional bounded int,
// and an upcast step with constants.
func syntheticModel(n int) *spec.Model {
	m := workflowModel()
	m.Events = nil
	for i := range n {
		v1 := []*spec.Field{
			field("workflowId", str(1, spec.Constraints{Patterns: []string{"^wf-[a-z0-9]+$"}})),
			field("name", str(2, spec.Constraints{MinRunes: intPtr(1), MaxRunes: intPtr(200)})),
			field("nodes", list(3, ref(3, "Node"))),
			field("triggeredBy", enum(4, "user", "schedule", "event")),
			optional(field("attempt", &spec.Type{Kind: spec.KindInt, Pos: at(5), Constraints: spec.Constraints{Min: bound("0", false)}})),
		}
		v2 := append(append([]*spec.Field{}, v1...),
			field("executionMode", enum(6, "live", "dry-run")),
			field("startedAt", kind(spec.KindTime)))
		m.Events = append(m.Events, &spec.Event{
			Type: fmt.Sprintf("domain%d.entity.happened", i), Pos: at(i + 1),
			Versions: []*spec.Version{{Number: 1, Fields: v1, Pos: at(1)}, {Number: 2, Fields: v2, Pos: at(2)}},
			Upcasts: []*spec.Upcast{{From: 1, Pos: at(3), Set: []*spec.UpcastSet{
				{Field: "executionMode", Value: json.RawMessage(`"live"`)},
				{Field: "startedAt", Value: json.RawMessage(`"1970-01-01T00:00:00Z"`)},
			}}},
			Examples: []*spec.Example{{Version: 1, Valid: true, Pos: at(4),
				Data: json.RawMessage(`{"workflowId":"wf-1","name":"n","nodes":[],"triggeredBy":"user"}`)}},
		})
	}
	return m
}

// BenchmarkGenerate measures the Go backend alone (model in, formatted files out).
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{100, 1000} {
		m := syntheticModel(n)
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(m, Options{Package: "p"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
