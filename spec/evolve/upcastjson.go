package evolve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/eventgen/eventgen/spec"
)

// ErrCustomStep is returned (wrapped) by UpcastJSON when the chain holds a step marked
// custom: true, whose behaviour only its hand-written Go function knows.
var ErrCustomStep = errors.New("the upcast step is hand-written (custom: true) and cannot be interpreted")

// UpcastJSON upcasts data, a JSON payload of version from of event e, to e's latest version
// the way the generated upcast functions do: each step copies same-named fields, applies
// renames and set constants, leaves dropped fields behind and leaves optional fields
// without a source absent. A field missing from a payload takes its default first, as
// decoding does. The result is compact JSON holding the latest version's fields in its
// order (members that no version knows are left out). It fails for a version that does not
// exist, data that is not a JSON object, a required field that ends up without a value,
// and (wrapping ErrCustomStep) a custom step.
func UpcastJSON(m *spec.Model, e *spec.Event, from int, data json.RawMessage) (json.RawMessage, error) {
	v := e.Version(from)
	if v == nil {
		return nil, fmt.Errorf("%s has no v%d", eventPath(e), from)
	}
	obj, err := decodeObject(data)
	if err != nil {
		return nil, fmt.Errorf("%s v%d payload: %w", eventPath(e), from, err)
	}
	fillDefaults(v, obj)
	for next := e.Version(from + 1); next != nil; v, next = next, e.Version(next.Number+1) {
		step := e.UpcastFrom(v.Number)
		if step != nil && step.Custom {
			return nil, fmt.Errorf("%s.upcast.v%d: %w", eventPath(e), v.Number, ErrCustomStep)
		}
		if obj, err = applyStep(v, next, step, obj); err != nil {
			return nil, fmt.Errorf("%s.upcast.v%d: %w", eventPath(e), v.Number, err)
		}
	}
	return encodeObject(v, obj)
}

// applyStep turns the fields of a from payload into those of a to payload.
func applyStep(from, to *spec.Version, step *spec.Upcast, in map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	if step == nil {
		step = &spec.Upcast{From: from.Number}
	}
	gone := map[string]bool{} // old fields whose value does not stay under their name
	for _, d := range step.Drop {
		gone[d.Field] = true
	}
	renamedInto := map[string]string{}
	for _, r := range step.Rename {
		gone[r.From] = true
		renamedInto[r.To] = r.From
	}
	sets := map[string]json.RawMessage{}
	for _, s := range step.Set {
		sets[s.Field] = s.Value
	}
	out := map[string]json.RawMessage{}
	for _, tf := range to.Fields {
		var (
			val json.RawMessage
			ok  bool
		)
		if val, ok = sets[tf.Name]; !ok {
			if old, renamed := renamedInto[tf.Name]; renamed {
				val, ok = in[old]
			} else if from.Field(tf.Name) != nil && !gone[tf.Name] {
				val, ok = in[tf.Name]
			}
		}
		switch {
		case ok:
			out[tf.Name] = val
		case !tf.Optional:
			return nil, fmt.Errorf("required field %s of v%d gets no value from the v%d payload", tf.Name, to.Number, from.Number)
		}
	}
	return out, nil
}

// fillDefaults gives each missing field of v that has a default its default, as decoding does.
func fillDefaults(v *spec.Version, obj map[string]json.RawMessage) {
	for _, f := range v.Fields {
		if _, ok := obj[f.Name]; !ok && f.Type != nil && f.Type.Default != nil {
			obj[f.Name] = f.Type.Default
		}
	}
}

func decodeObject(data json.RawMessage) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if obj == nil {
		return nil, errors.New("not a JSON object: null")
	}
	return obj, nil
}

// encodeObject writes obj as compact JSON: the fields of v in v's order. Members that v does
// not know are left out, as decoding into v's Go type leaves them out.
func encodeObject(v *spec.Version, obj map[string]json.RawMessage) (json.RawMessage, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	write := func(name string, val json.RawMessage) error {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.WriteString(strconv.Quote(name))
		buf.WriteByte(':')
		if err := json.Compact(&buf, val); err != nil {
			return fmt.Errorf("field %s: %w", name, err)
		}
		return nil
	}
	for _, f := range v.Fields {
		if val, ok := obj[f.Name]; ok {
			if err := write(f.Name, val); err != nil {
				return nil, err
			}
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
