package golang

import (
	"encoding/json"

	"github.com/eventgen/eventgen/spec"
)

// The running example (shared/design/examples/workflow/workflow.cue), built by hand so that
// these tests do not depend on the CUE frontend.

func at(line int) spec.Pos { return spec.Pos{File: "workflow.cue", Line: line, Col: 2} }

func intPtr(n int) *int { return &n }

func str(line int, c spec.Constraints) *spec.Type {
	return &spec.Type{Kind: spec.KindString, Constraints: c, Pos: at(line)}
}

func field(name string, t *spec.Type) *spec.Field {
	return &spec.Field{Name: name, Type: t, Pos: t.Pos}
}

func optional(f *spec.Field) *spec.Field { f.Optional = true; return f }

func enum(line int, values ...string) *spec.Type {
	return &spec.Type{Kind: spec.KindEnum, Enum: values, Pos: at(line)}
}

func ref(line int, name string) *spec.Type {
	return &spec.Type{Kind: spec.KindRef, Ref: name, Pos: at(line)}
}

func list(line int, elem *spec.Type) *spec.Type {
	return &spec.Type{Kind: spec.KindList, Elem: elem, Pos: at(line)}
}

func workflowModel() *spec.Model {
	startedV1 := func() []*spec.Field {
		return []*spec.Field{
			field("workflowId", str(40, spec.Constraints{})),
			field("workflowName", str(41, spec.Constraints{MinRunes: intPtr(1)})),
			field("nodes", list(42, ref(42, "Node"))),
			field("connections", list(43, ref(43, "Connection"))),
			field("triggeredBy", enum(44, "user", "schedule", "event")),
		}
	}
	v2 := append(startedV1(),
		field("executionMode", enum(48, "live", "dry-run")),
		field("startedAt", &spec.Type{Kind: spec.KindTime, Pos: at(49)}),
		optional(field("priority", &spec.Type{Kind: spec.KindInt, Pos: at(50), Constraints: spec.Constraints{
			Min: &spec.Bound{Value: "0"}, Max: &spec.Bound{Value: "10"}}})),
	)
	return &spec.Model{
		Source:  "workflow-engine",
		Package: "workflowevents",
		Bus:     "agent-mesh-events",
		Pos:     at(9),
		Definitions: []*spec.Definition{
			{Name: "Connection", Doc: "An edge between two nodes.", Pos: at(24), Type: &spec.Type{Kind: spec.KindStruct, Pos: at(24), Fields: []*spec.Field{
				field("from", str(25, spec.Constraints{})),
				field("to", str(26, spec.Constraints{})),
			}}},
			{Name: "Node", Doc: "A step of a workflow graph.", Pos: at(16), Type: &spec.Type{Kind: spec.KindStruct, Pos: at(16), Fields: []*spec.Field{
				field("id", str(17, spec.Constraints{Patterns: []string{"^n[0-9]+$"}})),
				field("type", enum(18, "http", "llm", "branch")),
				{Name: "config", Doc: "Free-form settings of the step.", Optional: true, Pos: at(20),
					Type: &spec.Type{Kind: spec.KindMap, Elem: str(20, spec.Constraints{}), Pos: at(20)}},
			}}},
		},
		Aggregates: []*spec.Aggregate{{Name: "Workflow", ID: "workflowId", Pos: at(30)}},
		Events: []*spec.Event{
			{Type: "workflow.completed", Aggregate: "Workflow", Pos: at(71), Versions: []*spec.Version{{Number: 1, Pos: at(73), Fields: []*spec.Field{
				field("workflowId", str(74, spec.Constraints{})),
				field("status", enum(75, "succeeded", "failed")),
				field("durationMs", &spec.Type{Kind: spec.KindInt, Pos: at(76), Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}}}),
				optional(field("result", &spec.Type{Kind: spec.KindString, Nullable: true, Pos: at(77)})),
			}}}},
			{Type: "workflow.created", Aggregate: "Workflow", Pos: at(32), Versions: []*spec.Version{{Number: 1, Doc: "A new, empty workflow exists.", Pos: at(35), Fields: []*spec.Field{
				field("workflowId", str(36, spec.Constraints{Patterns: []string{"^wf-[a-z0-9]+$"}})),
				field("name", str(37, spec.Constraints{MinRunes: intPtr(1), MaxRunes: intPtr(200)})),
			}}}},
			{Type: "workflow.node.added", Aggregate: "Workflow", Pos: at(40), Versions: []*spec.Version{{Number: 1, Pos: at(42), Fields: []*spec.Field{
				field("workflowId", str(43, spec.Constraints{})),
				field("node", ref(44, "Node")),
			}}}},
			{Type: "workflow.started", Aggregate: "Workflow", Pos: at(48),
				Versions: []*spec.Version{
					{Number: 1, Doc: "A run of the workflow began.", Pos: at(51), Fields: startedV1()},
					{Number: 2, Pos: at(58), Fields: v2},
				},
				Upcasts: []*spec.Upcast{{From: 1, Pos: at(63), Set: []*spec.UpcastSet{
					{Field: "executionMode", Value: json.RawMessage(`"live"`), Pos: at(64)},
					{Field: "startedAt", Value: json.RawMessage(`"1970-01-01T00:00:00Z"`), Pos: at(65)},
				}}},
				Examples: []*spec.Example{{
					Version: 1, Valid: true, Pos: at(68),
					Data:   json.RawMessage(`{"workflowId":"wf-1","workflowName":"nightly","nodes":[],"connections":[],"triggeredBy":"schedule"}`),
					Latest: json.RawMessage(`{"workflowId":"wf-1","workflowName":"nightly","nodes":[],"connections":[],"triggeredBy":"schedule","executionMode":"live","startedAt":"1970-01-01T00:00:00Z"}`),
				}, {
					Version: 2, Valid: false, Pos: at(72),
					Data: json.RawMessage(`{"workflowId":"wf-1","workflowName":"","nodes":[],"connections":[],"triggeredBy":"user","executionMode":"live","startedAt":"2026-01-01T00:00:00Z"}`),
				}},
			},
		},
	}
}
