package rulecheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/runtime/pattern"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/check"
)

// Check type-checks every rule of m and matches its examples. It returns every finding:
// errors for what can never work, warnings for paths that only some versions have.
func Check(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, r := range m.Rules {
		c := &ruleChecker{m: m, r: r, name: fmt.Sprintf("rules.%q", r.Name)}
		c.check()
		ds = append(ds, c.diags...)
	}
	return ds
}

// Lint returns the findings about rules that only `eventgen vet` reports: rules without a
// description.
func Lint(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, r := range m.Rules {
		if strings.TrimSpace(r.Description) == "" {
			ds = append(ds, spec.Warnf(r.Pos, "rules.%s: add a description saying what the rule selects and why", check.Label(r.Name)))
		}
	}
	return ds
}

// ruleChecker collects the findings about one rule.
type ruleChecker struct {
	m     *spec.Model
	r     *spec.Rule
	name  string // rules."NAME"
	diags spec.Diagnostics
}

func (c *ruleChecker) errorf(pos spec.Pos, format string, args ...any) {
	c.diags = append(c.diags, spec.Errorf(c.or(pos), format, args...))
}

func (c *ruleChecker) warnf(pos spec.Pos, format string, args ...any) {
	c.diags = append(c.diags, spec.Warnf(c.or(pos), format, args...))
}

// or returns pos when it is known, else the rule's position.
func (c *ruleChecker) or(pos spec.Pos) spec.Pos {
	if pos.IsValid() {
		return pos
	}
	return c.r.Pos
}

func (c *ruleChecker) check() {
	r := c.r
	if r.Pattern == nil && len(r.On) == 0 {
		c.errorf(r.Pos, "%s has neither on nor pattern; list the event types it is for in on", c.name)
		return
	}
	if r.Pattern != nil && (len(r.On) > 0 || r.Match != nil) {
		c.errorf(r.Pos, "%s has a raw pattern and on or match; use either pattern alone or on with match", c.name)
		return
	}
	if !c.checkOn() {
		return
	}
	var filter map[string]any // the content filter under detail, as the spec wrote it
	if r.Match != nil {
		var ok bool
		if filter, ok = c.decodeFilter(r.Match, "match"); !ok {
			return
		}
		if meta, ok := filter["metadata"].(map[string]any); ok && r.TenantScoped {
			if _, ok := meta["tenantId"]; ok {
				c.errorf(c.pos([]string{"metadata", "tenantId"}), "%s.match.metadata.tenantId: tenantScoped already matches the tenant id; remove metadata.tenantId from match", c.name)
				return
			}
		}
	}
	body, err := eventbridge.Pattern(c.m, r)
	if err != nil {
		c.errorf(r.Pos, "%v", err)
		return
	}
	if _, err := pattern.Compile(body); err != nil {
		c.reportSyntax(filter, err)
		return
	}
	events, err := eventbridge.Events(c.m, r)
	if err != nil {
		c.errorf(r.Pos, "%v", err)
		return
	}
	if r.Pattern != nil {
		raw, ok := c.decodeFilter(r.Pattern, "pattern")
		if !ok {
			return
		}
		if len(events) == 0 {
			c.errorf(r.Pos, "%s.pattern: its source and detail-type match no declared event; fix them or declare the events", c.name)
			return
		}
		c.checkRawTop(raw, events)
	} else if filter != nil {
		c.checkFilter(filter, nil, "match", events)
	}
	c.checkExamples(body)
}

// checkOn checks every `on` entry; it reports whether all are usable.
func (c *ruleChecker) checkOn() bool {
	ok := true
	for i, item := range c.r.On {
		if item.Matcher == nil && c.m.Event(item.Type) == nil {
			c.errorf(item.Pos, "%s.on[%d]: event type %q is not declared; %s", c.name, i, item.Type, suggest("declare it under events or fix the name", item.Type, eventTypes(c.m)))
			ok = false
			continue
		}
		if _, err := eventbridge.OnEvents(c.m, item); err != nil {
			c.errorf(item.Pos, "%s.on[%d]: %v", c.name, i, err)
			ok = false
		}
	}
	return ok
}

func eventTypes(m *spec.Model) []string {
	out := make([]string, len(m.Events))
	for i, e := range m.Events {
		out[i] = e.Type
	}
	return out
}

