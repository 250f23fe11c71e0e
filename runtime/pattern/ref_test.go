package pattern

// This file holds a small, obviously-correct reference matcher: it reads the pattern and
// the event with encoding/json, expands $or, flattens the event into leaves and tries the
// pattern's branches one by one with plain backtracking. No indexes, no shared code with
// the package except nothing: it decides from the JSON alone.

import (
	"bytes"
	"encoding/json"
	"math/big"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// refNode is an ordered JSON value (objects keep duplicate keys in order).
type refNode struct {
	obj  []refKV
	arr  []*refNode
	val  any // string, json.Number, bool, nil
	kind byte
}

type refKV struct {
	k string
	v *refNode
}

func refParse(dec *json.Decoder) *refNode {
	tok, err := dec.Token()
	if err != nil {
		panic(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n := &refNode{kind: 'o'}
			for dec.More() {
				k, _ := dec.Token()
				n.obj = append(n.obj, refKV{k.(string), refParse(dec)})
			}
			dec.Token()
			return n
		}
		n := &refNode{kind: 'a'}
		for dec.More() {
			n.arr = append(n.arr, refParse(dec))
		}
		dec.Token()
		return n
	}
	return &refNode{kind: 'v', val: tok}
}

func refDecode(b []byte) *refNode {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return refParse(dec)
}

// refBranch maps a dot-joined path to its list of alternatives (the match-array elements).
type refBranch map[string][]*refNode

// refJoin joins a path; root is the empty path (distinct from a path of one empty key).
func refJoin(path *string, k string) *string {
	p := k
	if path != nil {
		p = *path + "." + k
	}
	return &p
}

func refExpand(rules []refBranch, path *string, n *refNode) []refBranch {
	for _, kv := range n.obj {
		if kv.k == "$or" {
			var out []refBranch
			for _, alt := range kv.v.arr {
				for _, r := range refCopy(rules) {
					out = append(out, refExpand([]refBranch{r}, path, alt)...)
				}
			}
			rules = out
			continue
		}
		p := refJoin(path, kv.k)
		if kv.v.kind == 'o' {
			rules = refExpand(rules, p, kv.v)
			continue
		}
		for _, r := range rules {
			r[*p] = kv.v.arr // a later key replaces an earlier one
		}
	}
	return rules
}

func refCopy(rules []refBranch) []refBranch {
	out := make([]refBranch, len(rules))
	for i, r := range rules {
		out[i] = refBranch{}
		for k, v := range r {
			out[i][k] = v
		}
	}
	return out
}

type refMem struct{ arr, idx int }

type refLeaf struct {
	path string
	val  any
	mem  []refMem
}

func refFlatten(n *refNode, path *string, mem []refMem, arrays *int, out *[]refLeaf) {
	switch n.kind {
	case 'o':
		for _, kv := range n.obj {
			refFlatten(kv.v, refJoin(path, kv.k), mem, arrays, out)
		}
	case 'a':
		id := *arrays
		*arrays++
		for i, e := range n.arr {
			m := mem
			if e.kind != 'v' {
				m = append(append([]refMem(nil), mem...), refMem{id, i})
			}
			refFlatten(e, path, m, arrays, out)
		}
	default:
		if path != nil {
			*out = append(*out, refLeaf{*path, n.val, mem})
		}
	}
}

func refRat(s json.Number) *big.Rat {
	r, ok := new(big.Rat).SetString(string(s))
	if !ok {
		panic("bad number " + s)
	}
	return r
}

func refNumEq(a, b json.Number) bool { return refRat(a).Cmp(refRat(b)) == 0 }

// refFoldPrefix reports whether v starts with p ignoring case (rune by rune).
func refFoldPrefix(v, p string) bool {
	n := utf8.RuneCountInString(p)
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(v) {
			return false
		}
		_, w := utf8.DecodeRuneInString(v[i:])
		i += w
	}
	return strings.EqualFold(v[:i], p)
}

func refFoldSuffix(v, p string) bool {
	n := utf8.RuneCountInString(p)
	i := len(v)
	for k := 0; k < n; k++ {
		if i <= 0 {
			return false
		}
		_, w := utf8.DecodeLastRuneInString(v[:i])
		i -= w
	}
	return strings.EqualFold(v[i:], p)
}

func refWildcard(p, v string) bool {
	var re strings.Builder
	re.WriteString(`(?s)^`)
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == '*':
			re.WriteString(".*")
		case p[i] == '\\' && i+1 < len(p):
			re.WriteString(regexp.QuoteMeta(p[i+1 : i+2]))
			i++
		default:
			re.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	re.WriteString("$")
	return regexp.MustCompile(re.String()).MatchString(v)
}

func refCIDR(p, v string) bool {
	slash := strings.LastIndexByte(p, '/')
	base, err := netip.ParseAddr(p[:slash])
	if err != nil {
		panic(err)
	}
	base = base.Unmap()
	var bits int
	for _, c := range p[slash+1:] {
		bits = bits*10 + int(c-'0')
	}
	pre, err := base.Prefix(bits)
	if err != nil {
		panic(err)
	}
	// The top of the range is the last address of the prefix.
	hi := pre.Addr().AsSlice()
	host := len(hi)*8 - bits
	for i := len(hi) - 1; i >= 0 && host > 0; i-- {
		if host >= 8 {
			hi[i] = 0xff
		} else {
			hi[i] |= byte(1<<host - 1)
		}
		host -= 8
	}
	top, _ := netip.AddrFromSlice(hi)
	if strings.Contains(v, "%") {
		return false
	}
	ip, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	return ip.Is4() == base.Is4() && ip.Compare(base) >= 0 && ip.Compare(top) <= 0
}

