package pattern

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMatcherIndex covers the parts of the Matcher's index that random patterns rarely
// reach: numeric bounds that round to the same float64 as the value, numbers beyond the
// float64 range, sorted cidr ranges, conjunctions with more fields than are counted, and
// groups shared by several patterns. Each case is also checked against the reference.
func TestMatcherIndex(t *testing.T) {
	var many strings.Builder // 40 exact fields: more than maxCounted
	many.WriteString("{")
	var manyEvent, manyEventMissing strings.Builder
	manyEvent.WriteString("{")
	manyEventMissing.WriteString("{")
	for i := range 40 {
		if i > 0 {
			many.WriteString(",")
			manyEvent.WriteString(",")
		}
		fmt.Fprintf(&many, `"f%d":["v%d"]`, i, i)
		fmt.Fprintf(&manyEvent, `"f%d":"v%d"`, i, i)
		if i != 37 { // a field beyond the counted ones is missing
			if i > 0 && manyEventMissing.Len() > 1 {
				manyEventMissing.WriteString(",")
			}
			fmt.Fprintf(&manyEventMissing, `"f%d":"v%d"`, i, i)
		}
	}
	many.WriteString("}")
	manyEvent.WriteString("}")
	manyEventMissing.WriteString("}")

	tests := []struct {
		name, pattern, event string
		want                 bool
	}{
		{"value rounds to the open lower bound", `{"n":[{"numeric":[">",0.1]}]}`, `{"n":0.10000000000000001}`, true},
		{"value equals the open lower bound", `{"n":[{"numeric":[">",0.1]}]}`, `{"n":1e-1}`, false},
		{"value rounds to the closed upper bound", `{"n":[{"numeric":["<=",0.3]}]}`, `{"n":0.30000000000000001}`, false},
		{"value equals the closed upper bound", `{"n":[{"numeric":["<=",0.3]}]}`, `{"n":0.30}`, true},
		{"bounds round together", `{"n":[{"numeric":[">",9007199254740992,"<",9007199254740993]}]}`, `{"n":9007199254740992.5}`, true},
		{"bounds round together, value outside", `{"n":[{"numeric":[">",9007199254740992,"<",9007199254740993]}]}`, `{"n":9007199254740993}`, false},
		{"beyond float64 above", `{"n":[{"numeric":[">",1e300]}]}`, `{"n":1e400}`, true},
		{"beyond float64 both", `{"n":[{"numeric":[">",1e400]}]}`, `{"n":1e401}`, true},
		{"beyond float64 below bound", `{"n":[{"numeric":[">",1e401]}]}`, `{"n":1e400}`, false},
		{"beyond float64 negative", `{"n":[{"numeric":["<",-1e400]}]}`, `{"n":-1e401}`, true},
		{"below float64 precision", `{"n":[{"numeric":[">",0]}]}`, `{"n":1e-400}`, true},
		{"below float64 precision, negative", `{"n":[{"numeric":[">=",0]}]}`, `{"n":-1e-400}`, false},
		{"cidr first address", `{"ip":[{"cidr":"10.1.0.0/16"}]}`, `{"ip":"10.1.0.0"}`, true},
		{"cidr last address", `{"ip":[{"cidr":"10.1.0.0/16"}]}`, `{"ip":"10.1.255.255"}`, true},
		{"cidr after last address", `{"ip":[{"cidr":"10.1.0.0/16"}]}`, `{"ip":"10.2.0.0"}`, false},
		{"cidr before first address", `{"ip":[{"cidr":"10.1.0.0/16"}]}`, `{"ip":"10.0.255.255"}`, false},
		{"more fields than counted", many.String(), manyEvent.String(), true},
		{"more fields than counted, an uncounted one missing", many.String(), manyEventMissing.String(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMatcher()
			// Neighbouring conditions on the same field share the sorted structures.
			for i, p := range []string{`{"n":[{"numeric":[">",0,"<",0.2]}]}`, `{"n":[{"numeric":[">=",0.3]}]}`,
				`{"ip":[{"cidr":"10.0.0.0/16"}]}`, `{"ip":[{"cidr":"10.2.0.0/24"}]}`, `{"ip":[{"cidr":"10.1.2.0/24"}]}`} {
				if err := m.Add(fmt.Sprintf("other%d", i), []byte(p)); err != nil {
					t.Fatal(err)
				}
			}
			if err := m.Add("p", []byte(tc.pattern)); err != nil {
				t.Fatal(err)
			}
			names, err := m.Match([]byte(tc.event))
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(names, "p"); got != tc.want {
				t.Errorf("Matcher.Match = %v, want p matched = %v", names, tc.want)
			}
			if ref := refMatch(t, []byte(tc.pattern), []byte(tc.event)); ref != tc.want {
				t.Errorf("reference = %v, want %v", ref, tc.want)
			}
		})
	}
}