// decodeFilter decodes a rule's match or raw pattern.
func (c *ruleChecker) decodeFilter(data json.RawMessage, what string) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		c.errorf(c.r.Pos, "%s.%s is not valid JSON: %v", c.name, what, err)
		return nil, false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		c.errorf(c.r.Pos, "%s.%s must be an object", c.name, what)
		return nil, false
	}
	return obj, true
}

// reportSyntax reports a pattern that runtime/pattern rejects. For a match filter it finds
// the first leaf that is invalid on its own, to put the message at that leaf's position.
func (c *ruleChecker) reportSyntax(filter map[string]any, err error) {
	if c.r.Pattern != nil {
		c.errorf(c.r.Pos, "%s.pattern is not a valid EventBridge pattern: %v", c.name, err)
		return
	}
	for _, l := range leaves(filter, nil) {
		one, encErr := eventbridge.Encode(map[string]any{"x": l.values})
		if encErr != nil {
			continue
		}
		if _, leafErr := pattern.Compile(one); leafErr != nil {
			c.errorf(c.pos(l.path), "%s.match.%s is not valid EventBridge syntax: %v", c.name, strings.Join(l.path, "."), leafErr)
			return
		}
	}
	c.errorf(c.r.Pos, "%s: the rule's pattern is not valid EventBridge syntax: %v", c.name, err)
}

// pos returns the position of a path of the rule's content filter: the path's own, else the
// closest enclosing path's, else the rule's.
func (c *ruleChecker) pos(path []string) spec.Pos {
	for n := len(path); n > 0; n-- {
		key := strings.Join(path[:n], ".")
		if p, ok := c.r.MatchPos[key]; ok && p.IsValid() {
			return p
		}
		if p, ok := c.r.MatchPos["detail."+key]; ok && p.IsValid() {
			return p
		}
	}
	return c.r.Pos
}

// topLevel are the fields of the EventBridge form of an envelope.
var topLevel = []string{"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}

// checkRawTop checks a raw pattern's top level: its field names, and its detail filters.
func (c *ruleChecker) checkRawTop(raw map[string]any, events []*spec.Event) {
	for _, k := range sortedKeys(raw) {
		switch {
		case k == "$or":
			branches, _ := raw[k].([]any)
			for _, b := range branches {
				if obj, ok := b.(map[string]any); ok {
					c.checkRawTop(obj, events)
				}
			}
		case k == "detail":
			if obj, ok := raw[k].(map[string]any); ok {
				c.checkFilter(obj, nil, "pattern.detail", events)
			}
		case !slices.Contains(topLevel, k):
			c.errorf(c.r.Pos, "%s.pattern.%s: the EventBridge event has no field %s, so the rule never matches; %s", c.name, k, k,
				suggest("envelope fields are under detail (detail.data, detail.metadata...)", k, topLevel))
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// leaf is one condition of a content filter: a path under detail and its value list.
type leaf struct {
	path   []string
	values []any
}

// leaves lists the conditions of a content filter in key order, descending into $or branches.
// A key with dots names nested fields, as in EventBridge ({"a.b": [...]} is {"a": {"b": [...]}}).
func leaves(filter map[string]any, prefix []string) []leaf {
	var out []leaf
	for _, k := range sortedKeys(filter) {
		switch v := filter[k].(type) {
		case []any:
			if k == "$or" {
				for _, b := range v {
					if obj, ok := b.(map[string]any); ok {
						out = append(out, leaves(obj, prefix)...)
					}
				}
				continue
			}
			out = append(out, leaf{path: append(slices.Clone(prefix), strings.Split(k, ".")...), values: v})
		case map[string]any:
			out = append(out, leaves(v, append(slices.Clone(prefix), strings.Split(k, ".")...))...)
		}
	}
	return out
}

// suggest returns advice, with the closest candidate when one is near enough.
func suggest(advice, got string, candidates []string) string {
	best, bestDist := "", len(got)/2+2
	for _, cand := range candidates {
		if d := distance(strings.ToLower(got), strings.ToLower(cand)); d < bestDist {
			best, bestDist = cand, d
		}
	}
	if best == "" || best == got {
		return advice
	}
	return fmt.Sprintf("did you mean %q? Otherwise %s", best, advice)
}

// distance is the Levenshtein distance of two strings, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
