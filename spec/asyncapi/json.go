package asyncapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// jsonNumber matches a number literal that JSON accepts as it is.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// jsonWriter turns YAML nodes into compact JSON, keys in document order.
type jsonWriter struct {
	l   *loader
	doc *document
	buf bytes.Buffer
	// schema rewrites what kin-openapi reads differently from AsyncAPI's JSON Schema.
	schema bool
	err    *jsonError
}

// jsonError is the first node that cannot become JSON.
type jsonError struct {
	node *yaml.Node
	msg  string
}

// toJSON returns n as compact JSON with its keys in document order, or records an error at
// the offending node and returns nil.
func (l *loader) toJSON(d *document, n *yaml.Node) json.RawMessage {
	w := jsonWriter{l: l, doc: d}
	w.value(n, 0)
	if w.err != nil {
		l.errorf(d, w.err.node, "%s", w.err.msg)
		return nil
	}
	return json.RawMessage(w.buf.Bytes())
}

// schemaJSON returns schema node n (its own keywords; subschemas as {}) as JSON for
// kin-openapi, normalised: AsyncAPI's string
// `discriminator` becomes an object, draft-07 `definitions` become `$defs`, and tuple `items`
// become `prefixItems`. The second result is false, with an error recorded, when n holds a
// value that JSON cannot carry.
func (l *loader) schemaJSON(d *document, n *yaml.Node) ([]byte, bool) {
	w := jsonWriter{l: l, doc: d, schema: true}
	w.schemaValue(n, 0)
	if w.err != nil {
		l.errorf(d, w.err.node, "%s", w.err.msg)
		return nil, false
	}
	return w.buf.Bytes(), true
}

func (w *jsonWriter) fail(n *yaml.Node, format string, args ...any) {
	if w.err == nil {
		w.err = &jsonError{node: n, msg: fmt.Sprintf(format, args...)}
	}
}

// spend charges one node to the load's alias budget and depth limit.
func (w *jsonWriter) spend(n *yaml.Node, depth int) bool {
	if w.err != nil {
		return false
	}
	w.l.budget--
	if w.l.budget < 0 {
		w.fail(n, "the document expands to too many nodes (YAML aliases?)")
		return false
	}
	if depth > 200 {
		w.fail(n, "the document nests too deeply")
		return false
	}
	return true
}

func (w *jsonWriter) value(n *yaml.Node, depth int) {
	n = unalias(n)
	if n == nil || !w.spend(n, depth) {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		w.buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.key(n.Content[i])
			w.value(n.Content[i+1], depth+1)
		}
		w.buf.WriteByte('}')
	case yaml.SequenceNode:
		w.buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.value(c, depth+1)
		}
		w.buf.WriteByte(']')
	case yaml.ScalarNode:
		w.scalar(n)
	default:
		w.fail(n, "unexpected YAML node")
	}
}

func (w *jsonWriter) key(k *yaml.Node) {
	k = unalias(k)
	if k.Kind != yaml.ScalarNode {
		w.fail(k, "a mapping key must be a plain string")
		return
	}
	if k.Tag == "!!merge" {
		w.fail(k, "YAML merge keys (<<) are not supported; write the fields out")
		return
	}
	w.str(k.Value)
	w.buf.WriteByte(':')
}

func (w *jsonWriter) str(s string) {
	b, _ := json.Marshal(s)
	w.buf.Write(b)
}

func (w *jsonWriter) scalar(n *yaml.Node) {
	switch n.Tag {
	case "!!null":
		w.buf.WriteString("null")
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			w.fail(n, "invalid boolean %q", n.Value)
			return
		}
		w.buf.WriteString(strconv.FormatBool(b))
	case "!!int":
		if jsonNumber.MatchString(n.Value) {
			w.buf.WriteString(n.Value)
			return
		}
		var i int64
		if err := n.Decode(&i); err == nil {
			w.buf.WriteString(strconv.FormatInt(i, 10))
			return
		}
		var u uint64
		if err := n.Decode(&u); err == nil {
			w.buf.WriteString(strconv.FormatUint(u, 10))
			return
		}
		w.fail(n, "integer %q is out of range", n.Value)
	case "!!float":
		if jsonNumber.MatchString(n.Value) {
			w.buf.WriteString(n.Value)
			return
		}
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			w.fail(n, "number %q has no JSON form", n.Value)
			return
		}
		w.buf.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	default: // !!str, !!timestamp, !!binary and custom tags: the text as written
		w.str(n.Value)
	}
}

