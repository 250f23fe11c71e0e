package rulecheck

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/runtime/pattern"
	"github.com/eventgen/eventgen/spec"
)

func example(line int, typ string, version int, metadata string, data json.RawMessage) *spec.RuleExample {
	ex := &spec.RuleExample{Type: typ, Version: version, Data: data, Pos: at(line)}
	if metadata != "" {
		ex.Metadata = json.RawMessage(metadata)
	}
	return ex
}

// liveRule is the running example's rule "live-runs-of-org-123".
func liveRule() *spec.Rule {
	r := rule("live-runs-of-org-123", onTypes(11, "workflow.started"),
		`{"data":{"executionMode":["live"],"workflowId":[{"exists":true}]},"metadata":{"organizationId":["org-123"]}}`,
		"data.executionMode", "data.workflowId", "metadata.organizationId")
	r.Examples.Matches = []*spec.RuleExample{example(40, "workflow.started", 2, `{"organizationId":"org-123"}`, startedV2Data("live"))}
	r.Examples.Rejects = []*spec.RuleExample{example(41, "workflow.started", 2, `{"organizationId":"org-123"}`, startedV2Data("dry-run"))}
	return r
}

func TestCheckExamples(t *testing.T) {
	tenantRule := func(matches, rejects []*spec.RuleExample) *spec.Rule {
		r := rule("tenant-workflow-activity", onTypes(11, `{"prefix":"workflow."}`), "")
		r.TenantScoped = true
		r.Examples = spec.RuleExamples{Matches: matches, Rejects: rejects}
		return r
	}
	withExamples := func(matches, rejects []*spec.RuleExample) *spec.Rule {
		r := liveRule()
		r.Examples = spec.RuleExamples{Matches: matches, Rejects: rejects}
		return r
	}
	warnV1 := `workflow.cue:20:3: warning: rules."live-runs-of-org-123".match.data.executionMode: events of workflow.started v1 can never match this rule, as those versions have no data.executionMode; match a field every version has, or accept that`
	completed := json.RawMessage(`{"workflowId":"wf-1","status":"failed","durationMs":3}`)
	tests := []struct {
		name string
		rule *spec.Rule
		want []string
	}{{
		name: "the running example's examples hold",
		rule: liveRule(),
		want: []string{warnV1},
	}, {
		name: "a matches example the rule rejects, with the failing condition",
		rule: withExamples([]*spec.RuleExample{example(40, "workflow.started", 2, `{"organizationId":"org-123"}`, startedV2Data("dry-run"))}, nil),
		want: []string{warnV1, `workflow.cue:40:3: rules."live-runs-of-org-123".examples.matches[0]: the rule does not match this workflow.started v2 event: detail.data.executionMode is "dry-run", which ["live"] does not accept; fix the example or the rule`},
	}, {
		name: "a matches example without a field the rule needs",
		rule: withExamples([]*spec.RuleExample{example(40, "workflow.started", 2, "", startedV2Data("live"))}, nil),
		want: []string{warnV1, `workflow.cue:40:3: rules."live-runs-of-org-123".examples.matches[0]: the rule does not match this workflow.started v2 event: it has no detail.metadata.organizationId, which ["org-123"] needs; fix the example or the rule`},
	}, {
		name: "a rejects example the rule matches",
		rule: withExamples(nil, []*spec.RuleExample{example(41, "workflow.started", 2, `{"organizationId":"org-123"}`, startedV2Data("live"))}),
		want: []string{warnV1, `workflow.cue:41:3: rules."live-runs-of-org-123".examples.rejects[0]: the rule matches this workflow.started v2 event, which it should reject; fix the example or the rule`},
	}, {
		name: "undeclared type, missing version, data not an object, unknown metadata field",
		rule: withExamples([]*spec.RuleExample{
			example(40, "workflow.stopped", 1, "", completed),
			example(41, "workflow.started", 3, "", startedV2Data("live")),
			example(42, "workflow.started", 2, "", json.RawMessage(`[]`)),
			example(43, "workflow.started", 2, `{"orgId":"org-123"}`, startedV2Data("live")),
		}, nil),
		want: []string{
			warnV1,
			`workflow.cue:40:3: rules."live-runs-of-org-123".examples.matches[0]: event type "workflow.stopped" is not declared; use a declared type`,
			`workflow.cue:41:3: rules."live-runs-of-org-123".examples.matches[1]: workflow.started has no version 3; it has versions 1 to 2`,
			`workflow.cue:42:3: rules."live-runs-of-org-123".examples.matches[2]: data must be an object: the event's payload`,
			`workflow.cue:43:3: rules."live-runs-of-org-123".examples.matches[3]: metadata: json: unknown field "orgId"; its fields are userId, organizationId, tenantId, correlationId, causationId and traceparent, all strings`,
		},
	}, {
		name: "example data that is not a valid payload",
		rule: withExamples(nil, []*spec.RuleExample{example(41, "workflow.started", 2, "", json.RawMessage(`{"workflowId":"wf-1","workflowName":"","nodes":[],"connections":[],"triggeredBy":"robot","executionMode":"live","startedAt":"2026-01-01T00:00:00Z"}`))}),
		want: []string{warnV1, `workflow.cue:41:3: rules."live-runs-of-org-123".examples.rejects[0]: data is not a valid workflow.started v2 payload (workflowName: must have at least 1 rune; triggeredBy: must be one of "user", "schedule", "event"); fix the example`},
	}, {
		name: "tenant-scoped: the example's tenant id fills ${tenantId}",
		rule: tenantRule([]*spec.RuleExample{
			example(40, "workflow.completed", 1, `{"tenantId":"acme\"]}"}`, completed),
			example(41, "workflow.started", 2, `{"tenantId":"t-1"}`, startedV2Data("live")),
		}, nil),
	}, {
		name: "tenant-scoped: a matches example needs a tenant id, a rejects example may lack one",
		rule: tenantRule([]*spec.RuleExample{example(40, "workflow.completed", 1, "", completed)}, nil),
		want: []string{`workflow.cue:40:3: rules."tenant-workflow-activity".examples.matches[0]: the rule is tenant-scoped, so an example it matches needs metadata.tenantId (it stands in for ${tenantId}); add one`},
	}, {
		name: "tenant-scoped: an event of another type is rejected",
		rule: tenantRule(nil, []*spec.RuleExample{example(41, "billing.invoice.paid", 1, `{"tenantId":"t-1"}`, json.RawMessage(`{"invoiceId":"i","amount":1,"paid":true}`))}),
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

// TestExampleEnvelope pins the envelope an example is matched as, which the generated tests
// rebuild byte for byte.
func TestExampleEnvelope(t *testing.T) {
	m := workflowModel()
	r := liveRule()
	env, err := ExampleEnvelope(m, r.Examples.Matches[0])
	if err != nil {
		t.Fatal(err)
	}
	eb, err := env.EventBridge()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":"0","id":"00000000-0000-7000-8000-000000000000","detail-type":"workflow.started","source":"workflow-engine","account":"","time":"2026-01-01T00:00:00Z","region":"","resources":[],"detail":{"version":"2.0","eventType":"workflow.started","eventId":"00000000-0000-7000-8000-000000000000","timestamp":"2026-01-01T00:00:00Z","source":"workflow-engine","metadata":{"organizationId":"org-123"},"data":{"workflowId":"wf-1","workflowName":"n","nodes":[],"connections":[],"triggeredBy":"user","executionMode":"live","startedAt":"2026-01-01T00:00:00Z"}}}`
	if diff := cmp.Diff(want, string(eb)); diff != "" {
		t.Errorf("EventBridge form (-want +got):\n%s", diff)
	}
	body, err := eventbridge.Pattern(m, r)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pattern.Compile(ExamplePattern(body, r, env))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := p.Match(eb); err != nil || !ok {
		t.Errorf("the example does not match: %v", err)
	}
}
