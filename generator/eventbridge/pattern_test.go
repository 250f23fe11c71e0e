package eventbridge

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/pattern"
	"github.com/eventgen/eventgen/spec"
)

// testModel is a small spec: three workflow events of source workflow-engine and one billing
// event with its own source.
func testModel() *spec.Model {
	str := &spec.Type{Kind: spec.KindString}
	return &spec.Model{
		Source: "workflow-engine",
		Bus:    "agent-mesh-events",
		Events: []*spec.Event{
			{Type: "billing.invoice.paid", Source: "billing", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{{Name: "invoiceId", Type: str}}}}},
			{Type: "workflow.completed", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{{Name: "workflowId", Type: str}}}}},
			{Type: "workflow.created", Versions: []*spec.Version{{Number: 1, Fields: []*spec.Field{{Name: "workflowId", Type: str}}}}},
			{Type: "workflow.started", Versions: []*spec.Version{
				{Number: 1, Fields: []*spec.Field{{Name: "workflowId", Type: str}}},
				{Number: 2, Fields: []*spec.Field{{Name: "workflowId", Type: str}, {Name: "executionMode", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"live", "dry-run"}}}}},
			}},
		},
	}
}

func on(items ...string) []*spec.OnItem {
	out := make([]*spec.OnItem, len(items))
	for i, s := range items {
		if strings.HasPrefix(s, "{") {
			out[i] = &spec.OnItem{Matcher: json.RawMessage(s)}
		} else {
			out[i] = &spec.OnItem{Type: s}
		}
	}
	return out
}

