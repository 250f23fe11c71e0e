package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/generator/jsonschema"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/templates"
)

// Path is the catalogue's path in the output directory.
const Path = "EVENTS.md"

// templateName is the file of package templates that lays the catalogue out.
const templateName = "events.md.tmpl"

// Generate renders the catalogue of m, EVENTS.md. A rule whose EventBridge pattern cannot be
// built is an error-level diagnostic at the rule (the eventbridge backend reports the same
// one, and spec.Diagnostics drops the duplicate).
func Generate(m *spec.Model) ([]genfile.File, error) {
	tmpl, err := template.ParseFS(templates.FS, templateName)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", templateName, err)
	}
	p, diags := newPage(m)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, p); err != nil {
		return nil, fmt.Errorf("render %s: %w", templateName, err)
	}
	return []genfile.File{{Path: Path, Content: []byte(normalize(out.String()))}}, nil
}

// The page types below are what events.md.tmpl sees. Every string in them is finished
// Markdown: escaped, linked and formatted here, so the template only lays text out.

type page struct {
	Title    heading
	Facts    []string
	Contents heading
	TOC      []tocEntry
	Groups   []*group
	// DefinitionsHeading, RulesHeading and HandlersHeading are nil when the spec has none.
	DefinitionsHeading *heading
	Definitions        []*definition
	RulesHeading       *heading
	Rules              []*rule
	HandlersHeading    *heading
	Handlers           []*handler
}

// heading is a heading's text and the anchor GitHub gives it.
type heading struct {
	Text   string
	Anchor string
}

type tocEntry struct {
	// Indent is the list item's indentation: two spaces per level.
	Indent string
	Link   string
}

// group is an aggregate and its events, or the events without an aggregate.
type group struct {
	heading
	Doc    string
	Facts  []string
	Events []*event
}

type event struct {
	heading
	Doc      string
	Facts    []string
	Versions []*version
	// UpcastsHeading is nil for an event with one version.
	UpcastsHeading *heading
	Upcasts        []string
}

type version struct {
	heading
	Doc string
	// Schema links the version's JSON Schema file, relative to EVENTS.md.
	Schema string
	Rows   []fieldRow
	// fields are turned into Rows once every definition has its anchor.
	fields []*spec.Field
}

// fieldRow is one row of a field table; every value is ready for a table cell.
type fieldRow struct {
	Name, Type, Presence, Doc string
}

type definition struct {
	heading
	Doc string
	// Type is the definition's type when it is not a struct; Rows are a struct's fields.
	Type   string
	Rows   []fieldRow
	fields []*spec.Field
}

type rule struct {
	heading
	Description string
	Facts       []string
	PatternFile string
	Pattern     string
	Targets     []targetRow
}

type targetRow struct {
	ARN, DeadLetterARN, MaxRetries, MaxEventAge string
}

type handler struct {
	heading
	Doc   string
	Facts []string
}

