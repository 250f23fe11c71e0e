package pattern

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// scratch is the per-Match working memory, pooled per index. Per-id arrays are valid for an
// entry only when its stamp equals gen, so nothing is cleared between events.
type scratch struct {
	gen uint32

	fcHead     []int32 // first hit of the fc, index into hits (consistency check only)
	conjs      []conjState
	fieldStamp []uint32 // the field has a value in the event
	fieldMem   []uint32 // the field has a value inside an array element that is an object or array
	fieldHead  []int32  // last leaf of the field, index into leaves
	ruleStamp  []uint32
	groupStamp []uint32 // a value satisfied the group's condition

	hits    []hit
	touched []uint64 // bit c: conj c is a candidate, every counted fc hit
	matched []int32  // rule ids
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
	bits    []uint64 // ranks of the matched rules, for sorting many
	memSig  uint64   // bit field%64 of each field with a value inside an array of objects
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

// conjState records which counted fcs of a conj the event satisfies; valid when gen is
// the scratch's.
type conjState struct {
	gen  uint32
	mask uint32 // bit i: the counted fc of position i has been hit
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
	s.fcHead = grow(s.fcHead, len(x.fcs))
	s.conjs = grow(s.conjs, len(x.conjs))
	s.touched = grow(s.touched, (len(x.conjs)+63)/64)
	clear(s.touched) // evaluate clears it too, but a scan that failed midway did not get there
	s.fieldStamp = grow(s.fieldStamp, len(x.fields))
	s.fieldMem = grow(s.fieldMem, len(x.fields))
	s.fieldHead = grow(s.fieldHead, len(x.fields))
	s.ruleStamp = grow(s.ruleStamp, len(x.rules))
	s.groupStamp = grow(s.groupStamp, int(x.groups))
	s.gen++
	if s.gen == 0 { // wrapped: forget all stamps
		clear(s.conjs)
		clear(s.fieldStamp)
		clear(s.fieldMem)
		clear(s.ruleStamp)
		clear(s.groupStamp)
		s.gen = 1
	}
	s.hits = s.hits[:0]
	s.matched = s.matched[:0]
	s.leaves = s.leaves[:0]
	s.arena = s.arena[:0]
	s.folds = s.folds[:0]
	s.digits = s.digits[:0]
	s.mem = s.mem[:0]
	s.memSig = 0
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
		r := x.rankTable()
		out = make([]string, 0, len(s.matched))
		if len(s.matched) < len(r.names)/256 {
			for i, id := range s.matched {
				s.matched[i] = r.rank[id]
			}
			slices.Sort(s.matched)
			for _, k := range s.matched {
				out = append(out, r.names[k])
			}
		} else {
			// Many matches: set their ranks' bits and read them back in order, which is
			// faster than sorting; the words are cleared as they are read.
			s.bits = grow(s.bits, (len(r.names)+63)/64)
			for _, id := range s.matched {
				k := r.rank[id]
				s.bits[k>>6] |= 1 << (k & 63)
			}
			for w, word := range s.bits {
				for word != 0 {
					b := bits.TrailingZeros64(word)
					out = append(out, r.names[w<<6|b])
					word &= word - 1
				}
				s.bits[w] = 0
			}
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
		s.memSig |= 1 << (fid & 63)
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

// hit stamps group g, satisfied by a value, and counts its postings.
func (m *matcher) hit(g *group) {
	m.s.groupStamp[g.id] = m.s.gen
	if len(g.posts) > 0 {
		m.hitAll(g.posts)
	}
}

// hitAll counts the first hit of each listed fc towards its conj; a conj whose counted
// fcs have all been hit becomes a candidate.
func (m *matcher) hitAll(l []posting) {
	s := m.s
	gen := s.gen
	for _, p := range l {
		st := &s.conjs[p.conj]
		if st.gen != gen {
			st.gen, st.mask = gen, 0
		}
		bit := uint32(1) << p.bit
		if st.mask&bit != 0 {
			continue // the fc has already been hit
		}
		st.mask |= bit
		if bits.OnesCount32(st.mask) == int(p.need) {
			s.touched[p.conj>>6] |= 1 << (p.conj & 63)
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
	if g := f.exactStr[v]; g != nil {
		m.hit(g)
	}
	for _, n := range f.prefixLen.lens {
		if n > len(v) {
			break
		}
		if g := f.prefix[v[:n]]; g != nil {
			m.hit(g)
		}
	}
	for _, n := range f.suffixLen.lens {
		if n > len(v) {
			break
		}
		if g := f.suffix[v[len(v)-n:]]; g != nil {
			m.hit(g)
		}
	}
	var folded string
	if f.needFold {
		folded = m.leafFold(leaf)
		if g := f.foldEq[folded]; g != nil {
			m.hit(g)
		}
		for _, n := range f.foldPreLen.lens {
			if n > len(folded) {
				break
			}
			if g := f.foldPre[folded[:n]]; g != nil {
				m.hit(g)
			}
		}
		for _, n := range f.foldSufLen.lens {
			if n > len(folded) {
				break
			}
			if g := f.foldSuf[folded[len(folded)-n:]]; g != nil {
				m.hit(g)
			}
		}
	}
	for _, g := range f.wild.list {
		if g.c.wild.match(v) {
			m.hit(g)
		}
	}
	if len(f.cidr4.list)+len(f.cidr6.list) > 0 && len(v) <= 64 {
		if ip, n := parseIPArray(v); n == 4 {
			a := be32(ip[:4])
			v := float64(a)
			for i, b := range f.cidr4.bounds {
				if b.lo > v {
					break
				}
				if v <= b.hi {
					m.hit(f.cidr4.list[i])
				}
			}
		} else if n == 16 {
			for _, g := range f.cidr6.list {
				if g.c.ip.contains(ip[:16]) {
					m.hit(g)
				}
			}
		}
	}
	if f.exists != nil {
		m.hit(f.exists)
	}
	for _, g := range f.but.list {
		if butString(g.c, v, folded) {
			m.hit(g)
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
			if g := f.exactNum[string(m.s.keyBuf)]; g != nil {
				m.hit(g)
			}
		}
		// Sorted by the rounded lower bound: strict float comparisons decide exactly,
		// because rounding to float64 is monotone; ties are compared exactly.
		for i, b := range f.numeric.bounds {
			if b.lo > fv {
				break
			}
			if b.hi < fv || ((b.lo == fv || b.hi == fv) && !inRange(f.numeric.list[i].c, d)) {
				continue
			}
			m.hit(f.numeric.list[i])
		}
	}
	if f.exists != nil {
		m.hit(f.exists)
	}
	for _, g := range f.but.list {
		if g.c.kind != kButNumbers || !containsDecimal(g.c.nums, d) {
			m.hit(g)
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
func (m *matcher) leafLiteral(f *fieldIndex, eq *group) {
	if eq != nil {
		m.hit(eq)
	}
	if f.exists != nil {
		m.hit(f.exists)
	}
	for _, g := range f.but.list {
		m.hit(g)
	}
}

// evaluate decides the candidate conjunctions and fills s.matched. The candidates are
// taken in the order of their ids, which walks the index's per-conj records forwards
// instead of jumping about; the bitmap is cleared as it is read.
func (m *matcher) evaluate() {
	s := m.s
	for w, word := range s.touched {
		if word == 0 {
			continue
		}
		s.touched[w] = 0
		for word != 0 {
			m.tryConj(int32(w<<6 | bits.TrailingZeros64(word)))
			word &= word - 1
		}
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
	h := &x.hot[c]
	if h.simple && bits.OnesCount64(h.sig&s.memSig) < 2 {
		// Every fc counted and hit, at most one field inside arrays of objects, and no
		// other conj of the rule: a match, reached once per event.
		s.matched = append(s.matched, h.rule)
		return
	}
	if !h.single && s.ruleStamp[h.rule] == s.gen {
		return // another conj of the rule matched
	}
	s.fcOrder = s.fcOrder[:0]
	if h.n > 0 {
		for i := range int(h.n) {
			if !m.itemOK(c, i, h.flags[i], h.items[i]) {
				return
			}
		}
	} else {
		for i, it := range x.conjs[c].items {
			if !m.itemOK(c, i, it.flags, hotItem{it.field, it.group}) {
				return
			}
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
	s.ruleStamp[h.rule] = s.gen
	s.matched = append(s.matched, h.rule)
}

// itemOK reports whether item i of candidate conj c is satisfied: a counted one is (the
// conj is a candidate), another by absence or by a stamped group. An item whose field has
// values inside arrays of objects is added to s.fcOrder for the consistency check.
func (m *matcher) itemOK(c int32, i int, flags uint8, it hotItem) bool {
	s := m.s
	if flags&itemCounted == 0 {
		if s.fieldStamp[it.field] != s.gen {
			return flags&itemRequired == 0 // satisfied by absence unless required
		}
		if flags&itemPositive == 0 {
			return false // present, but only absence would do
		}
		if s.groupStamp[it.group] != s.gen &&
			(flags&itemGroups == 0 || !m.anyStamped(m.x.fcs[m.x.conjs[c].items[i].fc].groups)) {
			return false // no value matches
		}
	}
	// Values outside arrays of objects are consistent with any other value, so only
	// fields with values inside them take part in the consistency check.
	if s.fieldMem[it.field] == s.gen {
		s.fcOrder = append(s.fcOrder, m.x.conjs[c].items[i].fc)
	}
	return true
}

// anyStamped reports whether a value satisfied one of the groups.
func (m *matcher) anyStamped(groups []int32) bool {
	for _, g := range groups {
		if m.s.groupStamp[g] == m.s.gen {
			return true
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
