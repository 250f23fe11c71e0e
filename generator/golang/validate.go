package golang

import (
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/check"
)

// The messages of violations come from spec/check, whose value validator checks the spec's
// examples: a problem reads the same in a generate error and from the generated Validate.
var (
	msgRequired   = check.MsgRequired()
	msgUnique     = check.MsgUnique()
	msgPattern    = check.MsgPattern
	msgNotPattern = check.MsgNotPattern
	msgOneOf      = check.MsgEnum
	msgMinRunes   = check.MsgMinRunes
	msgMaxRunes   = check.MsgMaxRunes
	msgMinItems   = check.MsgMinItems
	msgMaxItems   = check.MsgMaxItems
)

// msgBound is "must be >= 0", "must be < 10" and so on.
func msgBound(b *spec.Bound, isMin bool) string {
	if isMin {
		return check.MsgMin(*b)
	}
	return check.MsgMax(*b)
}

// fileCtx collects what a generated file declares at package level besides its types: the
// compiled regular expressions of its Validate methods.
type fileCtx struct {
	vars []jen.Code
}

// emit writes the file's variables, then body.
func (fc *fileCtx) emit(f *jen.File, body []jen.Code) {
	switch len(fc.vars) {
	case 0:
	case 1:
		f.Var().Add(fc.vars[0])
		f.Line()
	default:
		f.Var().Defs(fc.vars...)
		f.Line()
	}
	addAll(f, body...)
}

// path is the JSON path of a value as a Go string expression under construction: dynamic
// parts (a path parameter, list indexes, map keys) followed by a literal tail.
type path struct {
	parts []jen.Code
	lit   string
}

// paramPath is the path held by the parameter "path" of a nested validate method.
func paramPath() path { return path{parts: []jen.Code{jen.Id("path")}} }

func (p path) isRoot() bool { return len(p.parts) == 0 && p.lit == "" }

// field is the path of member name.
func (p path) field(name string) path {
	if p.isRoot() {
		return path{lit: name}
	}
	return path{parts: p.parts, lit: p.lit + "." + name}
}

// index is the path of the list element whose index variable is i.
func (p path) index(i string) path {
	parts := append(slices.Clone(p.parts), jen.Lit(p.lit+"["), jen.Qual("strconv", "Itoa").Call(jen.Id(i)))
	return path{parts: parts, lit: "]"}
}

// key is the path of the map value whose key variable is k: config["k"].
func (p path) key(k string) path {
	parts := append(slices.Clone(p.parts), jen.Lit(p.lit+"["), jen.Qual("strconv", "Quote").Call(jen.Id(k)))
	return path{parts: parts, lit: "]"}
}

// expr is the path as a Go string expression.
func (p path) expr() *jen.Statement {
	var s *jen.Statement
	add := func(c jen.Code) {
		if s == nil {
			s = jen.Add(c)
		} else {
			s.Op("+").Add(c)
		}
	}
	for _, c := range p.parts {
		add(c)
	}
	if p.lit != "" || s == nil {
		add(jen.Lit(p.lit))
	}
	return s
}

// violation is the statement that records message at p.
func violation(p path, message string) *jen.Statement {
	return jen.Id("ve").Dot("Add").Call(p.expr(), messageLit(message))
}

// messageLit is the Go literal of a violation message: a raw string when the message quotes
// values (enum members, patterns), which read better without escaped quotes.
func messageLit(message string) jen.Code {
	if strings.Contains(message, `"`) {
		return stringLit(message)
	}
	return jen.Lit(message)
}

// violationIf adds a violation at p when cond holds. A constant path makes it one call of
// event.ValidationError.AddIf, whose arguments cost nothing to evaluate: one line of generated
// source per rule instead of three. A path built at run time keeps the if statement, so that
// only a violation pays for building it.
func violationIf(cond *jen.Statement, p path, message string) jen.Code {
	if len(p.parts) == 0 {
		return jen.Id("ve").Dot("AddIf").Call(cond, p.expr(), messageLit(message))
	}
	return jen.If(cond).Block(violation(p, message))
}

// depthName is base for the outermost loop and base followed by depth inside it, so that nested
// loops never shadow each other's variables.
func depthName(base string, depth int) string {
	if depth == 0 {
		return base
	}
	return base + strconv.Itoa(depth)
}

// needsValidation reports whether a value of t has anything for Validate to check.
func (g *generator) needsValidation(t *spec.Type) bool {
	return g.needsValidationIn(t, nil)
}

