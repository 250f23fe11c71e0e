package pattern

import (
	"encoding/json"
	"strconv"
	"strings"
)

// maxBranches bounds how many alternatives the $or clauses of one pattern may expand to.
const maxBranches = 1024

// Operator names a condition's operator in a Leaf.
type Operator string

// The operators of the EventBridge pattern language.
const (
	// OpEquals is an exact value: a string, a number (compared by value), true, false or null.
	OpEquals Operator = "equals"
	// OpPrefix matches strings that start with Value (ignoring case when IgnoreCase).
	OpPrefix Operator = "prefix"
	// OpSuffix matches strings that end with Value (ignoring case when IgnoreCase).
	OpSuffix Operator = "suffix"
	// OpEqualsIgnoreCase matches strings equal to Value ignoring case.
	OpEqualsIgnoreCase Operator = "equals-ignore-case"
	// OpWildcard matches strings against Value, where '*' stands for any run of characters.
	OpWildcard Operator = "wildcard"
	// OpAnythingBut matches any present value except the listed ones (see Modifier).
	OpAnythingBut Operator = "anything-but"
	// OpNumeric matches numbers within the Comparisons.
	OpNumeric Operator = "numeric"
	// OpExists matches when the field is present (Value true) or absent (Value false).
	OpExists Operator = "exists"
	// OpCIDR matches strings holding an IP address within the CIDR block in Value.
	OpCIDR Operator = "cidr"
)

// Condition is one alternative of a Leaf: an operator and its operands, as written in the
// pattern.
type Condition struct {
	// Operator is the condition's operator.
	Operator Operator
	// Modifier qualifies OpAnythingBut: "" (plain values), OpPrefix, OpSuffix,
	// OpEqualsIgnoreCase or OpWildcard.
	Modifier Operator
	// IgnoreCase is true for prefix and suffix with equals-ignore-case.
	IgnoreCase bool
	// Value is the operand: for OpEquals a string, a json.Number, a bool or nil (null);
	// a string for OpPrefix, OpSuffix, OpEqualsIgnoreCase, OpWildcard and OpCIDR; a bool
	// for OpExists; nil for OpAnythingBut and OpNumeric.
	Value any
	// Values are OpAnythingBut's operands: strings, or json.Numbers for a plain numeric list.
	Values []any
	// Comparisons are OpNumeric's one or two comparisons, in order.
	Comparisons []Comparison
}

// Comparison is one bound of a numeric condition.
type Comparison struct {
	// Op is "=", "<", "<=", ">" or ">=".
	Op string
	// Value is the number compared against.
	Value json.Number
}

// Leaf is one field of a compiled pattern with the conditions it puts on that field; the
// field matches when any condition does.
type Leaf struct {
	// Path is the field path as the pattern writes it, one element per nested key. A key
	// may itself hold dots ("state.status"); AWS joins the path with dots, so
	// {"a":{"b.c":[...]}} and {"a":{"b":{"c":[...]}}} name the same field.
	Path []string
	// Conditions are the alternatives; at least one.
	Conditions []Condition
}

// opKind is the internal operator of a compiled condition.
type opKind uint8

const (
	kExactString opKind = iota
	kExactNumber
	kNull
	kTrue
	kFalse
	kPrefix
	kPrefixFold
	kSuffix
	kSuffixFold
	kEqualsFold
	kWildcard
	kNumeric
	kCIDR
	kExists
	kAbsent
	kButStrings  // anything-but a list of strings
	kButNumbers  // anything-but a list of numbers
	kButPrefix   // anything-but prefix
	kButSuffix   // anything-but suffix
	kButFold     // anything-but equals-ignore-case
	kButWildcard // anything-but wildcard
)

// cond is a compiled condition.
type cond struct {
	kind           opKind
	str            string      // exact string; prefix/suffix (folded for the fold kinds); folded value
	num            decimal     // exact number
	strs           []string    // anything-but strings, prefixes, suffixes, or folded strings
	nums           []decimal   // anything-but numbers
	wild           *wildcard   // wildcard
	wilds          []*wildcard // anything-but wildcard
	lo             *decimal    // numeric lower bound, nil if none
	hi             *decimal    // numeric upper bound, nil if none
	loOpen, hiOpen bool
	ip             *ipRange
	pub            Condition
}

