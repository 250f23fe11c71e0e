package evolve

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// CheckUpcasts checks every upcast step of every event of m, given or implicit (a missing
// `upcast: vN` is an empty step). In a step vN → vN+1 each field of vN+1 must take its
// value from exactly one source: the same-named field of vN when its type is assignable,
// a rename, a set constant, or nothing when the field is optional in vN+1. Each field of vN
// that vN+1 lacks must be dropped or renamed. A step marked custom is written by hand and
// only checked for set, rename or drop entries mixed into it. Steps from a version that does
// not exist, or from the latest version, are errors too.
//
// Findings are positioned at the offending field or entry and say which of set, rename,
// drop or custom would fix them. A constraint of vN+1 that is stricter than the field it
// comes from is a warning: the upcast may produce a payload that fails validation.
func CheckUpcasts(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, e := range m.Events {
		latest := e.Latest()
		for _, u := range e.Upcasts {
			prefix := fmt.Sprintf("%s.upcast.v%d", eventPath(e), u.From)
			switch {
			case latest == nil:
				ds = append(ds, spec.Errorf(u.Pos, "%s: the event has no versions to upcast; remove the step or add versions", prefix))
			case e.Version(u.From) == nil:
				ds = append(ds, spec.Errorf(u.Pos, "%s: there is no v%d to upcast from (the versions are v%d to v%d); remove the step or name an existing version",
					prefix, u.From, e.Versions[0].Number, latest.Number))
			case u.From == latest.Number:
				ds = append(ds, spec.Errorf(u.Pos, "%s: v%d is the latest version, so there is nothing to upcast it to; remove the step or add v%d",
					prefix, u.From, u.From+1))
			}
		}
		for i := 0; i+1 < len(e.Versions); i++ {
			from, to := e.Versions[i], e.Versions[i+1]
			ds = append(ds, checkStep(m, e, from, to, e.UpcastFrom(from.Number))...)
		}
	}
	return ds.Sorted()
}

// stepChecker holds one step vN → vN+1 being checked, its entries indexed by field name.
type stepChecker struct {
	m        *spec.Model
	prefix   string // events."x".upcast.vN
	from, to *spec.Version
	// renameFrom and renameTo index the first rename of each old and each new field;
	// drops and sets the first drop and set of each field.
	renameFrom, renameTo map[string]*spec.UpcastRename
	drops                map[string]*spec.UpcastDrop
	sets                 map[string]*spec.UpcastSet
	ds                   spec.Diagnostics
}

func (c *stepChecker) errorf(pos spec.Pos, format string, args ...any) {
	c.ds = append(c.ds, spec.Errorf(pos, "%s: %s", c.prefix, fmt.Sprintf(format, args...)))
}

func (c *stepChecker) warnf(pos spec.Pos, format string, args ...any) {
	c.ds = append(c.ds, spec.Warnf(pos, "%s: %s", c.prefix, fmt.Sprintf(format, args...)))
}

// checkStep checks the step from → to; u is the spec's step or nil for an implicit one.
func checkStep(m *spec.Model, e *spec.Event, from, to *spec.Version, u *spec.Upcast) spec.Diagnostics {
	if u == nil {
		u = &spec.Upcast{From: from.Number}
	}
	c := &stepChecker{
		m: m, prefix: fmt.Sprintf("%s.upcast.v%d", eventPath(e), from.Number), from: from, to: to,
		renameFrom: map[string]*spec.UpcastRename{}, renameTo: map[string]*spec.UpcastRename{},
		drops: map[string]*spec.UpcastDrop{}, sets: map[string]*spec.UpcastSet{},
	}
	if u.Custom {
		c.checkCustom(u)
		return c.ds
	}
	c.indexRenames(u)
	c.indexDrops(u)
	c.indexSets(u)
	for _, tf := range to.Fields {
		c.checkTarget(tf)
	}
	for _, ff := range from.Fields {
		if to.Field(ff.Name) == nil && c.renameFrom[ff.Name] == nil && c.drops[ff.Name] == nil {
			c.errorf(ff.Pos, "field %s of v%d is not in v%d; add drop: [%q] to lose it on purpose, rename: {%s: \"newName\"} to keep it, or write the step by hand with custom: true",
				ff.Name, from.Number, to.Number, ff.Name, ff.Name)
		}
	}
	return c.ds
}

