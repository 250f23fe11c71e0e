package cue

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/eventgen/eventgen/spec"
)

// Payload types are read from the syntax the user wrote, not from the evaluated value:
// evaluation loses what matters here (int32 becomes int & >=-2147483648 & ..., the default
// [] of [...T] hides the element type, defaults vanish into simplified disjunctions). The
// evaluated value is still used for what evaluation does best: the field set of a struct
// after embedding (v2: {v1, ...}) and unification of several declarations of a field.

// structFields returns the fields of the evaluated struct v, in the order of their first
// declaration.
func (l *loader) structFields(v cue.Value) []*spec.Field {
	type placed struct {
		f   *spec.Field
		pos token.Pos
	}
	var out []placed
	for _, fv := range fields(v) {
		// The declarations are looked up once: position, doc comment and type all read them.
		srcs := conjunctSources(fv.v)
		p := fieldPosOf(srcs, fv.v)
		out = append(out, placed{
			f: &spec.Field{
				Name:     fv.name,
				GoName:   l.goName(fv.v),
				Doc:      docOfSources(srcs),
				Optional: fv.optional,
				Pos:      l.pos(p),
				Type:     l.typeOf("", fv.v, srcs, p),
			},
			pos: p,
		})
	}
	slices.SortStableFunc(out, func(a, b placed) int {
		return cmp.Or(cmp.Compare(a.pos.Filename(), b.pos.Filename()), cmp.Compare(a.pos.Offset(), b.pos.Offset()))
	})
	fs := make([]*spec.Field, len(out))
	for i, p := range out {
		fs[i] = p.f
	}
	return fs
}

// fieldType reads the type of the field (or definition) holding v from every declaration
// of it. An unsupported construct is reported at the field and gives a KindAny type so that
// loading can go on and report more. name is the element's name in messages; "" names it by
// its path.
func (l *loader) fieldType(name string, v cue.Value) *spec.Type {
	srcs := conjunctSources(v)
	return l.typeOf(name, v, srcs, fieldPosOf(srcs, v))
}

// typeOf is fieldType given the declarations of v and its position.
func (l *loader) typeOf(name string, v cue.Value, srcs []ast.Node, at token.Pos) *spec.Type {
	var exprs []ast.Expr
	for _, n := range srcs {
		switch n := n.(type) {
		case *ast.Field:
			exprs = append(exprs, n.Value)
		case ast.Expr:
			exprs = append(exprs, n)
		}
	}
	p := &typeParser{l: l, name: name, field: v, at: at}
	if len(exprs) == 0 {
		p.fail("the type cannot be read; write it as a CUE type such as string or #Name")
		return &spec.Type{Kind: spec.KindAny, Pos: l.pos(p.at)}
	}
	var t *term
	for _, e := range exprs {
		x := p.parse(e, v)
		if t == nil {
			t = x
		} else {
			t = p.and(t, x)
		}
	}
	return p.finish(t)
}

// typeParser reads the type of one field. It reports at most one error, at the field.
type typeParser struct {
	l *loader
	// name names the field in messages; when it is "", the path of field does. suffix
	// follows either (".a.b" for a field of a struct in the field's type). The path is only
	// worked out for a message: it is not cheap, and most fields have none.
	name   string
	field  cue.Value
	suffix string
	at     token.Pos
	failed bool
}

// path names the field the way messages do.
func (p *typeParser) path() string {
	if p.name != "" {
		return p.name + p.suffix
	}
	return pathOf(p.field) + p.suffix
}

func (p *typeParser) fail(format string, args ...any) {
	if p.failed {
		return
	}
	p.failed = true
	p.l.errorf(p.at, "%s: %s", p.path(), fmt.Sprintf(format, args...))
}

// term is a partly read type: a spec.Type whose Kind may still be unknown (a bound or a
// pattern alone), or one literal value, or null.
type term struct {
	t *spec.Type
	// hint is the kind implied by constraints when t.Kind is not known yet.
	hint spec.Kind
	// lit is the JSON of a literal term; litKind its kind (KindString, KindInt, KindFloat,
	// KindBool).
	lit     json.RawMessage
	litKind spec.Kind
	null    bool
	// isDefault marks a `*x` alternative of a disjunction.
	isDefault bool
}