// newPage builds the page. Headings are made in the order the template prints them, which
// is what GitHub numbers repeated anchors by.
func newPage(m *spec.Model) (*page, spec.Diagnostics) {
	var (
		s     slugger
		diags spec.Diagnostics
	)
	h := func(text string) heading { return heading{Text: text, Anchor: s.slug(text)} }
	hp := func(text string) *heading { x := h(text); return &x }
	link := func(x heading) string { return "[" + x.Text + "](#" + x.Anchor + ")" }

	title := "Event catalogue"
	if m.Source != "" {
		title += ": " + m.Source
	}
	p := &page{Title: h(title)}
	if m.Source != "" {
		p.Facts = append(p.Facts, "Source: "+code(m.Source))
	}
	if m.Package != "" {
		p.Facts = append(p.Facts, "Go package: "+code(m.Package))
	}
	if m.Bus != "" {
		p.Facts = append(p.Facts, "Default event bus: "+code(m.Bus))
	}
	p.Facts = append(p.Facts, fmt.Sprintf("%s, %s, %s, %s, %s",
		count(len(m.Aggregates), "aggregate"), count(len(m.Events), "event type"),
		count(len(m.Definitions), "definition"), count(len(m.Rules), "rule"), count(len(m.Handlers), "handler")))
	p.Contents = h("Contents")

	// Group the events: by aggregate in the model's order, then the rest.
	var groups []*group
	byAggregate := map[string]*group{}
	for _, a := range m.Aggregates {
		g := &group{heading: heading{Text: a.Name}, Doc: a.Doc}
		g.Facts = append(g.Facts, "Aggregate; its stream id is the data field "+code(a.ID)+".")
		byAggregate[a.Name] = g
		groups = append(groups, g)
	}
	other := &group{heading: heading{Text: "Events without an aggregate"}}
	for _, e := range m.Events {
		g := byAggregate[e.Aggregate]
		if g == nil {
			g = other
		}
		g.Events = append(g.Events, &event{heading: heading{Text: e.Type}})
	}
	if len(other.Events) > 0 {
		groups = append(groups, other)
	}
	p.Groups = groups

	// Headings in page order: groups with their events, definitions, rules, handlers.
	eventOf := map[string]*event{}
	for _, g := range groups {
		g.heading = h(g.Text)
		for _, ev := range g.Events {
			e := m.Event(ev.Text)
			eventOf[e.Type] = ev
			ev.heading = h(e.Type)
			ev.Text = code(e.Type)
			for i := len(e.Versions) - 1; i >= 0; i-- {
				v := e.Versions[i]
				text := "Version " + strconv.Itoa(v.Number)
				if i == len(e.Versions)-1 {
					text += " (latest)"
				}
				schema := jsonschema.Path(e.Type, v.Number)
				ev.Versions = append(ev.Versions, &version{heading: h(text), Doc: v.Doc, Schema: "[" + code(schema) + "](" + schema + ")", fields: v.Fields})
			}
			if len(e.Versions) > 1 {
				ev.UpcastsHeading = hp("Upcasts")
			}
		}
	}
	defAnchor := map[string]heading{}
	if len(m.Definitions) > 0 {
		p.DefinitionsHeading = hp("Definitions")
		for _, d := range m.Definitions {
			def := &definition{heading: h(d.Name), Doc: d.Doc}
			defAnchor[d.Name] = def.heading
			def.Text = code(d.Name)
			if d.Type != nil && d.Type.Kind == spec.KindStruct && !d.Type.Nullable {
				def.fields = d.Type.Fields
			} else {
				def.Type = code(TypeString(d.Type))
			}
			p.Definitions = append(p.Definitions, def)
		}
	}
	ruleAnchor := map[string]heading{}
	if len(m.Rules) > 0 {
		p.RulesHeading = hp("Rules")
		for _, r := range m.Rules {
			x := h(r.Name)
			ruleAnchor[r.Name] = x
			x.Text = code(r.Name)
			p.Rules = append(p.Rules, &rule{heading: x})
		}
	}
	if len(m.Handlers) > 0 {
		p.HandlersHeading = hp("Handlers")
		for _, hd := range m.Handlers {
			x := h(hd.Name)
			x.Text = code(hd.Name)
			p.Handlers = append(p.Handlers, &handler{heading: x, Doc: hd.Doc})
		}
	}

	// Contents.
	for _, g := range groups {
		p.TOC = append(p.TOC, tocEntry{Link: link(g.heading)})
		for _, ev := range g.Events {
			p.TOC = append(p.TOC, tocEntry{Indent: "  ", Link: link(ev.heading)})
		}
	}
	if p.DefinitionsHeading != nil {
		p.TOC = append(p.TOC, tocEntry{Link: link(*p.DefinitionsHeading)})
		for _, d := range p.Definitions {
			p.TOC = append(p.TOC, tocEntry{Indent: "  ", Link: link(d.heading)})
		}
	}
	if p.RulesHeading != nil {
		p.TOC = append(p.TOC, tocEntry{Link: link(*p.RulesHeading)})
		for _, r := range p.Rules {
			p.TOC = append(p.TOC, tocEntry{Indent: "  ", Link: link(r.heading)})
		}
	}
	if p.HandlersHeading != nil {
		p.TOC = append(p.TOC, tocEntry{Link: link(*p.HandlersHeading)})
		for _, hd := range p.Handlers {
			p.TOC = append(p.TOC, tocEntry{Indent: "  ", Link: link(hd.heading)})
		}
	}

	// Bodies.
	defLink := func(name string) string { return defAnchor[name].Anchor }
	for _, g := range groups {
		for _, ev := range g.Events {
			for _, v := range ev.Versions {
				v.Rows = fieldRows(v.fields, defLink)
			}
		}
	}
	for _, d := range p.Definitions {
		d.Rows = fieldRows(d.fields, defLink)
	}
	eventLink := func(typ string) string {
		if ev := eventOf[typ]; ev != nil {
			return "[" + code(typ) + "](#" + ev.Anchor + ")"
		}
		return code(typ)
	}
	for _, e := range m.Events {
		ev := eventOf[e.Type]
		ev.Doc = e.Doc
		ev.Facts = append(ev.Facts, "Source: "+code(m.EventSource(e)))
		if e.Aggregate != "" {
			if g := byAggregate[e.Aggregate]; g != nil {
				ev.Facts = append(ev.Facts, "Aggregate: ["+e.Aggregate+"](#"+g.Anchor+")")
			} else {
				ev.Facts = append(ev.Facts, "Aggregate: "+code(e.Aggregate))
			}
		}
		if latest := e.Latest(); latest != nil {
			ev.Facts = append(ev.Facts, fmt.Sprintf("Versions: %d; the latest is v%d", len(e.Versions), latest.Number))
		}
		ev.Facts = append(ev.Facts, "Examples: "+exampleCount(e.Examples))
		for i := 1; i < len(e.Versions); i++ {
			ev.Upcasts = append(ev.Upcasts, upcastWords(e, e.Versions[i-1], e.Versions[i]))
		}
	}
	for i, r := range m.Rules {
		out := p.Rules[i]
		out.Description = r.Description
		if bus := m.RuleBus(r); bus != "" {
			out.Facts = append(out.Facts, "Event bus: "+code(bus))
		}
		switch {
		case r.Pattern != nil:
			out.Facts = append(out.Facts, "Pattern: written out in the spec")
		default:
			var on []string
			for _, item := range r.On {
				if item.Type != "" {
					on = append(on, eventLink(item.Type))
				} else {
					on = append(on, "event types matching "+code(string(item.Matcher)))
				}
			}
			out.Facts = append(out.Facts, "On: "+strings.Join(on, ", "))
		}
		if r.TenantScoped {
			out.Facts = append(out.Facts, "Tenant scoped: yes; the pattern holds "+code(eventbridge.TenantToken)+" in "+code("detail.metadata.tenantId")+", filled in per tenant at run time")
		}
		if n, k := len(r.Examples.Matches), len(r.Examples.Rejects); n+k > 0 {
			out.Facts = append(out.Facts, fmt.Sprintf("Examples: %s, %s",
				count(n, "event that matches", "events that match"), count(k, "event that does not", "events that do not")))
		} else {
			out.Facts = append(out.Facts, "Examples: none")
		}
		pattern, err := eventbridge.Pattern(m, r)
		if err != nil {
			diags = append(diags, spec.Errorf(r.Pos, "%v", err))
			continue
		}
		out.PatternFile = "[" + code(eventbridge.Path(r)) + "](" + eventbridge.Path(r) + ")"
		out.Pattern = codeBlock("json", string(pattern))
		for _, t := range r.Targets {
			row := targetRow{ARN: cell(code(t.ARN)), DeadLetterARN: "none", MaxRetries: "default", MaxEventAge: "default"}
			if t.DeadLetterARN != "" {
				row.DeadLetterARN = cell(code(t.DeadLetterARN))
			}
			if t.MaxRetries != nil {
				row.MaxRetries = strconv.Itoa(*t.MaxRetries)
			}
			if t.MaxEventAgeSeconds != nil {
				row.MaxEventAge = strconv.Itoa(*t.MaxEventAgeSeconds) + " s"
			}
			out.Targets = append(out.Targets, row)
		}
	}
	for i, hd := range m.Handlers {
		out := p.Handlers[i]
		if hd.Rule != "" {
			if x, ok := ruleAnchor[hd.Rule]; ok {
				out.Facts = append(out.Facts, "On: the events of rule ["+code(hd.Rule)+"](#"+x.Anchor+")")
			} else {
				out.Facts = append(out.Facts, "On: the events of rule "+code(hd.Rule))
			}
		} else {
			var on []string
			for _, typ := range hd.On {
				on = append(on, eventLink(typ))
			}
			out.Facts = append(out.Facts, "On: "+strings.Join(on, ", "))
		}
		switch hd.Unknown {
		case "fail":
			out.Facts = append(out.Facts, "Unknown event types and versions: "+code("fail")+" (the dispatcher returns an error)")
		default:
			out.Facts = append(out.Facts, "Unknown event types and versions: "+code("skip")+" (the dispatcher ignores them)")
		}
	}
	return p, diags
}