// env builds an envelope and returns its EventBridge form.
func env(t *testing.T, typ, source, tenant, data string) []byte {
	t.Helper()
	e := event.Envelope{
		Version: "2.0", EventType: typ, EventID: "id-1", Source: source,
		Timestamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Metadata:  event.Metadata{TenantID: tenant, OrganizationID: "org-123"},
		Data:      json.RawMessage(data),
	}
	b, err := e.EventBridge()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type probeEvent struct{ typ, source, tenant, data string }

func TestPattern(t *testing.T) {
	live := `{"workflowId":"wf-1","executionMode":"live"}`
	dry := `{"workflowId":"wf-1","executionMode":"dry-run"}`
	tests := []struct {
		name    string
		rule    *spec.Rule
		tenant  string // substituted with ForTenant before matching
		want    string
		matches []probeEvent
		rejects []probeEvent
	}{{
		name: "one exact type with match nested under detail",
		rule: &spec.Rule{Name: "r", On: on("workflow.started"), Match: json.RawMessage(`{"data":{"executionMode":["live"]},"metadata":{"organizationId":["org-123"]}}`)},
		want: `{
  "detail": {
    "data": {
      "executionMode": [
        "live"
      ]
    },
    "metadata": {
      "organizationId": [
        "org-123"
      ]
    }
  },
  "detail-type": [
    "workflow.started"
  ],
  "source": [
    "workflow-engine"
  ]
}
`,
		matches: []probeEvent{{"workflow.started", "workflow-engine", "", live}},
		rejects: []probeEvent{{"workflow.started", "workflow-engine", "", dry}, {"workflow.started", "billing", "", live}, {"workflow.completed", "workflow-engine", "", live}},
	}, {
		name:    "exact types sorted and deduplicated",
		rule:    &spec.Rule{Name: "r", On: on("workflow.started", "workflow.completed", "workflow.started")},
		want:    `{"detail-type":["workflow.completed","workflow.started"],"source":["workflow-engine"]}`,
		matches: []probeEvent{{"workflow.completed", "workflow-engine", "", live}, {"workflow.started", "workflow-engine", "", dry}},
		rejects: []probeEvent{{"workflow.created", "workflow-engine", "", live}},
	}, {
		name:    "prefix matcher on one source keeps the matcher",
		rule:    &spec.Rule{Name: "r", On: on(`{"prefix":"workflow."}`)},
		want:    `{"detail-type":[{"prefix":"workflow."}],"source":["workflow-engine"]}`,
		matches: []probeEvent{{"workflow.created", "workflow-engine", "", live}, {"workflow.future", "workflow-engine", "", live}},
		rejects: []probeEvent{{"workflow.created", "billing", "", live}, {"billing.invoice.paid", "workflow-engine", "", live}},
	}, {
		name:    "exact types first, then matchers in spec order without duplicates",
		rule:    &spec.Rule{Name: "r", On: on(`{"suffix":".created"}`, "workflow.started", `{"prefix":"workflow.c"}`, `{ "suffix" : ".created" }`)},
		want:    `{"detail-type":["workflow.started",{"suffix":".created"},{"prefix":"workflow.c"}],"source":["workflow-engine"]}`,
		matches: []probeEvent{{"workflow.created", "workflow-engine", "", live}, {"workflow.completed", "workflow-engine", "", live}},
		rejects: []probeEvent{{"workflow.node.added", "workflow-engine", "", live}},
	}, {
		name:    "different sources give $or of source and detail-type pairs",
		rule:    &spec.Rule{Name: "r", On: on("workflow.started", "billing.invoice.paid")},
		want:    `{"$or":[{"detail-type":["billing.invoice.paid"],"source":["billing"]},{"detail-type":["workflow.started"],"source":["workflow-engine"]}]}`,
		matches: []probeEvent{{"workflow.started", "workflow-engine", "", live}, {"billing.invoice.paid", "billing", "", `{}`}},
		rejects: []probeEvent{{"workflow.started", "billing", "", live}, {"billing.invoice.paid", "workflow-engine", "", `{}`}},
	}, {
		name:    "a matcher over different sources is expanded into declared types",
		rule:    &spec.Rule{Name: "r", On: on(`{"anything-but":"workflow.created"}`), Match: json.RawMessage(`{"data":{"workflowId":[{"exists":true}]}}`)},
		want:    `{"$or":[{"detail-type":["billing.invoice.paid"],"source":["billing"]},{"detail-type":["workflow.completed","workflow.started"],"source":["workflow-engine"]}],"detail":{"data":{"workflowId":[{"exists":true}]}}}`,
		matches: []probeEvent{{"workflow.completed", "workflow-engine", "", live}},
		rejects: []probeEvent{{"workflow.completed", "billing", "", live}, {"workflow.created", "workflow-engine", "", live}, {"billing.invoice.paid", "billing", "", `{}`}},
	}, {
		name:    "tenant-scoped adds the placeholder under detail.metadata",
		rule:    &spec.Rule{Name: "r", On: on(`{"prefix":"workflow."}`), TenantScoped: true},
		tenant:  "t-1",
		want:    `{"detail":{"metadata":{"tenantId":["${tenantId}"]}},"detail-type":[{"prefix":"workflow."}],"source":["workflow-engine"]}`,
		matches: []probeEvent{{"workflow.started", "workflow-engine", "t-1", live}},
		rejects: []probeEvent{{"workflow.started", "workflow-engine", "t-2", live}, {"workflow.started", "workflow-engine", "", live}},
	}, {
		name:    "tenant-scoped merges with metadata in match",
		rule:    &spec.Rule{Name: "r", On: on("workflow.started"), TenantScoped: true, Match: json.RawMessage(`{"metadata":{"organizationId":["org-123"]}}`)},
		tenant:  "t-1",
		want:    `{"detail":{"metadata":{"organizationId":["org-123"],"tenantId":["${tenantId}"]}},"detail-type":["workflow.started"],"source":["workflow-engine"]}`,
		matches: []probeEvent{{"workflow.started", "workflow-engine", "t-1", live}},
		rejects: []probeEvent{{"workflow.started", "workflow-engine", "t-2", live}},
	}, {
		name:    "raw pattern is re-serialised with sorted keys and numbers as written",
		rule:    &spec.Rule{Name: "r", Pattern: json.RawMessage(`{"source":["workflow-engine"],"detail":{"data":{"n":[{"numeric":[">",1.50]}]}},"detail-type":["workflow.started"]}`)},
		want:    `{"detail":{"data":{"n":[{"numeric":[">",1.50]}]}},"detail-type":["workflow.started"],"source":["workflow-engine"]}`,
		matches: []probeEvent{{"workflow.started", "workflow-engine", "", `{"n":2}`}},
		rejects: []probeEvent{{"workflow.started", "workflow-engine", "", `{"n":1}`}},
	}, {
		name:    "raw pattern with tenantScoped",
		rule:    &spec.Rule{Name: "r", Pattern: json.RawMessage(`{"detail-type":["workflow.started"]}`), TenantScoped: true},
		tenant:  "acme",
		want:    `{"detail":{"metadata":{"tenantId":["${tenantId}"]}},"detail-type":["workflow.started"]}`,
		matches: []probeEvent{{"workflow.started", "anything", "acme", live}},
		rejects: []probeEvent{{"workflow.started", "anything", "other", live}},
	}, {
		name:    "no HTML escaping",
		rule:    &spec.Rule{Name: "r", On: on("workflow.started"), Match: json.RawMessage(`{"data":{"workflowId":["<a&b>"]}}`)},
		want:    `{"detail":{"data":{"workflowId":["<a&b>"]}},"detail-type":["workflow.started"],"source":["workflow-engine"]}`,
		matches: []probeEvent{{"workflow.started", "workflow-engine", "", `{"workflowId":"<a&b>"}`}},
		rejects: []probeEvent{{"workflow.started", "workflow-engine", "", live}},
	}}
	m := testModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Pattern(m, tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if !strings.Contains(want, "\n") {
				want = string(mustCanonical(t, want))
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Fatalf("pattern (-want +got):\n%s", diff)
			}
			again, err := Pattern(m, tt.rule)
			if err != nil || !bytes.Equal(got, again) {
				t.Fatalf("second run differs: %v\n%s", err, again)
			}
			concrete := got
			if tt.rule.TenantScoped {
				concrete = ForTenant(got, tt.tenant)
			}
			p, err := pattern.Compile(concrete)
			if err != nil {
				t.Fatalf("runtime/pattern rejects the pattern: %v\n%s", err, concrete)
			}
			for _, e := range tt.matches {
				if ok, err := p.Match(env(t, e.typ, e.source, e.tenant, e.data)); err != nil || !ok {
					t.Errorf("does not match %+v (err %v)", e, err)
				}
			}
			for _, e := range tt.rejects {
				if ok, err := p.Match(env(t, e.typ, e.source, e.tenant, e.data)); err != nil || ok {
					t.Errorf("matches %+v (err %v)", e, err)
				}
			}
		})
	}
}