// fieldCond is a field of a branch with its alternatives.
type fieldCond struct {
	path        []string
	key         string // dot-joined path
	conds       []*cond
	hasAbsent   bool // an alternative is exists:false
	hasPositive bool // an alternative needs a present value
}

// branch is one conjunction of the pattern's disjunctive normal form: every field must match.
type branch struct {
	fields []*fieldCond // keys unique
}

func (b *branch) put(fc *fieldCond) {
	for i, f := range b.fields {
		if f.key == fc.key {
			b.fields[i] = fc // AWS: a later key replaces an earlier one
			return
		}
	}
	b.fields = append(b.fields, fc)
}

func copyBranches(bs []*branch) []*branch {
	out := make([]*branch, len(bs))
	for i, b := range bs {
		out[i] = &branch{fields: append([]*fieldCond(nil), b.fields...)}
	}
	return out
}

// Pattern is a compiled EventBridge event pattern. It is immutable and safe for concurrent
// use.
type Pattern struct {
	branches []*branch
	leaves   []Leaf
	idx      *index // the pattern alone, for Pattern.Match
}

// Compile parses and validates an EventBridge event pattern. A pattern AWS would reject
// gives an *Error whose message starts as AWS's does ("Event pattern is not valid.
// Reason: ..."). When a key appears twice in one object, the later occurrence replaces the
// earlier one, as in AWS (whose rule compiler stores fields in a map).
func Compile(data []byte) (*Pattern, error) {
	branches, err := compileBranches(data)
	if err != nil {
		return nil, err
	}
	p := &Pattern{branches: branches}
	seen := map[*fieldCond]bool{}
	for _, b := range branches {
		for _, f := range b.fields {
			if seen[f] {
				continue
			}
			seen[f] = true
			l := Leaf{Path: append([]string(nil), f.path...)}
			for _, c := range f.conds {
				l.Conditions = append(l.Conditions, c.pub)
			}
			p.leaves = append(p.leaves, l)
		}
	}
	p.idx = newIndex()
	p.idx.add("", branches)
	return p, nil
}

// Leaves returns every field the pattern tests, with its conditions, in the order the
// pattern writes them. A field inside several $or alternatives is listed once per distinct
// occurrence; a field overridden by a later duplicate key is not listed.
func (p *Pattern) Leaves() []Leaf {
	out := make([]Leaf, len(p.leaves))
	for i, l := range p.leaves {
		out[i] = Leaf{Path: append([]string(nil), l.Path...), Conditions: append([]Condition(nil), l.Conditions...)}
	}
	return out
}

// Match reports whether the event matches the pattern. It returns an error only when the
// event is not a JSON object (including malformed JSON and nesting deeper than MaxDepth).
func (p *Pattern) Match(event []byte) (bool, error) {
	return p.idx.matchAny(event)
}

type compiler struct{}

func errAt(n *jnode, reason string) error { return &Error{Reason: reason, Offset: n.off} }

func compileBranches(data []byte) ([]*branch, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	if root.kind != jObject {
		return nil, errAt(root, "Filter is not an object")
	}
	var c compiler
	var rules []*branch
	if err := c.object(&rules, nil, root, false); err != nil {
		return nil, err
	}
	return rules, nil
}

var reservedInOr = map[string]bool{
	"anything-but": true, "exists": true, "prefix": true, "suffix": true, "numeric": true,
	"cidr": true, "equals-ignore-case": true, "wildcard": true,
}

func (c *compiler) object(rules *[]*branch, path []string, n *jnode, inOr bool) error {
	if len(n.keys) == 0 {
		return errAt(n, "Empty objects are not allowed")
	}
	for i, k := range n.keys {
		v := n.vals[i]
		if k == "$or" {
			if err := c.or(rules, path, v); err != nil {
				return err
			}
			continue
		}
		if inOr && reservedInOr[k] {
			return errAt(v, k+" is Ruler reserved fieldName which cannot be used inside $or.")
		}
		sub := append(path[:len(path):len(path)], k)
		switch v.kind {
		case jObject:
			if err := c.object(rules, sub, v, inOr); err != nil {
				return err
			}
		case jArray:
			if err := c.values(rules, sub, v); err != nil {
				return err
			}
		default:
			return errAt(v, strconv.Quote(k)+" must be an object or an array")
		}
	}
	return nil
}