// Keywords whose value is one schema, a map of schemas, or a list of schemas.
var (
	schemaOne  = map[string]bool{"additionalProperties": true, "not": true, "if": true, "then": true, "else": true, "contains": true, "propertyNames": true, "additionalItems": true, "unevaluatedItems": true, "unevaluatedProperties": true, "contentSchema": true, "items": true}
	schemaMap  = map[string]bool{"properties": true, "patternProperties": true, "definitions": true, "$defs": true, "dependentSchemas": true}
	schemaList = map[string]bool{"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true}
)

// schemaValue writes schema n shallowly: a subschema is written as {} (booleans as they are),
// since typeOf decodes every schema node on its own. Decoding whole trees would make
// kin-openapi decode each subtree again at every level (SchemaRef and Schema both decode).
func (w *jsonWriter) schemaValue(n *yaml.Node, depth int) {
	n = unalias(n)
	if n == nil || !w.spend(n, depth) {
		return
	}
	if n.Kind != yaml.MappingNode {
		// A boolean schema or something kin-openapi will refuse: plain JSON either way.
		w.value(n, depth)
		return
	}
	w.buf.WriteByte('{')
	for i := 0; i+1 < len(n.Content); i += 2 {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		k, v := unalias(n.Content[i]), unalias(n.Content[i+1])
		name := k.Value
		switch {
		case name == "discriminator" && v.Kind == yaml.ScalarNode:
			w.buf.WriteString(`"discriminator":{"propertyName":`)
			w.str(v.Value)
			w.buf.WriteByte('}')
			continue
		case name == "definitions":
			w.buf.WriteString(`"$defs":`)
			w.schemaMapValue(v, depth)
			continue
		case name == "items" && v.Kind == yaml.SequenceNode:
			w.buf.WriteString(`"prefixItems":`)
			w.schemaListValue(v, depth)
			continue
		}
		w.key(k)
		switch {
		case schemaOne[name]:
			w.placeholder(v, depth)
		case schemaMap[name]:
			w.schemaMapValue(v, depth)
		case schemaList[name]:
			w.schemaListValue(v, depth)
		default:
			w.value(v, depth+1)
		}
	}
	w.buf.WriteByte('}')
}

// placeholder stands for a subschema: {} for a mapping, a boolean schema as it is.
func (w *jsonWriter) placeholder(n *yaml.Node, depth int) {
	if n.Kind == yaml.MappingNode {
		w.buf.WriteString("{}")
		return
	}
	w.value(n, depth+1)
}

func (w *jsonWriter) schemaMapValue(n *yaml.Node, depth int) {
	if n.Kind != yaml.MappingNode {
		w.value(n, depth+1)
		return
	}
	w.buf.WriteByte('{')
	for i := 0; i+1 < len(n.Content); i += 2 {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.key(n.Content[i])
		w.placeholder(unalias(n.Content[i+1]), depth+1)
	}
	w.buf.WriteByte('}')
}

func (w *jsonWriter) schemaListValue(n *yaml.Node, depth int) {
	if n.Kind != yaml.SequenceNode {
		w.value(n, depth+1)
		return
	}
	w.buf.WriteByte('[')
	for i, c := range n.Content {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.placeholder(unalias(c), depth+1)
	}
	w.buf.WriteByte(']')
}

// quote returns s in double quotes, as element paths write names with dots.
func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, ".\" []") {
		return s
	}
	return strconv.Quote(s)
}
