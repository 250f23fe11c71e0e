package pattern

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// index holds many named patterns compiled into per-field-path structures. It is not
// synchronised: Matcher guards it with a RWMutex, Pattern never changes it after Compile.
//
// Terms: a rule is a named pattern; a conj (conjunction) is one branch of a rule's $or
// expansion; an fc (field condition) is one field of a conj with its alternatives.
//
// Every required field of a conj whose conditions are selective (all but exists and
// anything-but) is "counted": its conditions are registered in the field indexes, and the
// scan bumps the conj's counter the first time one of them matches a value. A conj whose
// counter reaches its number of counted fields is a candidate; only its other fields
// (anything-but, exists, absence-based alternatives) are then checked, with the values the
// scan kept. A conj without selective required fields counts its most selective required
// field instead; a conj without any required field is checked for every event.
type index struct {
	root   *pathNode
	fields []*fieldIndex // by field id; nil when free
	fcs    []fcInfo      // by fc id
	conjs  []conjInfo    // by conj id
	rules  []ruleInfo    // by rule id
	byName map[string]int32
	always []int32                 // conjs that need no hit at all (only exists:false-like fields)
	ranks  atomic.Pointer[[]int32] // rule id -> position of its name in sorted order; nil when stale
	rankMu sync.Mutex

	freeFields, freeFCs, freeConjs, freeRules []int32

	pool sync.Pool // *scratch
}

// rankTable returns each rule's position in the sorted order of names, building it after
// a change. Callers hold the Matcher's read lock, so the rule set is stable meanwhile.
func (x *index) rankTable() []int32 {
	if r := x.ranks.Load(); r != nil {
		return *r
	}
	x.rankMu.Lock()
	defer x.rankMu.Unlock()
	if r := x.ranks.Load(); r != nil {
		return *r
	}
	ids := make([]int32, 0, len(x.byName))
	for _, id := range x.byName {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int32) int { return strings.Compare(x.rules[a].name, x.rules[b].name) })
	r := make([]int32, len(x.rules))
	for i, id := range ids {
		r[id] = int32(i)
	}
	x.ranks.Store(&r)
	return r
}

// pathNode is a node of the trie of field paths, split at dots.
type pathNode struct {
	children map[string]*pathNode
	field    int32 // field id, or -1
	parent   *pathNode
	seg      string
}

type fcInfo struct {
	conj     int32
	field    int32
	required bool // needs a matching value (no exists:false alternative)
	counted  bool // its conditions are in the field indexes and bump the conj's counter
	absent   bool // has an exists:false alternative
	positive bool // has an alternative that needs a value
	conds    []*cond
}

type conjInfo struct {
	need int32 // number of counted fcs
	rule int32
	fcs  []int32
	live bool
}

type ruleInfo struct {
	name  string
	conjs []int32
	live  bool
}

// posting names a counted fc and its conj, so that a hit needs no lookup in fcs.
type posting struct {
	fc, conj int32
	need     int32 // the conj's number of counted fcs
}

func addPosting(l []posting, p posting) []posting { return append(l, p) }

func delPosting(l []posting, fc int32) []posting {
	for i, p := range l {
		if p.fc == fc {
			return slices.Delete(l, i, i+1)
		}
	}
	return l
}

// lenSet counts the distinct lengths of the prefixes (or suffixes) in a map.
type lenSet struct {
	count map[int]int
	lens  []int // sorted
}

func (s *lenSet) add(n int) {
	if s.count == nil {
		s.count = map[int]int{}
	}
	if s.count[n] == 0 {
		i, _ := slices.BinarySearch(s.lens, n)
		s.lens = slices.Insert(s.lens, i, n)
	}
	s.count[n]++
}

func (s *lenSet) remove(n int) {
	s.count[n]--
	if s.count[n] == 0 {
		delete(s.count, n)
		if i, ok := slices.BinarySearch(s.lens, n); ok {
			s.lens = slices.Delete(s.lens, i, i+1)
		}
	}
}

// group is one distinct condition of a field (equal conditions of different patterns
// share it, so it is evaluated once per value) with the fcs it counts for.
type group struct {
	key   string
	c     *cond
	posts []posting
	// Numeric groups: the bounds rounded to float64 (±Inf when unbounded). Rounding is
	// monotone, so a strict float comparison decides the exact one; ties are checked exactly.
	flo, fhi float64
	// IPv4 cidr groups: the range as integers.
	lo4, hi4 uint32
}