func (c *compiler) or(rules *[]*branch, path []string, n *jnode) error {
	if n.kind != jArray {
		return errAt(n, "It must be an Array followed with $or.")
	}
	current := copyBranches(*rules)
	var out []*branch
	for _, e := range n.vals {
		if e.kind != jObject {
			return errAt(e, "Only JSON object is allowed in array of $or relationship.")
		}
		nr := copyBranches(current)
		if len(nr) == 0 {
			nr = append(nr, &branch{})
		}
		if err := c.object(&nr, path, e, true); err != nil {
			return err
		}
		out = append(out, nr...)
		if len(out) > maxBranches {
			return errAt(n, "Too many $or combinations: more than "+strconv.Itoa(maxBranches))
		}
	}
	if len(n.vals) < 2 {
		return errAt(n, "There must have at least 2 Objects in $or relationship.")
	}
	*rules = out
	return nil
}

func (c *compiler) values(rules *[]*branch, path []string, n *jnode) error {
	fc := &fieldCond{path: path, key: strings.Join(path, ".")}
	for _, e := range n.vals {
		var cd *cond
		switch e.kind {
		case jObject:
			var err error
			if cd, err = c.matchExpr(e); err != nil {
				return err
			}
		case jString:
			cd = &cond{kind: kExactString, str: e.str, pub: Condition{Operator: OpEquals, Value: e.str}}
		case jNumber:
			cd = &cond{kind: kExactNumber, num: parseDecimalString(e.str), pub: Condition{Operator: OpEquals, Value: json.Number(e.str)}}
		case jNull:
			cd = &cond{kind: kNull, pub: Condition{Operator: OpEquals}}
		case jTrue:
			cd = &cond{kind: kTrue, pub: Condition{Operator: OpEquals, Value: true}}
		case jFalse:
			cd = &cond{kind: kFalse, pub: Condition{Operator: OpEquals, Value: false}}
		default:
			return errAt(e, "Match value must be String, number, true, false, or null")
		}
		if cd.kind == kAbsent {
			fc.hasAbsent = true
		} else {
			fc.hasPositive = true
		}
		fc.conds = append(fc.conds, cd)
	}
	if len(fc.conds) == 0 {
		return errAt(n, "Empty arrays are not allowed")
	}
	if len(*rules) == 0 {
		*rules = append(*rules, &branch{})
	}
	for _, b := range *rules {
		b.put(fc)
	}
	return nil
}

// tokenText renders a value the way Jackson's getText renders the current token.
func tokenText(n *jnode) string {
	switch n.kind {
	case jObject:
		return "{"
	case jArray:
		return "["
	case jNull:
		return "null"
	case jTrue:
		return "true"
	case jFalse:
		return "false"
	}
	return n.str
}

func oneKey(n *jnode) error {
	if len(n.keys) > 1 {
		return errAt(n.vals[1], "Only one key allowed in match expression")
	}
	return nil
}

func tooMany(n *jnode) error { return errAt(n, "Too many elements in numeric expression") }