// mustCanonical writes compact JSON the way pattern files are written.
func mustCanonical(t *testing.T, compact string) []byte {
	t.Helper()
	b, err := Canonical([]byte(compact))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPatternErrors(t *testing.T) {
	tests := []struct {
		name string
		rule *spec.Rule
		want string
	}{
		{"no on and no pattern", &spec.Rule{Name: "r"}, `rules."r": the rule has neither on nor pattern; list the event types it is for in on`},
		{"undeclared type", &spec.Rule{Name: "r", On: on("workflow.strated")}, `rules."r".on[0]: event type "workflow.strated" is not declared; declare it under events or fix the name`},
		{"matcher matching nothing", &spec.Rule{Name: "r", On: on(`{"prefix":"order."}`)}, `rules."r".on[0]: matcher {"prefix":"order."} matches no declared event type; fix it or declare the events`},
		{"placeholder in match", &spec.Rule{Name: "r", On: on("workflow.started"), Match: json.RawMessage(`{"metadata":{"userId":["${tenantId}"]}}`)}, `rules."r".match: the text ${tenantId} is reserved for tenantScoped rules; use tenantScoped: true instead of writing it`},
		{"placeholder in raw pattern key", &spec.Rule{Name: "r", Pattern: json.RawMessage(`{"detail":{"${tenantId}":["x"]}}`)}, `rules."r".pattern: the text ${tenantId} is reserved for tenantScoped rules; use tenantScoped: true instead of writing it`},
		{"tenant id twice", &spec.Rule{Name: "r", On: on("workflow.started"), TenantScoped: true, Match: json.RawMessage(`{"metadata":{"tenantId":["a"]}}`)}, `rules."r": tenantScoped already matches metadata.tenantId; remove metadata.tenantId from the rule's filter`},
		{"raw pattern not an object", &spec.Rule{Name: "r", Pattern: json.RawMessage(`["x"]`)}, `rules."r".pattern: must be an object`},
	}
	m := testModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Pattern(m, tt.rule)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestGenerate(t *testing.T) {
	m := testModel()
	m.Rules = []*spec.Rule{
		{Name: "zeta", On: on("workflow.created")},
		{Name: "alpha", On: on("workflow.started"), TenantScoped: true},
	}
	files, err := Generate(m)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
		want, err := Pattern(m, m.Rule(strings.TrimSuffix(strings.TrimPrefix(f.Path, "eventbridge/"), ".json")))
		if err != nil || !bytes.Equal(want, f.Content) {
			t.Errorf("%s differs from Pattern: %v", f.Path, err)
		}
	}
	if diff := cmp.Diff([]string{"eventbridge/alpha.json", "eventbridge/zeta.json"}, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}

	m.Rules = append(m.Rules, &spec.Rule{Name: "../escape", On: on("workflow.created"), Pos: spec.Pos{File: "s.cue", Line: 3, Col: 1}},
		&spec.Rule{Name: "broken", On: on("nope.nope"), Pos: spec.Pos{File: "s.cue", Line: 9, Col: 1}})
	_, err = Generate(m)
	want := "s.cue:3:1: rules.\"../escape\": a rule name must be kebab-case (a-z, 0-9 and '-'); rename the rule\n" +
		"s.cue:9:1: rules.\"broken\".on[0]: event type \"nope.nope\" is not declared; declare it under events or fix the name"
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n got %v\nwant %s", err, want)
	}
}

