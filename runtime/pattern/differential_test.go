package pattern

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

var long = flag.Bool("long", false, "run the differential test at a larger size")

// TestDifferential checks the indexed Matcher (and Pattern.Match) against the reference
// matcher on random patterns and events, with removals and replacements in between.
func TestDifferential(t *testing.T) {
	rounds, patterns, events := 4, 200, 300
	if *long {
		rounds, patterns, events = 20, 1000, 2000
	}
	for round := range rounds {
		r := rand.New(rand.NewPCG(uint64(round), 42))
		m := NewMatcher()
		compiled := map[string][]byte{}
		for i := range patterns {
			p := genPattern(r)
			name := fmt.Sprintf("p%04d", i)
			if err := m.Add(name, p); err != nil {
				continue
			}
			compiled[name] = p
		}
		// Remove some and replace some, to exercise index maintenance.
		for i := 0; i < patterns/10; i++ {
			name := fmt.Sprintf("p%04d", r.IntN(patterns))
			if r.IntN(2) == 0 {
				m.Remove(name)
				delete(compiled, name)
			} else {
				p := genPattern(r)
				if m.Add(name, p) == nil {
					compiled[name] = p
				}
			}
		}
		if m.Len() != len(compiled) {
			t.Fatalf("Len = %d, want %d", m.Len(), len(compiled))
		}
		pats := map[string]*Pattern{}
		for name, p := range compiled {
			cp, err := Compile(p)
			if err != nil {
				t.Fatalf("Compile(%s) after Add accepted it: %v", p, err)
			}
			pats[name] = cp
		}
		matchedSome := 0
		for range events {
			ev := genEvent(r)
			got, err := m.Match(ev)
			if err != nil {
				t.Fatalf("Match(%s): %v", ev, err)
			}
			leaves := refLeaves(ev)
			var want []string
			for name, p := range compiled {
				ref := refMatchTree(refDecode(p), leaves)
				if ref {
					want = append(want, name)
				}
				if one, _ := pats[name].Match(ev); one != ref {
					t.Fatalf("Pattern.Match = %v, reference %v\npattern: %s\nevent: %s", one, ref, p, ev)
				}
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("Matcher.Match disagrees with the reference\n got: %v\nwant: %v\nevent: %s\n%s", got, want, ev, diffPatterns(got, want, compiled))
			}
			matchedSome += len(want)
		}
		if matchedSome == 0 {
			t.Fatalf("round %d: no event matched any pattern; the generators are too sparse", round)
		}
	}
}

func diffPatterns(got, want []string, pats map[string][]byte) string {
	s := ""
	for _, n := range got {
		if !slices.Contains(want, n) {
			s += fmt.Sprintf("extra %s: %s\n", n, pats[n])
		}
	}
	for _, n := range want {
		if !slices.Contains(got, n) {
			s += fmt.Sprintf("missing %s: %s\n", n, pats[n])
		}
	}
	return s
}
