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
// synchronised: Matcher changes a copy only while no Match reads it (see Matcher), Pattern
// never changes it after Compile.
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
	hot    []conjHot     // by conj id: what deciding most candidates needs, compact
	rules  []ruleInfo    // by rule id
	byName map[string]int32
	always []int32                 // conjs that need no hit at all (only exists:false-like fields)
	ranks  atomic.Pointer[ranking] // order of the rules' names; nil when stale
	rankMu sync.Mutex

	freeFields, freeFCs, freeConjs, freeRules []int32

	groups     int32 // group ids in use are below this
	freeGroups []int32

	pool sync.Pool // *scratch
}

// ranking orders the rules by name, so that Match sorts small integers, not strings.
type ranking struct {
	rank  []int32  // rule id -> position of its name in sorted order
	names []string // position -> name
}

// rankTable returns the order of the rules' names, building it after a change. Callers
// hold the Matcher's read lock, so the rule set is stable meanwhile.
func (x *index) rankTable() *ranking {
	if r := x.ranks.Load(); r != nil {
		return r
	}
	x.rankMu.Lock()
	defer x.rankMu.Unlock()
	if r := x.ranks.Load(); r != nil {
		return r
	}
	ids := make([]int32, 0, len(x.byName))
	for _, id := range x.byName {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int32) int { return strings.Compare(x.rules[a].name, x.rules[b].name) })
	r := &ranking{rank: make([]int32, len(x.rules)), names: make([]string, len(ids))}
	for i, id := range ids {
		r.rank[id] = int32(i)
		r.names[i] = x.rules[id].name
	}
	x.ranks.Store(r)
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
	counted  bool // its groups' hits set its bit in the conj's mask during the scan
	bit      uint8
	absent   bool // has an exists:false alternative
	positive bool // has an alternative that needs a value
	conds    []*cond
	groups   []int32 // the index groups of its conditions, when positive and not counted
}

type conjInfo struct {
	need  int32 // number of counted fcs
	rule  int32
	fcs   []int32
	items []conjItem // by position in fcs
	live  bool
}

// conjHot is what deciding a candidate conj needs, in one cache line. A simple conj (every
// fc counted, the only conj of its rule) matches when no two of its fields have values
// inside arrays of objects; sig tells which of its fields do. The items of a conj of at
// most inlineItems fcs are copied here, so deciding it reads no other memory but the
// per-event stamps.
type conjHot struct {
	rule   int32
	n      uint8 // inline items; 0 when the conj has more than inlineItems (see conjInfo)
	simple bool
	single bool   // the only conj of its rule: it cannot match twice in one event
	sig    uint64 // bit field%64 of each of its fields; only used when the bits are distinct
	flags  [inlineItems]uint8
	items  [inlineItems]hotItem
}

// inlineItems is how many fcs a conjHot holds: as many as fill 64 bytes.
const inlineItems = 5

// hotItem is the field and first group of a conjItem.
type hotItem struct {
	field, group int32
}

// conjItem is what deciding a candidate conj needs to know of one of its fcs.
type conjItem struct {
	fc, field int32
	// group is the first index group of the conditions of a positive fc that is not
	// counted: it is satisfied when the scan stamped one of its groups (the others are in
	// fcInfo.groups).
	group int32
	flags uint8
}

const (
	itemCounted  = 1 << iota // hit during the scan, or the conj would not be a candidate
	itemRequired             // absence fails the conj
	itemPositive             // a present value can satisfy it
	itemGroups               // more groups than one: see fcInfo.groups
)

type ruleInfo struct {
	name  string
	conjs []int32
	live  bool
}

// posting names a counted fc and its conj, so that a hit needs no lookup in fcs.
type posting struct {
	conj int32
	bit  uint8 // the fc's position among its conj's counted fcs
	need uint8 // the conj's number of counted fcs
}

// maxCounted is the most counted fcs a conj may have: their hits are bits of a uint32.
// Further selective fields are checked through their groups' stamps instead.
const maxCounted = 32

// registerAll adds (or removes) every condition of a positive fc to the field's indexes
// and returns the ids of their groups.
func (x *index) registerAll(f *fieldIndex, fi *fcInfo, p posting, add bool) []int32 {
	var ids []int32
	for _, c := range fi.conds {
		if c.kind == kAbsent {
			continue // absence is checked per candidate from the field's presence
		}
		ids = append(ids, x.register(f, c, p, fi.counted, add))
	}
	return ids
}

