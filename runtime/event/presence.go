package event

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Decoding JSON into a Go struct cannot show whether a required field was there at all, or
// was null: encoding/json leaves the zero value in both cases. Generated payload types carry
// what decoding must check in an eventgen struct tag on each field that has a rule:
//
//	eventgen:"required"   the field must be present and not null
//	eventgen:"present"    the field must be present; null is a value (a required nullable field)
//	eventgen:"notnull"    the field may be missing (its default fills it) but not null
//
// and, after a comma, "nullitems=1 2" for a list or map whose items at those depths (1: the
// field's own items) may be null although their Go type cannot say so (a list of lists). The
// items of any other list or map must not be null unless they are pointers. CheckPresence
// applies the rules at every depth; MayLack is the cheap test that lets a decoder skip it.
// Violations use the paths and messages of Validate.

// CheckPresence adds to ve, at paths below path ("" for the payload's root), each value that
// data, the JSON of a P, must hold but lacks or holds as null, by the eventgen tags of P's
// fields and of the struct types inside them. Data that is not a JSON object adds nothing:
// decoding it fails on its own. Only exported fields with a name in their json tag are
// looked at, as generated payload types have them; embedded structs are not walked.
func CheckPresence[P any](data []byte, path string, ve *ValidationError) {
	planOf(reflect.TypeFor[P]()).check(data, path, ve)
}

// MayLack reports whether p, decoded from JSON, could lack a required field at any depth:
// false proves that every field the eventgen tags require was present, so a decoder can skip
// CheckPresence unless the data holds a null. A required field can only be missing as its zero
// value, so the test looks at zero values; it may say true for a payload that is complete.
func MayLack[P any](p *P) bool {
	if p == nil {
		return true // nothing proves a field is there
	}
	return planOf(reflect.TypeFor[P]()).mayLack(reflect.ValueOf(p).Elem())
}

// structPlan is what the presence check does for one struct type.
type structPlan struct {
	fields []fieldPlan
	// raw is a struct type with a json.RawMessage field per entry of fields and the same JSON
	// names: decoding into it matches members to fields exactly as decoding the struct does.
	raw reflect.Type
	// done is set once fields is complete; a struct type that holds itself meets its own plan
	// before.
	done bool
}

// fieldPlan is the check of one field.
type fieldPlan struct {
	name         string // the JSON name
	index        int    // the Go field index
	absent, null bool   // a missing value, a null value is a violation
	inside       *valuePlan
}

// valuePlan is what is checked inside a present, non-null value; nil means nothing.
type valuePlan struct {
	strct     *structPlan // a struct
	isMap     bool        // else a list, when strct is nil
	itemsNull bool        // the items may be null
	items     *valuePlan  // inside each non-null item
}

var (
	plans     sync.Map // reflect.Type → *structPlan
	plansLock sync.Mutex
	rawType   = reflect.TypeFor[json.RawMessage]()
	timeType  = reflect.TypeFor[time.Time]()
)

// planOf returns the plan of struct type t, building it (and the plans of the struct types
// inside it) on first use.
func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	plansLock.Lock()
	defer plansLock.Unlock()
	b := planBuilder{built: map[reflect.Type]*structPlan{}, lists: map[reflect.Type]*valuePlan{}}
	p := b.structPlan(t)
	for typ, sp := range b.built {
		plans.LoadOrStore(typ, sp)
	}
	return p
}

// planBuilder builds the plans of a type graph; built holds plans under construction too, so
// that a type that holds itself (a tree) refers to its own plan.
type planBuilder struct {
	built map[reflect.Type]*structPlan
	// lists holds the plans of the list and map types being built, for types that hold
	// themselves without a struct between (a list of itself).
	lists map[reflect.Type]*valuePlan
}

func (b *planBuilder) structPlan(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	if p, ok := b.built[t]; ok {
		return p
	}
	p := &structPlan{}
	b.built[t] = p
	if t.Kind() != reflect.Struct {
		// Only struct fields have rules: a payload of another kind has nothing to check.
		p.raw, p.done = reflect.StructOf(nil), true
		return p
	}
	var rawFields []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		rule, opts, _ := strings.Cut(f.Tag.Get("eventgen"), ",")
		fp := fieldPlan{name: name, index: i}
		switch rule {
		case "required":
			fp.absent, fp.null = true, true
		case "present":
			fp.absent = true
		case "notnull":
			fp.null = true
		}
		fp.inside = b.valuePlan(f.Type, nullItemDepths(opts), 1)
		if !fp.absent && !fp.null && fp.inside == nil {
			continue
		}
		p.fields = append(p.fields, fp)
		rawFields = append(rawFields, reflect.StructField{
			Name: "F" + strconv.Itoa(len(rawFields)), Type: rawType, Tag: reflect.StructTag(`json:"` + name + `"`),
		})
	}
	p.raw = reflect.StructOf(rawFields)
	p.done = true
	return p
}