func (p *typeParser) typ(k spec.Kind, pos token.Pos) *term {
	return &term{t: &spec.Type{Kind: k, Pos: p.l.pos(pos)}}
}

func (p *typeParser) invalid() *term { return &term{t: &spec.Type{Kind: spec.KindAny}} }

// parse reads one expression; val is the evaluated value at the same place, or the zero
// Value when it is not known.
func (p *typeParser) parse(e ast.Expr, val cue.Value) *term {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return p.parse(x.X, val)
	case *ast.Ident:
		return p.ident(x)
	case *ast.BasicLit:
		return p.basicLit(x, false)
	case *ast.UnaryExpr:
		return p.unary(x, val)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.AND:
			return p.and(p.parse(x.X, val), p.parse(x.Y, val))
		case token.OR:
			return p.or(x, val)
		}
		p.fail("the operator %s is not supported in a type", x.Op)
		return p.invalid()
	case *ast.SelectorExpr:
		return p.selector(x)
	case *ast.CallExpr:
		return p.call(x)
	case *ast.ListLit:
		return p.list(x, val)
	case *ast.StructLit:
		return p.structLit(x, val)
	}
	p.fail("this expression is not supported as a type; use a CUE type such as string, [...T] or #Name")
	return p.invalid()
}

// predeclared maps CUE's predeclared type names to their types.
var predeclared = map[string]spec.Type{
	"string":  {Kind: spec.KindString},
	"bytes":   {Kind: spec.KindBytes},
	"bool":    {Kind: spec.KindBool},
	"int":     {Kind: spec.KindInt},
	"int8":    {Kind: spec.KindInt, Bits: 8, Sized: true},
	"int16":   {Kind: spec.KindInt, Bits: 16, Sized: true},
	"int32":   {Kind: spec.KindInt, Bits: 32, Sized: true},
	"int64":   {Kind: spec.KindInt, Bits: 64, Sized: true},
	"uint":    {Kind: spec.KindInt, Unsigned: true, Sized: true},
	"uint8":   {Kind: spec.KindInt, Bits: 8, Unsigned: true, Sized: true},
	"uint16":  {Kind: spec.KindInt, Bits: 16, Unsigned: true, Sized: true},
	"uint32":  {Kind: spec.KindInt, Bits: 32, Unsigned: true, Sized: true},
	"uint64":  {Kind: spec.KindInt, Bits: 64, Unsigned: true, Sized: true},
	"float":   {Kind: spec.KindFloat},
	"number":  {Kind: spec.KindFloat},
	"float32": {Kind: spec.KindFloat, Bits: 32, Sized: true},
	"float64": {Kind: spec.KindFloat, Bits: 64, Sized: true},
}

func (p *typeParser) ident(x *ast.Ident) *term {
	if x.Name == "_" {
		return p.typ(spec.KindAny, x.Pos())
	}
	if x.Node == nil {
		if t, ok := predeclared[x.Name]; ok {
			t.Pos = p.l.pos(x.Pos())
			return &term{t: &t}
		}
		p.fail("the type %s is not supported; use string, bool, bytes, int, int8..int64, uint..uint64, float, float32, float64, number or time.Time", x.Name)
		return p.invalid()
	}
	if _, ok := x.Node.(*ast.ImportSpec); ok {
		p.fail("the package %s is not a type", x.Name)
		return p.invalid()
	}
	if !strings.HasPrefix(x.Name, "#") {
		p.fail("%s refers to a field; only definitions (#Name) can be used as types", x.Name)
		return p.invalid()
	}
	if _, top := x.Scope.(*ast.File); !top {
		p.fail("%s is a nested definition; only top-level definitions (#Name) can be used as types", x.Name)
		return p.invalid()
	}
	t := p.typ(spec.KindRef, x.Pos())
	t.t.Ref = strings.TrimPrefix(x.Name, "#")
	return t
}