// checkCustom reports set, rename and drop entries in a hand-written step: the generator
// ignores them, so they would only mislead a reader.
func (c *stepChecker) checkCustom(u *spec.Upcast) {
	for _, s := range u.Set {
		c.errorf(s.Pos, "set: {%s: %s} has no effect in a step with custom: true (the whole step is hand-written); remove it, or remove custom: true", s.Field, s.Value)
	}
	for _, r := range u.Rename {
		c.errorf(r.Pos, "rename: {%s: %q} has no effect in a step with custom: true (the whole step is hand-written); remove it, or remove custom: true", r.From, r.To)
	}
	for _, d := range u.Drop {
		c.errorf(d.Pos, "drop: [%q] has no effect in a step with custom: true (the whole step is hand-written); remove it, or remove custom: true", d.Field)
	}
}

func (c *stepChecker) indexRenames(u *spec.Upcast) {
	for _, r := range u.Rename {
		entry := fmt.Sprintf("rename: {%s: %q}", r.From, r.To)
		ff, tf := c.from.Field(r.From), c.to.Field(r.To)
		switch {
		case c.renameFrom[r.From] != nil:
			c.errorf(r.Pos, "%s: field %s of v%d is already renamed to %s; keep one rename", entry, r.From, c.from.Number, c.renameFrom[r.From].To)
			continue
		case c.renameTo[r.To] != nil:
			c.errorf(r.Pos, "%s: field %s of v%d already gets its value from rename: {%s: %q}; a field takes exactly one source, so keep one rename",
				entry, r.To, c.to.Number, c.renameTo[r.To].From, r.To)
			continue
		case ff == nil:
			c.errorf(r.Pos, "%s: v%d has no field %s; rename a field that v%d has", entry, c.from.Number, r.From, c.from.Number)
			continue
		case tf == nil:
			c.errorf(r.Pos, "%s: v%d has no field %s; rename into a field of v%d, or drop: [%q] to lose it", entry, c.to.Number, r.To, c.to.Number, r.From)
			continue
		}
		c.renameFrom[r.From], c.renameTo[r.To] = r, r
		c.checkAssignable(r.Pos, entry, ff, tf)
	}
}

func (c *stepChecker) indexDrops(u *spec.Upcast) {
	for _, d := range u.Drop {
		entry := fmt.Sprintf("drop: [%q]", d.Field)
		switch {
		case c.drops[d.Field] != nil:
			c.errorf(d.Pos, "%s: field %s is already dropped; list it once", entry, d.Field)
		case c.from.Field(d.Field) == nil:
			c.errorf(d.Pos, "%s: v%d has no field %s; remove it from drop", entry, c.from.Number, d.Field)
		case c.renameFrom[d.Field] != nil:
			c.errorf(d.Pos, "%s: field %s of v%d is also renamed to %s; a field is either dropped or renamed, so remove one", entry, d.Field, c.from.Number, c.renameFrom[d.Field].To)
		default:
			c.drops[d.Field] = d
		}
	}
}