func delPosting(l []posting, q posting) []posting {
	for i, p := range l {
		if p.conj == q.conj && p.bit == q.bit {
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

// group is one distinct condition of a field: equal conditions of different patterns
// share it, so it is evaluated once per value. The scan stamps a group whose condition a
// value satisfies and counts its postings; fcs that are not counted look at the stamp.
type group struct {
	id    int32
	key   string
	c     *cond
	posts []posting // counted fcs
	refs  int       // registrations, counted or not
	// Numeric groups: the bounds rounded to float64 (±Inf when unbounded). Rounding is
	// monotone, so a strict float comparison decides the exact one; ties are checked exactly.
	flo, fhi float64
	// IPv4 cidr groups: the range as integers.
	lo4, hi4 uint32
}

// groupSet keeps the groups of one operator of a field, sorted by order when it is set.
type groupSet struct {
	byKey  map[string]*group
	list   []*group
	order  func(a, b *group) int
	bounds []bound // when ordered: the bounds of list[i], scanned without loading the groups
}

// bound is a numeric group's range rounded to float64, or an IPv4 range (exact in a float64).
type bound struct{ lo, hi float64 }

func (g *group) bound() bound {
	if g.c.kind == kCIDR {
		return bound{float64(g.lo4), float64(g.hi4)}
	}
	return bound{g.flo, g.fhi}
}

func (s *groupSet) get(x *index, key string, c *cond, create bool, init func(*group)) *group {
	if g := s.byKey[key]; g != nil || !create {
		return g
	}
	if s.byKey == nil {
		s.byKey = map[string]*group{}
	}
	g := x.newGroup(key, c)
	if init != nil {
		init(g)
	}
	s.byKey[key] = g
	if s.order != nil {
		i, _ := slices.BinarySearchFunc(s.list, g, s.order)
		s.list = slices.Insert(s.list, i, g)
		s.bounds = slices.Insert(s.bounds, i, g.bound())
	} else {
		s.list = append(s.list, g)
	}
	return g
}

func (s *groupSet) drop(g *group) {
	delete(s.byKey, g.key)
	if i := slices.Index(s.list, g); i >= 0 {
		s.list = slices.Delete(s.list, i, i+1)
		if s.order != nil {
			s.bounds = slices.Delete(s.bounds, i, i+1)
		}
	}
}

// fieldIndex holds the conditions of all patterns on one field path.
type fieldIndex struct {
	node *pathNode
	refs int // fcs on this field

	exactStr             map[string]*group
	exactNum             map[string]*group // by decimal key
	null, tru, fal       *group
	prefix, suffix       map[string]*group
	prefixLen, suffixLen lenSet
	foldEq               map[string]*group
	foldPre, foldSuf     map[string]*group
	foldPreLen           lenSet
	foldSufLen           lenSet
	wild                 groupSet // by pattern text
	numeric              groupSet // sorted by flo
	cidr4                groupSet // IPv4 ranges, sorted by lo4
	cidr6                groupSet // IPv6 ranges
	exists               *group
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

func (x *index) newGroup(key string, c *cond) *group {
	id := x.groups
	if n := len(x.freeGroups); n > 0 {
		id = x.freeGroups[n-1]
		x.freeGroups = x.freeGroups[:n-1]
	} else {
		x.groups++
	}
	return &group{id: id, key: key, c: c}
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

// mapGroup returns the group of key in m, creating it (and m) when create.
func (x *index) mapGroup(m *map[string]*group, key string, c *cond, create bool) *group {
	if g := (*m)[key]; g != nil || !create {
		return g
	}
	if *m == nil {
		*m = map[string]*group{}
	}
	g := x.newGroup(key, c)
	(*m)[key] = g
	return g
}

// oneGroup returns the single group *p, creating it when create.
func (x *index) oneGroup(p **group, c *cond, create bool) *group {
	if *p == nil && create {
		*p = x.newGroup("", c)
	}
	return *p
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
			if score <= selectiveScore && need < maxCounted {
				x.fcs[id].counted, x.fcs[id].bit = true, uint8(need)
				need++
			} else if best < 0 || score < bestScore {
				best, bestScore = id, score
			}
		}
		if need == 0 && best >= 0 {
			x.fcs[best].counted = true
			need = 1
		}
		items := make([]conjItem, len(fcs))
		for i, id := range fcs {
			fi := &x.fcs[id]
			it := conjItem{fc: id, field: fi.field}
			for _, f := range []struct {
				on   bool
				flag uint8
			}{{fi.counted, itemCounted}, {fi.required, itemRequired}, {fi.positive, itemPositive}} {
				if f.on {
					it.flags |= f.flag
				}
			}
			if fi.positive {
				ids := x.registerAll(x.fields[fi.field], fi, posting{cid, fi.bit, uint8(need)}, true)
				if !fi.counted {
					fi.groups = ids
					it.group = ids[0]
					if len(ids) > 1 {
						it.flags |= itemGroups
					}
				}
			}
			items[i] = it
		}
		x.conjs[cid].need = need
		x.conjs[cid].fcs = fcs
		x.conjs[cid].items = items
		hot := conjHot{rule: rid, simple: len(branches) == 1, single: len(branches) == 1}
		if len(items) <= inlineItems {
			hot.n = uint8(len(items))
			for i, it := range items {
				hot.flags[i], hot.items[i] = it.flags, hotItem{it.field, it.group}
			}
		}
		for _, it := range items {
			bit := uint64(1) << (it.field & 63)
			if it.flags&itemCounted == 0 || hot.sig&bit != 0 {
				hot.simple = false
			}
			hot.sig |= bit
		}
		x.hot = grow(x.hot, len(x.conjs))
		x.hot[cid] = hot
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
			if fi.positive {
				x.registerAll(fx, &fi, posting{cid, fi.bit, uint8(c.need)}, false)
			}
			x.releaseField(fi.field)
			x.fcs[id] = fcInfo{}
			x.freeFCs = append(x.freeFCs, id)
		}
		if c.need == 0 {
			x.always = delID(x.always, cid)
		}
		x.conjs[cid] = conjInfo{}
		x.hot[cid] = conjHot{}
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

// register adds (or, when add is false, removes) condition c of an fc to the field's
// indexes and returns the id of its group. A counted fc's posting goes into the group.
func (x *index) register(f *fieldIndex, c *cond, p posting, counted, add bool) int32 {
	var (
		g    *group
		drop func()
		lens *lenSet
		n    int
	)
	inMap := func(m *map[string]*group, k string) {
		g = x.mapGroup(m, k, c, add)
		drop = func() { delete(*m, k) }
	}
	inSet := func(s *groupSet, init func(*group)) {
		g = s.get(x, condKey(c), c, add, init)
		drop = func() { s.drop(g) }
	}
	one := func(p **group) {
		g = x.oneGroup(p, c, add)
		drop = func() { *p = nil }
	}
	switch c.kind {
	case kExactString:
		inMap(&f.exactStr, c.str)
	case kExactNumber:
		inMap(&f.exactNum, c.num.key())
	case kNull:
		one(&f.null)
	case kTrue:
		one(&f.tru)
	case kFalse:
		one(&f.fal)
	case kPrefix:
		inMap(&f.prefix, c.str)
		lens, n = &f.prefixLen, len(c.str)
	case kSuffix:
		inMap(&f.suffix, c.str)
		lens, n = &f.suffixLen, len(c.str)
	case kPrefixFold:
		inMap(&f.foldPre, c.str)
		lens, n = &f.foldPreLen, len(c.str)
	case kSuffixFold:
		inMap(&f.foldSuf, c.str)
		lens, n = &f.foldSufLen, len(c.str)
	case kEqualsFold:
		inMap(&f.foldEq, c.str)
	case kWildcard:
		inSet(&f.wild, nil)
	case kNumeric:
		inSet(&f.numeric, func(g *group) {
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
			inSet(&f.cidr4, func(g *group) { g.lo4, g.hi4 = be32(c.ip.lo), be32(c.ip.hi) })
		} else {
			inSet(&f.cidr6, nil)
		}
	case kExists:
		one(&f.exists)
	default: // anything-but forms
		inSet(&f.but, nil)
	}
	if g == nil {
		return -1 // removing what is not there; cannot happen
	}
	d := 1
	if add {
		if g.refs == 0 && lens != nil {
			lens.add(n)
		}
		g.refs++
		if counted {
			g.posts = append(g.posts, p)
		}
	} else {
		d = -1
		g.refs--
		if counted {
			g.posts = delPosting(g.posts, p)
		}
		if g.refs == 0 {
			drop()
			if lens != nil {
				lens.remove(n)
			}
			x.freeGroups = append(x.freeGroups, g.id)
		}
	}
	if g.refs == 0 || (add && g.refs == 1) { // a group appeared or disappeared
		switch c.kind {
		case kButNumbers:
			f.butNumbers += d
		case kButFold:
			f.butFold += d
		}
	}
	f.needNum = len(f.exactNum) > 0 || len(f.numeric.list) > 0 || f.butNumbers > 0
	f.needFold = len(f.foldEq) > 0 || len(f.foldPre) > 0 || len(f.foldSuf) > 0 || f.butFold > 0
	return g.id
}