// fieldRows lists fields for a table, the fields of inline structs after their parent as
// parent.child (parent[].child in a list, parent{}.child in a map's values).
//
// A type that is, or holds, a definition links to it.
func fieldRows(fields []*spec.Field, defLink func(name string) string) []fieldRow {
	var rows []fieldRow
	var walk func(prefix string, fields []*spec.Field)
	walk = func(prefix string, fields []*spec.Field) {
		for _, f := range fields {
			name := prefix + f.Name
			rows = append(rows, fieldRow{
				Name:     cell(code(name)),
				Type:     cell(linkedType(f.Type, defLink)),
				Presence: presence(f),
				Doc:      cell(f.Doc),
			})
			// Follow lists and maps down to an inline struct.
			path, t := name, f.Type
			for t != nil {
				switch t.Kind {
				case spec.KindList:
					path, t = path+"[]", t.Elem
					continue
				case spec.KindMap:
					path, t = path+"{}", t.Elem
					continue
				case spec.KindStruct:
					walk(path+".", t.Fields)
				}
				break
			}
		}
	}
	walk("", fields)
	return rows
}

// linkedType is t's TypeString as code, linked to the definition it refers to (through lists
// and maps) when defLink knows an anchor for it.
func linkedType(t *spec.Type, defLink func(name string) string) string {
	s := code(TypeString(t))
	inner := t
	for inner != nil && (inner.Kind == spec.KindList || inner.Kind == spec.KindMap) {
		inner = inner.Elem
	}
	if inner != nil && inner.Kind == spec.KindRef {
		if anchor := defLink(inner.Ref); anchor != "" {
			return "[" + s + "](#" + anchor + ")"
		}
	}
	return s
}