// fieldsNeedValidation reports whether a struct with fields has anything to check.
func (g *generator) fieldsNeedValidation(fields []*spec.Field) bool {
	return g.fieldsNeedValidationIn(fields, nil)
}

// needsValidationIn is needsValidation within the walk of definitionNeedsValidation that has
// met the definitions in seen (nil outside such a walk). The answer is whether any type the
// walk reaches has a check: a definition met again, on the current path or after a branch
// that found nothing, adds nothing new, so it counts as false here. That is why only complete
// answers, those of a walk started at a definition, are memoized.
func (g *generator) needsValidationIn(t *spec.Type, seen map[string]bool) bool {
	switch t.Kind {
	case spec.KindString:
		c := t.Constraints
		return len(c.Patterns) > 0 || len(c.NotPatterns) > 0 || c.MinRunes != nil || c.MaxRunes != nil
	case spec.KindInt, spec.KindFloat:
		return t.Constraints.Min != nil || t.Constraints.Max != nil
	case spec.KindEnum:
		return true
	case spec.KindList:
		c := t.Constraints
		return c.MinItems != nil || c.MaxItems != nil || c.UniqueItems || g.needsValidationIn(t.Elem, seen)
	case spec.KindMap:
		return g.needsValidationIn(t.Elem, seen)
	case spec.KindStruct:
		return g.fieldsNeedValidationIn(t.Fields, seen)
	case spec.KindRef:
		d := g.m.Definition(t.Ref)
		if d == nil || d.Type == nil {
			return false
		}
		if needs, ok := g.defNeeds[d.Name]; ok {
			return needs
		}
		if seen == nil {
			return g.definitionNeedsValidation(d)
		}
		if seen[d.Name] {
			return false
		}
		seen[d.Name] = true
		return g.needsValidationIn(d.Type, seen)
	}
	return false
}

func (g *generator) fieldsNeedValidationIn(fields []*spec.Field, seen map[string]bool) bool {
	return slices.ContainsFunc(fields, func(f *spec.Field) bool {
		return g.requiredNilable(f) || g.needsValidationIn(f.Type, seen)
	})
}

// definitionNeedsValidation is needsValidation for a definition, memoized and safe for
// definitions that refer to themselves, directly or through others.
func (g *generator) definitionNeedsValidation(d *spec.Definition) bool {
	if needs, ok := g.defNeeds[d.Name]; ok {
		return needs
	}
	needs := d.Type != nil && g.needsValidationIn(d.Type, map[string]bool{d.Name: true})
	g.defNeeds[d.Name] = needs
	return needs
}

// requiredNilable reports whether f is required, not nullable, and of a Go type whose nil
// would marshal as null (a list, map or bytes): Validate then reports nil as missing.
func (g *generator) requiredNilable(f *spec.Field) bool {
	if f.Optional || f.Type.Nullable || !g.nilable(f.Type) {
		return false
	}
	r := g.m.Resolve(f.Type)
	return r != nil && r.Kind != spec.KindAny
}

// validateMethod is the unexported validate method of a nested struct type, or nil when it
// has nothing to check.
func (g *generator) validateMethod(fc *fileCtx, name string, fields []*spec.Field) jen.Code {
	if !g.fieldsNeedValidation(fields) {
		return nil
	}
	var body []jen.Code
	for _, f := range fields {
		body = append(body, g.fieldChecks(fc, f, paramPath(), name)...)
	}
	return comment("validate adds every violation of p's constraints to ve, with paths below path.").Line().
		Func().Params(jen.Id("p").Id(name)).Id("validate").
		Params(jen.Id("path").String(), jen.Id("ve").Op("*").Qual(eventPkg, "ValidationError")).
		Block(body...)
}

// scalarValidateMethod is the validate method of a definition that is not a struct (an enum, a
// constrained scalar, a list or a map), or nothing when it has nothing to check.
func (g *generator) scalarValidateMethod(fc *fileCtx, name string, t *spec.Type) []jen.Code {
	if !g.needsValidation(t) {
		return nil
	}
	val := func() *jen.Statement { return jen.Id("v") }
	if t.Kind == spec.KindString {
		val = func() *jen.Statement { return jen.String().Call(jen.Id("v")) }
	}
	body := g.checks(fc, t, val, paramPath(), 1, name)
	return []jen.Code{
		comment("validate adds every violation of v's constraints to ve, at path."),
		jen.Func().Params(jen.Id("v").Id(name)).Id("validate").
			Params(jen.Id("path").String(), jen.Id("ve").Op("*").Qual(eventPkg, "ValidationError")).
			Block(body...),
		jen.Line(),
	}
}

