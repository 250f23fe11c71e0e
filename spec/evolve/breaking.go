package evolve

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/eventgen/eventgen/spec"
)

// The rule IDs of breaking changes, stable across releases (cli.md, "breaking").
const (
	// RuleEventNoDelete: an event type disappears.
	RuleEventNoDelete = "EVENT_NO_DELETE"
	// RuleVersionNoDelete: a version disappears, so stored events of it become unreadable.
	RuleVersionNoDelete = "VERSION_NO_DELETE"
	// RuleFieldNoDelete: a field disappears from an existing version.
	RuleFieldNoDelete = "FIELD_NO_DELETE"
	// RuleFieldSameType: a field of an existing version changes type.
	RuleFieldSameType = "FIELD_SAME_TYPE"
	// RuleFieldNoRequiredAdd: a required field without default appears in an existing version.
	RuleFieldNoRequiredAdd = "FIELD_NO_REQUIRED_ADD"
	// RuleFieldSameOptionality: an optional field of an existing version becomes required.
	RuleFieldSameOptionality = "FIELD_SAME_OPTIONALITY"
	// RuleEnumValueNoDelete: an enum loses a value in an existing version.
	RuleEnumValueNoDelete = "ENUM_VALUE_NO_DELETE"
	// RuleConstraintNoTighten: a bound, pattern or length becomes stricter in an existing version.
	RuleConstraintNoTighten = "CONSTRAINT_NO_TIGHTEN"
	// RuleLatestVersionNoDowngrade: the latest version number goes down.
	RuleLatestVersionNoDowngrade = "LATEST_VERSION_NO_DOWNGRADE"
)

// Breaking compares two revisions of a spec, old and cur, and returns every change that
// breaks stored events or their consumers, each an error-level Diagnostic with Rule set to
// one of the Rule* IDs. Every version present in both revisions is compared field by field,
// through inline structs, lists, maps and referenced definitions (compared by their resolved
// shape, so moving an inline struct into a definition is not a change). Findings about
// something deleted are positioned in old, all others in cur.
//
// Adding an event, an optional field or an enum value, loosening a constraint, and adding a
// version whose upcast step is complete, are not breaking. A new version whose step is
// incomplete is: stored events could not be brought up to it. Those findings are the
// CheckUpcasts errors of the new steps and carry no Rule.
func Breaking(old, cur *spec.Model) spec.Diagnostics {
	b := &breaker{old: old, cur: cur, seen: map[refPair]bool{}}
	for _, oe := range old.Events {
		ce := cur.Event(oe.Type)
		name := eventPath(oe)
		if ce == nil {
			b.report(oe.Pos, RuleEventNoDelete, "%s was deleted; stored events of this type can no longer be decoded and its consumers break; restore the event", name)
			continue
		}
		for _, ov := range oe.Versions {
			vname := fmt.Sprintf("%s.v%d", name, ov.Number)
			cv := ce.Version(ov.Number)
			if cv == nil {
				b.report(ov.Pos, RuleVersionNoDelete, "%s was deleted; stored v%d events can no longer be decoded; restore v%d", vname, ov.Number, ov.Number)
				continue
			}
			b.fields(vname, ov.Fields, cv.Fields)
		}
		b.newVersions(oe, ce)
		if ol, cl := oe.Latest(), ce.Latest(); ol != nil && (cl == nil || cl.Number < ol.Number) {
			now := "no version"
			if cl != nil {
				now = fmt.Sprintf("v%d", cl.Number)
			}
			b.report(ce.Pos, RuleLatestVersionNoDowngrade, "%s: the latest version went down from v%d to %s; producers and stored events of v%d would be newer than the code; keep v%d as the latest",
				name, ol.Number, now, ol.Number, ol.Number)
		}
	}
	return b.ds.Sorted()
}