// presence says whether a field must be present, in the same terms as its JSON Schema: a
// required field with a default may be left out.
func presence(f *spec.Field) string {
	var s string
	switch {
	case !f.Optional && !jsonschema.Required(f):
		s = "optional, default " + cell(code(string(f.Type.Default)))
	case f.Optional:
		s = "optional"
	default:
		s = "required"
	}
	if f.Type != nil && f.Type.Nullable {
		s += ", nullable"
	}
	return s
}

func exampleCount(examples []*spec.Example) string {
	valid := 0
	for _, ex := range examples {
		if ex.Valid {
			valid++
		}
	}
	if len(examples) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d (%d valid, %d invalid)", len(examples), valid, len(examples)-valid)
}

// upcastWords says in words how a payload of from becomes one of to.
func upcastWords(e *spec.Event, from, to *spec.Version) string {
	head := fmt.Sprintf("v%d → v%d: ", from.Number, to.Number)
	u := e.UpcastFrom(from.Number)
	if u != nil && u.Custom {
		return head + "a hand-written Go function (`custom: true`)."
	}
	var (
		set     = map[string]json.RawMessage{}
		renamed = map[string]string{} // new name → old name
	)
	var phrases []string
	if u != nil {
		for _, r := range u.Rename {
			renamed[r.To] = r.From
			phrases = append(phrases, "renames "+code(r.From)+" to "+code(r.To))
		}
		for _, s := range u.Set {
			set[s.Field] = s.Value
			phrases = append(phrases, "sets "+code(s.Field)+" to "+code(string(s.Value)))
		}
		var drops []string
		for _, d := range u.Drop {
			drops = append(drops, code(d.Field))
		}
		if len(drops) > 0 {
			phrases = append(phrases, "drops "+strings.Join(drops, ", "))
		}
	}
	var carried, absent, unfilled []string
	for _, f := range to.Fields {
		switch {
		case set[f.Name] != nil || renamed[f.Name] != "":
		case from.Field(f.Name) != nil:
			carried = append(carried, code(f.Name))
		case f.Optional:
			absent = append(absent, code(f.Name))
		default:
			unfilled = append(unfilled, code(f.Name))
		}
	}
	if len(carried) > 0 {
		phrases = append(phrases, "carries over "+strings.Join(carried, ", "))
	}
	if len(absent) > 0 {
		phrases = append(phrases, "leaves "+strings.Join(absent, ", ")+" absent")
	}
	if len(unfilled) > 0 {
		phrases = append(phrases, "does not fill "+strings.Join(unfilled, ", ")+" (the spec's checks reject this step)")
	}
	if u == nil {
		head += "no step in the spec; "
	}
	if len(phrases) == 0 {
		return head + "nothing to do."
	}
	return head + strings.Join(phrases, "; ") + "."
}

// count writes n with the singular or plural noun: "1 rule", "2 rules". A plural other than
// noun+"s" is given as the third argument.
func count(n int, noun string, plural ...string) string {
	if n == 1 {
		return "1 " + noun
	}
	if len(plural) > 0 {
		return strconv.Itoa(n) + " " + plural[0]
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