func (c *compiler) matchExpr(n *jnode) (*cond, error) {
	if len(n.keys) == 0 {
		return nil, errAt(n, "Match expression name not found")
	}
	name, v := n.keys[0], n.vals[0]
	var cd *cond
	switch name {
	case "exact":
		if v.kind != jString {
			return nil, errAt(v, "exact match pattern must be a string")
		}
		cd = &cond{kind: kExactString, str: v.str, pub: Condition{Operator: OpEquals, Value: v.str}}
	case "prefix", "suffix":
		isPrefix := name == "prefix"
		if v.kind == jObject {
			what := "Prefix"
			if !isPrefix {
				what = "Suffix"
			}
			if len(v.keys) == 0 {
				return nil, errAt(v, what+" expression name not found")
			}
			if v.keys[0] != "equals-ignore-case" {
				return nil, errAt(v, "Unsupported "+name+" pattern: "+v.keys[0])
			}
			s := v.vals[0]
			if s.kind != jString {
				return nil, errAt(s, "equals-ignore-case match pattern must be a string")
			}
			if err := oneKey(v); err != nil {
				return nil, err
			}
			k := kPrefixFold
			if !isPrefix {
				k = kSuffixFold
			}
			cd = &cond{kind: k, str: foldString(s.str), pub: Condition{Operator: Operator(name), IgnoreCase: true, Value: s.str}}
			break
		}
		if v.kind != jString {
			return nil, errAt(v, name+" match pattern must be a string")
		}
		k := kPrefix
		if !isPrefix {
			k = kSuffix
		}
		cd = &cond{kind: k, str: v.str, pub: Condition{Operator: Operator(name), Value: v.str}}
	case "numeric":
		if v.kind != jArray {
			return nil, errAt(v, "Value of numeric must be an array.")
		}
		var err error
		if cd, err = numericExpr(v); err != nil {
			return nil, err
		}
		if len(n.keys) > 1 {
			return nil, tooMany(n.vals[1])
		}
		return cd, nil
	case "anything-but":
		var err error
		if cd, err = anythingButExpr(v); err != nil {
			return nil, err
		}
		if len(n.keys) > 1 {
			return nil, tooMany(n.vals[1])
		}
		return cd, nil
	case "exists":
		switch v.kind {
		case jTrue:
			cd = &cond{kind: kExists, pub: Condition{Operator: OpExists, Value: true}}
		case jFalse:
			cd = &cond{kind: kAbsent, pub: Condition{Operator: OpExists, Value: false}}
		default:
			return nil, errAt(v, "exists match pattern must be either true or false.")
		}
	case "cidr":
		if v.kind != jString {
			return nil, errAt(v, "prefix match pattern must be a string")
		}
		r, reason := compileCIDR(v.str)
		if reason != "" {
			return nil, errAt(v, reason)
		}
		cd = &cond{kind: kCIDR, ip: r, pub: Condition{Operator: OpCIDR, Value: v.str}}
	case "equals-ignore-case":
		if v.kind != jString {
			return nil, errAt(v, "equals-ignore-case match pattern must be a string")
		}
		cd = &cond{kind: kEqualsFold, str: foldString(v.str), pub: Condition{Operator: OpEqualsIgnoreCase, Value: v.str}}
	case "wildcard":
		if v.kind != jString {
			return nil, errAt(v, "wildcard match pattern must be a string")
		}
		w, reason := compileWildcard(v.str)
		if reason != "" {
			return nil, errAt(v, reason)
		}
		cd = &cond{kind: kWildcard, wild: w, pub: Condition{Operator: OpWildcard, Value: v.str}}
	default:
		return nil, errAt(n, "Unrecognized match type "+name)
	}
	if err := oneKey(n); err != nil {
		return nil, err
	}
	return cd, nil
}

func anythingButExpr(v *jnode) (*cond, error) {
	mod := Operator("")
	if v.kind == jObject {
		if len(v.keys) == 0 {
			return nil, errAt(v, "Anything-But expression name not found")
		}
		switch op := v.keys[0]; op {
		case "equals-ignore-case", "prefix", "suffix", "wildcard":
			mod = Operator(op)
		default:
			return nil, errAt(v, "Unsupported anything-but pattern: "+op)
		}
		inner := v.vals[0]
		cd, err := anythingButSet(mod, inner)
		if err != nil {
			return nil, err
		}
		if len(v.keys) > 1 {
			return nil, tooMany(v.vals[1])
		}
		return cd, nil
	}
	switch v.kind {
	case jString:
		return &cond{kind: kButStrings, strs: []string{v.str}, pub: Condition{Operator: OpAnythingBut, Values: []any{v.str}}}, nil
	case jNumber:
		return &cond{kind: kButNumbers, nums: []decimal{parseDecimalString(v.str)}, pub: Condition{Operator: OpAnythingBut, Values: []any{json.Number(v.str)}}}, nil
	case jArray:
		cd := &cond{pub: Condition{Operator: OpAnythingBut}}
		for _, e := range v.vals {
			switch e.kind {
			case jString:
				cd.strs = append(cd.strs, e.str)
				cd.pub.Values = append(cd.pub.Values, e.str)
			case jNumber:
				cd.nums = append(cd.nums, parseDecimalString(e.str))
				cd.pub.Values = append(cd.pub.Values, json.Number(e.str))
			default:
				return nil, errAt(e, "Inside anything but list, start|null|boolean is not supported.")
			}
		}
		if (len(cd.strs) > 0) == (len(cd.nums) > 0) {
			return nil, errAt(v, "Inside anything but list, either all values are number or string, mixed type is not supported")
		}
		cd.kind = kButStrings
		if len(cd.nums) > 0 {
			cd.kind = kButNumbers
		}
		return cd, nil
	}
	return nil, errAt(v, "Value of anything-but must be an array or single string/number value.")
}

