package evolve

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// Builders for hand-made models: the upcast checks are about the model, so these tests do
// not need a frontend. Positions are at line N of "s.cue", column 3.

func at(line int) spec.Pos { return spec.Pos{File: "s.cue", Line: line, Col: 3} }

func tString() *spec.Type { return &spec.Type{Kind: spec.KindString} }
func tTime() *spec.Type   { return &spec.Type{Kind: spec.KindTime} }
func tBool() *spec.Type   { return &spec.Type{Kind: spec.KindBool} }
func tInt(bits int, unsigned bool) *spec.Type {
	return &spec.Type{Kind: spec.KindInt, Bits: bits, Unsigned: unsigned, Sized: bits != 0 || unsigned}
}
func tFloat(bits int) *spec.Type {
	return &spec.Type{Kind: spec.KindFloat, Bits: bits, Sized: bits != 0}
}
func tEnum(values ...string) *spec.Type {
	return &spec.Type{Kind: spec.KindEnum, Enum: values}
}
func tList(elem *spec.Type) *spec.Type { return &spec.Type{Kind: spec.KindList, Elem: elem} }
func tMap(elem *spec.Type) *spec.Type  { return &spec.Type{Kind: spec.KindMap, Elem: elem} }
func tStruct(fields ...*spec.Field) *spec.Type {
	return &spec.Type{Kind: spec.KindStruct, Fields: fields}
}
func tRef(name string) *spec.Type { return &spec.Type{Kind: spec.KindRef, Ref: name} }

func nullable(t *spec.Type) *spec.Type { t.Nullable = true; return t }
func withDefault(t *spec.Type, v string) *spec.Type {
	t.Default = json.RawMessage(v)
	return t
}
func bounded(t *spec.Type, min, max string) *spec.Type {
	if min != "" {
		t.Constraints.Min = &spec.Bound{Value: min}
	}
	if max != "" {
		t.Constraints.Max = &spec.Bound{Value: max}
	}
	return t
}
func pattern(t *spec.Type, re string) *spec.Type {
	t.Constraints.Patterns = append(t.Constraints.Patterns, re)
	return t
}
func minRunes(t *spec.Type, n int) *spec.Type { t.Constraints.MinRunes = &n; return t }

func req(name string, t *spec.Type, line int) *spec.Field {
	return &spec.Field{Name: name, Type: t, Pos: at(line)}
}
func opt(name string, t *spec.Type, line int) *spec.Field {
	return &spec.Field{Name: name, Type: t, Optional: true, Pos: at(line)}
}

func version(n, line int, fields ...*spec.Field) *spec.Version {
	return &spec.Version{Number: n, Fields: fields, Pos: at(line)}
}

// step builds an upcast from version from; entries are set/rename/drop/custom values.
func step(from, line int, entries ...any) *spec.Upcast {
	u := &spec.Upcast{From: from, Pos: at(line)}
	for _, e := range entries {
		switch e := e.(type) {
		case *spec.UpcastSet:
			u.Set = append(u.Set, e)
		case *spec.UpcastRename:
			u.Rename = append(u.Rename, e)
		case *spec.UpcastDrop:
			u.Drop = append(u.Drop, e)
		case bool:
			u.Custom = e
		}
	}
	return u
}
func set(field, value string, line int) *spec.UpcastSet {
	return &spec.UpcastSet{Field: field, Value: json.RawMessage(value), Pos: at(line)}
}
func rename(from, to string, line int) *spec.UpcastRename {
	return &spec.UpcastRename{From: from, To: to, Pos: at(line)}
}
func drop(field string, line int) *spec.UpcastDrop {
	return &spec.UpcastDrop{Field: field, Pos: at(line)}
}

// model wraps one event "workflow.started" with the given versions and steps.
func model(versions []*spec.Version, steps []*spec.Upcast, defs ...*spec.Definition) *spec.Model {
	return &spec.Model{
		Definitions: defs,
		Events:      []*spec.Event{{Type: "workflow.started", Pos: at(1), Versions: versions, Upcasts: steps}},
	}
}

func def(name string, t *spec.Type) *spec.Definition {
	return &spec.Definition{Name: name, Type: t}
}

func diagStrings(ds spec.Diagnostics) []string {
	out := make([]string, len(ds))
	for i, d := range ds.Sorted() {
		out[i] = d.String()
	}
	return out
}

// parseDiag reads back a line as Diagnostic.String writes it (FILE:LINE:COL: [warning: ]
// [RULE: ]message), so that expectations can be listed in any order and still compare with
// the sorted findings. A leading upper-case word followed by ": " is a rule ID.
func parseDiag(line string) spec.Diagnostic {
	parts := strings.SplitN(line, ":", 4)
	l, _ := strconv.Atoi(parts[1])
	c, _ := strconv.Atoi(parts[2])
	d := spec.Diagnostic{Pos: spec.Pos{File: parts[0], Line: l, Col: c}}
	msg := strings.TrimPrefix(parts[3], " ")
	if rest, ok := strings.CutPrefix(msg, "warning: "); ok {
		d.Severity, msg = spec.Warning, rest
	}
	if rule, rest, ok := strings.Cut(msg, ": "); ok && rule != "" && strings.Trim(rule, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == "" {
		d.Rule, msg = rule, rest
	}
	d.Message = msg
	return d
}

func reflectValue(v any) reflect.Value { return reflect.ValueOf(v) }