func (c *stepChecker) indexSets(u *spec.Upcast) {
	for _, s := range u.Set {
		entry := fmt.Sprintf("set: {%s: %s}", s.Field, s.Value)
		tf := c.to.Field(s.Field)
		switch {
		case c.sets[s.Field] != nil:
			c.errorf(s.Pos, "%s: field %s is already set; set it once", entry, s.Field)
			continue
		case tf == nil:
			c.errorf(s.Pos, "%s: v%d has no field %s; remove the entry or add the field to v%d", entry, c.to.Number, s.Field, c.to.Number)
			continue
		}
		c.sets[s.Field] = s
		if p := valueProblem(c.m, tf.Type, s.Value); p != "" {
			c.errorf(s.Pos, "%s: %s; give a value that v%d.%s accepts", entry, p, c.to.Number, s.Field)
		}
	}
}

// checkTarget checks that field tf of the new version has exactly one source.
func (c *stepChecker) checkTarget(tf *spec.Field) {
	set, renamed := c.sets[tf.Name], c.renameTo[tf.Name]
	same := c.from.Field(tf.Name)
	if same != nil && (c.drops[same.Name] != nil || c.renameFrom[same.Name] != nil) {
		same = nil // the old value went elsewhere or was given up: it is no source
	}
	switch {
	case set != nil && renamed != nil:
		c.errorf(set.Pos, "set: {%s: %s}: field %s of v%d also gets a value from rename: {%s: %q}; a field takes exactly one source, so remove one",
			tf.Name, set.Value, tf.Name, c.to.Number, renamed.From, renamed.To)
	case set != nil && same != nil:
		c.errorf(set.Pos, "set: {%s: %s}: field %s of v%d already gets the value of field %s of v%d; a field takes exactly one source, so remove the set, or add drop: [%q] to replace the old value",
			tf.Name, set.Value, tf.Name, c.to.Number, same.Name, c.from.Number, same.Name)
	case renamed != nil && same != nil:
		c.errorf(renamed.Pos, "rename: {%s: %q}: field %s of v%d already gets the value of field %s of v%d; a field takes exactly one source, so add drop: [%q] or rename %s too",
			renamed.From, renamed.To, tf.Name, c.to.Number, same.Name, c.from.Number, same.Name, same.Name)
	case set != nil || renamed != nil:
		// One explicit source, checked where it was indexed.
	case same != nil:
		c.checkAssignable(tf.Pos, "field "+tf.Name+" of v"+strconv.Itoa(c.to.Number), same, tf)
	case !tf.Optional:
		c.errorf(tf.Pos, "field %s of v%d has no source in v%d; add set: {%s: ...}, rename: {oldName: %q}, make it optional in v%d, or write the step by hand with custom: true",
			tf.Name, c.to.Number, c.from.Number, tf.Name, tf.Name, c.to.Number)
	}
}

// checkAssignable checks that the value of old field ff can be carried into new field tf;
// what names the element reported at pos (a rename entry or the new field).
func (c *stepChecker) checkAssignable(pos spec.Pos, what string, ff, tf *spec.Field) {
	fix := fmt.Sprintf("add drop: [%q] and set: {%s: ...}, or write the step by hand with custom: true", ff.Name, tf.Name)
	if ff.Optional && !tf.Optional {
		c.errorf(pos, "%s: field %s of v%d is optional but %s of v%d is required; make %s optional in v%d, %s",
			what, ff.Name, c.from.Number, tf.Name, c.to.Number, tf.Name, c.to.Number, fix)
		return
	}
	if why := newAssigner(c.m, c.m).assign(ff.Type, tf.Type); why != "" {
		c.errorf(pos, "%s: cannot take the value of field %s of v%d: %s; %s", what, ff.Name, c.from.Number, why, fix)
		return
	}
	if ft, tt := c.m.Resolve(ff.Type), c.m.Resolve(tf.Type); ft != nil && tt != nil {
		if t := tightenings(ft.Constraints, tt.Constraints); len(t) > 0 {
			c.warnf(pos, "field %s of v%d is stricter than field %s of v%d (%s), so an upcast v%d payload may fail validation; check the stored data, or write the step by hand with custom: true",
				tf.Name, c.to.Number, ff.Name, c.from.Number, strings.Join(t, ", "), c.from.Number)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