// basicLit reads a literal. neg negates a number.
func (p *typeParser) basicLit(x *ast.BasicLit, neg bool) *term {
	switch x.Kind {
	case token.NULL:
		return &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}, null: true}
	case token.TRUE, token.FALSE:
		return &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}, lit: json.RawMessage(x.Value), litKind: spec.KindBool}
	case token.STRING:
		s, err := literal.Unquote(x.Value)
		if err != nil {
			p.fail("a string literal of this kind is not supported here")
			return p.invalid()
		}
		b, _ := json.Marshal(s)
		return &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}, lit: b, litKind: spec.KindString}
	case token.INT, token.FLOAT:
		n, isInt, ok := number(x, neg)
		if !ok {
			p.fail("the number %s cannot be read", x.Value)
			return p.invalid()
		}
		k := spec.KindFloat
		if isInt {
			k = spec.KindInt
		}
		return &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}, lit: json.RawMessage(n), litKind: k}
	}
	p.fail("this literal is not supported as a type")
	return p.invalid()
}

// number returns a numeric literal as a plain decimal ("-5", "1.5", "1000" for 1K).
func number(x *ast.BasicLit, neg bool) (s string, isInt, ok bool) {
	var ni literal.NumInfo
	if err := literal.ParseNum(x.Value, &ni); err != nil {
		return "", false, false
	}
	s = ni.String()
	if neg {
		s = "-" + s
	}
	return s, ni.IsInt(), true
}

func (p *typeParser) unary(x *ast.UnaryExpr, val cue.Value) *term {
	switch x.Op {
	case token.GEQ, token.GTR, token.LEQ, token.LSS:
		lit, neg := x.X, false
		if u, ok := lit.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
			lit, neg = u.X, u.Op == token.SUB
		}
		bl, ok := lit.(*ast.BasicLit)
		if !ok || (bl.Kind != token.INT && bl.Kind != token.FLOAT) {
			p.fail("a bound must be a number literal, as in >=0")
			return p.invalid()
		}
		n, _, ok := number(bl, neg)
		if !ok {
			p.fail("the number %s cannot be read", bl.Value)
			return p.invalid()
		}
		// A bound alone is a number, as in CUE; int & >=0 is an int.
		t := &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}, hint: spec.KindFloat}
		b := &spec.Bound{Value: n, Exclusive: x.Op == token.GTR || x.Op == token.LSS}
		if x.Op == token.GEQ || x.Op == token.GTR {
			t.t.Constraints.Min = b
		} else {
			t.t.Constraints.Max = b
		}
		return t
	case token.MAT, token.NMAT:
		bl, ok := x.X.(*ast.BasicLit)
		var re string
		var err error
		if ok && bl.Kind == token.STRING {
			re, err = literal.Unquote(bl.Value)
		}
		if !ok || bl.Kind != token.STRING || err != nil {
			p.fail("a regular expression must be a string literal, as in =~\"^[a-z]+$\"")
			return p.invalid()
		}
		t := &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}, hint: spec.KindString}
		if x.Op == token.MAT {
			t.t.Constraints.Patterns = []string{re}
		} else {
			t.t.Constraints.NotPatterns = []string{re}
		}
		return t
	case token.MUL:
		t := p.parse(x.X, val)
		t.isDefault = true
		return t
	case token.SUB:
		if bl, ok := x.X.(*ast.BasicLit); ok && (bl.Kind == token.INT || bl.Kind == token.FLOAT) {
			return p.basicLit(bl, true)
		}
	}
	p.fail("the operator %s is not supported in a type", x.Op)
	return p.invalid()
}

// importPath returns the import path of the package an identifier names, or "".
func importPath(x ast.Expr) string {
	id, ok := x.(*ast.Ident)
	if !ok {
		return ""
	}
	spec, ok := id.Node.(*ast.ImportSpec)
	if !ok || spec.Path == nil {
		return ""
	}
	s, err := literal.Unquote(spec.Path.Value)
	if err != nil {
		return ""
	}
	return s
}