// TestMatcherSharedConditions adds patterns that share conditions, removes some, and
// checks that the others still match: equal conditions share one index group.
func TestMatcherSharedConditions(t *testing.T) {
	m := NewMatcher()
	pats := map[string]string{
		"a": `{"s":[{"prefix":"or"}],"t":[{"anything-but":"x"}]}`,
		"b": `{"s":[{"prefix":"or"}],"t":[{"anything-but":"x"}],"n":[{"numeric":[">",1]}]}`,
		"c": `{"s":[{"prefix":"or"}],"n":[{"numeric":[">",1]}],"$or":[{"t":[{"anything-but":"x"}]},{"u":[{"exists":false}]}]}`,
		"d": `{"t":[{"anything-but":"x"}]}`,
		"e": `{"s":["order"],"t":[{"exists":true}]}`,
	}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		if err := m.Add(name, []byte(pats[name])); err != nil {
			t.Fatal(err)
		}
	}
	ev := []byte(`{"s":"order","t":"y","n":2}`)
	steps := []struct {
		remove string
		want   []string
	}{
		{"", []string{"a", "b", "c", "d", "e"}},
		{"a", []string{"b", "c", "d", "e"}},
		{"d", []string{"b", "c", "e"}},
		{"b", []string{"c", "e"}},
		{"e", []string{"c"}},
		{"c", nil},
	}
	for _, st := range steps {
		if st.remove != "" {
			m.Remove(st.remove)
		}
		got, err := m.Match(ev)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(st.want, got); d != "" {
			t.Fatalf("after removing %q (-want +got):\n%s", st.remove, d)
		}
	}
	// Re-adding after everything was removed rebuilds the freed groups.
	if err := m.Add("d", []byte(pats["d"])); err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Match(ev); !slices.Equal(got, []string{"d"}) {
		t.Fatalf("after re-adding d: %v", got)
	}
	if got, _ := m.Match([]byte(`{"t":"x"}`)); got != nil {
		t.Fatalf("anything-but x matched x: %v", got)
	}
}

// TestMatcherConcurrentWriters runs two writers that add, replace and remove patterns
// while readers match (use -race). The patterns never touched must always match, results
// must stay sorted, and when the writers are done the last change to each name decides.
func TestMatcherConcurrentWriters(t *testing.T) {
	m := NewMatcher()
	for _, n := range []string{"fixed1", "fixed2"} {
		if err := m.Add(n, []byte(`{"k":[{"prefix":"v"}]}`)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				name := fmt.Sprintf("w%d-%d", w, i%25)
				switch i % 4 {
				case 0:
					m.Remove(name)
				case 1:
					_ = m.Add(name, []byte(`{"k":["v1"]}`))
				default:
					_ = m.Add(name, []byte(`{"k":[{"anything-but":"v1"}],"n":[{"exists":false}]}`))
				}
			}
		}()
	}
	var rg sync.WaitGroup
	for range 2 {
		rg.Add(1)
		go func() {
			defer rg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				got, err := m.Match([]byte(`{"k":"v1"}`))
				if err != nil {
					t.Error(err)
					return
				}
				// v1 matches the fixed patterns and {"k":["v1"]}, never the anything-but one,
				// so only names whose pattern was, at some point, the exact one may appear.
				if !slices.Contains(got, "fixed1") || !slices.Contains(got, "fixed2") {
					t.Errorf("Match = %v; the fixed patterns are missing", got)
					return
				}
				if !slices.IsSorted(got) {
					t.Errorf("Match = %v, not sorted", got)
					return
				}
				runtime.Gosched() // let the writers run on a machine of few cores
			}
		}()
	}
	wg.Wait()
	close(stop)
	rg.Wait()
	got, _ := m.Match([]byte(`{"k":"v1"}`))
	// The last operation on each name decides: the exact pattern when its i%4 == 1.
	for w := range 2 {
		for j := range 25 {
			name := fmt.Sprintf("w%d-%d", w, j)
			last := 75 + j // the last i with i%25 == j
			if want := last%4 == 1; slices.Contains(got, name) != want {
				t.Errorf("after the writers: %s matched = %v, want %v", name, !want, want)
			}
		}
	}
}

// TestMatcherAfterBadEvent checks that an event rejected midway leaves nothing behind for
// the next Match: its first fields already made candidates of the patterns.
func TestMatcherAfterBadEvent(t *testing.T) {
	m := NewMatcher()
	for i := range 100 {
		if err := m.Add(fmt.Sprintf("p%03d", i), []byte(`{"a":["x"]}`)); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		if _, err := m.Match([]byte(`{"a":"x","b":}`)); err == nil {
			t.Fatal("Match accepted malformed JSON")
		}
		got, err := m.Match([]byte(`{"a":"y"}`))
		if err != nil || got != nil {
			t.Fatalf("Match after a rejected event = %v, %v; want no match", got, err)
		}
	}
}