// newVersions reports the incomplete upcast steps that lead to versions cur added to an
// existing event.
func (b *breaker) newVersions(oe, ce *spec.Event) {
	ol := oe.Latest()
	for i := 1; i < len(ce.Versions); i++ {
		from, to := ce.Versions[i-1], ce.Versions[i]
		if ol != nil && to.Number <= ol.Number {
			continue
		}
		for _, d := range checkStep(b.cur, ce, from, to, ce.UpcastFrom(from.Number)) {
			if d.Severity == spec.Error {
				b.ds = append(b.ds, d)
			}
		}
	}
}

// breaker collects the findings of one comparison.
type breaker struct {
	old, cur *spec.Model
	// seen holds the definition pairs being compared, so that a definition that refers to
	// itself is compared once.
	seen map[refPair]bool
	ds   spec.Diagnostics
}

func (b *breaker) report(pos spec.Pos, rule, format string, args ...any) {
	b.ds = append(b.ds, spec.Diagnostic{Pos: pos, Severity: spec.Error, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// fields compares the fields of one struct (a version, an inline struct or a definition)
// named path in both revisions.
func (b *breaker) fields(path string, old, cur []*spec.Field) {
	for _, of := range old {
		name := path + "." + of.Name
		cf := findField(cur, of.Name)
		if cf == nil {
			b.report(of.Pos, RuleFieldNoDelete, "%s was deleted from an existing version; restore it, and make the new shape a new version", name)
			continue
		}
		if of.Optional && !cf.Optional {
			b.report(cf.Pos, RuleFieldSameOptionality, "%s became required, but stored events may lack it; make it optional again, or make the new shape a new version", name)
		}
		b.types(name, cf.Pos, of.Type, cf.Type)
	}
	for _, cf := range cur {
		if findField(old, cf.Name) == nil && !cf.Optional && (cf.Type == nil || cf.Type.Default == nil) {
			b.report(cf.Pos, RuleFieldNoRequiredAdd, "%s is a new required field of an existing version, but stored events lack it; make it optional, give it a default, or add it in a new version",
				path+"."+cf.Name)
		}
	}
}

// types compares the type of element path, positioned at pos in cur, in both revisions.
func (b *breaker) types(path string, pos spec.Pos, ot, ct *spec.Type) {
	if ot == nil || ct == nil {
		return
	}
	if ot.Kind == spec.KindRef && ct.Kind == spec.KindRef {
		pair := refPair{ot.Ref, ct.Ref}
		if b.seen[pair] {
			return
		}
		b.seen[pair] = true
		defer delete(b.seen, pair)
	}
	ro, rc := b.old.Resolve(ot), b.cur.Resolve(ct)
	if ro == nil || rc == nil {
		return // an unknown definition is the spec checks' finding
	}
	if ot.Nullable != ct.Nullable || !sameKind(ro, rc) {
		b.report(pos, RuleFieldSameType, "%s changed type from %s to %s; restore the type, and make the new shape a new version", path, typeString(ot), typeString(ct))
		return
	}
	if ro.Kind == spec.KindEnum {
		for _, v := range ro.Enum {
			if !slices.Contains(rc.Enum, v) {
				b.report(pos, RuleEnumValueNoDelete, "%s lost enum value %s, so stored events with it fail validation; restore the value", path, strconv.Quote(v))
			}
		}
	}
	if t := tightenings(ro.Constraints, rc.Constraints); len(t) > 0 {
		b.report(pos, RuleConstraintNoTighten, "%s: %s, so stored events may fail validation; loosen it back, and make the new shape a new version", path, strings.Join(t, ", "))
	}
	switch ro.Kind {
	case spec.KindList:
		b.types(path+"[]", pos, ro.Elem, rc.Elem)
	case spec.KindMap:
		b.types(path+"{}", pos, ro.Elem, rc.Elem)
	case spec.KindStruct:
		b.fields(path, ro.Fields, rc.Fields)
	}
}

// sameKind reports whether two resolved types have the same Go shape: the same kind and,
// for numbers, the same size and signedness (plain int is int64).
func sameKind(a, b *spec.Type) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case spec.KindInt:
		return intBits(a) == intBits(b) && a.Unsigned == b.Unsigned
	case spec.KindFloat:
		return intBits(a) == intBits(b)
	}
	return true
}
