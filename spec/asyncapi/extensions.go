package asyncapi

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/eventgen/eventgen/spec"
)

// settings reads the root x-eventgen: {source, package, bus}.
func (l *loader) settings(d *document, p pair, m *spec.Model) {
	m.Pos = l.pos(d, p.key)
	if p.value.Kind != yaml.MappingNode {
		l.errorf(d, p.value, "x-eventgen must be a mapping with source, package and bus")
		return
	}
	l.checkKeys(d, p.value, "x-eventgen", "source", "package", "bus")
	for _, f := range []struct {
		key string
		dst *string
	}{{"source", &m.Source}, {"package", &m.Package}, {"bus", &m.Bus}} {
		if v := l.value(p.value, f.key); v != nil {
			*f.dst, _ = l.str(d, v, "x-eventgen."+f.key)
		}
	}
}

// aggregates reads the root x-eventgen-aggregates: {Name: {id, description?}}.
func (l *loader) aggregates(d *document, n *yaml.Node) []*spec.Aggregate {
	if n.Kind != yaml.MappingNode {
		l.errorf(d, n, "x-eventgen-aggregates must be a mapping of aggregate names to {id}")
		return nil
	}
	var out []*spec.Aggregate
	for _, p := range pairs(n) {
		path := "aggregates." + p.key.Value
		if !pascalRE.MatchString(p.key.Value) {
			l.errorf(d, p.key, "%s: an aggregate name is PascalCase (Workflow)", path)
			continue
		}
		if p.value.Kind != yaml.MappingNode {
			l.errorf(d, p.value, "%s must be a mapping with id", path)
			continue
		}
		l.checkKeys(d, p.value, path, "id", "description")
		a := &spec.Aggregate{Name: p.key.Value, Doc: l.docText(p.value), Pos: l.pos(d, p.key)}
		id := l.value(p.value, "id")
		if id == nil {
			l.errorf(d, p.value, "%s: id is missing; name the data field that carries the stream id", path)
			continue
		}
		a.ID, _ = l.str(d, id, path+".id")
		a.IDPos = l.pos(d, id)
		out = append(out, a)
	}
	return out
}

// rules reads the root x-eventgen-rules, written as the spec language's rules.
func (l *loader) rules(d *document, n *yaml.Node) []*spec.Rule {
	if n.Kind != yaml.MappingNode {
		l.errorf(d, n, "x-eventgen-rules must be a mapping of rule names to rules")
		return nil
	}
	var out []*spec.Rule
	for _, p := range pairs(n) {
		path := fmt.Sprintf("rules.%q", p.key.Value)
		if !kebabRE.MatchString(p.key.Value) {
			l.errorf(d, p.key, "%s: a rule name is kebab-case (live-runs-of-org-123)", path)
			continue
		}
		if p.value.Kind != yaml.MappingNode {
			l.errorf(d, p.value, "%s must be a mapping", path)
			continue
		}
		out = append(out, l.rule(d, p, path))
	}
	return out
}

func (l *loader) rule(d *document, p pair, path string) *spec.Rule {
	n := p.value
	l.checkKeys(d, n, path, "description", "bus", "on", "match", "tenantScoped", "pattern", "examples", "targets")
	r := &spec.Rule{Name: p.key.Value, Pos: l.pos(d, p.key)}
	if v := l.value(n, "description"); v != nil {
		r.Description, _ = l.str(d, v, path+".description")
	}
	if v := l.value(n, "bus"); v != nil {
		r.Bus, _ = l.str(d, v, path+".bus")
	}
	if on := l.value(n, "on"); on != nil {
		if on.Kind != yaml.SequenceNode {
			l.errorf(d, on, "%s.on must be a list of event types or matchers such as {prefix: \"workflow.\"}", path)
		}
		for _, it := range items(on) {
			switch {
			case isString(it):
				r.On = append(r.On, &spec.OnItem{Type: it.Value, Pos: l.pos(d, it)})
			case it.Kind == yaml.MappingNode:
				r.On = append(r.On, &spec.OnItem{Matcher: l.toJSON(d, it), Pos: l.pos(d, it)})
			default:
				l.errorf(d, it, "%s.on: an entry is an event type or a matcher such as {prefix: \"workflow.\"}", path)
			}
		}
	}
	if match := l.value(n, "match"); match != nil {
		if match.Kind != yaml.MappingNode {
			l.errorf(d, match, "%s.match must be a mapping of paths (data, metadata) to EventBridge value lists", path)
		} else {
			r.Match = l.toJSON(d, match)
			r.MatchPos = map[string]spec.Pos{}
			l.matchPositions(d, match, "", r.MatchPos)
		}
	}
	if v := l.value(n, "tenantScoped"); v != nil {
		r.TenantScoped, _ = l.boolValue(d, v, path+".tenantScoped")
	}
	if v := l.value(n, "pattern"); v != nil {
		if v.Kind != yaml.MappingNode {
			l.errorf(d, v, "%s.pattern must be an EventBridge pattern object", path)
		} else {
			r.Pattern = l.toJSON(d, v)
		}
	}
	if ex := l.value(n, "examples"); ex != nil {
		if ex.Kind != yaml.MappingNode {
			l.errorf(d, ex, "%s.examples must be a mapping with matches and rejects", path)
		} else {
			l.checkKeys(d, ex, path+".examples", "matches", "rejects")
			r.Examples.Matches = l.ruleExamples(d, l.value(ex, "matches"), path+".examples.matches")
			r.Examples.Rejects = l.ruleExamples(d, l.value(ex, "rejects"), path+".examples.rejects")
		}
	}
	if ts := l.value(n, "targets"); ts != nil {
		if ts.Kind != yaml.SequenceNode {
			l.errorf(d, ts, "%s.targets must be a list", path)
		}
		for i, t := range items(ts) {
			if tg := l.target(d, t, fmt.Sprintf("%s.targets[%d]", path, i)); tg != nil {
				r.Targets = append(r.Targets, tg)
			}
		}
	}
	return r
}

