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
// they were a quarter of every event's file, and of the time spent formatting it.

// presenceOf says what the presence check of field f looks at.
type presenceOf struct {
	// absent is reported when the field is required and has no default to fill it.
	absent bool
	// null is reported when the field is required and not nullable (an optional field written
	// as null decodes as absent).
	null bool
	// walk is set when a present, non-null value has something inside to check.
	walk bool
}

func (p presenceOf) any() bool { return p.absent || p.null || p.walk }

// fieldPresence is what the presence check of field f looks at.
func (g *generator) fieldPresence(f *spec.Field) presenceOf {
	return presenceOf{
		absent: !f.Optional && g.effectiveDefault(f.Type) == nil,
		null:   !f.Optional && !f.Type.Nullable,
		walk:   g.valueNeedsPresence(f.Type),
	}
}

// structNeedsPresence reports whether a struct with fields gets a checkPresence method.
func (g *generator) structNeedsPresence(fields []*spec.Field) bool {
	for _, f := range fields {
		if g.fieldPresence(f).any() {
			return true
		}
	}
	return false
}

// valueNeedsPresence reports whether a present, non-null value of t holds something the
// presence check must look at: a struct with a required field, or a list or map item that must
// not be null.
func (g *generator) valueNeedsPresence(t *spec.Type) bool {
	switch t.Kind {
	case spec.KindStruct:
		return g.structNeedsPresence(t.Fields)
	case spec.KindList, spec.KindMap:
		return !t.Elem.Nullable || g.valueNeedsPresence(t.Elem)
	case spec.KindRef:
		d := g.m.Definition(t.Ref)
		if d == nil || d.Type == nil {
			return false
		}
		if needs, ok := g.defPresence[d.Name]; ok {
			return needs
		}
		if g.presenceInProgress[d.Name] {
			// A definition that holds itself: its own answer is being computed further up.
			return false
		}
		g.presenceInProgress[d.Name] = true
		needs := g.valueNeedsPresence(d.Type)
		delete(g.presenceInProgress, d.Name)
		g.defPresence[d.Name] = needs
		return needs
	}
	return false
}

// presenceTag is the eventgen struct tag of field f: its presence rule and the depths of its
// list or map items that may be null although their Go type cannot say so; "" when there is
// neither. runtime/event documents the tag.
func (g *generator) presenceTag(f *spec.Field) string {
	pr := g.fieldPresence(f)
	var tag string
	switch {
	case pr.absent && pr.null:
		tag = "required"
	case pr.absent:
		tag = "present"
	case pr.null:
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
