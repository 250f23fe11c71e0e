package golang

import (
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// The generated decode path must see what a Go value cannot show: whether a required field was
// in the JSON at all, and whether a non-nullable one was null (encoding/json leaves the zero
// value in both cases). Each field that has such a rule says so in an eventgen struct tag, and
// runtime/event's CheckPresence and MayLack apply the tags of a payload type at every depth,
// with the paths and messages spec/check uses for the spec's examples. The rules live in tags
// rather than in generated methods because they are the same few for every field: as code
// they were a quarter of every event's file, and of the time spent formatting it. Whether a
// type has rules at any depth is for the runtime to find out too: it builds a plan per type
// once, and a plan without rules costs a decoder next to nothing.

// presenceTag is the eventgen struct tag of field f: its presence rule and the depths of its
// list or map items that may be null although their Go type cannot say so; "" when there is
// neither. runtime/event documents the tag.
func (g *generator) presenceTag(f *spec.Field) string {
	// A missing value is a violation when the field is required and no default fills it; a
	// null one when the field is required and not nullable (an optional field written as null
	// decodes as absent).
	absent := !f.Optional && g.effectiveDefault(f.Type) == nil
	null := !f.Optional && !f.Type.Nullable
	var tag string
	switch {
	case absent && null:
		tag = "required"
	case absent:
		tag = "present"
	case null:
		tag = "notnull"
	}
	if depths := g.nullItemDepths(f.Type); len(depths) > 0 {
		tag += ",nullitems=" + strings.Join(depths, " ")
	}
	return tag
}

// nullItemDepths lists the depths (1: the items of t itself) of the lists and maps in t whose
// items may be null and are of a type that nil already stands for (a list of lists), so that
// the Go type does not show it. Struct items end the walk: their fields have tags of their own.
func (g *generator) nullItemDepths(t *spec.Type) []string {
	var out []string
	seen := map[string]bool{}
	for depth := 1; ; depth++ {
		for t.Kind == spec.KindRef {
			d := g.m.Definition(t.Ref)
			if d == nil || d.Type == nil || seen[t.Ref] {
				return out
			}
			seen[t.Ref] = true
			t = d.Type
		}
		if t.Kind != spec.KindList && t.Kind != spec.KindMap {
			return out
		}
		if t.Elem.Nullable && g.nilable(t.Elem) {
			out = append(out, strconv.Itoa(depth))
		}
		t = t.Elem
	}
}
