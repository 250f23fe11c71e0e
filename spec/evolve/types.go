package evolve

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// eventPath names an event the way messages name elements: events."workflow.started".
func eventPath(e *spec.Event) string { return "events." + strconv.Quote(e.Type) }

// intBits returns the size of an int or float kind, reading the default (0) as 64.
func intBits(t *spec.Type) int {
	if t.Bits == 0 {
		return 64
	}
	return t.Bits
}

// typeString renders a type in CUE-like notation for messages: "int32", "[...string]",
// `"a" | "b"`, "#Node", "string | null".
func typeString(t *spec.Type) string {
	if t == nil {
		return "invalid"
	}
	var s string
	switch t.Kind {
	case spec.KindInt:
		switch {
		case !t.Sized && t.Bits == 0:
			s = "int"
		case t.Unsigned:
			s = "uint" + strconv.Itoa(intBits(t))
		default:
			s = "int" + strconv.Itoa(intBits(t))
		}
	case spec.KindFloat:
		if !t.Sized && t.Bits == 0 {
			s = "number"
		} else {
			s = "float" + strconv.Itoa(intBits(t))
		}
	case spec.KindTime:
		s = "time.Time"
	case spec.KindAny:
		s = "_"
	case spec.KindEnum:
		quoted := make([]string, len(t.Enum))
		for i, v := range t.Enum {
			quoted[i] = strconv.Quote(v)
		}
		s = strings.Join(quoted, " | ")
	case spec.KindList:
		s = "[..." + typeString(t.Elem) + "]"
	case spec.KindMap:
		s = "{[string]: " + typeString(t.Elem) + "}"
	case spec.KindStruct:
		s = "{...}"
	case spec.KindRef:
		s = "#" + t.Ref
	default:
		s = t.Kind.String()
	}
	if t.Nullable {
		s += " | null"
	}
	return s
}

// refPair is a pair of definitions being compared; it stops the recursion through
// self-referencing definitions (a tree node holding a list of nodes).
type refPair struct{ from, to string }

// assigner decides whether a value of one type can be carried unchanged (as JSON) into
// another: the "assignable" relation of upcast steps. Both types may come from different
// models, so that the same rules serve for comparing definitions across revisions.
type assigner struct {
	fromModel, toModel *spec.Model
	seen               map[refPair]bool
}

func newAssigner(from, to *spec.Model) *assigner {
	return &assigner{fromModel: from, toModel: to, seen: map[refPair]bool{}}
}

// assign returns "" when a value of type from is a valid value of type to without any
// conversion of its JSON form, else the reason it is not. Constraints are not compared
// here: a tightened constraint is reported separately (see tightenings).
func (a *assigner) assign(from, to *spec.Type) string {
	if from == nil || to == nil {
		return "the type is invalid"
	}
	if from.Nullable && !to.Nullable {
		return fmt.Sprintf("%s may be null but %s may not", typeString(from), typeString(to))
	}
	if from.Kind == spec.KindRef && to.Kind == spec.KindRef {
		if a.fromModel == a.toModel && from.Ref == to.Ref {
			return ""
		}
		pair := refPair{from.Ref, to.Ref}
		if a.seen[pair] {
			return "" // assumed assignable while comparing the pair further up
		}
		a.seen[pair] = true
		defer delete(a.seen, pair)
	}
	rf, rt := a.fromModel.Resolve(from), a.toModel.Resolve(to)
	if rf == nil || rt == nil {
		return fmt.Sprintf("%s refers to an unknown definition", typeString(pick(rf == nil, from, to)))
	}
	mismatch := fmt.Sprintf("%s is not assignable to %s", typeString(from), typeString(to))
	switch {
	case rf.Kind == rt.Kind && slices.Contains([]spec.Kind{spec.KindString, spec.KindBool, spec.KindBytes, spec.KindTime, spec.KindAny}, rf.Kind):
		return ""
	case rf.Kind == spec.KindInt && rt.Kind == spec.KindInt:
		if intWidens(rf, rt) {
			return ""
		}
		return mismatch + " (an integer kind may only widen: int8→int16→int32→int64, uint8→…→uint64, uintN→intM when M > N)"
	case rf.Kind == spec.KindFloat && rt.Kind == spec.KindFloat:
		if intBits(rt) >= intBits(rf) {
			return ""
		}
		return mismatch + " (float64 does not fit float32)"
	case rf.Kind == spec.KindEnum && rt.Kind == spec.KindEnum:
		var missing []string
		for _, v := range rf.Enum {
			if !slices.Contains(rt.Enum, v) {
				missing = append(missing, strconv.Quote(v))
			}
		}
		if len(missing) == 0 {
			return ""
		}
		return fmt.Sprintf("%s lacks %s", typeString(to), strings.Join(missing, ", "))
	case (rf.Kind == spec.KindList && rt.Kind == spec.KindList) || (rf.Kind == spec.KindMap && rt.Kind == spec.KindMap):
		if why := a.assign(rf.Elem, rt.Elem); why != "" {
			return "element: " + why
		}
		return ""
	case rf.Kind == spec.KindStruct && rt.Kind == spec.KindStruct:
		return a.assignFields(rf.Fields, rt.Fields)
	}
	return mismatch
}

// assignFields compares two structs field by field: every field of to must come from the
// same-named field of from or be optional, and no field of from may be lost silently.
func (a *assigner) assignFields(from, to []*spec.Field) string {
	for _, tf := range to {
		ff := findField(from, tf.Name)
		if ff == nil {
			if tf.Optional {
				continue
			}
			return fmt.Sprintf("required field %s has no counterpart", tf.Name)
		}
		if ff.Optional && !tf.Optional {
			return fmt.Sprintf("field %s is optional in the old struct but required in the new one", tf.Name)
		}
		if why := a.assign(ff.Type, tf.Type); why != "" {
			return fmt.Sprintf("field %s: %s", tf.Name, why)
		}
	}
	for _, ff := range from {
		if findField(to, ff.Name) == nil {
			return fmt.Sprintf("field %s would be lost", ff.Name)
		}
	}
	return ""
}

// intWidens reports whether every value of integer kind from is a value of kind to.
func intWidens(from, to *spec.Type) bool {
	fb, tb := intBits(from), intBits(to)
	switch {
	case from.Unsigned == to.Unsigned:
		return tb >= fb
	case from.Unsigned && !to.Unsigned:
		return tb > fb
	}
	return false
}

func findField(fields []*spec.Field, name string) *spec.Field {
	for _, f := range fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}
