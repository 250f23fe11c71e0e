package docs

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// TypeString returns t the way a reviewer reads the spec: the kind, then its constraints.
//
//	string (1..200 runes, =~ ^wf-)
//	int >=0 <=10
//	*"live" | "dry-run"
//	[]Node (>=1 items, unique)
//	map[string]string
//	{...}             (an inline struct; its fields are listed on rows of their own)
//	time.Time | null
//
// A list or map element whose own string has a space is put in parentheses, so that
// []("a" | "b") cannot be read as a list of "a" or the string "b".
func TypeString(t *spec.Type) string {
	if t == nil {
		return "?"
	}
	var s string
	c := t.Constraints
	switch t.Kind {
	case spec.KindString:
		s = withDefault(withParts("string", stringParts(c)), t)
	case spec.KindEnum:
		values := make([]string, len(t.Enum))
		var def *string
		if t.Default != nil {
			_ = json.Unmarshal(t.Default, &def) // a default that is not a string marks nothing
		}
		for i, v := range t.Enum {
			values[i] = strconv.Quote(v)
			if def != nil && *def == v {
				values[i] = "*" + values[i]
			}
		}
		s = strings.Join(values, " | ")
	case spec.KindInt:
		s = joinNonEmpty(" ", intName(t), boundString(c.Min, ">"), boundString(c.Max, "<"))
		s = withDefault(s, t)
	case spec.KindFloat:
		name := "float"
		if t.Bits != 0 {
			name += strconv.Itoa(t.Bits)
		} else if t.Sized {
			name = "float64"
		}
		s = joinNonEmpty(" ", name, boundString(c.Min, ">"), boundString(c.Max, "<"))
		s = withDefault(s, t)
	case spec.KindBool:
		s = withDefault("bool", t)
	case spec.KindBytes:
		s = "bytes"
	case spec.KindTime:
		s = "time.Time"
	case spec.KindAny:
		s = "_"
	case spec.KindList:
		var parts []string
		switch {
		case c.MinItems != nil && c.MaxItems != nil:
			parts = append(parts, strconv.Itoa(*c.MinItems)+".."+strconv.Itoa(*c.MaxItems)+" items")
		case c.MinItems != nil:
			parts = append(parts, ">="+strconv.Itoa(*c.MinItems)+" items")
		case c.MaxItems != nil:
			parts = append(parts, "<="+strconv.Itoa(*c.MaxItems)+" items")
		}
		if c.UniqueItems {
			parts = append(parts, "unique")
		}
		s = withParts("[]"+elemString(t.Elem), parts)
	case spec.KindMap:
		s = "map[string]" + elemString(t.Elem)
	case spec.KindStruct:
		s = "{...}"
	case spec.KindRef:
		s = t.Ref
	default:
		s = "?"
	}
	if t.Nullable && t.Kind != spec.KindAny {
		s += " | null"
	}
	return s
}

func elemString(t *spec.Type) string {
	s := TypeString(t)
	if strings.Contains(s, " ") {
		return "(" + s + ")"
	}
	return s
}

func intName(t *spec.Type) string {
	name := "int"
	if t.Unsigned {
		name = "uint"
	}
	if t.Bits != 0 {
		name += strconv.Itoa(t.Bits)
	}
	return name
}

func stringParts(c spec.Constraints) []string {
	var parts []string
	switch {
	case c.MinRunes != nil && c.MaxRunes != nil:
		parts = append(parts, strconv.Itoa(*c.MinRunes)+".."+strconv.Itoa(*c.MaxRunes)+" runes")
	case c.MinRunes != nil:
		parts = append(parts, ">="+strconv.Itoa(*c.MinRunes)+" runes")
	case c.MaxRunes != nil:
		parts = append(parts, "<="+strconv.Itoa(*c.MaxRunes)+" runes")
	}
	for _, p := range c.Patterns {
		parts = append(parts, "=~ "+p)
	}
	for _, p := range c.NotPatterns {
		parts = append(parts, "!~ "+p)
	}
	return parts
}

// boundString writes a bound as the spec does: op is ">" for a minimum, "<" for a maximum.
func boundString(b *spec.Bound, op string) string {
	if b == nil {
		return ""
	}
	if !b.Exclusive {
		op += "="
	}
	return op + b.Value
}

// withDefault appends the default of a scalar type, "int (default 3)"; enums mark theirs with
// '*' instead, as CUE does.
func withDefault(s string, t *spec.Type) string {
	if t.Default == nil {
		return s
	}
	return s + " (default " + string(t.Default) + ")"
}

func withParts(s string, parts []string) string {
	if len(parts) == 0 {
		return s
	}
	return s + " (" + strings.Join(parts, ", ") + ")"
}

func joinNonEmpty(sep string, ss ...string) string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}
