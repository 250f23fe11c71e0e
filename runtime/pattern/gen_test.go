package pattern

// Deterministic generators of patterns and events for the differential test, the fuzz seed
// corpora and the benchmarks.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// obj is an ordered JSON object for building test documents.
type obj []kv

type kv struct {
	K string
	V any
}

// raw is JSON text inserted verbatim.
type raw string

func jsonText(v any) string {
	var b strings.Builder
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *strings.Builder, v any) {
	switch x := v.(type) {
	case obj:
		b.WriteByte('{')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(e.K)
			b.Write(k)
			b.WriteByte(':')
			writeJSON(b, e.V)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case raw:
		b.WriteString(string(x))
	default:
		j, err := json.Marshal(x)
		if err != nil {
			panic(err)
		}
		b.Write(j)
	}
}

func pick[T any](r *rand.Rand, l []T) T { return l[r.IntN(len(l))] }

// Small vocabularies so that random patterns and events often meet.
var (
	genStrings = []string{"", "a", "ab", "abc", "ABC", "Abc", "init", "init-x", "x-init", "INIT-y",
		"file.txt", "file.TXT", "file.txt.bak", "dir/a/b", "a/dir/b", "10.0.0.1", "10.0.1.255",
		"192.168.1.7", "2001:db8::1", "2001:db8:0:0:0:0:0:ff", "null", "5", "true", "Straße", "STRASSE", "ǅx", "ǆX", "K"}
	genNumbers = []string{"0", "-0", "5", "5.0", "5e0", "0.5e1", "-1", "100", "1e2", "1E+2", "0.1",
		"3.14", "123456789012345", "123456789012346", "1234567890123456789", "1234567890123456788", "-2.5", "1e-7"}
	genPaths = [][]string{{"source"}, {"detail-type"}, {"detail", "state"}, {"detail", "count"},
		{"detail", "ip"}, {"detail", "tags"}, {"detail", "items", "name"}, {"detail", "items", "qty"},
		{"detail", "x", "y"}, {"detail", "x.y"}, {"detail", "missing"}, {"detail", "items", "sub", "k"}}
)

func genScalar(r *rand.Rand) any {
	switch r.IntN(10) {
	case 0, 1, 2, 3, 4:
		return pick(r, genStrings)
	case 5, 6, 7:
		return raw(pick(r, genNumbers))
	case 8:
		return r.IntN(2) == 0
	}
	return nil
}

func genWildcard(r *rand.Rand) string {
	s := pick(r, genStrings)
	switch r.IntN(4) {
	case 0:
		return "*" + s
	case 1:
		return s + "*"
	case 2:
		if len(s) > 1 {
			i := r.IntN(len(s))
			return s[:i] + "*" + s[i:]
		}
		return "*"
	}
	return "*" + s + "*"
}

func genCIDR(r *rand.Rand) string {
	return pick(r, []string{"10.0.0.0/24", "10.0.0.0/8", "10.0.1.0/31", "10.0.0.1/30", "192.168.0.0/16",
		"2001:db8::/64", "2001:db8::/120", "0.0.0.0/0"})
}

func nonEmpty(r *rand.Rand) string {
	for {
		if s := pick(r, genStrings); s != "" {
			return s
		}
	}
}

// genCondition returns one element of a match array.
func genCondition(r *rand.Rand) any {
	switch r.IntN(17) {
	case 0, 1:
		return genScalar(r)
	case 2:
		return obj{{"prefix", pick(r, genStrings)}}
	case 3:
		return obj{{"suffix", pick(r, genStrings)}}
	case 4:
		return obj{{"prefix", obj{{"equals-ignore-case", pick(r, genStrings)}}}}
	case 5:
		return obj{{"suffix", obj{{"equals-ignore-case", pick(r, genStrings)}}}}
	case 6:
		return obj{{"equals-ignore-case", pick(r, genStrings)}}
	case 7:
		return obj{{"wildcard", genWildcard(r)}}
	case 8:
		switch r.IntN(3) {
		case 0:
			return obj{{"anything-but", pick(r, genStrings)}}
		case 1:
			return obj{{"anything-but", raw(pick(r, genNumbers))}}
		}
		if r.IntN(2) == 0 {
			return obj{{"anything-but", []any{pick(r, genStrings), pick(r, genStrings)}}}
		}
		return obj{{"anything-but", []any{raw(pick(r, genNumbers)), raw(pick(r, genNumbers))}}}
	case 9:
		mod := pick(r, []string{"prefix", "suffix"})
		if r.IntN(2) == 0 {
			return obj{{"anything-but", obj{{mod, nonEmpty(r)}}}}
		}
		return obj{{"anything-but", obj{{mod, []any{nonEmpty(r), nonEmpty(r)}}}}}
	case 10:
		if r.IntN(2) == 0 {
			return obj{{"anything-but", obj{{"equals-ignore-case", pick(r, genStrings)}}}}
		}
		return obj{{"anything-but", obj{{"equals-ignore-case", []any{pick(r, genStrings), pick(r, genStrings)}}}}}
	case 11:
		return obj{{"anything-but", obj{{"wildcard", genWildcard(r)}}}}
	case 12, 13:
		ops := []string{"=", "<", "<=", ">", ">="}
		op := pick(r, ops)
		a := raw(pick(r, genNumbers))
		if (op == ">" || op == ">=") && r.IntN(2) == 0 {
			lo, hi := r.IntN(200)-50, 0
			hi = lo + 1 + r.IntN(200)
			return obj{{"numeric", []any{op, raw(fmt.Sprint(lo)), pick(r, []string{"<", "<="}), raw(fmt.Sprint(hi))}}}
		}
		return obj{{"numeric", []any{op, a}}}
	case 14:
		return obj{{"exists", r.IntN(2) == 0}}
	case 15:
		return obj{{"cidr", genCIDR(r)}}
	}
	return nil
}