// valuePlan is the plan of the inside of a value of Go type t at list depth depth; nullable
// holds the depths whose items may be null.
func (b *planBuilder) valuePlan(t reflect.Type, nullable map[int]bool, depth int) *valuePlan {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType || t == rawType:
		return nil
	case t.Kind() == reflect.Struct:
		sp := b.structPlan(t)
		if sp.done && len(sp.fields) == 0 {
			return nil
		}
		// A plan still being built (a type that holds itself) is walked; if it ends up with
		// no fields, the walk finds nothing.
		return &valuePlan{strct: sp}
	case t.Kind() == reflect.Slice, t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		// A []byte is a slice too, of a JSON string: decoding it as a list fails, so the walk
		// finds nothing in it, and a list of small numbers ([...uint8]) is still checked.
		if vp, ok := b.lists[t]; ok {
			return vp // a list or map type that holds itself: the walk goes as deep as the JSON
		}
		elem := t.Elem()
		vp := &valuePlan{isMap: t.Kind() == reflect.Map, itemsNull: elem.Kind() == reflect.Pointer || nullable[depth]}
		b.lists[t] = vp
		vp.items = b.valuePlan(elem, nullable, depth+1)
		delete(b.lists, t)
		if vp.itemsNull && vp.items == nil {
			return nil
		}
		return vp
	}
	return nil
}

// nullItemDepths reads the nullitems option of an eventgen tag.
func nullItemDepths(opts string) map[int]bool {
	list, ok := strings.CutPrefix(opts, "nullitems=")
	if !ok {
		return nil
	}
	depths := map[int]bool{}
	for _, d := range strings.Fields(list) {
		if n, err := strconv.Atoi(d); err == nil {
			depths[n] = true
		}
	}
	return depths
}

// check applies the plan to data, the JSON of one struct value, at path.
func (p *structPlan) check(data []byte, path string, ve *ValidationError) {
	if len(p.fields) == 0 {
		return
	}
	raw := reflect.New(p.raw)
	if json.Unmarshal(data, raw.Interface()) != nil {
		return
	}
	raw = raw.Elem()
	for i, f := range p.fields {
		value := raw.Field(i).Bytes()
		at := f.name
		if path != "" {
			at = path + "." + f.name
		}
		switch {
		case value == nil:
			if f.absent {
				ve.Add(at, "is required")
			}
			continue
		case string(value) == "null":
			if f.null {
				ve.Add(at, "must not be null")
			}
			continue
		}
		f.inside.check(value, at, ve)
	}
}

// check applies the plan to value, present and not null, at path.
func (v *valuePlan) check(value []byte, path string, ve *ValidationError) {
	switch {
	case v == nil:
	case v.strct != nil:
		v.strct.check(value, path, ve)
	case v.items == nil && !bytes.Contains(value, []byte("null")):
		// Items with nothing inside to check can only break the rules by being null.
	case v.isMap:
		var items map[string]json.RawMessage
		if json.Unmarshal(value, &items) != nil {
			return
		}
		// Sorted keys: violations come in the same order on every run.
		for _, k := range slices.Sorted(maps.Keys(items)) {
			v.checkItem(items[k], path+"["+strconv.Quote(k)+"]", ve)
		}
	default:
		var items []json.RawMessage
		if json.Unmarshal(value, &items) != nil {
			return
		}
		for i, item := range items {
			v.checkItem(item, path+"["+strconv.Itoa(i)+"]", ve)
		}
	}
}

// checkItem checks one item of a list or map.
func (v *valuePlan) checkItem(item []byte, path string, ve *ValidationError) {
	if string(item) == "null" {
		if !v.itemsNull {
			ve.Add(path, "must not be null")
		}
		return
	}
	v.items.check(item, path, ve)
}

// mayLack is MayLack for a struct value.
func (p *structPlan) mayLack(v reflect.Value) bool {
	for _, f := range p.fields {
		fv := v.Field(f.index)
		if f.absent && fv.IsZero() {
			return true
		}
		if f.inside != nil && f.inside.mayLack(fv) {
			return true
		}
	}
	return false
}

// mayLack reports whether a value (the zero value of a missing one included) holds a struct
// that could lack a required field.
func (v *valuePlan) mayLack(value reflect.Value) bool {
	for value.Kind() == reflect.Pointer {
		if value.IsNil() {
			return false // missing or null: the field's own rule, or the null test, sees it
		}
		value = value.Elem()
	}
	switch {
	case v.strct != nil:
		return v.strct.mayLack(value)
	case v.items == nil:
		return false
	case value.Kind() == reflect.Map:
		for it := value.MapRange(); it.Next(); {
			if v.items.mayLack(it.Value()) {
				return true
			}
		}
	case value.Kind() == reflect.Slice:
		for i := range value.Len() {
			if v.items.mayLack(value.Index(i)) {
				return true
			}
		}
	}
	return false
}
