package pattern

import (
	"errors"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

func fuzzSeeds(f *testing.F, withEvent bool) {
	r := rand.New(rand.NewPCG(9, 9))
	for range 40 {
		if withEvent {
			f.Add(genPattern(r), genEvent(r))
		} else {
			f.Add(genPattern(r))
		}
	}
	for _, p := range []string{`{}`, `[]`, `{"a":[]}`, `{"a":[{"numeric":[">",1,"<"]}]}`, `{"$or":[{"a":[1]}]}`,
		`{"a":[{"wildcard":"a**"}]}`, `{"a":[{"cidr":"10.0.0.0/33"}]}`, `{"a":{"a":{"a":{"a":[1]}}}}`} {
		if withEvent {
			f.Add([]byte(p), []byte(`{"a":1}`))
		} else {
			f.Add([]byte(p))
		}
	}
}

// FuzzCompile checks that Compile never panics, that its errors are *Error, and that a
// pattern it accepts can be matched and read back as leaves.
func FuzzCompile(f *testing.F) {
	fuzzSeeds(f, false)
	f.Fuzz(func(t *testing.T, pattern []byte) {
		p, err := Compile(pattern)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		if len(p.Leaves()) == 0 {
			t.Fatalf("valid pattern %q has no leaves", pattern)
		}
		if _, err := p.Match([]byte(`{"a":1}`)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzMatch checks that matching never panics and that the Matcher, Pattern.Match and the
// reference matcher agree.
func FuzzMatch(f *testing.F) {
	fuzzSeeds(f, true)
	f.Fuzz(func(t *testing.T, pattern, event []byte) {
		p, err := Compile(pattern)
		if err != nil {
			return
		}
		m := NewMatcher()
		if err := m.Add("p", pattern); err != nil {
			t.Fatalf("Add rejected what Compile accepted: %v", err)
		}
		one, err1 := p.Match(event)
		names, err2 := m.Match(event)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors differ: %v vs %v", err1, err2)
		}
		if err1 != nil {
			if !errors.Is(err1, ErrNotObject) {
				t.Fatalf("Match error %v is not ErrNotObject", err1)
			}
			return
		}
		if one != (len(names) == 1) {
			t.Fatalf("Pattern.Match %v, Matcher.Match %v", one, names)
		}
		// The reference reads JSON with encoding/json, which rewrites invalid UTF-8 and
		// keeps the last of duplicate event keys; compare only where both read the same.
		if !utf8.Valid(pattern) || !utf8.Valid(event) || hasDuplicateKeys(event) {
			return
		}
		if ref := refMatch(t, pattern, event); ref != one {
			t.Fatalf("Match %v, reference %v\npattern: %s\nevent: %s", one, ref, pattern, event)
		}
	})
}

// hasDuplicateKeys reports whether any object in the JSON document repeats a key.
func hasDuplicateKeys(b []byte) bool {
	var walk func(n *refNode) bool
	walk = func(n *refNode) bool {
		seen := map[string]bool{}
		for _, kv := range n.obj {
			if seen[kv.k] || walk(kv.v) {
				return true
			}
			seen[kv.k] = true
		}
		for _, e := range n.arr {
			if walk(e) {
				return true
			}
		}
		return false
	}
	return walk(refDecode(b))
}
