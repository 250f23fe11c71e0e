package rulecheck

import (
	"encoding/json"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// at is a position in the test spec file.
func at(line int) spec.Pos { return spec.Pos{File: "workflow.cue", Line: line, Col: 3} }

func intp(n int) *int { return &n }

// workflowModel is examples/workflow/workflow.cue built by hand, plus a billing event of
// another source and a time and a nullable field to check against.
func workflowModel() *spec.Model {
	str := func() *spec.Type { return &spec.Type{Kind: spec.KindString} }
	node := &spec.Definition{Name: "Node", Type: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
		{Name: "id", Type: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^n[0-9]+$"}}}},
		{Name: "type", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"http", "llm", "branch"}}},
		{Name: "config", Optional: true, Type: &spec.Type{Kind: spec.KindMap, Elem: str()}},
	}}}
	conn := &spec.Definition{Name: "Connection", Type: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
		{Name: "from", Type: str()}, {Name: "to", Type: str()},
	}}}
	startedV1 := []*spec.Field{
		{Name: "workflowId", Type: str()},
		{Name: "workflowName", Type: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{MinRunes: intp(1)}}},
		{Name: "nodes", Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Node"}}},
		{Name: "connections", Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Connection"}}},
		{Name: "triggeredBy", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"user", "schedule", "event"}}},
	}
	startedV2 := append(append([]*spec.Field(nil), startedV1...),
		&spec.Field{Name: "executionMode", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"live", "dry-run"}}},
		&spec.Field{Name: "startedAt", Type: &spec.Type{Kind: spec.KindTime}},
		&spec.Field{Name: "priority", Optional: true, Type: &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{
			Min: &spec.Bound{Value: "0"}, Max: &spec.Bound{Value: "10"}}}},
	)
	return &spec.Model{
		Source:      "workflow-engine",
		Bus:         "agent-mesh-events",
		Definitions: []*spec.Definition{conn, node},
		Events: []*spec.Event{
			{Type: "billing.invoice.paid", Source: "billing", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{
				{Name: "invoiceId", Type: str()},
				{Name: "amount", Type: &spec.Type{Kind: spec.KindInt, Bits: 8, Sized: true}},
				{Name: "paid", Type: &spec.Type{Kind: spec.KindBool}},
			}}}},
			{Type: "workflow.completed", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{
				{Name: "workflowId", Type: str()},
				{Name: "status", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"succeeded", "failed"}}},
				{Name: "durationMs", Type: &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}}}},
				{Name: "result", Optional: true, Type: &spec.Type{Kind: spec.KindString, Nullable: true}},
			}}}},
			{Type: "workflow.created", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{
				{Name: "workflowId", Type: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^wf-[a-z0-9]+$"}}}},
				{Name: "name", Type: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{MinRunes: intp(1), MaxRunes: intp(200)}}},
			}}}},
			{Type: "workflow.node.added", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{
				{Name: "workflowId", Type: str()},
				{Name: "node", Type: &spec.Type{Kind: spec.KindRef, Ref: "Node"}},
			}}}},
			{Type: "workflow.started", Versions: []*spec.Version{{Number: 1, Fields: startedV1}, {Number: 2, Fields: startedV2}}},
		},
	}
}

// onTypes builds a rule's on list: strings starting with '{' are matchers.
func onTypes(line int, items ...string) []*spec.OnItem {
	out := make([]*spec.OnItem, len(items))
	for i, s := range items {
		if strings.HasPrefix(s, "{") {
			out[i] = &spec.OnItem{Matcher: json.RawMessage(s), Pos: at(line)}
		} else {
			out[i] = &spec.OnItem{Type: s, Pos: at(line)}
		}
	}
	return out
}

// startedV2Data is a valid workflow.started v2 payload with the given execution mode.
func startedV2Data(mode string) json.RawMessage {
	return json.RawMessage(`{"workflowId":"wf-1","workflowName":"n","nodes":[],"connections":[],"triggeredBy":"user","executionMode":"` + mode + `","startedAt":"2026-01-01T00:00:00Z"}`)
}
