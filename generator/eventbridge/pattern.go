package eventbridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/runtime/pattern"
	"github.com/eventgen/eventgen/spec"
)

// TenantPlaceholder is the value that stands for the tenant id in a tenant-scoped rule's
// pattern: detail.metadata.tenantId is ["${tenantId}"] until ForTenant fills it in.
const TenantPlaceholder = "${tenantId}"

// TenantToken is TenantPlaceholder as it appears in a pattern file: a whole JSON string token,
// quotes included. Pattern refuses the placeholder text anywhere else in a rule, so this byte
// sequence occurs in a generated pattern exactly where the tenant id goes.
const TenantToken = `"` + TenantPlaceholder + `"`

// Path returns the output path of rule r's pattern file, relative to the output directory.
func Path(r *spec.Rule) string { return "eventbridge/" + r.Name + ".json" }

// Generate returns one pattern file per rule, eventbridge/<rule>.json, sorted by path.
// A rule whose pattern cannot be built is an error-level diagnostic at the rule.
func Generate(m *spec.Model) ([]genfile.File, error) {
	var (
		files []genfile.File
		diags spec.Diagnostics
	)
	for _, r := range m.Rules {
		if !safeName(r.Name) {
			diags = append(diags, spec.Errorf(r.Pos, "rules.%q: a rule name must be kebab-case (a-z, 0-9 and '-'); rename the rule", r.Name))
			continue
		}
		content, err := Pattern(m, r)
		if err != nil {
			diags = append(diags, spec.Errorf(r.Pos, "%v", err))
			continue
		}
		files = append(files, genfile.File{Path: Path(r), Content: content})
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	genfile.Sort(files)
	return files, nil
}

// safeName reports whether a rule name can be a file name inside eventbridge/: the spec
// requires kebab-case, and this keeps a name that slipped through from leaving the directory.
func safeName(name string) bool {
	if name == "" || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for _, c := range name {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// Pattern returns the EventBridge pattern of rule r, formatted as the pattern file holds it:
// keys sorted, 2-space indent, a final newline. Built from `on` and `match`:
//
//   - when every event `on` can match has one source, the pattern is
//     {"source":[S],"detail-type":[exact types (sorted)..., matchers (in spec order)...]};
//   - when they have several sources, it is {"$or":[{"source":[S1],"detail-type":[types of S1]},...]}
//     with matchers expanded into the declared types they match, so that no source is matched
//     together with another source's type;
//   - match sits under "detail"; a tenant-scoped rule adds detail.metadata.tenantId: ["${tenantId}"].
//
// A raw `pattern` is re-serialised the same way (plus the tenant condition when tenant-scoped).
// The result is not validated here beyond being a JSON object; spec/rulecheck compiles it with
// runtime/pattern.
func Pattern(m *spec.Model, r *spec.Rule) ([]byte, error) {
	name := fmt.Sprintf("rules.%q", r.Name)
	var p map[string]any
	if r.Pattern != nil {
		raw, err := decodeObject(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("%s.pattern: %w", name, err)
		}
		if err := refusePlaceholder(raw); err != nil {
			return nil, fmt.Errorf("%s.pattern: %w", name, err)
		}
		p = raw
	} else {
		var err error
		if p, err = typeFilter(m, r); err != nil {
			return nil, err
		}
		if r.Match != nil {
			match, err := decodeObject(r.Match)
			if err != nil {
				return nil, fmt.Errorf("%s.match: %w", name, err)
			}
			if err := refusePlaceholder(match); err != nil {
				return nil, fmt.Errorf("%s.match: %w", name, err)
			}
			if len(match) > 0 {
				p["detail"] = match
			}
		}
	}
	if r.TenantScoped {
		if err := addTenant(p); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return Encode(p)
}

// typeFilter returns the source and detail-type part of the pattern of r's `on`.
func typeFilter(m *spec.Model, r *spec.Rule) (map[string]any, error) {
	if len(r.On) == 0 {
		return nil, fmt.Errorf("rules.%q: the rule has neither on nor pattern; list the event types it is for in on", r.Name)
	}
	var (
		exact    []string // exact types, as the spec gives them
		matchers []any    // matcher objects, in spec order, without duplicates
		seen     = map[string]bool{}
		bySource = map[string][]string{} // every matched type, grouped by its source
	)
	for i, item := range r.On {
		events, err := OnEvents(m, item)
		if err != nil {
			return nil, fmt.Errorf("rules.%q.on[%d]: %w", r.Name, i, err)
		}
		for _, e := range events {
			src := m.EventSource(e)
			if !slices.Contains(bySource[src], e.Type) {
				bySource[src] = append(bySource[src], e.Type)
			}
		}
		if item.Matcher == nil {
			if !slices.Contains(exact, item.Type) {
				exact = append(exact, item.Type)
			}
			continue
		}
		v, err := decodeValue(item.Matcher)
		if err != nil {
			return nil, fmt.Errorf("rules.%q.on[%d]: %w", r.Name, i, err)
		}
		key, err := Encode(v)
		if err != nil {
			return nil, fmt.Errorf("rules.%q.on[%d]: %w", r.Name, i, err)
		}
		if !seen[string(key)] {
			seen[string(key)] = true
			matchers = append(matchers, v)
		}
	}
	sources := make([]string, 0, len(bySource))
	for s := range bySource {
		sources = append(sources, s)
	}
	slices.Sort(sources)
	if len(sources) == 1 {
		slices.Sort(exact)
		types := make([]any, 0, len(exact)+len(matchers))
		for _, t := range exact {
			types = append(types, t)
		}
		types = append(types, matchers...)
		return map[string]any{"source": []any{sources[0]}, "detail-type": types}, nil
	}
	branches := make([]any, 0, len(sources))
	for _, s := range sources {
		types := slices.Clone(bySource[s])
		slices.Sort(types)
		list := make([]any, len(types))
		for i, t := range types {
			list[i] = t
		}
		branches = append(branches, map[string]any{"source": []any{s}, "detail-type": list})
	}
	return map[string]any{"$or": branches}, nil
}

// OnEvents returns the declared events that one entry of a rule's `on` stands for: the event
// of an exact type, or every event whose type an EventBridge matcher matches (in the model's
// order). It is an error when an exact type is not declared, when a matcher is not a valid
// EventBridge matcher, or when it matches no declared event type.
func OnEvents(m *spec.Model, item *spec.OnItem) ([]*spec.Event, error) {
	if item.Matcher == nil {
		e := m.Event(item.Type)
		if e == nil {
			return nil, fmt.Errorf("event type %q is not declared; declare it under events or fix the name", item.Type)
		}
		return []*spec.Event{e}, nil
	}
	p, err := pattern.Compile([]byte(`{"detail-type":[` + string(item.Matcher) + `]}`))
	if err != nil {
		return nil, fmt.Errorf("matcher %s is not a valid EventBridge matcher: %w", item.Matcher, err)
	}
	var events []*spec.Event
	for _, e := range m.Events {
		ok, err := p.Match(probe("", e.Type))
		if err != nil {
			return nil, fmt.Errorf("matcher %s: %w", item.Matcher, err)
		}
		if ok {
			events = append(events, e)
		}
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("matcher %s matches no declared event type; fix it or declare the events", item.Matcher)
	}
	return events, nil
}

// Events returns the declared events rule r can match, in the model's order: those of its `on`,
// or for a raw pattern those whose source and type its top-level source and detail-type
// conditions (also inside a top-level $or) accept.
func Events(m *spec.Model, r *spec.Rule) ([]*spec.Event, error) {
	if r.Pattern == nil {
		var out []*spec.Event
		for i, item := range r.On {
			events, err := OnEvents(m, item)
			if err != nil {
				return nil, fmt.Errorf("rules.%q.on[%d]: %w", r.Name, i, err)
			}
			for _, e := range events {
				if !slices.Contains(out, e) {
					out = append(out, e)
				}
			}
		}
		slices.SortFunc(out, func(a, b *spec.Event) int { return strings.Compare(a.Type, b.Type) })
		return out, nil
	}
	raw, err := decodeObject(r.Pattern)
	if err != nil {
		return nil, fmt.Errorf("rules.%q.pattern: %w", r.Name, err)
	}
	filter := projectTypes(raw)
	body, err := Encode(filter)
	if err != nil {
		return nil, fmt.Errorf("rules.%q.pattern: %w", r.Name, err)
	}
	p, err := pattern.Compile(body)
	if err != nil {
		return nil, fmt.Errorf("rules.%q.pattern: %w", r.Name, err)
	}
	var out []*spec.Event
	for _, e := range m.Events {
		ok, err := p.Match(probe(m.EventSource(e), e.Type))
		if err != nil {
			return nil, fmt.Errorf("rules.%q.pattern: %w", r.Name, err)
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// projectTypes keeps only the source and detail-type conditions of a pattern, at the top and
// inside a top-level $or. A $or branch left without conditions accepts every event, so the
// whole $or is dropped then.
func projectTypes(p map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"source", "detail-type"} {
		if v, ok := p[k]; ok {
			out[k] = v
		}
	}
	if branches, ok := p["$or"].([]any); ok {
		var kept []any
		for _, b := range branches {
			obj, ok := b.(map[string]any)
			if !ok {
				return out
			}
			pb := map[string]any{}
			for _, k := range []string{"source", "detail-type"} {
				if v, ok := obj[k]; ok {
					pb[k] = v
				}
			}
			if len(pb) == 0 {
				return out
			}
			kept = append(kept, pb)
		}
		if len(kept) > 0 {
			out["$or"] = kept
		}
	}
	return out
}

// probe is the smallest EventBridge event with the given source and detail-type.
func probe(source, detailType string) []byte {
	b, _ := json.Marshal(map[string]string{"source": source, "detail-type": detailType}) // strings always marshal
	return b
}

// addTenant adds detail.metadata.tenantId: ["${tenantId}"] to a pattern.
func addTenant(p map[string]any) error {
	detail, ok := p["detail"].(map[string]any)
	if !ok {
		if _, present := p["detail"]; present {
			return errors.New("tenantScoped needs detail to be an object in the pattern")
		}
		detail = map[string]any{}
		p["detail"] = detail
	}
	meta, ok := detail["metadata"].(map[string]any)
	if !ok {
		if _, present := detail["metadata"]; present {
			return errors.New("tenantScoped needs detail.metadata to be an object in the pattern")
		}
		meta = map[string]any{}
		detail["metadata"] = meta
	}
	if _, present := meta["tenantId"]; present {
		return errors.New("tenantScoped already matches metadata.tenantId; remove metadata.tenantId from the rule's filter")
	}
	meta["tenantId"] = []any{TenantPlaceholder}
	return nil
}

// refusePlaceholder rejects the tenant placeholder text anywhere in a spec-given value, key
// or string, so that it can only appear where tenantScoped puts it.
func refusePlaceholder(v any) error {
	switch v := v.(type) {
	case string:
		if strings.Contains(v, TenantPlaceholder) {
			return fmt.Errorf("the text %s is reserved for tenantScoped rules; use tenantScoped: true instead of writing it", TenantPlaceholder)
		}
	case []any:
		for _, e := range v {
			if err := refusePlaceholder(e); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range v {
			if err := refusePlaceholder(k); err != nil {
				return err
			}
			if err := refusePlaceholder(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// ForTenant returns a copy of a tenant-scoped pattern with the tenant id in place of the
// placeholder token. The id is inserted as a JSON string made by encoding/json, so no id can
// change the pattern's structure. The generated Go's <Rule>RuleFor does exactly this:
//
//	id, _ := json.Marshal(tenantID) // a Go string always marshals
//	r.Pattern = bytes.ReplaceAll(r.Pattern, []byte(`"${tenantId}"`), id)
func ForTenant(pattern []byte, tenantID string) []byte {
	id, _ := json.Marshal(tenantID) // a Go string always marshals
	return bytes.ReplaceAll(pattern, []byte(TenantToken), id)
}

// Canonical re-serialises a JSON pattern the way pattern files are written: keys sorted,
// 2-space indent, numbers as written, no HTML escaping, a final newline.
func Canonical(pattern []byte) ([]byte, error) {
	v, err := decodeValue(pattern)
	if err != nil {
		return nil, err
	}
	return Encode(v)
}

// Encode writes a decoded JSON value (maps, slices, strings, json.Number, bool, nil) the way
// pattern files are written: keys sorted, 2-space indent, no HTML escaping, a final newline.
func Encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode pattern: %w", err)
	}
	return b.Bytes(), nil
}

// decodeValue decodes one JSON value, keeping numbers as written.
func decodeValue(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not valid JSON: more than one value")
	}
	return v, nil
}

// decodeObject decodes a JSON object, keeping numbers as written.
func decodeObject(data []byte) (map[string]any, error) {
	v, err := decodeValue(data)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("must be an object")
	}
	return obj, nil
}