// versionValidate is the Validate method of a version's struct.
func (g *generator) versionValidate(fc *fileCtx, name string, v *spec.Version) jen.Code {
	doc := "Validate reports every value of the payload that breaks a constraint of the spec, as an\n" +
		"*event.ValidationError that lists each violation by JSON path; it returns nil for a valid payload."
	var body []jen.Code
	for _, f := range v.Fields {
		body = append(body, g.fieldChecks(fc, f, path{}, name)...)
	}
	if len(body) == 0 {
		return comment(doc).Line().Func().Params(jen.Id(name)).Id("Validate").Params().Error().
			Block(jen.Return(jen.Nil()))
	}
	body = append([]jen.Code{jen.Id("ve").Op(":=").Op("&").Qual(eventPkg, "ValidationError").Values()}, body...)
	body = append(body, jen.Return(jen.Id("ve").Dot("Err").Call()))
	return comment(doc).Line().Func().Params(jen.Id("p").Id(name)).Id("Validate").Params().Error().Block(body...)
}

// fieldChecks are the checks of field f of the struct held by receiver p, whose path is base.
func (g *generator) fieldChecks(fc *fileCtx, f *spec.Field, base path, owner string) []jen.Code {
	fp := base.field(f.Name)
	access := func() *jen.Statement { return jen.Id("p").Dot(g.fieldName(f)) }
	name := owner + g.fieldName(f)
	if g.fieldPtr(f) {
		inner := g.checks(fc, f.Type, func() *jen.Statement { return jen.Id("v") }, fp, 1, name)
		if len(inner) == 0 {
			return nil
		}
		deref := jen.Id("v").Op(":=").Op("*").Add(access())
		return []jen.Code{jen.If(access().Op("!=").Nil()).Block(append([]jen.Code{deref}, inner...)...)}
	}
	inner := g.checks(fc, f.Type, access, fp, 0, name)
	if (f.Optional || f.Type.Nullable) && g.nilable(f.Type) && len(inner) > 0 {
		// nil is an absent optional or a null list, map or bytes: its constraints do not apply,
		// as those of an absent optional scalar do not.
		return []jen.Code{jen.If(access().Op("!=").Nil()).Block(inner...)}
	}
	if !g.requiredNilable(f) {
		return inner
	}
	if len(inner) == 0 {
		return []jen.Code{violationIf(access().Op("==").Nil(), fp, msgRequired)}
	}
	missing := jen.If(access().Op("==").Nil()).Block(violation(fp, msgRequired))
	return []jen.Code{missing.Else().Block(inner...)}
}

// checks are the statements that check value val of type t at path p; depth numbers the loop
// variables; name is the Go name of t's inline types.
func (g *generator) checks(fc *fileCtx, t *spec.Type, val func() *jen.Statement, p path, depth int, name string) []jen.Code {
	switch t.Kind {
	case spec.KindString:
		return g.stringChecks(fc, t, val, p, name)
	case spec.KindInt, spec.KindFloat:
		var out []jen.Code
		if c := g.boundCheck(t, val, t.Constraints.Min, true, p); c != nil {
			out = append(out, c)
		}
		if c := g.boundCheck(t, val, t.Constraints.Max, false, p); c != nil {
			out = append(out, c)
		}
		return out
	case spec.KindEnum:
		return []jen.Code{violationIf(jen.Op("!").Add(val()).Dot("valid").Call(), p, msgOneOf(t.Enum))}
	case spec.KindList:
		return g.listChecks(fc, t, val, p, depth, name)
	case spec.KindMap:
		return g.mapChecks(fc, t, val, p, depth, name)
	case spec.KindStruct:
		if !g.fieldsNeedValidation(t.Fields) {
			return nil
		}
		return []jen.Code{val().Dot("validate").Call(p.expr(), jen.Id("ve"))}
	case spec.KindRef:
		if !g.needsValidation(t) {
			return nil
		}
		if r := g.m.Resolve(t); r != nil && r.Kind == spec.KindEnum {
			return []jen.Code{violationIf(jen.Op("!").Add(val()).Dot("valid").Call(), p, msgOneOf(r.Enum))}
		}
		return []jen.Code{val().Dot("validate").Call(p.expr(), jen.Id("ve"))}
	}
	return nil
}