// anythingButSet compiles the operand of anything-but's prefix, suffix, equals-ignore-case
// or wildcard form: one string or a list of strings.
func anythingButSet(mod Operator, v *jnode) (*cond, error) {
	var items []*jnode
	switch v.kind {
	case jArray:
		items = v.vals
	case jString, jNumber:
		items = []*jnode{v}
	default:
		return nil, errAt(v, "Value of anything-but must be an array or single string/number value.")
	}
	cd := &cond{pub: Condition{Operator: OpAnythingBut, Modifier: mod}}
	switch mod {
	case OpEqualsIgnoreCase:
		cd.kind = kButFold
	case OpPrefix:
		cd.kind = kButPrefix
	case OpSuffix:
		cd.kind = kButSuffix
	case OpWildcard:
		cd.kind = kButWildcard
	}
	for _, e := range items {
		if e.kind != jString {
			switch mod {
			case OpEqualsIgnoreCase:
				return nil, errAt(e, "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
			case OpWildcard:
				return nil, errAt(e, "wildcard match pattern must be a string")
			}
			return nil, errAt(e, "prefix/suffix match pattern must be a string")
		}
		s := e.str
		switch mod {
		case OpPrefix, OpSuffix:
			if s == "" {
				return nil, errAt(e, "Null prefix/suffix not allowed")
			}
			cd.strs = append(cd.strs, s)
		case OpEqualsIgnoreCase:
			cd.strs = append(cd.strs, foldString(s))
		case OpWildcard:
			w, reason := compileWildcard(s)
			if reason != "" {
				return nil, errAt(e, reason)
			}
			cd.wilds = append(cd.wilds, w)
		}
		cd.pub.Values = append(cd.pub.Values, s)
	}
	return cd, nil
}

func numericExpr(arr *jnode) (*cond, error) {
	items := arr.vals
	at := func(i int) *jnode {
		if i < len(items) {
			return items[i]
		}
		return &jnode{kind: jArray, off: arr.off} // stands for the closing bracket
	}
	text := func(i int) string {
		if i < len(items) {
			return tokenText(items[i])
		}
		return "]"
	}
	num := func(i int, op string) (decimal, json.Number, error) {
		if i >= len(items) || items[i].kind != jNumber {
			what := op
			if op == "=" {
				what = "equals"
			}
			return decimal{}, "", errAt(at(i), "Value of "+what+" must be numeric")
		}
		return parseDecimalString(items[i].str), json.Number(items[i].str), nil
	}
	if len(items) == 0 || items[0].kind != jString {
		return nil, errAt(at(0), "Invalid member in numeric match: "+text(0))
	}
	op := items[0].str
	cd := &cond{kind: kNumeric, pub: Condition{Operator: OpNumeric}}
	d, jn, err := func() (decimal, json.Number, error) {
		switch op {
		case "=", ">=", ">", "<=", "<":
			return num(1, op)
		}
		return decimal{}, "", errAt(items[0], "Unrecognized numeric range operator: "+op)
	}()
	if err != nil {
		return nil, err
	}
	cd.pub.Comparisons = append(cd.pub.Comparisons, Comparison{Op: op, Value: jn})
	switch op {
	case "=":
		cd.lo, cd.hi = &d, &d
	case "<", "<=":
		cd.hi, cd.hiOpen = &d, op == "<"
	case ">", ">=":
		cd.lo, cd.loOpen = &d, op == ">"
		if len(items) == 2 {
			return cd, nil
		}
		if items[2].kind != jString {
			return nil, errAt(items[2], "Bad value in numeric range: "+text(2))
		}
		op2 := items[2].str
		if op2 != "<" && op2 != "<=" {
			return nil, errAt(items[2], "Bad numeric range operator: "+op2)
		}
		top, jn2, err := num(3, op2)
		if err != nil {
			return nil, err
		}
		if len(items) > 4 {
			return nil, errAt(items[4], "Too many terms in numeric range expression")
		}
		if cmpDecimal(d, top) >= 0 {
			return nil, errAt(items[3], "Bottom must be less than top")
		}
		cd.hi, cd.hiOpen = &top, op2 == "<"
		cd.pub.Comparisons = append(cd.pub.Comparisons, Comparison{Op: op2, Value: jn2})
		return cd, nil
	}
	if len(items) > 2 {
		return nil, tooMany(items[2])
	}
	return cd, nil
}
