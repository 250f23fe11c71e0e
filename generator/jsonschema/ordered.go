package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// object is a JSON object whose keys keep the order they were added in. encoding/json sorts
// map keys, and schema readers expect "properties" in spec order and keywords in a fixed
// order, so the backend builds schemas from objects and encodes them itself.
type object struct {
	members []member
}

type member struct {
	key   string
	value any
}

// set appends key with value. Values are string, bool, int, json.RawMessage (valid JSON),
// *object, or []any of those.
func (o *object) set(key string, value any) {
	o.members = append(o.members, member{key, value})
}

// encode returns o as JSON with a 2-space indent and a final newline.
func encode(o *object) ([]byte, error) {
	var compact bytes.Buffer
	if err := writeValue(&compact, o); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("indent schema: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func writeValue(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case *object:
		b.WriteByte('{')
		for i, m := range v.members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.key)
			b.WriteByte(':')
			if err := writeValue(b, m.value); err != nil {
				return fmt.Errorf("%s: %w", m.key, err)
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case string:
		writeString(b, v)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case json.RawMessage:
		if !json.Valid(v) {
			return fmt.Errorf("invalid JSON value %q", v)
		}
		if err := json.Compact(b, v); err != nil {
			return err
		}
	case nil:
		b.WriteString("null")
	default:
		return fmt.Errorf("cannot encode %T", v)
	}
	return nil
}

// writeString writes s as a JSON string without HTML escaping, so that patterns such as
// "^a<b$" stay readable.
func writeString(b *bytes.Buffer, s string) {
	// Most strings (keywords, names, types) need no escaping: written as they are, they skip
	// an encoder and its buffer, which thousands of schemas would otherwise allocate per string.
	if !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == '"' || r == '\\' || r >= utf8.RuneSelf }) {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