// stringChecks check regular expressions and lengths in runes.
func (g *generator) stringChecks(fc *fileCtx, t *spec.Type, val func() *jen.Statement, p path, name string) []jen.Code {
	var out []jen.Code
	c := t.Constraints
	pattern := func(re string, negate bool) {
		if _, err := regexp.Compile(re); err != nil {
			g.diags = append(g.diags, spec.Errorf(t.Pos, "the regular expression %q of %s is not valid RE2: %v", re, name, err))
			return
		}
		suffix := "Pattern"
		if negate {
			suffix = "NotPattern"
		}
		v := g.uniqueVar(naming.LowerFirst(name) + suffix)
		fc.vars = append(fc.vars, jen.Id(v).Op("=").Qual("regexp", "MustCompile").Call(stringLit(re)))
		match := jen.Id(v).Dot("MatchString").Call(val())
		if negate {
			out = append(out, violationIf(match, p, msgNotPattern(re)))
		} else {
			out = append(out, violationIf(jen.Op("!").Add(match), p, msgPattern(re)))
		}
	}
	for _, re := range c.Patterns {
		pattern(re, false)
	}
	for _, re := range c.NotPatterns {
		pattern(re, true)
	}
	runes := func() *jen.Statement { return jen.Qual("unicode/utf8", "RuneCountInString").Call(val()) }
	switch {
	case c.MinRunes != nil && c.MaxRunes != nil:
		// Both bounds: count the runes once.
		out = append(out, jen.Switch(jen.Id("n").Op(":=").Add(runes()), jen.Empty()).Block(
			jen.Case(jen.Id("n").Op("<").Lit(*c.MinRunes)).Block(violation(p, msgMinRunes(*c.MinRunes))),
			jen.Case(jen.Id("n").Op(">").Lit(*c.MaxRunes)).Block(violation(p, msgMaxRunes(*c.MaxRunes)))))
	case c.MinRunes != nil:
		out = append(out, violationIf(runes().Op("<").Lit(*c.MinRunes), p, msgMinRunes(*c.MinRunes)))
	case c.MaxRunes != nil:
		out = append(out, violationIf(runes().Op(">").Lit(*c.MaxRunes), p, msgMaxRunes(*c.MaxRunes)))
	}
	return out
}

// stringLit is a Go string literal of s: a raw string when s allows one (regular expressions
// read better without doubled backslashes), else an interpreted one.
func stringLit(s string) jen.Code {
	if !strings.ContainsAny(s, "`\r") && !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\t' }) {
		return jen.Op("`" + s + "`")
	}
	return jen.Lit(s)
}

// listChecks check the number of items, their uniqueness and each item.
func (g *generator) listChecks(fc *fileCtx, t *spec.Type, val func() *jen.Statement, p path, depth int, name string) []jen.Code {
	var out []jen.Code
	c := t.Constraints
	if c.MinItems != nil {
		out = append(out, violationIf(jen.Len(val()).Op("<").Lit(*c.MinItems), p, msgMinItems(*c.MinItems)))
	}
	if c.MaxItems != nil {
		out = append(out, violationIf(jen.Len(val()).Op(">").Lit(*c.MaxItems), p, msgMaxItems(*c.MaxItems)))
	}
	if c.UniqueItems {
		out = append(out, g.uniqueCheck(t.Elem, val, p))
	}
	i, v := depthName("i", depth), depthName("v", depth)
	inner := g.elemChecks(fc, t.Elem, v, p.index(i), depth+1, name)
	if r := g.m.Resolve(t.Elem); len(inner) > 0 && !t.Elem.Nullable && r != nil && r.Kind == spec.KindStruct {
		// The check of a struct item is one call of its validate method: a helper emitted once
		// per package makes the loop.
		g.helpers["eventgenValidateEach"] = true
		return append(out, jen.Id("eventgenValidateEach").Call(jen.Id("ve"), p.expr(), val()))
	}
	if len(inner) > 0 {
		out = append(out, jen.For(jen.List(jen.Id(i), jen.Id(v)).Op(":=").Range().Add(val())).Block(inner...))
	}
	return out
}