func (p *typeParser) selector(x *ast.SelectorExpr) *term {
	pkg := importPath(x.X)
	name, _, _ := ast.LabelName(x.Sel)
	switch {
	case pkg == "time" && name == "Time":
		return p.typ(spec.KindTime, x.Pos())
	case pkg == "list" && name == "UniqueItems":
		t := &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}, hint: spec.KindList}
		t.t.Constraints.UniqueItems = true
		return t
	case pkg != "":
		p.fail("%s.%s is not supported; the supported constraints are listed in spec/README.md", pkg, name)
		return p.invalid()
	}
	p.fail("a selection is not supported as a type; use a top-level definition (#Name)")
	return p.invalid()
}

func (p *typeParser) call(x *ast.CallExpr) *term {
	sel, ok := x.Fun.(*ast.SelectorExpr)
	if !ok {
		p.fail("this call is not supported as a type")
		return p.invalid()
	}
	pkg := importPath(sel.X)
	name, _, _ := ast.LabelName(sel.Sel)
	fn := pkg + "." + name
	intArg := func() (int, bool) {
		if len(x.Args) != 1 {
			p.fail("%s takes one integer literal", fn)
			return 0, false
		}
		bl, ok := x.Args[0].(*ast.BasicLit)
		if !ok || bl.Kind != token.INT {
			p.fail("%s takes one integer literal", fn)
			return 0, false
		}
		s, _, ok := number(bl, false)
		n, err := strconv.Atoi(s)
		if !ok || err != nil || n < 0 {
			p.fail("%s takes a non-negative integer", fn)
			return 0, false
		}
		return n, true
	}
	t := &term{t: &spec.Type{Pos: p.l.pos(x.Pos())}}
	c := &t.t.Constraints
	switch fn {
	case "strings.MinRunes", "strings.MaxRunes":
		n, ok := intArg()
		if !ok {
			return p.invalid()
		}
		t.hint = spec.KindString
		if name == "MinRunes" {
			c.MinRunes = &n
		} else {
			c.MaxRunes = &n
		}
	case "list.MinItems", "list.MaxItems":
		n, ok := intArg()
		if !ok {
			return p.invalid()
		}
		t.hint = spec.KindList
		if name == "MinItems" {
			c.MinItems = &n
		} else {
			c.MaxItems = &n
		}
	case "list.UniqueItems":
		if len(x.Args) != 0 {
			p.fail("list.UniqueItems takes no argument")
			return p.invalid()
		}
		t.hint = spec.KindList
		c.UniqueItems = true
	default:
		p.fail("%s is not supported; use strings.MinRunes, strings.MaxRunes, list.MinItems, list.MaxItems or list.UniqueItems", fn)
		return p.invalid()
	}
	return t
}

// readsValue reports whether parsing the type expression e reads the evaluated value passed
// to parse: only list and struct literals do, directly or inside an operand.
func readsValue(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.ListLit, *ast.StructLit:
		return true
	case *ast.ParenExpr:
		return readsValue(x.X)
	case *ast.UnaryExpr:
		return readsValue(x.X)
	case *ast.BinaryExpr:
		return readsValue(x.X) || readsValue(x.Y)
	}
	return false
}

// nonNull returns the evaluated value of the one non-null alternative of a nullable value,
// or val itself.
func nonNull(val cue.Value) cue.Value {
	if !val.Exists() || val.IncompleteKind()&cue.NullKind == 0 {
		return val
	}
	op, args := val.Expr()
	if op != cue.OrOp {
		return val
	}
	var found cue.Value
	n := 0
	for _, a := range args {
		if a.IncompleteKind() != cue.NullKind {
			found = a
			n++
		}
	}
	if n == 1 {
		return found
	}
	return cue.Value{}
}