// TestForTenantHostileIDs proves that no tenant id changes a pattern's structure: the filled
// pattern is valid JSON whose only difference is the tenant id value, and it matches exactly
// the events of that tenant.
func TestForTenantHostileIDs(t *testing.T) {
	m := testModel()
	tmpl, err := Pattern(m, &spec.Rule{Name: "r", On: on("workflow.started"), TenantScoped: true,
		Match: json.RawMessage(`{"metadata":{"organizationId":["org-123"]}}`)})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{
		`"]}`, `"],"source":[{"prefix":""}],"x":["`, `\`, `\"`, `\\"]}`, "a\nb", "tab\there",
		"ünïcødé-租户", "emoji-🙂", "</script>&", "${tenantId}", `"${tenantId}"`, "\u2028\u2029", "nul\x00byte", "",
	}
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			filled := ForTenant(tmpl, id)
			var got, want map[string]any
			if err := json.Unmarshal(filled, &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, filled)
			}
			if err := json.Unmarshal(tmpl, &want); err != nil {
				t.Fatal(err)
			}
			want["detail"].(map[string]any)["metadata"].(map[string]any)["tenantId"] = []any{id}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("structure changed (-want +got):\n%s", diff)
			}
			p, err := pattern.Compile(filled)
			if err != nil {
				t.Fatalf("runtime/pattern rejects it: %v\n%s", err, filled)
			}
			if id != "" {
				if ok, err := p.Match(env(t, "workflow.started", "workflow-engine", id, `{}`)); err != nil || !ok {
					t.Errorf("does not match the tenant's own event (err %v)", err)
				}
			}
			if ok, err := p.Match(env(t, "workflow.started", "workflow-engine", id+"x", `{}`)); err != nil || ok {
				t.Errorf("matches another tenant's event (err %v)", err)
			}
		})
	}
	t.Run("invalid UTF-8 stays valid JSON", func(t *testing.T) {
		filled := ForTenant(tmpl, "bad\xffbyte")
		if !json.Valid(filled) {
			t.Fatalf("not JSON:\n%s", filled)
		}
	})
	t.Run("the template itself is unchanged", func(t *testing.T) {
		before := bytes.Clone(tmpl)
		_ = ForTenant(tmpl, "x")
		if !bytes.Equal(before, tmpl) {
			t.Fatal("ForTenant modified its input")
		}
	})
}