// groupSet keeps the groups of one operator of a field, sorted by order when it is set.
type groupSet struct {
	byKey map[string]*group
	list  []*group
	order func(a, b *group) int
}

func (s *groupSet) add(key string, c *cond, p posting, init func(*group)) {
	if s.byKey == nil {
		s.byKey = map[string]*group{}
	}
	g := s.byKey[key]
	if g == nil {
		g = &group{key: key, c: c}
		if init != nil {
			init(g)
		}
		s.byKey[key] = g
		if s.order != nil {
			i, _ := slices.BinarySearchFunc(s.list, g, s.order)
			s.list = slices.Insert(s.list, i, g)
		} else {
			s.list = append(s.list, g)
		}
	}
	g.posts = addPosting(g.posts, p)
}

func (s *groupSet) remove(key string, fc int32) {
	g := s.byKey[key]
	if g == nil {
		return
	}
	g.posts = delPosting(g.posts, fc)
	if len(g.posts) > 0 {
		return
	}
	delete(s.byKey, key)
	if i := slices.Index(s.list, g); i >= 0 {
		s.list = slices.Delete(s.list, i, i+1)
	}
}

// fieldIndex holds the counted conditions of all patterns on one field path.
type fieldIndex struct {
	node *pathNode
	refs int // fcs on this field

	exactStr             map[string][]posting
	exactNum             map[string][]posting // by decimal key
	null, tru, fal       []posting
	prefix, suffix       map[string][]posting
	prefixLen, suffixLen lenSet
	foldEq               map[string][]posting
	foldPre, foldSuf     map[string][]posting
	foldPreLen           lenSet
	foldSufLen           lenSet
	wild                 groupSet // by pattern text
	numeric              groupSet // sorted by flo
	cidr4                groupSet // IPv4 ranges, sorted by lo4
	cidr6                groupSet // IPv6 ranges
	exists               []posting
	but                  groupSet // by kind and operands

	needNum    bool // numbers must be parsed
	needFold   bool // strings must be folded
	butNumbers int  // anything-but groups that list numbers
	butFold    int  // anything-but groups with equals-ignore-case
}

func newFieldIndex(n *pathNode) *fieldIndex {
	f := &fieldIndex{node: n}
	f.numeric.order = func(a, b *group) int { return cmp.Compare(a.flo, b.flo) }
	f.cidr4.order = func(a, b *group) int { return cmp.Compare(a.lo4, b.lo4) }
	return f
}

func newIndex() *index {
	return &index{root: &pathNode{field: -1}, byName: map[string]int32{}}
}

func alloc[T any](s *[]T, free *[]int32, v T) int32 {
	if n := len(*free); n > 0 {
		id := (*free)[n-1]
		*free = (*free)[:n-1]
		(*s)[id] = v
		return id
	}
	*s = append(*s, v)
	return int32(len(*s) - 1)
}

func addTo(m *map[string][]posting, k string, p posting) {
	if *m == nil {
		*m = map[string][]posting{}
	}
	(*m)[k] = append((*m)[k], p)
}

func delFrom(m map[string][]posting, k string, fc int32) {
	l := delPosting(m[k], fc)
	if len(l) == 0 {
		delete(m, k)
	} else {
		m[k] = l
	}
}

func delID(l []int32, fc int32) []int32 {
	if i := slices.Index(l, fc); i >= 0 {
		return slices.Delete(l, i, i+1)
	}
	return l
}

// fieldFor returns the field id of a dot-joined path, creating it if needed.
func (x *index) fieldFor(key string) int32 {
	n := x.root
	for _, seg := range strings.Split(key, ".") {
		c := n.children[seg]
		if c == nil {
			c = &pathNode{field: -1, parent: n, seg: seg}
			if n.children == nil {
				n.children = map[string]*pathNode{}
			}
			n.children[seg] = c
		}
		n = c
	}
	if n.field < 0 {
		n.field = alloc(&x.fields, &x.freeFields, newFieldIndex(n))
	}
	return n.field
}