func (p *typeParser) list(x *ast.ListLit, val cue.Value) *term {
	if len(x.Elts) != 1 {
		p.fail("a list type is written [...T]; fixed-length lists and list values are not supported")
		return p.invalid()
	}
	el, ok := x.Elts[0].(*ast.Ellipsis)
	if !ok {
		p.fail("a list type is written [...T]; fixed-length lists and list values are not supported")
		return p.invalid()
	}
	t := p.typ(spec.KindList, x.Pos())
	var elemVal cue.Value
	if el.Type == nil || !readsValue(el.Type) {
		// The element's type does not need its value.
	} else if v := nonNull(val); v.Exists() && v.IncompleteKind()&cue.ListKind != 0 {
		elemVal = v.LookupPath(cue.MakePath(cue.AnyIndex))
	}
	if el.Type == nil {
		t.t.Elem = &spec.Type{Kind: spec.KindAny, Pos: p.l.pos(el.Pos())}
		return t
	}
	t.t.Elem = p.finish(p.parse(el.Type, elemVal))
	return t
}

func (p *typeParser) structLit(x *ast.StructLit, val cue.Value) *term {
	var decls []ast.Decl
	for _, d := range x.Elts {
		if _, ok := d.(*ast.CommentGroup); !ok {
			decls = append(decls, d)
		}
	}
	if len(decls) == 1 {
		switch d := decls[0].(type) {
		case *ast.EmbedDecl:
			return p.parse(d.Expr, val)
		case *ast.Field:
			if pat, ok := d.Label.(*ast.ListLit); ok {
				return p.mapType(x, d, pat, val)
			}
		}
	}
	t := p.typ(spec.KindStruct, x.Pos())
	if v := nonNull(val); v.Exists() && v.IncompleteKind()&cue.StructKind != 0 {
		t.t.Fields = p.l.structFields(v)
		return t
	}
	// No evaluated value is known here (a struct in an unusual place): read the fields
	// from the syntax.
	for _, d := range decls {
		f, ok := d.(*ast.Field)
		if !ok {
			p.fail("embedding in this struct is not supported; declare a definition (#Name) and use it")
			return p.invalid()
		}
		name, _, err := ast.LabelName(f.Label)
		if err != nil {
			p.fail("the label of a field in this struct cannot be read; use a plain name")
			return p.invalid()
		}
		field := &spec.Field{Name: name, Optional: f.Constraint == token.OPTION, Pos: p.l.pos(f.Label.Pos())}
		var docs []string
		for _, cg := range ast.Comments(f) {
			if cg.Doc {
				docs = append(docs, strings.TrimSpace(cg.Text()))
			}
		}
		field.Doc = strings.Join(docs, "\n")
		for _, a := range f.Attrs {
			if k, body := a.Split(); k == "go" {
				field.GoName = strings.TrimSpace(body)
			}
		}
		sub := &typeParser{l: p.l, name: p.name, field: p.field, suffix: p.suffix + "." + quoteLabel(name), at: f.Label.Pos()}
		field.Type = sub.finish(sub.parse(f.Value, cue.Value{}))
		t.t.Fields = append(t.t.Fields, field)
	}
	return t
}

func (p *typeParser) mapType(x *ast.StructLit, f *ast.Field, pat *ast.ListLit, val cue.Value) *term {
	if len(pat.Elts) != 1 {
		p.fail("a map type is written {[string]: T}")
		return p.invalid()
	}
	if id, ok := pat.Elts[0].(*ast.Ident); !ok || id.Name != "string" || id.Node != nil {
		p.fail("a map type is written {[string]: T}; keys other than string are not supported")
		return p.invalid()
	}
	t := p.typ(spec.KindMap, x.Pos())
	var elemVal cue.Value
	if !readsValue(f.Value) {
		// The element's type does not need its value.
	} else if v := nonNull(val); v.Exists() && v.IncompleteKind()&cue.StructKind != 0 {
		elemVal = v.LookupPath(cue.MakePath(cue.AnyString))
	}
	t.t.Elem = p.finish(p.parse(f.Value, elemVal))
	return t
}

