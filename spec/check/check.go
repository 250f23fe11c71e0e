package check

import (
	"fmt"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/spec"
)

var (
	// eventTypeForm is domain.entity.action: lower-case parts, dot-separated, two or more;
	// a part may hold digits and inner hyphens.
	eventTypeForm = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+$`)
	kebabCase     = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	pascalCase    = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	identifier    = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
)

// Check runs the core checks of a model and returns every finding, sorted. Error-level
// findings make generate fail.
func Check(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	if m.Package != "" && !isPackageName(m.Package) {
		ds = append(ds, spec.Errorf(m.Pos, "eventgen.package: %q is not a Go package name; use a lower-case identifier, as in package: \"workflowevents\"", m.Package))
	}
	for _, a := range m.Aggregates {
		if !pascalCase.MatchString(a.Name) {
			ds = append(ds, spec.Errorf(a.Pos, "aggregates.%s: aggregate names are PascalCase, as in Workflow; rename it", quote(a.Name)))
		}
		if a.ID == "" {
			ds = append(ds, spec.Errorf(a.Pos, "aggregates.%s.id: name the data field that carries the stream id, as in id: \"workflowId\"", quote(a.Name)))
		}
	}
	for _, e := range m.Events {
		ds = append(ds, checkEvent(m, e)...)
	}
	ds = append(ds, checkTypes(m)...)
	ds = append(ds, checkFieldNames(m)...)
	for _, r := range m.Rules {
		if !kebabCase.MatchString(r.Name) {
			ds = append(ds, spec.Errorf(r.Pos, "rules.%s: rule names are kebab-case, as in live-runs-of-org-123; rename it", quote(r.Name)))
		}
	}
	for _, h := range m.Handlers {
		ds = append(ds, checkHandler(m, h)...)
	}
	if !ds.HasErrors() {
		// Only for an otherwise sound spec: next to real errors the warning is noise.
		ds = append(ds, checkSources(m)...)
	}
	return ds.Sorted()
}

// isPackageName reports whether name can be the package clause of a Go file.
func isPackageName(name string) bool {
	return token.IsIdentifier(name) && !token.IsKeyword(name) && name != "_"
}

// checkSources warns about events whose envelopes would carry an empty source: neither
// eventgen.source nor the event's own source is set. When no event has a source, one warning
// at the settings says so.
func checkSources(m *spec.Model) spec.Diagnostics {
	if m.Source != "" || len(m.Events) == 0 {
		return nil
	}
	var ds spec.Diagnostics
	for _, e := range m.Events {
		if e.Source == "" {
			ds = append(ds, spec.Warnf(e.Pos, "%s: no source is set, so its envelopes would carry an empty source; set eventgen: source: \"...\" or the event's source", eventPath(e)))
		}
	}
	if len(ds) == len(m.Events) {
		return spec.Diagnostics{spec.Warnf(m.Pos, "eventgen.source: no source is set, so every envelope would carry an empty source; set eventgen: source: \"...\" (as in \"com.example.workflows\")")}
	}
	return ds
}

// Label writes a name as CUE writes a label, bare when it is an identifier and quoted
// otherwise: the form every message uses for the elements of a path (events."a.b".v1.name).
func Label(name string) string { return quote(name) }

// quote writes a name as CUE writes a label: bare when it is an identifier.
func quote(name string) string {
	if identifier.MatchString(name) {
		return name
	}
	return strconv.Quote(name)
}

func eventPath(e *spec.Event) string { return "events." + quote(e.Type) }

func checkEvent(m *spec.Model, e *spec.Event) spec.Diagnostics {
	var ds spec.Diagnostics
	name := eventPath(e)
	if !eventTypeForm.MatchString(e.Type) {
		ds = append(ds, spec.Errorf(e.Pos, "%s: an event type is lower case and dot-separated with at least two parts (domain.entity.action), as in \"workflow.started\"", name))
	}
	if len(e.Versions) == 0 {
		ds = append(ds, spec.Errorf(e.Pos, "%s: the event has no version; add v1: {...} with its payload fields", name))
		return ds
	}
	for i, v := range e.Versions {
		switch {
		case i == 0 && v.Number != 1:
			ds = append(ds, spec.Errorf(v.Pos, "%s: the first version is v%d; versions start at v1, so add v1 or renumber", name, v.Number))
		case i > 0 && v.Number != e.Versions[i-1].Number+1:
			prev := e.Versions[i-1].Number
			ds = append(ds, spec.Errorf(v.Pos, "%s: version v%d follows v%d; add v%d or renumber", name, v.Number, prev, prev+1))
		}
	}
	if e.Aggregate == "" && e.AggregatePos.IsValid() {
		ds = append(ds, spec.Errorf(e.AggregatePos, "%s.aggregate: the aggregate name is empty; name a declared aggregate or remove aggregate", name))
	}
	if e.Aggregate != "" {
		if a := m.Aggregate(e.Aggregate); a == nil {
			ds = append(ds, spec.Errorf(e.AggregatePos, "%s.aggregate: unknown aggregate %q; declare it, as in aggregates: %s: id: \"...\"", name, e.Aggregate, e.Aggregate))
		} else if a.ID != "" {
			ds = append(ds, checkAggregateID(m, e, a)...)
		}
	}
	ds = append(ds, checkExamples(m, e)...)
	return ds
}

// checkAggregateID checks that every version of e carries its aggregate's id as a required,
// non-null string.
func checkAggregateID(m *spec.Model, e *spec.Event, a *spec.Aggregate) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, v := range e.Versions {
		vp := fmt.Sprintf("%s.v%d", eventPath(e), v.Number)
		f := v.Field(a.ID)
		if f == nil {
			ds = append(ds, spec.Errorf(v.Pos, "%s: events of aggregate %s carry its id; add the field %s: string", vp, a.Name, a.ID))
			continue
		}
		fp := vp + "." + quote(f.Name)
		t := m.Resolve(f.Type)
		switch {
		case f.Optional:
			ds = append(ds, spec.Errorf(f.Pos, "%s: the id of aggregate %s must be required; remove the ?", fp, a.Name))
		case t == nil || t.Kind != spec.KindString && t.Kind != spec.KindEnum:
			kind := "unknown"
			if t != nil {
				kind = t.Kind.String()
			}
			ds = append(ds, spec.Errorf(f.Pos, "%s: the id of aggregate %s must be a string, not %s", fp, a.Name, kind))
		case f.Type.Nullable || t.Nullable:
			ds = append(ds, spec.Errorf(f.Pos, "%s: the id of aggregate %s must not be nullable; remove | null", fp, a.Name))
		}
	}
	return ds
}

func checkExamples(m *spec.Model, e *spec.Event) spec.Diagnostics {
	var ds spec.Diagnostics
	latest := e.Latest()
	for i, ex := range e.Examples {
		what := fmt.Sprintf("%s.examples[%d]", eventPath(e), i)
		v := e.Version(ex.Version)
		if v == nil {
			ds = append(ds, spec.Errorf(ex.Pos, "%s: version %d does not exist; the event has v1..v%d", what, ex.Version, latest.Number))
			continue
		}
		violations, unknown := payload(m, v, ex.Data)
		for _, u := range unknown {
			ds = append(ds, spec.Warnf(ex.Pos, "%s.data.%s: not a field of %s; decoders ignore it", what, u.path, u.owner))
		}
		switch {
		case ex.Valid && len(violations) > 0:
			ds = append(ds, spec.Errorf(ex.Pos, "%s is not a valid v%d payload: %s; fix the example or mark it valid: false", what, v.Number, describe(violations)))
		case !ex.Valid && len(violations) == 0 && len(unknown) > 0:
			ds = append(ds, spec.Errorf(ex.Pos, "%s is marked valid: false but passes every constraint; decoders ignore unknown fields", what))
		case !ex.Valid && len(violations) == 0:
			ds = append(ds, spec.Errorf(ex.Pos, "%s is marked valid: false but passes every constraint", what))
		}
		if ex.Latest == nil {
			continue
		}
		// An example of the latest version may state latest too: the decoded value, defaults
		// filled, must then equal it (spec/evolve.CheckExamples compares the two).
		if !ex.Valid {
			ds = append(ds, spec.Errorf(ex.Pos, "%s: an invalid example cannot be upcast; remove latest", what))
		} else if lv := Payload(m, latest, ex.Latest); len(lv) > 0 {
			ds = append(ds, spec.Errorf(ex.Pos, "%s: latest is not a valid v%d payload: %s", what, latest.Number, describe(lv)))
		}
	}
	return ds
}

// describe lists violations as "path: message; path: message".
func describe(vs []event.Violation) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		if v.Path == "" {
			parts[i] = v.Message
		} else {
			parts[i] = v.Path + " " + v.Message
		}
	}
	return strings.Join(parts, "; ")
}

func checkHandler(m *spec.Model, h *spec.Handler) spec.Diagnostics {
	var ds spec.Diagnostics
	name := "handlers." + quote(h.Name)
	if !kebabCase.MatchString(h.Name) {
		ds = append(ds, spec.Errorf(h.Pos, "%s: handler names are kebab-case, as in run-dashboard; rename it", name))
	}
	switch {
	case len(h.On) > 0 && h.Rule != "":
		ds = append(ds, spec.Errorf(h.Pos, "%s: give either on or rule, not both", name))
	case len(h.On) == 0 && h.Rule == "":
		ds = append(ds, spec.Errorf(h.Pos, "%s: say which events it handles: on: [\"type\", ...] or rule: \"rule-name\"", name))
	}
	for i, typ := range h.On {
		if m.Event(typ) == nil {
			pos := h.Pos
			if i < len(h.OnPos) {
				pos = h.OnPos[i]
			}
			ds = append(ds, spec.Errorf(pos, "%s.on: unknown event type %q; declare it under events or fix the name", name, typ))
		}
	}
	if h.Rule != "" && m.Rule(h.Rule) == nil {
		ds = append(ds, spec.Errorf(h.Pos, "%s.rule: unknown rule %q; declare it under rules or fix the name", name, h.Rule))
	}
	if h.Unknown != "skip" && h.Unknown != "fail" {
		ds = append(ds, spec.Errorf(h.Pos, "%s.unknown: must be \"skip\" or \"fail\", not %q", name, h.Unknown))
	}
	return ds
}

// Lint returns the warnings that only `eventgen vet` reports: undocumented events and
// definitions that nothing uses. Undocumented rules are spec/rulecheck.Lint's.
func Lint(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, e := range m.Events {
		documented := e.Doc != ""
		for _, v := range e.Versions {
			documented = documented || v.Doc != ""
		}
		if !documented {
			ds = append(ds, spec.Warnf(e.Pos, "%s: add a doc comment saying what happened", eventPath(e)))
		}
	}
	used := map[string]bool{}
	var mark func(t *spec.Type)
	mark = func(t *spec.Type) {
		if t == nil {
			return
		}
		if t.Kind == spec.KindRef && !used[t.Ref] {
			used[t.Ref] = true
			if d := m.Definition(t.Ref); d != nil {
				mark(d.Type)
			}
		}
		mark(t.Elem)
		for _, f := range t.Fields {
			mark(f.Type)
		}
	}
	for _, e := range m.Events {
		for _, v := range e.Versions {
			for _, f := range v.Fields {
				mark(f.Type)
			}
		}
	}
	for _, d := range m.Definitions {
		if !used[d.Name] {
			ds = append(ds, spec.Warnf(d.Pos, "#%s is not used by any event; use it or remove it", d.Name))
		}
	}
	return ds.Sorted()
}
