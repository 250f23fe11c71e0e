package check

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode"

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

// checkFieldNames reports fields whose JSON name a Go struct tag cannot carry: encoding/json
// would ignore the tag and use the Go field name instead, so the generated code could not
// read or write the field.
func checkFieldNames(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	var walk func(t *spec.Type, path string)
	walkFields := func(fields []*spec.Field, path string) {
		for _, f := range fields {
			fp := path + "." + quote(f.Name)
			if !isValidTagName(f.Name) {
				ds = append(ds, spec.Errorf(f.Pos, "%s: the field name %q cannot be a JSON name of generated Go (a struct tag cannot carry it); use letters, digits and punctuation other than , \" ` and \\", fp, f.Name))
			}
			walk(f.Type, fp)
		}
	}
	walk = func(t *spec.Type, path string) {
		if t == nil {
			return
		}
		switch t.Kind {
		case spec.KindList, spec.KindMap:
			walk(t.Elem, path+"[]")
		case spec.KindStruct:
			walkFields(t.Fields, path)
		}
	}
	for _, d := range m.Definitions {
		walk(d.Type, "#"+d.Name)
	}
	for _, e := range m.Events {
		for _, v := range e.Versions {
			walkFields(v.Fields, eventPath(e)+".v"+strconv.Itoa(v.Number))
		}
	}
	return ds
}

// isValidTagName reports whether encoding/json accepts name as the name of a struct tag (its
// isValidTag): not empty, and only letters, digits and the punctuation it allows. A comma
// would end the name, and quotes and backslashes are reserved.
func isValidTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