// refValue reports whether the event value v satisfies the alternative alt.
func refValue(alt *refNode, v any) bool {
	if alt.kind == 'v' {
		switch a := alt.val.(type) {
		case string:
			s, ok := v.(string)
			return ok && s == a
		case json.Number:
			n, ok := v.(json.Number)
			return ok && refNumEq(a, n)
		default:
			return v == alt.val
		}
	}
	op, arg := alt.obj[0].k, alt.obj[0].v
	s, isStr := v.(string)
	n, isNum := v.(json.Number)
	switch op {
	case "exact":
		return isStr && s == arg.val.(string)
	case "prefix", "suffix":
		if arg.kind == 'o' {
			p := arg.obj[0].v.val.(string)
			if op == "prefix" {
				return isStr && refFoldPrefix(s, p)
			}
			return isStr && refFoldSuffix(s, p)
		}
		if op == "prefix" {
			return isStr && strings.HasPrefix(s, arg.val.(string))
		}
		return isStr && strings.HasSuffix(s, arg.val.(string))
	case "equals-ignore-case":
		return isStr && strings.EqualFold(s, arg.val.(string))
	case "wildcard":
		return isStr && refWildcard(arg.val.(string), s)
	case "cidr":
		return isStr && refCIDR(arg.val.(string), s)
	case "exists":
		return arg.val.(bool)
	case "numeric":
		if !isNum {
			return false
		}
		x := refRat(n)
		ops := arg.arr
		for i := 0; i+1 < len(ops); i += 2 {
			c := x.Cmp(refRat(ops[i+1].val.(json.Number)))
			var ok bool
			switch ops[i].val.(string) {
			case "=":
				ok = c == 0
			case "<":
				ok = c < 0
			case "<=":
				ok = c <= 0
			case ">":
				ok = c > 0
			case ">=":
				ok = c >= 0
			}
			if !ok {
				return false
			}
		}
		return true
	case "anything-but":
		var mod string
		list := []*refNode{arg}
		if arg.kind == 'o' {
			mod, arg = arg.obj[0].k, arg.obj[0].v
			list = []*refNode{arg}
		}
		if arg.kind == 'a' {
			list = arg.arr
		}
		for _, e := range list {
			var excluded bool
			switch mod {
			case "":
				excluded = refValue(e, v)
			case "prefix":
				excluded = isStr && strings.HasPrefix(s, e.val.(string))
			case "suffix":
				excluded = isStr && strings.HasSuffix(s, e.val.(string))
			case "equals-ignore-case":
				excluded = isStr && strings.EqualFold(s, e.val.(string))
			case "wildcard":
				excluded = isStr && refWildcard(e.val.(string), s)
			}
			if excluded {
				return false
			}
		}
		return true
	}
	panic("unknown operator " + op)
}

func refConsistent(a, b []refMem) bool {
	for _, x := range a {
		for _, y := range b {
			if x.arr == y.arr && x.idx != y.idx {
				return false
			}
		}
	}
	return true
}

func refBranchMatch(br refBranch, leaves []refLeaf) bool {
	type field struct{ cands [][]refMem }
	var fields []field
	for path, alts := range br {
		var present bool
		var cands [][]refMem
		absentOK := false
		for _, a := range alts {
			if a.kind == 'o' && a.obj[0].k == "exists" && a.obj[0].v.val == false {
				absentOK = true
			}
		}
		for _, l := range leaves {
			if l.path != path {
				continue
			}
			present = true
			for _, a := range alts {
				if a.kind == 'o' && a.obj[0].k == "exists" && a.obj[0].v.val == false {
					continue
				}
				if refValue(a, l.val) {
					cands = append(cands, l.mem)
					break
				}
			}
		}
		if !present && absentOK {
			continue
		}
		if len(cands) == 0 {
			return false
		}
		fields = append(fields, field{cands})
	}
	var try func(i int, chosen [][]refMem) bool
	try = func(i int, chosen [][]refMem) bool {
		if i == len(fields) {
			return true
		}
		for _, c := range fields[i].cands {
			ok := true
			for _, o := range chosen {
				if !refConsistent(c, o) {
					ok = false
					break
				}
			}
			if ok && try(i+1, append(chosen, c)) {
				return true
			}
		}
		return false
	}
	return try(0, nil)
}

// refMatchTree matches a decoded pattern against flattened event leaves.
func refMatchTree(pat *refNode, leaves []refLeaf) bool {
	for _, br := range refExpand([]refBranch{{}}, nil, pat) {
		if refBranchMatch(br, leaves) {
			return true
		}
	}
	return false
}

func refLeaves(event []byte) []refLeaf {
	var leaves []refLeaf
	var arrays int
	refFlatten(refDecode(event), nil, nil, &arrays, &leaves)
	return leaves
}

// refMatch matches a valid pattern against an event that is a JSON object.
func refMatch(t testing.TB, pattern, event []byte) bool {
	t.Helper()
	return refMatchTree(refDecode(pattern), refLeaves(event))
}
