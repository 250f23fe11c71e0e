package rulecheck

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eventgen/eventgen/spec"
)

// match builds a rule's match filter with one position per leaf path, on consecutive lines
// from line 20.
func match(filter string, paths ...string) (json.RawMessage, map[string]spec.Pos) {
	pos := map[string]spec.Pos{}
	for i, p := range paths {
		pos[p] = at(20 + i)
	}
	return json.RawMessage(filter), pos
}

func rule(name string, on []*spec.OnItem, filter string, paths ...string) *spec.Rule {
	r := &spec.Rule{Name: name, Description: "test", On: on, Pos: at(10)}
	if filter != "" {
		r.Match, r.MatchPos = match(filter, paths...)
	}
	return r
}

func TestCheck(t *testing.T) {
	tenant := rule("tenant", onTypes(11, "workflow.started"), `{"metadata":{"tenantId":["t"]}}`, "metadata.tenantId")
	tenant.TenantScoped = true
	raw := &spec.Rule{Name: "raw", Pattern: json.RawMessage(`{"detail-type":["workflow.completed"],"detail":{"data":{"status":["done"]}},"eventType":["x"]}`), Pos: at(10)}
	rawInvalid := &spec.Rule{Name: "raw", Pattern: json.RawMessage(`{"detail":{"data":{"status":"done"}}}`), Pos: at(10)}
	tests := []struct {
		name string
		rule *spec.Rule
		want []string
	}{{
		name: "the running example's rule is fine",
		rule: rule("ok", onTypes(11, "workflow.started"), `{"data":{"executionMode":["live"],"workflowId":[{"exists":true}],"nodes":{"type":["http",{"prefix":"ll"}]}},"metadata":{"organizationId":["org-123"]}}`),
		want: []string{
			`workflow.cue:10:3: warning: rules."ok".match.data.executionMode: events of workflow.started v1 can never match this rule, as those versions have no data.executionMode; match a field every version has, or accept that`,
		},
	}, {
		name: "undeclared exact type, with a suggestion",
		rule: rule("r", onTypes(11, "workflow.strated"), ""),
		want: []string{`workflow.cue:11:3: rules."r".on[0]: event type "workflow.strated" is not declared; did you mean "workflow.started"? Otherwise declare it under events or fix the name`},
	}, {
		name: "matcher that matches no declared type",
		rule: rule("r", onTypes(11, `{"prefix":"order."}`), ""),
		want: []string{`workflow.cue:11:3: rules."r".on[0]: matcher {"prefix":"order."} matches no declared event type; fix it or declare the events`},
	}, {
		name: "invalid matcher: runtime/pattern's message passed through",
		rule: rule("r", onTypes(11, `{"prefix":5}`), ""),
		want: []string{`workflow.cue:11:3: rules."r".on[0]: matcher {"prefix":5} is not a valid EventBridge matcher: Event pattern is not valid. Reason: prefix match pattern must be a string`},
	}, {
		name: "unknown path, with a suggestion",
		rule: rule("r", onTypes(11, "workflow.started"), `{"data":{"executionMod":["live"]}}`, "data.executionMod"),
		want: []string{`workflow.cue:20:3: rules."r".match.data.executionMod: no version of workflow.started has data.executionMod; did you mean "executionMode"? Otherwise fix the path (payload fields are under data, metadata fields under metadata)`},
	}, {
		name: "unknown metadata field",
		rule: rule("r", onTypes(11, "workflow.started"), `{"metadata":{"orgId":["org-1"]}}`, "metadata.orgId"),
		want: []string{`workflow.cue:20:3: rules."r".match.metadata.orgId: no version of workflow.started has metadata.orgId; fix the path (payload fields are under data, metadata fields under metadata)`},
	}, {
		name: "payload field outside data",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"status":["failed"]}`, "status"),
		want: []string{`workflow.cue:20:3: rules."r".match.status: no version of workflow.completed has status; payload fields are under data: write data.status`},
	}, {
		name: "path only some events have: warning naming them",
		rule: rule("r", onTypes(11, `{"prefix":"workflow."}`), `{"data":{"status":["failed"]}}`, "data.status"),
		want: []string{`workflow.cue:20:3: warning: rules."r".match.data.status: events of workflow.created v1, workflow.node.added v1, workflow.started v1, workflow.started v2 can never match this rule, as those versions have no data.status; match a field every version has, or accept that`},
	}, {
		name: "exists false on a partial path is no warning",
		rule: rule("r", onTypes(11, "workflow.started"), `{"data":{"priority":[{"exists":false}]}}`, "data.priority"),
	}, {
		name: "numeric on a string",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"workflowId":[{"numeric":[">",1]}]}}`, "data.workflowId"),
		want: []string{`workflow.cue:20:3: rules."r".match.data.workflowId: {"numeric":[">",1]} needs a number field, but data.workflowId is a string (in workflow.completed v1); use a string, or prefix, suffix, equals-ignore-case, wildcard, anything-but or exists`},
	}, {
		name: "prefix on an integer",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"durationMs":[{"prefix":"1"}]}}`, "data.durationMs"),
		want: []string{`workflow.cue:20:3: rules."r".match.data.durationMs: {"prefix":"1"} needs a string field, but data.durationMs is an integer (in workflow.completed v1); use a number, or numeric, anything-but or exists`},
	}, {
		name: "wildcard and cidr on a time",
		rule: rule("r", onTypes(11, "workflow.started"), `{"data":{"startedAt":[{"wildcard":"2026-*"},{"cidr":"10.0.0.0/8"}]}}`, "data.startedAt"),
		want: []string{
			`workflow.cue:20:3: warning: rules."r".match.data.startedAt: events of workflow.started v1 can never match this rule, as those versions have no data.startedAt; match a field every version has, or accept that`,
			`workflow.cue:20:3: rules."r".match.data.startedAt: {"cidr":"10.0.0.0/8"} needs a string field holding IP addresses, but data.startedAt is an RFC 3339 time string (in workflow.started v2); use a string, or prefix, suffix, equals-ignore-case, wildcard, anything-but or exists`,
		},
	}, {
		name: "enum value that is not a member",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"status":["done","failed"]}}`, "data.status"),
		want: []string{`workflow.cue:20:3: rules."r".match.data.status: "done" can never match, data.status is one of "succeeded", "failed" (in workflow.completed v1); use one of those values`},
	}, {
		name: "prefix that matches no enum member",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"status":[{"prefix":"ok"}]}}`, "data.status"),
		want: []string{`workflow.cue:20:3: rules."r".match.data.status: {"prefix":"ok"} matches no value of data.status, which is one of "succeeded", "failed" (in workflow.completed v1); fix the condition`},
	}, {
		name: "number outside the bounds, and a fraction for an integer",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"durationMs":[-1,1.5,7]}}`, "data.durationMs"),
		want: []string{
			`workflow.cue:20:3: rules."r".match.data.durationMs: -1 can never match, data.durationMs must be >= 0 (in workflow.completed v1); use a number in that range`,
			`workflow.cue:20:3: rules."r".match.data.durationMs: 1.5 can never match, data.durationMs is an integer (in workflow.completed v1); use a whole number`,
		},
	}, {
		name: "number outside a sized integer kind",
		rule: rule("r", onTypes(11, "billing.invoice.paid"), `{"data":{"amount":[300]}}`, "data.amount"),
		want: []string{`workflow.cue:20:3: rules."r".match.data.amount: 300 can never match, data.amount is an int8 (-128 to 127) (in billing.invoice.paid v1); use a number in that range`},
	}, {
		name: "wrong JSON types: string for a number, number for a string, string for a bool",
		rule: rule("r", onTypes(11, "billing.invoice.paid"), `{"data":{"amount":["7"],"invoiceId":[7],"paid":["yes"]}}`, "data.amount", "data.invoiceId", "data.paid"),
		want: []string{
			`workflow.cue:20:3: rules."r".match.data.amount: "7" can never match, data.amount is an int8 (in billing.invoice.paid v1); use a number, or numeric, anything-but or exists`,
			`workflow.cue:21:3: rules."r".match.data.invoiceId: 7 can never match, data.invoiceId is a string (in billing.invoice.paid v1); use a string, or prefix, suffix, equals-ignore-case, wildcard, anything-but or exists`,
			`workflow.cue:22:3: rules."r".match.data.paid: "yes" can never match, data.paid is a boolean (in billing.invoice.paid v1); use true, false or exists`,
		},
	}, {
		name: "null only for nullable fields",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"result":[null],"workflowId":[null]}}`, "data.result", "data.workflowId"),
		want: []string{`workflow.cue:21:3: rules."r".match.data.workflowId: null can never match, data.workflowId is never null (in workflow.completed v1); make the field nullable (T | null), or use exists: false for a missing field`},
	}, {
		name: "string constraints: pattern and length",
		rule: rule("r", onTypes(11, "workflow.created"), `{"data":{"name":[""],"workflowId":["x-1"]}}`, "data.name", "data.workflowId"),
		want: []string{
			`workflow.cue:20:3: rules."r".match.data.name: "" can never match, data.name has at least 1 runes (in workflow.created v1); fix the value`,
			`workflow.cue:21:3: rules."r".match.data.workflowId: "x-1" can never match, data.workflowId must match ^wf-[a-z0-9]+$ (in workflow.created v1); fix the value`,
		},
	}, {
		name: "time value that is not RFC 3339",
		rule: rule("r", onTypes(11, "workflow.started"), `{"data":{"startedAt":["yesterday"]}}`, "data.startedAt"),
		want: []string{
			`workflow.cue:20:3: rules."r".match.data.startedAt: "yesterday" can never match, data.startedAt is an RFC 3339 time string (in workflow.started v2); write the time as 2026-01-02T15:04:05Z`,
			`workflow.cue:20:3: warning: rules."r".match.data.startedAt: events of workflow.started v1 can never match this rule, as those versions have no data.startedAt; match a field every version has, or accept that`,
		},
	}, {
		name: "through a list of definitions, and an object leaf",
		rule: rule("r", onTypes(11, "workflow.started"), `{"data":{"connections":[{"exists":true}],"nodes":{"type":["ftp"]}}}`, "data.connections", "data.nodes.type"),
		want: []string{
			`workflow.cue:20:3: rules."r".match.data.connections: data.connections is an object, and EventBridge conditions match only leaf values (in workflow.started v1, workflow.started v2); match one of its fields instead`,
			`workflow.cue:21:3: rules."r".match.data.nodes.type: "ftp" can never match, data.nodes.type is one of "http", "llm", "branch" (in workflow.started v1, workflow.started v2); use one of those values`,
		},
	}, {
		name: "anything-but with a number on a string",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"workflowId":[{"anything-but":[1,2]}]}}`, "data.workflowId"),
		want: []string{`workflow.cue:20:3: rules."r".match.data.workflowId: {"anything-but":[1,2]} compares values of another type than data.workflowId, which is a string, so it matches every event that has the field (in workflow.completed v1); use a string, or prefix, suffix, equals-ignore-case, wildcard, anything-but or exists`},
	}, {
		name: "invalid syntax in match, at the leaf",
		rule: rule("r", onTypes(11, "workflow.completed"), `{"data":{"status":["failed"],"workflowId":[]}}`, "data.status", "data.workflowId"),
		want: []string{`workflow.cue:21:3: rules."r".match.data.workflowId is not valid EventBridge syntax: Event pattern is not valid. Reason: Empty arrays are not allowed`},
	}, {
		name: "tenantScoped and metadata.tenantId in match",
		rule: tenant,
		want: []string{`workflow.cue:20:3: rules."tenant".match.metadata.tenantId: tenantScoped already matches the tenant id; remove metadata.tenantId from match`},
	}, {
		name: "raw pattern: unknown top-level field and enum value",
		rule: raw,
		want: []string{
			`workflow.cue:10:3: rules."raw".pattern.detail.data.status: "done" can never match, data.status is one of "succeeded", "failed" (in workflow.completed v1); use one of those values`,
			`workflow.cue:10:3: rules."raw".pattern.eventType: the EventBridge event has no field eventType, so the rule never matches; envelope fields are under detail (detail.data, detail.metadata...)`,
		},
	}, {
		name: "raw pattern with invalid syntax",
		rule: rawInvalid,
		want: []string{`workflow.cue:10:3: rules."raw".pattern is not a valid EventBridge pattern: Event pattern is not valid. Reason: "status" must be an object or an array`},
	}, {
		name: "neither on nor pattern",
		rule: &spec.Rule{Name: "r", Pos: at(10)},
		want: []string{`workflow.cue:10:3: rules."r" has neither on nor pattern; list the event types it is for in on`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := workflowModel()
			m.Rules = []*spec.Rule{tt.rule}
			var got []string
			for _, d := range Check(m).Sorted() {
				got = append(got, d.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLint(t *testing.T) {
	m := workflowModel()
	m.Rules = []*spec.Rule{
		{Name: "described", Description: "Something.", On: onTypes(11, "workflow.started"), Pos: at(10)},
		{Name: "bare", Description: "  ", On: onTypes(31, "workflow.started"), Pos: at(30)},
	}
	var got []string
	for _, d := range Lint(m) {
		got = append(got, d.String())
	}
	want := []string{`workflow.cue:30:3: warning: rules.bare: add a description saying what the rule selects and why`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lint (-want +got):\n%s", diff)
	}
}
