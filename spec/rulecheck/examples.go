package rulecheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/pattern"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/check"
)

// ExampleEventID and ExampleTime are the event id and timestamp of the envelope a rule example
// is wrapped in, fixed so that matching an example is deterministic. The generated tests use
// the same values.
const ExampleEventID = "00000000-0000-7000-8000-000000000000"

// ExampleTime is the timestamp of every rule example's envelope.
var ExampleTime = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// ExampleEnvelope wraps a rule example in the envelope it is matched as: the example's type,
// version (event.VersionString), metadata and data, the event's source from the model, and the
// fixed ExampleEventID and ExampleTime. It fails when the example's event or version is not
// declared, its data is not a JSON object or its metadata is not event.Metadata.
func ExampleEnvelope(m *spec.Model, ex *spec.RuleExample) (event.Envelope, error) {
	e := m.Event(ex.Type)
	if e == nil {
		return event.Envelope{}, fmt.Errorf("event type %q is not declared; use a declared type", ex.Type)
	}
	if e.Version(ex.Version) == nil {
		return event.Envelope{}, fmt.Errorf("%s has no version %d; it has versions 1 to %d", ex.Type, ex.Version, len(e.Versions))
	}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(ex.Data, &data); err != nil || data == nil {
		return event.Envelope{}, errors.New("data must be an object: the event's payload")
	}
	var meta event.Metadata
	if len(ex.Metadata) > 0 {
		dec := json.NewDecoder(bytes.NewReader(ex.Metadata))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&meta); err != nil {
			return event.Envelope{}, fmt.Errorf("metadata: %w; its fields are userId, organizationId, tenantId, correlationId, causationId and traceparent, all strings", err)
		}
	}
	return event.Envelope{
		Version:   event.VersionString(ex.Version),
		EventType: ex.Type,
		EventID:   ExampleEventID,
		Timestamp: ExampleTime,
		Source:    m.EventSource(e),
		Metadata:  meta,
		Data:      ex.Data,
	}, nil
}

// ExamplePattern is the pattern a rule example is matched against: the rule's pattern, and for
// a tenant-scoped rule that pattern with the example's own metadata.tenantId in place of
// ${tenantId} (eventbridge.ForTenant), as <Rule>RuleFor(tenantID) would give it at run time.
func ExamplePattern(rulePattern []byte, r *spec.Rule, env event.Envelope) []byte {
	if r.TenantScoped {
		return eventbridge.ForTenant(rulePattern, env.Metadata.TenantID)
	}
	return rulePattern
}

// checkExamples matches every example of the rule against its pattern.
func (c *ruleChecker) checkExamples(rulePattern []byte) {
	lists := []struct {
		kind string
		want bool
		list []*spec.RuleExample
	}{{"matches", true, c.r.Examples.Matches}, {"rejects", false, c.r.Examples.Rejects}}
	for _, l := range lists {
		for i, ex := range l.list {
			elem := fmt.Sprintf("%s.examples.%s[%d]", c.name, l.kind, i)
			env, err := ExampleEnvelope(c.m, ex)
			if err != nil {
				c.errorf(ex.Pos, "%s: %v", elem, err)
				continue
			}
			if vs := check.Payload(c.m, c.m.Event(ex.Type).Version(ex.Version), ex.Data); len(vs) > 0 {
				c.errorf(ex.Pos, "%s: data is not a valid %s v%d payload (%s); fix the example", elem, ex.Type, ex.Version, strings.TrimPrefix((&event.ValidationError{Violations: vs}).Error(), "invalid payload: "))
				continue
			}
			if l.want && c.r.TenantScoped && env.Metadata.TenantID == "" {
				c.errorf(ex.Pos, "%s: the rule is tenant-scoped, so an example it matches needs metadata.tenantId (it stands in for ${tenantId}); add one", elem)
				continue
			}
			eb, err := env.EventBridge()
			if err != nil {
				c.errorf(ex.Pos, "%s: %v", elem, err)
				continue
			}
			body := ExamplePattern(rulePattern, c.r, env)
			p, err := pattern.Compile(body)
			if err != nil {
				c.errorf(ex.Pos, "%s: the pattern for tenant %q is not valid: %v", elem, env.Metadata.TenantID, err)
				continue
			}
			got, err := p.Match(eb)
			if err != nil {
				c.errorf(ex.Pos, "%s: %v", elem, err)
				continue
			}
			switch {
			case l.want && !got:
				c.errorf(ex.Pos, "%s: the rule does not match this %s v%d event%s; fix the example or the rule", elem, ex.Type, ex.Version, explain(body, eb))
			case !l.want && got:
				c.errorf(ex.Pos, "%s: the rule matches this %s v%d event, which it should reject; fix the example or the rule", elem, ex.Type, ex.Version)
			}
		}
	}
}

// explain names the first condition of a pattern that an event fails, as
// ": detail.data.executionMode is "dry-run", not one of ["live"]"; "" when it cannot tell.
func explain(body, eb []byte) string {
	var p map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return ""
	}
	var ev map[string]any
	if err := json.Unmarshal(eb, &ev); err != nil {
		return ""
	}
	for _, cond := range conditions(p, nil) {
		sub := map[string]any{}
		inner := sub
		for _, k := range cond.path[:len(cond.path)-1] {
			next := map[string]any{}
			inner[k] = next
			inner = next
		}
		inner[cond.path[len(cond.path)-1]] = cond.value
		one, err := eventbridge.Encode(sub)
		if err != nil {
			continue
		}
		cp, err := pattern.Compile(one)
		if err != nil {
			continue
		}
		if ok, err := cp.Match(eb); err != nil || ok {
			continue
		}
		want, _ := json.Marshal(cond.value)
		if cond.path[len(cond.path)-1] == "$or" {
			return fmt.Sprintf(": no branch of the $or at %s holds", strings.Join(append([]string{"the top"}, cond.path[:len(cond.path)-1]...), "."))
		}
		dotted := strings.Join(cond.path, ".")
		if got, ok := lookup(ev, cond.path); ok {
			have, _ := json.Marshal(got)
			return fmt.Sprintf(": %s is %s, which %s does not accept", dotted, have, want)
		}
		return fmt.Sprintf(": it has no %s, which %s needs", dotted, want)
	}
	return ""
}

// condition is one top-level or nested condition of a pattern; a $or counts as one.
type condition struct {
	path  []string
	value any
}

func conditions(p map[string]any, prefix []string) []condition {
	var out []condition
	for _, k := range sortedKeys(p) {
		path := append(slices.Clone(prefix), k)
		if obj, ok := p[k].(map[string]any); ok {
			out = append(out, conditions(obj, path)...)
			continue
		}
		out = append(out, condition{path: path, value: p[k]})
	}
	return out
}

// lookup returns the value at path in a decoded JSON object, through objects only.
func lookup(v any, path []string) (any, bool) {
	for _, k := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[k]; !ok {
			return nil, false
		}
	}
	return v, true
}
