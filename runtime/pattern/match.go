package pattern

import (
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// scratch is the per-Match working memory, pooled per index. Per-id arrays are valid for an
// entry only when its stamp equals gen, so nothing is cleared between events.
type scratch struct {
	gen uint32

	fcStamp    []uint32 // the counted fc has been hit
	fcHead     []int32  // first hit of the fc, index into hits (consistency check only)
	conjStamp  []uint32
	conjCount  []int32  // counted fcs hit so far
	fieldStamp []uint32 // the field has a value in the event
	fieldMem   []uint32 // the field has a value inside an array element that is an object or array
	fieldHead  []int32  // last leaf of the field, index into leaves
	ruleStamp  []uint32

	hits    []hit
	touched []int32 // candidate conjs: every counted fc hit
	matched []int32 // rule ids
	leaves  []leafRec
	arena   []byte // decoded strings that had escapes
	folds   []byte // case-folded strings of leaves
	digits  []byte // decimal digits of leaves
	mem     []memNode
	arrays  int32

	buf     []byte // decoded keys
	keyBuf  []byte
	choose  []int32 // backtracking state
	pick    []int32
	fcOrder []int32
}

// leafRec is a scalar value of an indexed field, kept for checking the conditions that are
// not counted, with its case-folded form and decimal value computed at most once.
type leafRec struct {
	kind       jkind
	arena      bool // start:end index arena, not the event
	folded     bool // foldStart:foldEnd index folds
	parsed     bool // num and f64 hold the number's value
	mem        int32
	next       int32 // previous leaf of the same field, or -1
	start, end int32
	foldStart  int32
	foldEnd    int32
	num        decimal // digits index the scratch's digits buffer
	f64        float64 // num rounded to float64
}

type hit struct {
	leaf int32
	next int32
}

// memNode records that a value lies in element idx of array arr; parent is the enclosing
// membership node, or -1. Leaves in different elements of one array are inconsistent.
type memNode struct {
	arr, idx, parent int32
}

func grow[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	return append(s, make([]T, n-len(s))...)
}

func (x *index) getScratch() *scratch {
	s, _ := x.pool.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	s.fcStamp = grow(s.fcStamp, len(x.fcs))
	s.fcHead = grow(s.fcHead, len(x.fcs))
	s.conjStamp = grow(s.conjStamp, len(x.conjs))
	s.conjCount = grow(s.conjCount, len(x.conjs))
	s.fieldStamp = grow(s.fieldStamp, len(x.fields))
	s.fieldMem = grow(s.fieldMem, len(x.fields))
	s.fieldHead = grow(s.fieldHead, len(x.fields))
	s.ruleStamp = grow(s.ruleStamp, len(x.rules))
	s.gen++
	if s.gen == 0 { // wrapped: forget all stamps
		clear(s.fcStamp)
		clear(s.conjStamp)
		clear(s.fieldStamp)
		clear(s.fieldMem)
		clear(s.ruleStamp)
		s.gen = 1
	}
	s.hits = s.hits[:0]
	s.touched = s.touched[:0]
	s.matched = s.matched[:0]
	s.leaves = s.leaves[:0]
	s.arena = s.arena[:0]
	s.folds = s.folds[:0]
	s.digits = s.digits[:0]
	s.mem = s.mem[:0]
	s.arrays = 0
	return s
}

// matchRules scans the event and leaves the ids of the matching rules in s.matched.
func (x *index) matchRules(event []byte) (*scratch, error) {
	s := x.getScratch()
	m := matcher{x: x, s: s, data: event}
	m.ws()
	if m.pos >= len(event) || event[m.pos] != '{' {
		x.pool.Put(s)
		return nil, &EventError{Reason: "the event is not a JSON object", Offset: m.pos}
	}
	if err := m.object(x.root, -1, 1); err != nil {
		x.pool.Put(s)
		return nil, err
	}
	m.ws()
	if m.pos != len(event) {
		x.pool.Put(s)
		return nil, &EventError{Reason: "unexpected data after the JSON object", Offset: m.pos}
	}
	m.evaluate()
	return s, nil
}

// match returns the sorted names of the rules the event matches.
func (x *index) match(event []byte) ([]string, error) {
	s, err := x.matchRules(event)
	if err != nil {
		return nil, err
	}
	var out []string
	if len(s.matched) > 0 {
		if len(s.matched) > 1 {
			ranks := x.rankTable()
			slices.SortFunc(s.matched, func(a, b int32) int { return int(ranks[a] - ranks[b]) })
		}
		out = make([]string, len(s.matched))
		for i, r := range s.matched {
			out[i] = x.rules[r].name
		}
	}
	x.pool.Put(s)
	return out, nil
}

func (x *index) matchAny(event []byte) (bool, error) {
	s, err := x.matchRules(event)
	if err != nil {
		return false, err
	}
	ok := len(s.matched) > 0
	x.pool.Put(s)
	return ok, nil
}

// matcher scans one event.
type matcher struct {
	x    *index
	s    *scratch
	data []byte
	pos  int
}

func (m *matcher) fail(reason string) error {
	return &EventError{Reason: reason, Offset: m.pos}
}

func (m *matcher) ws() {
	for m.pos < len(m.data) {
		switch m.data[m.pos] {
		case ' ', '\t', '\n', '\r':
			m.pos++
		default:
			return
		}
	}
}

func (m *matcher) object(node *pathNode, mem int32, depth int) error {
	if depth > MaxDepth {
		return m.fail("nesting deeper than the limit of " + itoa(MaxDepth) + " levels")
	}
	m.pos++ // '{'
	m.ws()
	if m.pos < len(m.data) && m.data[m.pos] == '}' {
		m.pos++
		return nil
	}
	for {
		m.ws()
		if m.pos >= len(m.data) || m.data[m.pos] != '"' {
			return m.fail("expected a field name")
		}
		end, escaped, ok := scanString(m.data, m.pos)
		if !ok {
			return m.fail("malformed string")
		}
		key := m.data[m.pos+1 : end-1]
		m.pos = end
		var child *pathNode
		if node != nil && len(node.children) > 0 {
			if escaped {
				m.s.buf = unescape(m.s.buf[:0], key)
				key = m.s.buf
			}
			child = walk(node, key)
		}
		m.ws()
		if m.pos >= len(m.data) || m.data[m.pos] != ':' {
			return m.fail("expected ':'")
		}
		m.pos++
		m.ws()
		if err := m.value(child, mem, depth); err != nil {
			return err
		}
		m.ws()
		if m.pos >= len(m.data) {
			return m.fail("unexpected end of input in an object")
		}
		switch m.data[m.pos] {
		case ',':
			m.pos++
		case '}':
			m.pos++
			return nil
		default:
			return m.fail("expected ',' or '}'")
		}
	}
}

// walk follows a key, split at dots, down the path trie.
func walk(n *pathNode, key []byte) *pathNode {
	for {
		i := 0
		for i < len(key) && key[i] != '.' {
			i++
		}
		n = n.children[string(key[:i])]
		if n == nil || i == len(key) {
			return n
		}
		key = key[i+1:]
	}
}

func (m *matcher) array(node *pathNode, mem int32, depth int) error {
	if depth > MaxDepth {
		return m.fail("nesting deeper than the limit of " + itoa(MaxDepth) + " levels")
	}
	m.pos++ // '['
	arr := m.s.arrays
	m.s.arrays++
	m.ws()
	if m.pos < len(m.data) && m.data[m.pos] == ']' {
		m.pos++
		return nil
	}
	var idx int32
	for {
		m.ws()
		em := mem
		if node != nil && m.pos < len(m.data) && (m.data[m.pos] == '{' || m.data[m.pos] == '[') {
			m.s.mem = append(m.s.mem, memNode{arr: arr, idx: idx, parent: mem})
			em = int32(len(m.s.mem) - 1)
		}
		if err := m.value(node, em, depth); err != nil {
			return err
		}
		idx++
		m.ws()
		if m.pos >= len(m.data) {
			return m.fail("unexpected end of input in an array")
		}
		switch m.data[m.pos] {
		case ',':
			m.pos++
		case ']':
			m.pos++
			return nil
		default:
			return m.fail("expected ',' or ']'")
		}
	}
}

// value scans one value; node is nil when no pattern looks at or below it.
func (m *matcher) value(node *pathNode, mem int32, depth int) error {
	if m.pos >= len(m.data) {
		return m.fail("unexpected end of input")
	}
	var f *fieldIndex
	if node != nil && node.field >= 0 {
		f = m.x.fields[node.field]
	}
	start := m.pos
	switch c := m.data[m.pos]; {
	case c == '{':
		if node != nil && len(node.children) == 0 {
			node = nil
		}
		return m.object(node, mem, depth+1)
	case c == '[':
		return m.array(node, mem, depth+1)
	case c == '"':
		end, escaped, ok := scanString(m.data, m.pos)
		if !ok {
			return m.fail("malformed string")
		}
		m.pos = end
		if f != nil {
			lr := leafRec{kind: jString, mem: mem, start: int32(start + 1), end: int32(end - 1)}
			v := m.data[start+1 : end-1]
			if escaped {
				lr.arena = true
				lr.start = int32(len(m.s.arena))
				m.s.arena = unescape(m.s.arena, v)
				lr.end = int32(len(m.s.arena))
				v = m.s.arena[lr.start:lr.end]
			}
			m.leafString(f, m.newLeaf(node.field, lr), bytesString(v))
		}
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		end, ok := scanNumber(m.data, m.pos)
		if !ok {
			return m.fail("malformed number")
		}
		m.pos = end
		if f != nil {
			m.leafNumber(f, m.newLeaf(node.field, leafRec{kind: jNumber, mem: mem, start: int32(start), end: int32(end)}))
		}
		return nil
	case hasLiteral(m.data, m.pos, "true"):
		m.pos += 4
		if f != nil {
			m.newLeaf(node.field, leafRec{kind: jTrue, mem: mem})
			m.leafLiteral(f, f.tru)
		}
		return nil
	case hasLiteral(m.data, m.pos, "false"):
		m.pos += 5
		if f != nil {
			m.newLeaf(node.field, leafRec{kind: jFalse, mem: mem})
			m.leafLiteral(f, f.fal)
		}
		return nil
	case hasLiteral(m.data, m.pos, "null"):
		m.pos += 4
		if f != nil {
			m.newLeaf(node.field, leafRec{kind: jNull, mem: mem})
			m.leafLiteral(f, f.null)
		}
		return nil
	}
	return m.fail("unexpected character")
}

// newLeaf records a value of field fid and returns its leaf number.
func (m *matcher) newLeaf(fid int32, lr leafRec) int32 {
	s := m.s
	if s.fieldStamp[fid] != s.gen {
		s.fieldStamp[fid] = s.gen
		s.fieldHead[fid] = -1
	}
	lr.next = s.fieldHead[fid]
	s.leaves = append(s.leaves, lr)
	n := int32(len(s.leaves) - 1)
	s.fieldHead[fid] = n
	if lr.mem >= 0 {
		s.fieldMem[fid] = s.gen
	}
	return n
}

// leafStr returns the decoded text of a string leaf; it stays valid for this Match.
func (m *matcher) leafStr(l int32) string {
	lr := &m.s.leaves[l]
	if lr.arena {
		return bytesString(m.s.arena[lr.start:lr.end])
	}
	return bytesString(m.data[lr.start:lr.end])
}

// leafFold returns the case-folded text of a string leaf, folding it on first use.
func (m *matcher) leafFold(l int32) string {
	s := m.s
	if lr := &s.leaves[l]; lr.folded {
		return bytesString(s.folds[lr.foldStart:lr.foldEnd])
	}
	start := len(s.folds)
	s.folds = appendFold(s.folds, m.leafStr(l))
	lr := &s.leaves[l]
	lr.folded, lr.foldStart, lr.foldEnd = true, int32(start), int32(len(s.folds))
	return bytesString(s.folds[start:])
}

// leafNum returns the exact and the rounded value of a number leaf, parsing it on first use.
func (m *matcher) leafNum(l int32) (decimal, float64) {
	s := m.s
	lr := &s.leaves[l]
	if !lr.parsed {
		raw := m.data[lr.start:lr.end]
		start := len(s.digits)
		var d decimal
		d, s.digits = parseDecimal(raw, s.digits)
		if len(d.digits) > 0 {
			// Re-slice: the buffer may have grown after earlier leaves took their digits.
			d.digits = s.digits[start : start+len(d.digits) : start+len(d.digits)]
		}
		f, _ := strconv.ParseFloat(bytesString(raw), 64)
		lr = &s.leaves[l]
		lr.parsed, lr.num, lr.f64 = true, d, f
	}
	return lr.num, lr.f64
}

// hitAll counts the first hit of each listed fc towards its conj; a conj whose counted
// fcs have all been hit becomes a candidate.
func (m *matcher) hitAll(l []posting) {
	s := m.s
	gen := s.gen
	for _, p := range l {
		if s.fcStamp[p.fc] == gen {
			continue
		}
		s.fcStamp[p.fc] = gen
		c := p.conj
		if s.conjStamp[c] != gen {
			s.conjStamp[c] = gen
			s.conjCount[c] = 0
		}
		s.conjCount[c]++
		if s.conjCount[c] == p.need {
			s.touched = append(s.touched, c)
		}
	}
}

func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (m *matcher) leafString(f *fieldIndex, leaf int32, v string) {
	if l, ok := f.exactStr[v]; ok {
		m.hitAll(l)
	}
	for _, n := range f.prefixLen.lens {
		if n > len(v) {
			break
		}
		if l, ok := f.prefix[v[:n]]; ok {
			m.hitAll(l)
		}
	}
	for _, n := range f.suffixLen.lens {
		if n > len(v) {
			break
		}
		if l, ok := f.suffix[v[len(v)-n:]]; ok {
			m.hitAll(l)
		}
	}
	var folded string
	if f.needFold {
		folded = m.leafFold(leaf)
		if l, ok := f.foldEq[folded]; ok {
			m.hitAll(l)
		}
		for _, n := range f.foldPreLen.lens {
			if n > len(folded) {
				break
			}
			if l, ok := f.foldPre[folded[:n]]; ok {
				m.hitAll(l)
			}
		}
		for _, n := range f.foldSufLen.lens {
			if n > len(folded) {
				break
			}
			if l, ok := f.foldSuf[folded[len(folded)-n:]]; ok {
				m.hitAll(l)
			}
		}
	}
	for _, g := range f.wild.list {
		if g.c.wild.match(v) {
			m.hitAll(g.posts)
		}
	}
	if len(f.cidr4.list)+len(f.cidr6.list) > 0 && len(v) <= 64 {
		if ip, n := parseIPArray(v); n == 4 {
			a := be32(ip[:4])
			for _, g := range f.cidr4.list {
				if g.lo4 > a {
					break
				}
				if a <= g.hi4 {
					m.hitAll(g.posts)
				}
			}
		} else if n == 16 {
			for _, g := range f.cidr6.list {
				if g.c.ip.contains(ip[:16]) {
					m.hitAll(g.posts)
				}
			}
		}
	}
	m.hitAll(f.exists)
	for _, g := range f.but.list {
		if butString(g.c, v, folded) {
			m.hitAll(g.posts)
		}
	}
}

// butString reports whether string v satisfies an anything-but condition; folded is v
// case-folded, needed only for kButFold.
func butString(c *cond, v, folded string) bool {
	switch c.kind {
	case kButStrings:
		return !slices.Contains(c.strs, v)
	case kButPrefix:
		for _, p := range c.strs {
			if strings.HasPrefix(v, p) {
				return false
			}
		}
	case kButSuffix:
		for _, p := range c.strs {
			if strings.HasSuffix(v, p) {
				return false
			}
		}
	case kButFold:
		return !slices.Contains(c.strs, folded)
	case kButWildcard:
		for _, w := range c.wilds {
			if w.match(v) {
				return false
			}
		}
	}
	return true // kButNumbers: a string is never one of the numbers
}

func (m *matcher) leafNumber(f *fieldIndex, leaf int32) {
	var d decimal
	if f.needNum {
		var fv float64
		d, fv = m.leafNum(leaf)
		if len(f.exactNum) > 0 {
			m.s.keyBuf = d.appendKey(m.s.keyBuf[:0])
			if l, ok := f.exactNum[string(m.s.keyBuf)]; ok {
				m.hitAll(l)
			}
		}
		// Sorted by the rounded lower bound: strict float comparisons decide exactly,
		// because rounding to float64 is monotone; ties are compared exactly.
		for _, g := range f.numeric.list {
			if g.flo > fv {
				break
			}
			if g.fhi < fv || ((g.flo == fv || g.fhi == fv) && !inRange(g.c, d)) {
				continue
			}
			m.hitAll(g.posts)
		}
	}
	m.hitAll(f.exists)
	for _, g := range f.but.list {
		if g.c.kind != kButNumbers || !containsDecimal(g.c.nums, d) {
			m.hitAll(g.posts)
		}
	}
}

func containsDecimal(l []decimal, d decimal) bool {
	for _, n := range l {
		if cmpDecimal(n, d) == 0 {
			return true
		}
	}
	return false
}

func inRange(c *cond, d decimal) bool {
	if c.lo != nil {
		k := cmpDecimal(d, *c.lo)
		if k < 0 || (k == 0 && c.loOpen) {
			return false
		}
	}
	if c.hi != nil {
		k := cmpDecimal(d, *c.hi)
		if k > 0 || (k == 0 && c.hiOpen) {
			return false
		}
	}
	return true
}

// leafLiteral handles true, false and null: equal to the listed fcs, present for exists,
// and never one of an anything-but's strings or numbers.
func (m *matcher) leafLiteral(f *fieldIndex, eq []posting) {
	m.hitAll(eq)
	m.hitAll(f.exists)
	for _, g := range f.but.list {
		m.hitAll(g.posts)
	}
}

// evaluate decides the candidate conjunctions and fills s.matched.
func (m *matcher) evaluate() {
	s := m.s
	for _, c := range s.touched {
		m.tryConj(c)
	}
	for _, c := range m.x.always {
		m.tryConj(c)
	}
}

// tryConj checks a candidate conj: its counted fcs have all matched; its other fcs are
// checked against the kept values, and then, when two or more of its fields have values
// inside arrays of objects, that one value per field can be chosen consistently.
func (m *matcher) tryConj(c int32) {
	s, x := m.s, m.x
	info := &x.conjs[c]
	if s.ruleStamp[info.rule] == s.gen {
		return
	}
	s.fcOrder = s.fcOrder[:0]
	for _, fc := range info.fcs {
		fi := &x.fcs[fc]
		if !fi.counted {
			if s.fieldStamp[fi.field] != s.gen {
				if fi.required {
					return
				}
				continue // satisfied by absence
			}
			if !fi.positive || !m.satisfied(fi) {
				return // present, but only absence would do, or no value matches
			}
		}
		// Values outside arrays of objects are consistent with any other value, so only
		// fields with values inside them take part in the consistency check.
		if s.fieldMem[fi.field] == s.gen {
			s.fcOrder = append(s.fcOrder, fc)
		}
	}
	if len(s.fcOrder) > 1 {
		for _, fc := range s.fcOrder {
			m.check(fc, &x.fcs[fc])
		}
		if !m.consistent() {
			return
		}
	}
	s.ruleStamp[info.rule] = s.gen
	s.matched = append(s.matched, info.rule)
}

// satisfied reports whether a value of fi's field satisfies one of its conditions.
func (m *matcher) satisfied(fi *fcInfo) bool {
	s := m.s
	for l := s.fieldHead[fi.field]; l >= 0; l = s.leaves[l].next {
		for _, c := range fi.conds {
			if m.condMatches(c, l) {
				return true
			}
		}
	}
	return false
}

// check records as hits the values of fc's field that satisfy one of its conditions.
func (m *matcher) check(fc int32, fi *fcInfo) {
	s := m.s
	s.fcHead[fc] = -1
	for l := s.fieldHead[fi.field]; l >= 0; l = s.leaves[l].next {
		for _, c := range fi.conds {
			if m.condMatches(c, l) {
				s.hits = append(s.hits, hit{leaf: l, next: s.fcHead[fc]})
				s.fcHead[fc] = int32(len(s.hits) - 1)
				break
			}
		}
	}
}

// condMatches reports whether kept value l satisfies one condition.
func (m *matcher) condMatches(c *cond, l int32) bool {
	switch m.s.leaves[l].kind {
	case jString:
		v := m.leafStr(l)
		switch c.kind {
		case kExactString:
			return v == c.str
		case kPrefix:
			return strings.HasPrefix(v, c.str)
		case kSuffix:
			return strings.HasSuffix(v, c.str)
		case kPrefixFold:
			return strings.HasPrefix(m.leafFold(l), c.str)
		case kSuffixFold:
			return strings.HasSuffix(m.leafFold(l), c.str)
		case kEqualsFold:
			return m.leafFold(l) == c.str
		case kButFold:
			return butString(c, v, m.leafFold(l))
		case kWildcard:
			return c.wild.match(v)
		case kCIDR:
			if len(v) > 64 {
				return false
			}
			ip, n := parseIPArray(v)
			return n > 0 && c.ip.contains(ip[:n])
		case kExists:
			return true
		case kButStrings, kButNumbers, kButPrefix, kButSuffix, kButWildcard:
			return butString(c, v, "")
		}
		return false
	case jNumber:
		switch c.kind {
		case kExactNumber, kNumeric, kButNumbers:
			d, _ := m.leafNum(l)
			switch c.kind {
			case kExactNumber:
				return cmpDecimal(d, c.num) == 0
			case kNumeric:
				return inRange(c, d)
			}
			return !containsDecimal(c.nums, d)
		case kExists, kButStrings, kButPrefix, kButSuffix, kButFold, kButWildcard:
			return true
		}
		return false
	}
	kind := m.s.leaves[l].kind
	switch c.kind {
	case kNull:
		return kind == jNull
	case kTrue:
		return kind == jTrue
	case kFalse:
		return kind == jFalse
	case kExists, kButStrings, kButNumbers, kButPrefix, kButSuffix, kButFold, kButWildcard:
		return true
	}
	return false
}

// consistent reports whether one hit leaf can be chosen per fc of s.fcOrder so that no two
// chosen leaves lie in different elements of the same array.
func (m *matcher) consistent() bool {
	s := m.s
	n := len(s.fcOrder)
	s.choose = grow(s.choose[:0], n)
	s.pick = grow(s.pick[:0], n)
	i := 0
	s.choose[0] = s.fcHead[s.fcOrder[0]]
	for {
		h := s.choose[i]
		if h < 0 {
			if i == 0 {
				return false
			}
			i--
			s.choose[i] = s.hits[s.choose[i]].next
			continue
		}
		leaf := s.hits[h].leaf
		ok := true
		for j := 0; j < i; j++ {
			if !m.compatible(s.leaves[leaf].mem, s.leaves[s.pick[j]].mem) {
				ok = false
				break
			}
		}
		if !ok {
			s.choose[i] = s.hits[h].next
			continue
		}
		s.pick[i] = leaf
		i++
		if i == n {
			return true
		}
		s.choose[i] = s.fcHead[s.fcOrder[i]]
	}
}

func (m *matcher) compatible(a, b int32) bool {
	mem := m.s.mem
	for x := a; x >= 0; x = mem[x].parent {
		for y := b; y >= 0; y = mem[y].parent {
			if mem[x].arr == mem[y].arr {
				if mem[x].idx != mem[y].idx {
					return false
				}
				break
			}
		}
	}
	return true
}