func (x *index) releaseField(id int32) {
	f := x.fields[id]
	f.refs--
	if f.refs > 0 {
		return
	}
	n := f.node
	n.field = -1
	x.fields[id] = nil
	x.freeFields = append(x.freeFields, id)
	for n.parent != nil && n.field < 0 && len(n.children) == 0 {
		delete(n.parent.children, n.seg)
		n = n.parent
	}
}

// condScore ranks how selective a condition is: lower is more selective. Conditions that
// most values satisfy (anything-but, exists) rank last.
func condScore(c *cond) int {
	switch c.kind {
	case kExactString, kExactNumber:
		return 1
	case kEqualsFold:
		return 2
	case kNull, kTrue, kFalse:
		return 3
	case kPrefix, kPrefixFold:
		return 4
	case kSuffix, kSuffixFold:
		return 5
	case kCIDR:
		return 6
	case kNumeric:
		return 7
	case kWildcard:
		return 8
	case kExists:
		return 10
	}
	return 9 // anything-but
}

// selectiveScore is the highest score of a selective condition: conditions up to it are
// counted in every conj.
const selectiveScore = 8

// add registers a rule. The caller has removed any earlier rule of that name.
func (x *index) add(name string, branches []*branch) {
	rid := alloc(&x.rules, &x.freeRules, ruleInfo{name: name, live: true})
	x.byName[name] = rid
	x.ranks.Store(nil)
	conjs := make([]int32, 0, len(branches))
	for _, b := range branches {
		cid := alloc(&x.conjs, &x.freeConjs, conjInfo{rule: rid, live: true})
		fcs := make([]int32, 0, len(b.fields))
		best, bestScore := int32(-1), 0
		need := int32(0)
		for _, f := range b.fields {
			fid := x.fieldFor(f.key)
			fi := fcInfo{conj: cid, field: fid, absent: f.hasAbsent, positive: f.hasPositive, conds: f.conds}
			fi.required = f.hasPositive && !f.hasAbsent
			id := alloc(&x.fcs, &x.freeFCs, fi)
			fcs = append(fcs, id)
			x.fields[fid].refs++
			if !fi.required {
				continue
			}
			score := 0
			for _, c := range f.conds {
				score = max(score, condScore(c))
			}
			if score <= selectiveScore {
				x.fcs[id].counted = true
				need++
			} else if best < 0 || score < bestScore {
				best, bestScore = id, score
			}
		}
		if need == 0 && best >= 0 {
			x.fcs[best].counted = true
			need = 1
		}
		for _, id := range fcs {
			fi := &x.fcs[id]
			if fi.counted {
				fx := x.fields[fi.field]
				for _, c := range fi.conds {
					fx.register(c, posting{id, cid, need}, true)
				}
			}
		}
		x.conjs[cid].need = need
		x.conjs[cid].fcs = fcs
		if need == 0 {
			x.always = append(x.always, cid)
		}
		conjs = append(conjs, cid)
	}
	x.rules[rid].conjs = conjs
}

// remove unregisters the rule of that name, if any.
func (x *index) remove(name string) {
	rid, ok := x.byName[name]
	if !ok {
		return
	}
	delete(x.byName, name)
	x.ranks.Store(nil)
	r := x.rules[rid]
	for _, cid := range r.conjs {
		c := x.conjs[cid]
		for _, id := range c.fcs {
			fi := x.fcs[id]
			fx := x.fields[fi.field]
			if fi.counted {
				for _, cd := range fi.conds {
					fx.register(cd, posting{id, cid, c.need}, false)
				}
			}
			x.releaseField(fi.field)
			x.fcs[id] = fcInfo{}
			x.freeFCs = append(x.freeFCs, id)
		}
		if c.need == 0 {
			x.always = delID(x.always, cid)
		}
		x.conjs[cid] = conjInfo{}
		x.freeConjs = append(x.freeConjs, cid)
	}
	x.rules[rid] = ruleInfo{}
	x.freeRules = append(x.freeRules, rid)
}

