package check

import (
	"math/big"
	"regexp"
	"strconv"

	"github.com/eventgen/eventgen/spec"
)

// checkTypes checks the constraints of every type in the model for what no value could
// satisfy or no program could run: a regular expression that is not RE2, a lower bound above
// the upper one, a minimum count above the maximum.
func checkTypes(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, d := range m.Definitions {
		ds = append(ds, checkType(d.Type, "#"+d.Name)...)
	}
	for _, e := range m.Events {
		for _, v := range e.Versions {
			for _, f := range v.Fields {
				ds = append(ds, checkType(f.Type, eventPath(e)+".v"+strconv.Itoa(v.Number)+"."+quote(f.Name))...)
			}
		}
	}
	return ds
}

func checkType(t *spec.Type, path string) spec.Diagnostics {
	if t == nil {
		return nil
	}
	var ds spec.Diagnostics
	c := t.Constraints
	for _, re := range append(append([]string(nil), c.Patterns...), c.NotPatterns...) {
		if _, err := regexp.Compile(re); err != nil {
			ds = append(ds, spec.Errorf(t.Pos, "%s: the regular expression %q is not valid RE2 (%v); fix it", path, re, err))
		}
	}
	if c.MinRunes != nil && c.MaxRunes != nil && *c.MinRunes > *c.MaxRunes {
		ds = append(ds, spec.Errorf(t.Pos, "%s: at least %d and at most %d runes: no string fits; swap or fix the bounds", path, *c.MinRunes, *c.MaxRunes))
	}
	if c.MinItems != nil && c.MaxItems != nil && *c.MinItems > *c.MaxItems {
		ds = append(ds, spec.Errorf(t.Pos, "%s: at least %d and at most %d items: no list fits; swap or fix the bounds", path, *c.MinItems, *c.MaxItems))
	}
	if c.Min != nil && c.Max != nil {
		lo, okLo := new(big.Rat).SetString(c.Min.Value)
		hi, okHi := new(big.Rat).SetString(c.Max.Value)
		if okLo && okHi {
			if cmp := lo.Cmp(hi); cmp > 0 || cmp == 0 && (c.Min.Exclusive || c.Max.Exclusive) {
				ds = append(ds, spec.Errorf(t.Pos, "%s: the bounds %s and %s leave no value; fix them", path, bound(">", c.Min), bound("<", c.Max)))
			}
		}
	}
	switch t.Kind {
	case spec.KindList, spec.KindMap:
		ds = append(ds, checkType(t.Elem, path+"[]")...)
	case spec.KindStruct:
		for _, f := range t.Fields {
			ds = append(ds, checkType(f.Type, path+"."+quote(f.Name))...)
		}
	}
	return ds
}

func bound(op string, b *spec.Bound) string {
	if !b.Exclusive {
		op += "="
	}
	return op + b.Value
}