func genMatchArray(r *rand.Rand) []any {
	n := 1 + r.IntN(3)
	out := make([]any, n)
	for i := range out {
		out[i] = genCondition(r)
	}
	return out
}

// insertPath adds path: value to a nested pattern object, sometimes with a dotted key.
func insertPath(o obj, path []string, v any, r *rand.Rand) obj {
	if len(path) > 1 && r.IntN(6) == 0 {
		return append(o, kv{strings.Join(path, "."), v})
	}
	if len(path) == 1 {
		return append(o, kv{path[0], v})
	}
	for i := range o {
		if o[i].K == path[0] {
			if sub, ok := o[i].V.(obj); ok {
				o[i].V = insertPath(sub, path[1:], v, r)
				return o
			}
		}
	}
	return append(o, kv{path[0], insertPath(nil, path[1:], v, r)})
}

func genFields(r *rand.Rand, n int) obj {
	var o obj
	for range n {
		o = insertPath(o, pick(r, genPaths), genMatchArray(r), r)
	}
	return o
}

// genPattern returns a random pattern that is usually valid.
func genPattern(r *rand.Rand) []byte {
	o := genFields(r, 1+r.IntN(3))
	if r.IntN(4) == 0 {
		alts := []any{genFields(r, 1+r.IntN(2)), genFields(r, 1+r.IntN(2))}
		if r.IntN(3) == 0 {
			alts = append(alts, genFields(r, 1))
		}
		o = append(o, kv{"$or", alts})
	}
	return []byte(jsonText(o))
}

func genEventValue(r *rand.Rand) any {
	if r.IntN(6) == 0 {
		n := r.IntN(3)
		arr := make([]any, n)
		for i := range arr {
			arr[i] = genScalar(r)
		}
		return arr
	}
	return genScalar(r)
}

// genEvent returns a random event in the shape the pattern paths describe.
func genEvent(r *rand.Rand) []byte {
	var detail obj
	maybe := func(k string, v func() any) {
		if r.IntN(4) != 0 {
			detail = append(detail, kv{k, v()})
		}
	}
	maybe("state", func() any { return genEventValue(r) })
	maybe("count", func() any { return genEventValue(r) })
	maybe("ip", func() any {
		if r.IntN(2) == 0 {
			return pick(r, []string{"10.0.0.1", "10.0.0.255", "10.0.1.1", "10.0.1.0", "192.168.3.4", "2001:db8::1", "2001:db8::1:0:0:1", "::ffff:10.0.0.1", "x"})
		}
		return genEventValue(r)
	})
	maybe("tags", func() any {
		n := r.IntN(4)
		arr := make([]any, n)
		for i := range arr {
			arr[i] = genScalar(r)
		}
		return arr
	})
	maybe("items", func() any {
		n := r.IntN(4)
		arr := make([]any, n)
		for i := range arr {
			var it obj
			if r.IntN(4) != 0 {
				it = append(it, kv{"name", genEventValue(r)})
			}
			if r.IntN(4) != 0 {
				it = append(it, kv{"qty", genEventValue(r)})
			}
			if r.IntN(3) == 0 {
				it = append(it, kv{"sub", []any{obj{{"k", genScalar(r)}}, obj{{"k", genScalar(r)}}}})
			}
			arr[i] = it
		}
		return arr
	})
	maybe("x", func() any { return obj{{"y", genEventValue(r)}} })
	if r.IntN(5) == 0 {
		detail = append(detail, kv{"x.y", genEventValue(r)})
	}
	ev := obj{{"version", "0"}, {"id", "1"}}
	if r.IntN(5) != 0 {
		ev = append(ev, kv{"source", pick(r, genStrings)})
	}
	if r.IntN(5) != 0 {
		ev = append(ev, kv{"detail-type", genEventValue(r)})
	}
	ev = append(ev, kv{"detail", detail})
	return []byte(jsonText(ev))
}