// mapChecks check each value of a map, in the order of its sorted keys so that violations are
// listed deterministically.
func (g *generator) mapChecks(fc *fileCtx, t *spec.Type, val func() *jen.Statement, p path, depth int, name string) []jen.Code {
	k, v := depthName("k", depth), depthName("v", depth)
	inner := g.elemChecks(fc, t.Elem, v, p.key(k), depth+1, name)
	if len(inner) == 0 {
		return nil
	}
	keys := jen.Qual("slices", "Sorted").Call(jen.Qual("maps", "Keys").Call(val()))
	body := append([]jen.Code{jen.Id(v).Op(":=").Add(val()).Index(jen.Id(k))}, inner...)
	return []jen.Code{jen.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Add(keys)).Block(body...)}
}

// elemChecks check a list element or map value held in variable v.
func (g *generator) elemChecks(fc *fileCtx, elem *spec.Type, v string, p path, depth int, name string) []jen.Code {
	if elem.Nullable && !g.nilable(elem) {
		w := depthName("w", depth)
		inner := g.checks(fc, elem, func() *jen.Statement { return jen.Id(w) }, p, depth, name)
		if len(inner) == 0 {
			return nil
		}
		deref := jen.Id(w).Op(":=").Op("*").Id(v)
		return []jen.Code{jen.If(jen.Id(v).Op("!=").Nil()).Block(append([]jen.Code{deref}, inner...)...)}
	}
	return g.checks(fc, elem, func() *jen.Statement { return jen.Id(v) }, p, depth, name)
}

// uniqueCheck reports a list with two equal items: comparable scalars are compared directly,
// anything else by its JSON encoding (through generic helpers of eventgen_gen.go).
func (g *generator) uniqueCheck(elem *spec.Type, val func() *jen.Statement, p path) jen.Code {
	helper := "eventgenHasDuplicateJSON"
	if r := g.m.Resolve(elem); r != nil && !elem.Nullable {
		switch r.Kind {
		case spec.KindString, spec.KindInt, spec.KindFloat, spec.KindBool, spec.KindEnum:
			helper = "eventgenHasDuplicates"
		}
	}
	g.helpers[helper] = true
	return violationIf(jen.Id(helper).Call(val()), p, msgUnique)
}

// intRange is the range of a Go integer type.
func intRange(t *spec.Type) (lo, hi *big.Int) {
	bits := t.Bits
	if bits == 0 {
		bits = 64
	}
	if t.Unsigned {
		return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits)), big.NewInt(1))
	}
	hi = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)), big.NewInt(1))
	lo = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
	return lo, hi
}

// boundCheck is the check of one end of a numeric range, or nil when the Go type already rules
// out every value the bound excludes. A bound that every value of the Go type breaks is
// reported unconditionally rather than written as a constant the type cannot hold.
func (g *generator) boundCheck(t *spec.Type, val func() *jen.Statement, b *spec.Bound, isMin bool, p path) jen.Code {
	if b == nil {
		return nil
	}
	r, ok := new(big.Rat).SetString(b.Value)
	if !ok {
		g.diags = append(g.diags, spec.Errorf(t.Pos, "the bound %q is not a decimal number", b.Value))
		return nil
	}
	op := map[[2]bool]string{{true, false}: "<", {true, true}: "<=", {false, false}: ">", {false, true}: ">="}[[2]bool{isMin, b.Exclusive}]
	msg := msgBound(b, isMin)
	if t.Kind == spec.KindInt && r.IsInt() {
		n := r.Num()
		lo, hi := intRange(t)
		var vacuous, always bool
		switch op {
		case "<":
			vacuous, always = n.Cmp(lo) <= 0, n.Cmp(hi) > 0
		case "<=":
			vacuous, always = n.Cmp(lo) < 0, n.Cmp(hi) >= 0
		case ">":
			vacuous, always = n.Cmp(hi) >= 0, n.Cmp(lo) < 0
		case ">=":
			vacuous, always = n.Cmp(hi) > 0, n.Cmp(lo) <= 0
		}
		switch {
		case vacuous:
			return nil
		case always:
			return violation(p, msg)
		}
		return violationIf(val().Op(op).Op(n.String()), p, msg)
	}
	f, _ := r.Float64()
	lit := b.Value
	if _, err := strconv.ParseFloat(lit, 64); err != nil {
		lit = strconv.FormatFloat(f, 'g', -1, 64)
	}
	x := val()
	if t.Kind == spec.KindInt || t.Bits == 32 && math.Abs(f) > math.MaxFloat32 {
		x = jen.Float64().Call(x)
	}
	return violationIf(x.Op(op).Op(lit), p, msg)
}