// decimalFloat returns d rounded to the nearest float64 (±Inf beyond the range).
func decimalFloat(d decimal) float64 {
	if len(d.digits) == 0 {
		return 0
	}
	b := make([]byte, 0, len(d.digits)+24)
	if d.neg {
		b = append(b, '-')
	}
	b = append(b, "0."...)
	b = append(b, d.digits...)
	b = append(b, 'e')
	b = strconv.AppendInt(b, d.exp, 10)
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

// condKey is a canonical text of a grouped condition: equal keys, equal conditions.
func condKey(c *cond) string {
	var b []byte
	b = append(b, byte(c.kind))
	switch c.kind {
	case kWildcard:
		b = append(b, c.wild.src...)
	case kNumeric:
		for _, x := range []struct {
			d    *decimal
			open bool
		}{{c.lo, c.loOpen}, {c.hi, c.hiOpen}} {
			switch {
			case x.d == nil:
				b = append(b, 'u')
			case x.open:
				b = append(b, 'o')
			default:
				b = append(b, 'c')
			}
			if x.d != nil {
				b = x.d.appendKey(b)
			}
			b = append(b, 0)
		}
	case kCIDR:
		b = append(b, c.ip.lo...)
		b = append(b, c.ip.hi...)
	case kButNumbers:
		for _, n := range c.nums {
			b = n.appendKey(b)
			b = append(b, 0)
		}
	case kButWildcard:
		for _, w := range c.wilds {
			b = append(b, w.src...)
			b = append(b, 0)
		}
	default:
		for _, s := range c.strs {
			b = append(b, s...)
			b = append(b, 0)
		}
	}
	return string(b)
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// register adds (or, when add is false, removes) condition c of a counted fc to the
// field's indexes.
func (f *fieldIndex) register(c *cond, p posting, add bool) {
	m := func(mp *map[string][]posting, k string) {
		if add {
			addTo(mp, k, p)
		} else {
			delFrom(*mp, k, p.fc)
		}
	}
	l := func(s *[]posting) {
		if add {
			*s = addPosting(*s, p)
		} else {
			*s = delPosting(*s, p.fc)
		}
	}
	g := func(s *groupSet, init func(*group)) {
		if add {
			s.add(condKey(c), c, p, init)
		} else {
			s.remove(condKey(c), p.fc)
		}
	}
	ls := func(s *lenSet, n int) {
		if add {
			s.add(n)
		} else {
			s.remove(n)
		}
	}
	switch c.kind {
	case kExactString:
		m(&f.exactStr, c.str)
	case kExactNumber:
		m(&f.exactNum, c.num.key())
	case kNull:
		l(&f.null)
	case kTrue:
		l(&f.tru)
	case kFalse:
		l(&f.fal)
	case kPrefix:
		m(&f.prefix, c.str)
		ls(&f.prefixLen, len(c.str))
	case kSuffix:
		m(&f.suffix, c.str)
		ls(&f.suffixLen, len(c.str))
	case kPrefixFold:
		m(&f.foldPre, c.str)
		ls(&f.foldPreLen, len(c.str))
	case kSuffixFold:
		m(&f.foldSuf, c.str)
		ls(&f.foldSufLen, len(c.str))
	case kEqualsFold:
		m(&f.foldEq, c.str)
	case kWildcard:
		g(&f.wild, nil)
	case kNumeric:
		g(&f.numeric, func(g *group) {
			g.flo, g.fhi = math.Inf(-1), math.Inf(1)
			if c.lo != nil {
				g.flo = decimalFloat(*c.lo)
			}
			if c.hi != nil {
				g.fhi = decimalFloat(*c.hi)
			}
		})
	case kCIDR:
		if len(c.ip.lo) == 4 {
			g(&f.cidr4, func(g *group) { g.lo4, g.hi4 = be32(c.ip.lo), be32(c.ip.hi) })
		} else {
			g(&f.cidr6, nil)
		}
	case kExists:
		l(&f.exists)
	case kAbsent:
		// Absence is never counted: absence-based fields are checked per candidate.
	default: // anything-but forms
		n := len(f.but.byKey)
		g(&f.but, nil)
		if len(f.but.byKey) != n { // a group appeared or disappeared
			d := 1
			if !add {
				d = -1
			}
			switch c.kind {
			case kButNumbers:
				f.butNumbers += d
			case kButFold:
				f.butFold += d
			}
		}
	}
	f.needNum = len(f.exactNum) > 0 || len(f.numeric.list) > 0 || f.butNumbers > 0
	f.needFold = len(f.foldEq) > 0 || len(f.foldPre) > 0 || len(f.foldSuf) > 0 || f.butFold > 0
}
