package pattern

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// index holds many named patterns compiled into per-field-path structures. It is not
// synchronised: Matcher guards it with a RWMutex, Pattern never changes it after Compile.
//
// Terms: a rule is a named pattern; a conj (conjunction) is one branch of a rule's $or
// expansion; an fc (field condition) is one field of a conj with its alternatives.
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
	trigger  bool // the conjunction's trigger: its conditions are in the field indexes
	absent   bool // has an exists:false alternative
	positive bool // has an alternative that needs a value
	conds    []*cond
}

// maxTriggers is how many fields of a conjunction are indexed; the others are checked
// only for candidates, conjunctions whose indexed fields all matched.
const maxTriggers = 1

type conjInfo struct {
	need int32 // number of trigger fcs
	rule int32
	fcs  []int32
	live bool
}

type ruleInfo struct {
	name  string
	conjs []int32
	live  bool
}

type ref struct {
	c  *cond
	fc int32
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

// fieldIndex holds the conditions of all patterns on one field path.
type fieldIndex struct {
	node *pathNode
	refs int // fcs on this field
	keep int // non-trigger fcs that need this field's values kept for checking

	exactStr             map[string][]int32
	exactNum             map[string][]int32 // by decimal key
	null, tru, fal       []int32
	prefix, suffix       map[string][]int32
	prefixLen, suffixLen lenSet
	foldEq               map[string][]int32
	foldPre, foldSuf     map[string][]int32
	foldPreLen           lenSet
	foldSufLen           lenSet
	wild                 []ref
	numeric              []ref
	cidr                 []ref
	exists               []int32
	but                  []ref

	needNum  bool // numbers must be parsed
	needFold bool // strings must be folded
	needIP   bool
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

func addTo(m *map[string][]int32, k string, fc int32) {
	if *m == nil {
		*m = map[string][]int32{}
	}
	(*m)[k] = append((*m)[k], fc)
}

func delFrom(m map[string][]int32, k string, fc int32) {
	l := m[k]
	if i := slices.Index(l, fc); i >= 0 {
		l = slices.Delete(l, i, i+1)
	}
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

func delRef(l []ref, fc int32, c *cond) []ref {
	for i, r := range l {
		if r.fc == fc && r.c == c {
			return slices.Delete(l, i, i+1)
		}
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
		n.field = alloc(&x.fields, &x.freeFields, &fieldIndex{node: n})
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

// condScore ranks how selective a condition is as the trigger of a conjunction: lower is
// more selective. Conditions that most values satisfy (anything-but, exists) rank last.
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

// add registers a rule. The caller has removed any earlier rule of that name.
//
// Each conjunction gets one trigger: its most selective required field. Only the trigger's
// conditions go into the field indexes; a conjunction becomes a candidate when its trigger
// matches a value of the event, and its other fields are then checked directly against the
// values the scan kept. A conjunction without required fields (only exists:false-like
// fields) is checked for every event.
func (x *index) add(name string, branches []*branch) {
	rid := alloc(&x.rules, &x.freeRules, ruleInfo{name: name, live: true})
	x.byName[name] = rid
	x.ranks.Store(nil)
	conjs := make([]int32, 0, len(branches))
	for _, b := range branches {
		cid := alloc(&x.conjs, &x.freeConjs, conjInfo{rule: rid, live: true})
		var fcs []int32
		type cand struct {
			id    int32
			score int
		}
		var req []cand
		for _, f := range b.fields {
			fid := x.fieldFor(f.key)
			fi := fcInfo{conj: cid, field: fid, absent: f.hasAbsent, positive: f.hasPositive, conds: f.conds}
			fi.required = f.hasPositive && !f.hasAbsent
			id := alloc(&x.fcs, &x.freeFCs, fi)
			fcs = append(fcs, id)
			x.fields[fid].refs++
			if fi.required {
				score := 0
				for _, c := range f.conds {
					score = max(score, condScore(c))
				}
				req = append(req, cand{id, score})
			}
		}
		// The two most selective required fields are triggers: both must hit.
		slices.SortStableFunc(req, func(a, b cand) int { return a.score - b.score })
		if len(req) > maxTriggers {
			req = req[:maxTriggers]
		}
		for _, r := range req {
			x.fcs[r.id].trigger = true
		}
		trigger := int32(len(req)) - 1
		for _, id := range fcs {
			fi := &x.fcs[id]
			fx := x.fields[fi.field]
			if fi.trigger {
				for _, c := range fi.conds {
					fx.register(c, id, true)
				}
			} else if fi.positive {
				fx.keep++
			}
		}
		x.conjs[cid].need = int32(len(req))
		x.conjs[cid].fcs = fcs
		if trigger < 0 {
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
		always := true
		for _, id := range c.fcs {
			fi := x.fcs[id]
			fx := x.fields[fi.field]
			if fi.trigger {
				always = false
				for _, cd := range fi.conds {
					fx.register(cd, id, false)
				}
			} else if fi.positive {
				fx.keep--
			}
			x.releaseField(fi.field)
			x.fcs[id] = fcInfo{}
			x.freeFCs = append(x.freeFCs, id)
		}
		if always {
			x.always = delID(x.always, cid)
		}
		x.conjs[cid] = conjInfo{}
		x.freeConjs = append(x.freeConjs, cid)
	}
	x.rules[rid] = ruleInfo{}
	x.freeRules = append(x.freeRules, rid)
}

// register adds (or, when add is false, removes) condition c of fc to the field's indexes.
func (f *fieldIndex) register(c *cond, fc int32, add bool) {
	m := func(mp *map[string][]int32, k string) {
		if add {
			addTo(mp, k, fc)
		} else {
			delFrom(*mp, k, fc)
		}
	}
	l := func(s *[]int32) {
		if add {
			*s = append(*s, fc)
		} else {
			*s = delID(*s, fc)
		}
	}
	r := func(s *[]ref) {
		if add {
			*s = append(*s, ref{c, fc})
		} else {
			*s = delRef(*s, fc, c)
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
		r(&f.wild)
	case kNumeric:
		r(&f.numeric)
	case kCIDR:
		r(&f.cidr)
	case kExists:
		l(&f.exists)
	case kAbsent:
		// Absence is checked per event from the field's presence, nothing to index.
	default: // anything-but forms
		r(&f.but)
	}
	f.needNum = len(f.exactNum) > 0 || len(f.numeric) > 0
	if !f.needNum {
		for _, b := range f.but {
			if b.c.kind == kButNumbers {
				f.needNum = true
				break
			}
		}
	}
	f.needFold = len(f.foldEq) > 0 || len(f.foldPre) > 0 || len(f.foldSuf) > 0
	if !f.needFold {
		for _, b := range f.but {
			if b.c.kind == kButFold {
				f.needFold = true
				break
			}
		}
	}
	f.needIP = len(f.cidr) > 0
}