// or reads a disjunction: string enums, T | null, and a default for a scalar type.
func (p *typeParser) or(x *ast.BinaryExpr, val cue.Value) *term {
	var alts []ast.Expr
	var flatten func(e ast.Expr)
	flatten = func(e ast.Expr) {
		for {
			pe, ok := e.(*ast.ParenExpr)
			if !ok {
				break
			}
			e = pe.X
		}
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.OR {
			flatten(b.X)
			flatten(b.Y)
			return
		}
		alts = append(alts, e)
	}
	flatten(x)
	structs := 0
	for _, a := range alts {
		if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.MUL {
			a = u.X
		}
		if _, ok := a.(*ast.StructLit); ok {
			structs++
		}
	}
	if structs > 1 {
		p.fail("a disjunction of structs is not supported; use one struct with optional fields")
		return p.invalid()
	}
	// Only list and struct alternatives read the evaluated value, and nonNull is not cheap.
	var inner cue.Value
	if slices.ContainsFunc(alts, readsValue) {
		inner = nonNull(val)
	}
	var nullable bool
	var nullDefault bool
	var lits, types []*term
	for _, a := range alts {
		t := p.parse(a, inner)
		if p.failed {
			return p.invalid()
		}
		switch {
		case t.null:
			nullable = true
			nullDefault = nullDefault || t.isDefault
		case t.lit != nil:
			lits = append(lits, t)
		default:
			types = append(types, t)
		}
	}
	var out *term
	switch {
	case len(types) == 0 && len(lits) == 0:
		p.fail("null alone is not a type; write T | null")
		return p.invalid()
	case len(types) == 0:
		out = p.typ(spec.KindEnum, x.Pos())
		for _, l := range lits {
			if l.litKind != spec.KindString {
				p.fail("only strings can form an enum; for numbers use a bounded type such as int & >=1 & <=3")
				return p.invalid()
			}
			var s string
			_ = json.Unmarshal(l.lit, &s)
			if !slices.Contains(out.t.Enum, s) {
				out.t.Enum = append(out.t.Enum, s)
			}
			if l.isDefault {
				if out.t.Default != nil {
					p.fail("a disjunction has more than one default (*)")
					return p.invalid()
				}
				out.t.Default = l.lit
			}
		}
	default:
		if len(types) > 1 {
			structs := 0
			kinds := make([]string, len(types))
			for i, t := range types {
				k := p.kindOf(t)
				kinds[i] = kindWord(k)
				if k == spec.KindStruct || k == spec.KindMap {
					structs++
				}
			}
			if structs > 1 {
				p.fail("a disjunction of structs is not supported; use one struct with optional fields")
			} else {
				p.fail("a disjunction of %s is not supported; use one type, or separate optional fields", strings.Join(kinds, " and "))
			}
			return p.invalid()
		}
		out = types[0]
		if out.isDefault {
			if k := p.kindOf(out); k == spec.KindStruct || k == spec.KindMap || k == spec.KindList || k == spec.KindRef {
				p.fail("a default for a %s is not supported; make the field optional instead", kindWord(k))
				return p.invalid()
			}
		}
		for _, l := range lits {
			if !l.isDefault {
				continue // `string | "x"` is string
			}
			k := p.kindOf(out)
			fits := l.litKind == k || l.litKind == spec.KindInt && k == spec.KindFloat || l.litKind == spec.KindString && k == spec.KindEnum
			if !fits {
				p.fail("the default %s is not a %s", l.lit, kindWord(k))
				return p.invalid()
			}
			out.t.Default = l.lit
		}
	}
	if nullable {
		out.t.Nullable = true
		if nullDefault {
			out.t.Default = json.RawMessage("null")
		}
	}
	out.isDefault = false
	return out
}

// kindOf returns the kind a term has or will have, resolving references for the purpose of
// telling structs apart.
func (p *typeParser) kindOf(t *term) spec.Kind {
	k := t.t.Kind
	if k == spec.KindInvalid {
		k = t.hint
	}
	if k == spec.KindRef {
		d := p.l.root.LookupPath(cue.MakePath(cue.Def("#" + t.t.Ref)))
		if d.IncompleteKind() == cue.StructKind {
			return spec.KindStruct
		}
	}
	return k
}

func kindWord(k spec.Kind) string {
	switch k {
	case spec.KindAny:
		return "any value (_)"
	case spec.KindRef:
		return "definition"
	case spec.KindInvalid:
		return "constraint"
	}
	return k.String()
}

