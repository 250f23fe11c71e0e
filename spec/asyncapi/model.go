package asyncapi

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/eventgen/eventgen/spec"
)

var (
	eventTypeRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$`)
	kebabRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	pascalRE    = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
)

// message is one AsyncAPI message: one version of an event.
type message struct {
	at located
	// label says where the message is defined, for messages about it before its event type
	// is known ("components.messages.workflowStartedV1").
	label   string
	typ     string
	version int
	// versionNode is the x-eventgen-version value, or the message when it has none.
	versionNode *yaml.Node
	valid       bool
}

// path names the message's event version as the spec language does: events."t".vN.
func (m *message) path() string {
	return fmt.Sprintf("events.%q.v%d", m.typ, m.version)
}

// model reads the root document into a model.
func (l *loader) model(doc *document) *spec.Model {
	root := doc.root
	m := &spec.Model{Pos: l.pos(doc, root)}
	if root.Kind != yaml.MappingNode {
		l.errorf(doc, root, "an AsyncAPI document must be a mapping with an asyncapi field")
		return m
	}
	k, v := l.get(root, "asyncapi")
	if v == nil {
		l.errorf(doc, root, "not an AsyncAPI document: the asyncapi field (3.0.0 or 2.6.0) is missing")
		return m
	}
	var v3 bool
	switch ver := v.Value; {
	case isString(v) && strings.HasPrefix(ver, "3.0."):
		v3 = true
	case isString(v) && ver == "2.6.0":
	default:
		l.errorf(doc, v, "AsyncAPI version %q is not supported; eventgen reads 3.0.x and 2.6.0", ver)
		return m
	}
	_ = k
	for _, p := range pairs(root) {
		switch key := p.key.Value; {
		case key == "x-eventgen":
			l.settings(doc, p, m)
		case key == "x-eventgen-aggregates":
			m.Aggregates = l.aggregates(doc, p.value)
		case key == "x-eventgen-rules":
			m.Rules = l.rules(doc, p.value)
		case strings.HasPrefix(key, "x-eventgen"):
			l.errorf(doc, p.key, "unknown extension %q; the document knows x-eventgen, x-eventgen-aggregates and x-eventgen-rules", key)
		}
	}

	c := &collector{l: l, seen: map[*yaml.Node]*message{}}
	components := l.value(root, "components")
	for _, p := range pairs(l.value(components, "messages")) {
		c.add(located{doc: doc, key: p.key, node: p.value}, "components.messages."+p.key.Value)
	}
	var handlers []*spec.Handler
	if v3 {
		for _, p := range pairs(l.value(root, "channels")) {
			ch, ok := l.deref(located{doc: doc, key: p.key, node: p.value})
			if !ok {
				continue
			}
			for _, mp := range pairs(l.value(ch.node, "messages")) {
				c.add(located{doc: ch.doc, key: mp.key, node: mp.value}, "channels."+p.key.Value+".messages."+mp.key.Value)
			}
		}
		for _, p := range pairs(l.value(root, "operations")) {
			if h := c.operation3(doc, p); h != nil {
				handlers = append(handlers, h)
			}
		}
	} else {
		for _, p := range pairs(l.value(root, "channels")) {
			ch, ok := l.deref(located{doc: doc, key: p.key, node: p.value})
			if !ok {
				continue
			}
			for _, action := range []string{"subscribe", "publish"} {
				op := l.value(ch.node, action)
				if op == nil {
					continue
				}
				label := "channels." + p.key.Value + "." + action
				msgs := c.operationMessages26(ch.doc, op, label)
				if action == "publish" {
					if h := c.handler26(ch.doc, op, label, msgs); h != nil {
						handlers = append(handlers, h)
					}
				}
			}
		}
	}
	m.Events = l.events(c.messages)
	m.Handlers = l.checkHandlers(handlers)

	for len(l.defQueue) > 0 {
		src := l.defQueue[0]
		l.defQueue = l.defQueue[1:]
		def := &spec.Definition{Name: src.name, Doc: l.docText(src.at.node), Pos: l.pos(src.at.doc, src.at.node)}
		if src.at.key != nil {
			def.Pos = l.pos(src.at.doc, src.at.key)
		}
		if g := l.value(src.at.node, "x-eventgen-go-name"); g != nil {
			def.GoName, _ = l.str(src.at.doc, g, "#"+src.name+": x-eventgen-go-name")
		}
		def.Type = l.typeOf(src.at, "#"+src.name, false, false, 0)
		m.Definitions = append(m.Definitions, def)
	}

	m.Sort()
	return m
}

// collector gathers the messages of a document once each, in the order the document first
// mentions them.
type collector struct {
	l        *loader
	seen     map[*yaml.Node]*message
	messages []*message
}

// messageKeys are the eventgen extensions a message may carry.
var messageKeys = []string{"x-eventgen-version", "x-eventgen-aggregate", "x-eventgen-source", "x-eventgen-upcast", "x-eventgen-examples"}

// add reads the message at `at` (following $refs) unless it was read before; it returns nil
// when the message is unusable (the error is recorded).
func (c *collector) add(at located, label string) *message {
	l := c.l
	at, ok := l.deref(at)
	if !ok {
		return nil
	}
	if m, ok := c.seen[at.node]; ok {
		if !m.valid {
			return nil
		}
		return m
	}
	m := &message{at: at, label: label, version: 1, versionNode: at.node}
	c.seen[at.node] = m
	if at.node.Kind != yaml.MappingNode {
		l.errorf(at.doc, at.node, "%s: a message must be a mapping", label)
		return nil
	}
	for _, p := range pairs(at.node) {
		if strings.HasPrefix(p.key.Value, "x-eventgen") && !slices.Contains(messageKeys, p.key.Value) {
			l.errorf(at.doc, p.key, "%s: unknown extension %q; messages know %s", label, p.key.Value, strings.Join(messageKeys, ", "))
			return nil
		}
	}
	name := l.value(at.node, "name")
	switch {
	case name == nil:
		l.errorf(at.doc, at.node, "%s: the message has no name; set name to its event type in domain.entity.action form", label)
		return nil
	case !isString(name) || !eventTypeRE.MatchString(name.Value):
		l.errorf(at.doc, name, "%s: message name %q is not an event type; write it in domain.entity.action form (lower case, dot-separated, 2+ parts), such as workflow.started", label, name.Value)
		return nil
	}
	m.typ = name.Value
	if v := l.value(at.node, "x-eventgen-version"); v != nil {
		m.versionNode = v
		n, ok := l.intValue(at.doc, v, label+": x-eventgen-version")
		if !ok {
			return nil
		}
		if n < 1 {
			l.errorf(at.doc, v, "%s: x-eventgen-version must be 1 or more", label)
			return nil
		}
		m.version = n
	}
	m.valid = true
	c.messages = append(c.messages, m)
	return m
}

// events groups the messages into events, checking that every event has versions 1..N once each.
func (l *loader) events(msgs []*message) []*spec.Event {
	byType := map[string][]*message{}
	var order []string
	for _, m := range msgs {
		if _, ok := byType[m.typ]; !ok {
			order = append(order, m.typ)
		}
		byType[m.typ] = append(byType[m.typ], m)
	}
	var events []*spec.Event
	for _, typ := range order {
		ms := byType[typ]
		slices.SortStableFunc(ms, func(a, b *message) int { return cmp.Compare(a.version, b.version) })
		e := &spec.Event{Type: typ, Pos: l.msgPos(ms[0])}
		ok := true
		for i, m := range ms {
			switch {
			case i > 0 && ms[i-1].version == m.version:
				l.errorf(m.at.doc, m.versionNode, "%s: two messages are version %d of %q (%s at %s and %s); give this one the next x-eventgen-version",
					m.path(), m.version, typ, ms[i-1].label, l.msgPos(ms[i-1]), m.label)
				ok = false
			case m.version != i+1 && (i == 0 || ms[i-1].version != m.version-1):
				missing := 1
				if i > 0 {
					missing = ms[i-1].version + 1
				}
				l.errorf(m.at.doc, m.versionNode, "%s: version %d of %q is missing; versions run 1, 2, ... without gaps: add a message with name %s and x-eventgen-version: %d",
					m.path(), missing, typ, typ, missing)
				ok = false
			}
		}
		if !ok {
			continue
		}
		for _, m := range ms {
			l.version(e, m)
		}
		events = append(events, e)
	}
	return events
}

// msgPos is where a message is written: its key when it has one.
func (l *loader) msgPos(m *message) spec.Pos {
	if m.at.key != nil {
		return l.pos(m.at.doc, m.at.key)
	}
	return l.pos(m.at.doc, m.at.node)
}

// version adds message m to event e as one version, with its upcast and examples.
func (l *loader) version(e *spec.Event, m *message) {
	d, n := m.at.doc, m.at.node
	path := m.path()
	v := &spec.Version{Number: m.version, Doc: l.docText(n), Pos: l.msgPos(m)}
	for _, attr := range []struct {
		key string
		dst *string
		pos *spec.Pos
	}{{"x-eventgen-aggregate", &e.Aggregate, &e.AggregatePos}, {"x-eventgen-source", &e.Source, nil}} {
		an := l.value(n, attr.key)
		if an == nil {
			continue
		}
		s, ok := l.str(d, an, path+": "+attr.key)
		if !ok {
			continue
		}
		if *attr.dst != "" && *attr.dst != s {
			l.errorf(d, an, "%s: %s %q differs from %q of an earlier version; every version of an event has the same %s", path, attr.key, s, *attr.dst, strings.TrimPrefix(attr.key, "x-eventgen-"))
			continue
		}
		*attr.dst = s
		if attr.pos != nil && !attr.pos.IsValid() {
			*attr.pos = l.pos(d, an)
		}
	}

	if payload := l.value(n, "payload"); payload != nil {
		v.Fields = l.payloadFields(m, payload, path)
		if v.Doc == "" {
			if at, ok := l.deref(located{doc: d, node: payload}); ok {
				v.Doc = l.docText(at.node)
			}
		}
	}
	e.Versions = append(e.Versions, v)

	if k, up := l.get(n, "x-eventgen-upcast"); up != nil {
		if u := l.upcast(d, k, up, m, path); u != nil {
			e.Upcasts = append(e.Upcasts, u)
		}
	}
	for _, ex := range items(l.value(n, "examples")) {
		if x := l.messageExample(d, ex, m, path); x != nil {
			e.Examples = append(e.Examples, x)
		}
	}
	if xs := l.value(n, "x-eventgen-examples"); xs != nil {
		if xs.Kind != yaml.SequenceNode {
			l.errorf(d, xs, "%s: x-eventgen-examples must be a list of {data, latest?, valid?, version?}", path)
		}
		for _, ex := range items(xs) {
			if x := l.extensionExample(d, ex, m, path); x != nil {
				e.Examples = append(e.Examples, x)
			}
		}
	}
}

// schemaFormats are the payload schema formats eventgen reads: AsyncAPI schema and JSON Schema.
var schemaFormats = []string{"application/vnd.aai.asyncapi;", "application/vnd.aai.asyncapi+json;", "application/vnd.aai.asyncapi+yaml;",
	"application/schema+json;version=draft-07", "application/schema+yaml;version=draft-07"}

// payloadFields reads a message payload, which must be an object, as the version's fields.
func (l *loader) payloadFields(m *message, payload *yaml.Node, path string) []*spec.Field {
	d := m.at.doc
	format := l.value(m.at.node, "schemaFormat") // AsyncAPI 2.6
	if isMap(payload) && l.value(payload, "schemaFormat") != nil && l.value(payload, "schema") != nil {
		format = l.value(payload, "schemaFormat") // AsyncAPI 3.0 multi-format schema
		payload = l.value(payload, "schema")
	}
	if format != nil {
		if !isString(format) || !slices.ContainsFunc(schemaFormats, func(f string) bool { return strings.HasPrefix(format.Value, f) }) {
			l.errorf(d, format, "%s: schemaFormat %q is not supported; eventgen reads AsyncAPI and JSON Schema (draft-07) payloads", path, format.Value)
			return nil
		}
	}
	t := l.typeOf(located{doc: d, node: payload}, path, true, true, 0)
	switch {
	case t.Kind == spec.KindInvalid:
		return nil
	case t.Kind != spec.KindStruct || t.Nullable:
		l.errorf(d, payload, "%s: the payload must be an object schema (type: object with properties), not %s", path, kindWord(t.Kind))
		return nil
	}
	return t.Fields
}

// upcast reads x-eventgen-upcast of version m: how version m-1 becomes m.
func (l *loader) upcast(d *document, key, n *yaml.Node, m *message, path string) *spec.Upcast {
	if m.version == 1 {
		l.errorf(d, key, "%s: x-eventgen-upcast on version 1: there is no version 0 to upcast from; put it on the message of the version it produces", path)
		return nil
	}
	upath := fmt.Sprintf("events.%q.upcast.v%d", m.typ, m.version-1)
	if n.Kind != yaml.MappingNode {
		l.errorf(d, n, "%s: x-eventgen-upcast must be a mapping with set, rename, drop or custom", upath)
		return nil
	}
	l.checkKeys(d, n, upath, "set", "rename", "drop", "custom")
	u := &spec.Upcast{From: m.version - 1, Pos: l.pos(d, key)}
	if set := l.value(n, "set"); set != nil {
		if set.Kind != yaml.MappingNode {
			l.errorf(d, set, "%s.set must be a mapping of field names to values", upath)
		}
		for _, p := range pairs(set) {
			if val := l.toJSON(d, p.value); val != nil {
				u.Set = append(u.Set, &spec.UpcastSet{Field: p.key.Value, Value: val, Pos: l.pos(d, p.key)})
			}
		}
	}
	if rename := l.value(n, "rename"); rename != nil {
		if rename.Kind != yaml.MappingNode {
			l.errorf(d, rename, "%s.rename must be a mapping of old field names to new ones", upath)
		}
		for _, p := range pairs(rename) {
			if to, ok := l.str(d, p.value, upath+".rename."+quote(p.key.Value)); ok {
				u.Rename = append(u.Rename, &spec.UpcastRename{From: p.key.Value, To: to, Pos: l.pos(d, p.key)})
			}
		}
	}
	if drop := l.value(n, "drop"); drop != nil {
		if drop.Kind != yaml.SequenceNode {
			l.errorf(d, drop, "%s.drop must be a list of field names", upath)
		}
		for _, f := range items(drop) {
			if name, ok := l.str(d, f, upath+".drop[]"); ok {
				u.Drop = append(u.Drop, &spec.UpcastDrop{Field: name, Pos: l.pos(d, f)})
			}
		}
	}
	if custom := l.value(n, "custom"); custom != nil {
		u.Custom, _ = l.boolValue(d, custom, upath+".custom")
	}
	return u
}

// messageExample reads one entry of a message's examples: its payload is a valid example of
// this version. (AsyncAPI allows no extensions there; x-eventgen-examples says more.)
func (l *loader) messageExample(d *document, n *yaml.Node, m *message, path string) *spec.Example {
	if n.Kind != yaml.MappingNode {
		l.errorf(d, n, "%s: a message example must be a mapping", path)
		return nil
	}
	payload := l.value(n, "payload")
	if payload == nil {
		return nil // an example of headers only says nothing about the payload
	}
	return &spec.Example{Version: m.version, Valid: true, Pos: l.pos(d, n), Data: l.toJSON(d, payload)}
}

// extensionExample reads one entry of x-eventgen-examples, written as in the spec language.
func (l *loader) extensionExample(d *document, n *yaml.Node, m *message, path string) *spec.Example {
	if n.Kind != yaml.MappingNode {
		l.errorf(d, n, "%s: an x-eventgen-examples entry must be a mapping with data", path)
		return nil
	}
	l.checkKeys(d, n, path+": x-eventgen-examples entry", "version", "data", "latest", "valid")
	x := &spec.Example{Version: m.version, Valid: true, Pos: l.pos(d, n)}
	if v := l.value(n, "version"); v != nil {
		x.Version, _ = l.intValue(d, v, path+": example version")
	}
	data := l.value(n, "data")
	if data == nil {
		l.errorf(d, n, "%s: an x-eventgen-examples entry needs data (the payload)", path)
		return nil
	}
	x.Data = l.toJSON(d, data)
	if latest := l.value(n, "latest"); latest != nil {
		x.Latest = l.toJSON(d, latest)
	}
	if valid := l.value(n, "valid"); valid != nil {
		x.Valid, _ = l.boolValue(d, valid, path+": example valid")
	}
	return x
}

// operation3 reads an AsyncAPI 3.0 operation: one with action receive is a handler.
func (c *collector) operation3(doc *document, p pair) *spec.Handler {
	l := c.l
	op, ok := l.deref(located{doc: doc, key: p.key, node: p.value})
	if !ok {
		return nil
	}
	label := "operations." + p.key.Value
	action := l.value(op.node, "action")
	if action == nil || action.Value != "receive" {
		return nil // the application sends these: not a handler
	}
	var msgs []msgRef
	if list := l.value(op.node, "messages"); list != nil {
		for _, ref := range items(list) {
			if m := c.add(located{doc: op.doc, node: ref}, label+".messages"); m != nil {
				msgs = append(msgs, msgRef{m, l.pos(op.doc, ref)})
			}
		}
	} else if chRef := l.value(op.node, "channel"); chRef != nil {
		if ch, ok := l.deref(located{doc: op.doc, node: chRef}); ok {
			for _, mp := range pairs(l.value(ch.node, "messages")) {
				if m := c.add(located{doc: ch.doc, key: mp.key, node: mp.value}, label+".channel.messages."+mp.key.Value); m != nil {
					msgs = append(msgs, msgRef{m, l.pos(ch.doc, mp.key)})
				}
			}
		}
	}
	return c.handler(op.doc, op.node, p.key, kebab(p.key.Value), label, msgs)
}

// msgRef is a message that an operation names, and where it names it.
type msgRef struct {
	m   *message
	pos spec.Pos
}

// operationMessages26 reads the messages of an AsyncAPI 2.6 operation: message or message.oneOf.
func (c *collector) operationMessages26(d *document, op *yaml.Node, label string) []msgRef {
	l := c.l
	mn := l.value(op, "message")
	if mn == nil {
		return nil
	}
	var out []msgRef
	if one := l.value(mn, "oneOf"); one != nil && l.refOf(mn) == nil {
		for i, ref := range items(one) {
			if m := c.add(located{doc: d, node: ref}, fmt.Sprintf("%s.message.oneOf[%d]", label, i)); m != nil {
				out = append(out, msgRef{m, l.pos(d, ref)})
			}
		}
		return out
	}
	if m := c.add(located{doc: d, node: mn}, label+".message"); m != nil {
		out = append(out, msgRef{m, l.pos(d, mn)})
	}
	return out
}

// handler26 reads an AsyncAPI 2.6 publish operation (what the application receives) as a handler.
func (c *collector) handler26(d *document, op *yaml.Node, label string, msgs []msgRef) *spec.Handler {
	l := c.l
	id := l.value(op, "operationId")
	if id == nil {
		l.errorf(d, op, "%s: a publish operation is a handler and needs an operationId (its name, kebab-cased)", label)
		return nil
	}
	name, ok := l.str(d, id, label+".operationId")
	if !ok {
		return nil
	}
	return c.handler(d, op, id, kebab(name), label, msgs)
}

// handler builds a handler from an operation: its messages' event types are what it handles.
func (c *collector) handler(d *document, op, at *yaml.Node, name, label string, msgs []msgRef) *spec.Handler {
	l := c.l
	for _, p := range pairs(op) {
		if k := p.key.Value; strings.HasPrefix(k, "x-eventgen") && k != "x-eventgen-unknown" && k != "x-eventgen-rule" {
			l.errorf(d, p.key, "%s: unknown extension %q; operations know x-eventgen-unknown and x-eventgen-rule", label, k)
		}
	}
	h := &spec.Handler{Name: name, Doc: l.docText(op), Unknown: "skip", Pos: l.pos(d, at)}
	if u := l.value(op, "x-eventgen-unknown"); u != nil {
		if s, ok := l.str(d, u, label+": x-eventgen-unknown"); ok {
			if s != "skip" && s != "fail" {
				l.errorf(d, u, "%s: x-eventgen-unknown must be skip or fail, not %q", label, s)
			}
			h.Unknown = s
		}
	}
	if r := l.value(op, "x-eventgen-rule"); r != nil {
		h.Rule, _ = l.str(d, r, label+": x-eventgen-rule")
		return h
	}
	for _, mr := range msgs {
		if !slices.Contains(h.On, mr.m.typ) {
			h.On = append(h.On, mr.m.typ)
			h.OnPos = append(h.OnPos, mr.pos)
		}
	}
	return h
}

// checkHandlers reports handlers whose names clash or are not kebab-case.
func (l *loader) checkHandlers(hs []*spec.Handler) []*spec.Handler {
	seen := map[string]*spec.Handler{}
	var out []*spec.Handler
	for _, h := range hs {
		switch prev := seen[h.Name]; {
		case !kebabRE.MatchString(h.Name):
			l.diags = append(l.diags, spec.Errorf(h.Pos, "handlers.%q: the operation id does not give a kebab-case handler name; rename the operation", h.Name))
		case prev != nil:
			l.diags = append(l.diags, spec.Errorf(h.Pos, "handlers.%q: two operations give this handler name (the other at %s); rename one", h.Name, prev.Pos))
		default:
			seen[h.Name] = h
			out = append(out, h)
		}
	}
	return out
}

// kebab turns an operation id into a kebab-case name: runDashboard, RunDashboard, run_dashboard
// and run-dashboard all become run-dashboard; HTTPSink becomes http-sink.
func kebab(s string) string {
	var words []string
	var cur []rune
	rs := []rune(s)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && len(cur) > 0:
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return strings.Join(words, "-")
}