// matchPositions records the position of every dotted path of a rule's match.
func (l *loader) matchPositions(d *document, n *yaml.Node, prefix string, out map[string]spec.Pos) {
	for _, p := range pairs(n) {
		path := p.key.Value
		if prefix != "" {
			path = prefix + "." + path
		}
		out[path] = l.pos(d, p.key)
		if p.value.Kind == yaml.MappingNode {
			l.matchPositions(d, p.value, path, out)
		}
	}
}

// ruleExamples reads a list of example events {type, version, metadata?, data}.
func (l *loader) ruleExamples(d *document, n *yaml.Node, path string) []*spec.RuleExample {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errorf(d, n, "%s must be a list of events {type, version, metadata?, data}", path)
		return nil
	}
	var out []*spec.RuleExample
	for i, e := range items(n) {
		epath := fmt.Sprintf("%s[%d]", path, i)
		if e.Kind != yaml.MappingNode {
			l.errorf(d, e, "%s must be an event {type, version, metadata?, data}", epath)
			continue
		}
		l.checkKeys(d, e, epath, "type", "version", "metadata", "data")
		x := &spec.RuleExample{Pos: l.pos(d, e)}
		ok := true
		for _, req := range []string{"type", "version", "data"} {
			if l.value(e, req) == nil {
				l.errorf(d, e, "%s: %s is missing", epath, req)
				ok = false
			}
		}
		if !ok {
			continue
		}
		x.Type, _ = l.str(d, l.value(e, "type"), epath+".type")
		x.Version, _ = l.intValue(d, l.value(e, "version"), epath+".version")
		if md := l.value(e, "metadata"); md != nil {
			x.Metadata = l.toJSON(d, md)
		}
		x.Data = l.toJSON(d, l.value(e, "data"))
		out = append(out, x)
	}
	return out
}

// target reads one rule target, with the bounds the spec language gives its numbers.
func (l *loader) target(d *document, n *yaml.Node, path string) *spec.Target {
	if n.Kind != yaml.MappingNode {
		l.errorf(d, n, "%s must be a mapping with arn", path)
		return nil
	}
	l.checkKeys(d, n, path, "arn", "deadLetterArn", "maxRetries", "maxEventAgeSeconds")
	t := &spec.Target{Pos: l.pos(d, n)}
	arn := l.value(n, "arn")
	if arn == nil {
		l.errorf(d, n, "%s: arn is missing", path)
		return nil
	}
	t.ARN, _ = l.str(d, arn, path+".arn")
	if v := l.value(n, "deadLetterArn"); v != nil {
		t.DeadLetterARN, _ = l.str(d, v, path+".deadLetterArn")
	}
	for _, f := range []struct {
		key      string
		dst      **int
		min, max int
	}{{"maxRetries", &t.MaxRetries, 0, 185}, {"maxEventAgeSeconds", &t.MaxEventAgeSeconds, 60, 86400}} {
		v := l.value(n, f.key)
		if v == nil {
			continue
		}
		i, ok := l.intValue(d, v, path+"."+f.key)
		if !ok {
			continue
		}
		if i < f.min || i > f.max {
			l.errorf(d, v, "%s.%s must be between %d and %d", path, f.key, f.min, f.max)
			continue
		}
		*f.dst = &i
	}
	return t
}