// and unifies two terms.
func (p *typeParser) and(a, b *term) *term {
	if p.failed {
		return p.invalid()
	}
	if a.null || b.null {
		p.fail("null combined with & is not a type; write T | null for a nullable field")
		return p.invalid()
	}
	if a.lit != nil || b.lit != nil {
		lit, other := a, b
		if b.lit != nil {
			lit, other = b, a
		}
		if other.lit != nil && string(other.lit) != string(lit.lit) {
			p.fail("conflicting values %s and %s", a.lit, b.lit)
			return p.invalid()
		}
		if lit.litKind == spec.KindString {
			// A single string value is an enum of one value; other constraints stay.
			t := p.typ(spec.KindEnum, token.NoPos)
			t.t.Pos = lit.t.Pos
			var s string
			_ = json.Unmarshal(lit.lit, &s)
			t.t.Enum = []string{s}
			t.t.Constraints = other.t.Constraints
			return t
		}
		p.fail("a constant %s is not a type; use a type such as int with bounds", lit.lit)
		return p.invalid()
	}
	out := &term{t: a.t}
	ka, kb := a.t.Kind, b.t.Kind
	switch {
	case ka == spec.KindInvalid:
		out.t = b.t
		mergeConstraints(&out.t.Constraints, a.t.Constraints)
		out.hint = cmp.Or(b.hint, a.hint)
		if b.hint == spec.KindFloat && a.hint == spec.KindInt {
			out.hint = spec.KindFloat
		}
		return out
	case kb == spec.KindInvalid:
		mergeConstraints(&out.t.Constraints, b.t.Constraints)
		return out
	case ka == kb:
		switch ka {
		case spec.KindInt, spec.KindFloat:
			if !a.t.Sized && b.t.Sized {
				out.t = b.t
				mergeConstraints(&out.t.Constraints, a.t.Constraints)
				return out
			}
		case spec.KindRef:
			if a.t.Ref != b.t.Ref {
				p.fail("#%s and #%s cannot both be the type of one field", a.t.Ref, b.t.Ref)
				return p.invalid()
			}
		case spec.KindList, spec.KindMap:
			if a.t.Elem != nil && b.t.Elem != nil && a.t.Elem.Kind != b.t.Elem.Kind {
				p.fail("conflicting element types %s and %s", kindWord(a.t.Elem.Kind), kindWord(b.t.Elem.Kind))
				return p.invalid()
			}
		case spec.KindEnum:
			var common []string
			for _, v := range a.t.Enum {
				if slices.Contains(b.t.Enum, v) {
					common = append(common, v)
				}
			}
			out.t.Enum = common
			if out.t.Default == nil {
				out.t.Default = b.t.Default
			}
		}
		mergeConstraints(&out.t.Constraints, b.t.Constraints)
		return out
	case ka == spec.KindEnum && kb == spec.KindString, ka == spec.KindString && kb == spec.KindEnum:
		if kb == spec.KindEnum {
			out.t = b.t
			mergeConstraints(&out.t.Constraints, a.t.Constraints)
		} else {
			mergeConstraints(&out.t.Constraints, b.t.Constraints)
		}
		return out
	case ka == spec.KindInt && kb == spec.KindFloat && !b.t.Sized, ka == spec.KindFloat && kb == spec.KindInt && !a.t.Sized:
		// int & number is int.
		if kb == spec.KindInt {
			out.t = b.t
			mergeConstraints(&out.t.Constraints, a.t.Constraints)
		} else {
			mergeConstraints(&out.t.Constraints, b.t.Constraints)
		}
		return out
	case ka == spec.KindAny:
		out.t = b.t
		return out
	case kb == spec.KindAny:
		return out
	}
	p.fail("%s and %s cannot both be the type of one field", kindWord(ka), kindWord(kb))
	return p.invalid()
}

// mergeConstraints adds the constraints of b to a, keeping the tighter of two bounds.
func mergeConstraints(a *spec.Constraints, b spec.Constraints) {
	a.Patterns = appendNew(a.Patterns, b.Patterns)
	a.NotPatterns = appendNew(a.NotPatterns, b.NotPatterns)
	a.MinRunes = tighterInt(a.MinRunes, b.MinRunes, true)
	a.MaxRunes = tighterInt(a.MaxRunes, b.MaxRunes, false)
	a.MinItems = tighterInt(a.MinItems, b.MinItems, true)
	a.MaxItems = tighterInt(a.MaxItems, b.MaxItems, false)
	a.Min = tighterBound(a.Min, b.Min, true)
	a.Max = tighterBound(a.Max, b.Max, false)
	a.UniqueItems = a.UniqueItems || b.UniqueItems
}

func appendNew(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

func tighterInt(a, b *int, isMin bool) *int {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case isMin == (*b > *a):
		return b
	}
	return a
}

func tighterBound(a, b *spec.Bound, isMin bool) *spec.Bound {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	x, _, err1 := big.ParseFloat(a.Value, 10, 200, big.ToNearestEven)
	y, _, err2 := big.ParseFloat(b.Value, 10, 200, big.ToNearestEven)
	if err1 != nil || err2 != nil {
		return a
	}
	c := y.Cmp(x)
	if !isMin {
		c = -c
	}
	if c > 0 || c == 0 && b.Exclusive {
		return b
	}
	return a
}

// finish turns a term into a complete type: a constraint without a kind takes the kind its
// constraints imply; a literal string is an enum of one value.
func (p *typeParser) finish(t *term) *spec.Type {
	if t == nil || p.failed {
		return &spec.Type{Kind: spec.KindAny}
	}
	switch {
	case t.null:
		p.fail("null alone is not a type; write T | null")
		return &spec.Type{Kind: spec.KindAny}
	case t.lit != nil:
		if t.litKind == spec.KindString {
			var s string
			_ = json.Unmarshal(t.lit, &s)
			return &spec.Type{Kind: spec.KindEnum, Enum: []string{s}, Pos: t.t.Pos, Nullable: t.t.Nullable}
		}
		p.fail("a constant %s is not a type; use a type such as int with bounds", t.lit)
		return &spec.Type{Kind: spec.KindAny}
	}
	if t.t.Kind == spec.KindInvalid {
		t.t.Kind = t.hint
		if t.hint == spec.KindList && t.t.Elem == nil {
			t.t.Elem = &spec.Type{Kind: spec.KindAny, Pos: t.t.Pos}
		}
		if t.t.Kind == spec.KindInvalid {
			t.t.Kind = spec.KindAny
		}
	}
	if err := checkConstraintKinds(t.t); err != "" {
		p.fail("%s", err)
	}
	return t.t
}

// checkConstraintKinds rejects constraints that do not fit the type's kind, such as a
// regular expression on an int.
func checkConstraintKinds(t *spec.Type) string {
	c := t.Constraints
	str := len(c.Patterns) > 0 || len(c.NotPatterns) > 0 || c.MinRunes != nil || c.MaxRunes != nil
	num := c.Min != nil || c.Max != nil
	lst := c.MinItems != nil || c.MaxItems != nil || c.UniqueItems
	switch {
	case str && t.Kind != spec.KindString && t.Kind != spec.KindEnum:
		return fmt.Sprintf("string constraints (=~, !~, strings.MinRunes/MaxRunes) do not fit a %s", kindWord(t.Kind))
	case num && t.Kind != spec.KindInt && t.Kind != spec.KindFloat:
		return fmt.Sprintf("bounds (>=, >, <=, <) do not fit a %s", kindWord(t.Kind))
	case lst && t.Kind != spec.KindList:
		return fmt.Sprintf("list constraints (list.MinItems/MaxItems/UniqueItems) do not fit a %s", kindWord(t.Kind))
	case t.Kind == spec.KindInt && c.Min != nil && strings.ContainsAny(c.Min.Value, ".eE"),
		t.Kind == spec.KindInt && c.Max != nil && strings.ContainsAny(c.Max.Value, ".eE"):
		return "an int cannot have a fractional bound"
	}
	return ""
}
