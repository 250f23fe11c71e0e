package pattern

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOperators covers every operator and the edge cases of the language.
func TestOperators(t *testing.T) {
	tests := []struct {
		name, pattern, event string
		want                 bool
	}{
		{"string", `{"a":["x"]}`, `{"a":"x"}`, true},
		{"string is not number", `{"a":["5"]}`, `{"a":5}`, false},
		{"number is not string", `{"a":[5]}`, `{"a":"5"}`, false},
		{"number by value 5.0", `{"a":[5]}`, `{"a":5.0}`, true},
		{"number by value 5e0", `{"a":[5]}`, `{"a":5e0}`, true},
		{"number 15 digits differ", `{"a":[123456789012345]}`, `{"a":123456789012346}`, false},
		{"number 19 digits differ", `{"a":[1234567890123456789]}`, `{"a":1234567890123456788}`, false},
		{"bool", `{"a":[true]}`, `{"a":true}`, true},
		{"bool not string", `{"a":[true]}`, `{"a":"true"}`, false},
		{"null", `{"a":[null]}`, `{"a":null}`, true},
		{"null not string null", `{"a":[null]}`, `{"a":"null"}`, false},
		{"null not empty", `{"a":[null]}`, `{"a":""}`, false},
		{"null not missing", `{"a":[null]}`, `{}`, false},
		{"empty string", `{"a":[""]}`, `{"a":""}`, true},
		{"keys case-sensitive", `{"A":["x"]}`, `{"a":"x"}`, false},
		{"prefix", `{"a":[{"prefix":"ab"}]}`, `{"a":"abc"}`, true},
		{"prefix no number", `{"a":[{"prefix":"1"}]}`, `{"a":12}`, false},
		{"prefix ignore case", `{"a":[{"prefix":{"equals-ignore-case":"AB"}}]}`, `{"a":"abc"}`, true},
		{"suffix", `{"a":[{"suffix":".png"}]}`, `{"a":"x.png"}`, true},
		{"suffix ignore case", `{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}`, `{"a":"x.png"}`, true},
		{"equals-ignore-case", `{"a":[{"equals-ignore-case":"StraSSe"}]}`, `{"a":"strasse"}`, true},
		{"equals-ignore-case unicode", `{"a":[{"equals-ignore-case":"ǅ"}]}`, `{"a":"ǆ"}`, true},
		{"wildcard", `{"a":[{"wildcard":"a*c"}]}`, `{"a":"abbbc"}`, true},
		{"wildcard anchored", `{"a":[{"wildcard":"a*c"}]}`, `{"a":"abcd"}`, false},
		{"wildcard escaped star", `{"a":[{"wildcard":"a\\*c"}]}`, `{"a":"a*c"}`, true},
		{"wildcard escaped star literal", `{"a":[{"wildcard":"a\\*c"}]}`, `{"a":"abc"}`, false},
		{"wildcard escaped backslash", `{"a":[{"wildcard":"a\\\\*"}]}`, `{"a":"a\\bc"}`, true},
		{"anything-but string", `{"a":[{"anything-but":"x"}]}`, `{"a":"y"}`, true},
		{"anything-but string excluded", `{"a":[{"anything-but":"x"}]}`, `{"a":"x"}`, false},
		{"anything-but null matches", `{"a":[{"anything-but":"x"}]}`, `{"a":null}`, true},
		{"anything-but missing", `{"a":[{"anything-but":"x"}]}`, `{}`, false},
		{"anything-but number by value", `{"a":[{"anything-but":[100]}]}`, `{"a":1e2}`, false},
		{"anything-but number vs string", `{"a":[{"anything-but":[100]}]}`, `{"a":"100"}`, true},
		{"anything-but array any element", `{"a":[{"anything-but":"x"}]}`, `{"a":["x","y"]}`, true},
		{"anything-but prefix", `{"a":[{"anything-but":{"prefix":"in"}}]}`, `{"a":"init"}`, false},
		{"anything-but suffix", `{"a":[{"anything-but":{"suffix":".t"}}]}`, `{"a":"a.b"}`, true},
		{"anything-but ignore case", `{"a":[{"anything-but":{"equals-ignore-case":["X","y"]}}]}`, `{"a":"Y"}`, false},
		{"anything-but wildcard", `{"a":[{"anything-but":{"wildcard":"*/x/*"}}]}`, `{"a":"a/x/b"}`, false},
		{"numeric one", `{"a":[{"numeric":["<",10]}]}`, `{"a":9.999}`, true},
		{"numeric two", `{"a":[{"numeric":[">",0,"<=",5]}]}`, `{"a":5}`, true},
		{"numeric open top", `{"a":[{"numeric":[">",0,"<",5]}]}`, `{"a":5}`, false},
		{"numeric equals", `{"a":[{"numeric":["=",3.018e2]}]}`, `{"a":301.8}`, true},
		{"numeric not string", `{"a":[{"numeric":[">",0]}]}`, `{"a":"5"}`, false},
		{"numeric exact 16 digits", `{"a":[{"numeric":[">",1234567890123456]}]}`, `{"a":1234567890123457}`, true},
		{"exists true", `{"a":[{"exists":true}]}`, `{"a":null}`, true},
		{"exists true object", `{"a":[{"exists":true}]}`, `{"a":{"b":1}}`, false},
		{"exists true empty array", `{"a":[{"exists":true}]}`, `{"a":[]}`, false},
		{"exists false", `{"a":[{"exists":false}]}`, `{"b":1}`, true},
		{"exists false present", `{"a":[{"exists":false}]}`, `{"a":1}`, false},
		{"cidr v4", `{"a":[{"cidr":"10.0.0.0/24"}]}`, `{"a":"10.0.0.7"}`, true},
		{"cidr v4 out", `{"a":[{"cidr":"10.0.0.0/24"}]}`, `{"a":"10.0.1.7"}`, false},
		{"cidr v6", `{"a":[{"cidr":"2001:db8::/32"}]}`, `{"a":"2001:db8:ffff::1"}`, true},
		{"cidr family", `{"a":[{"cidr":"0.0.0.0/0"}]}`, `{"a":"::1"}`, false},
		{"or top", `{"$or":[{"a":[1]},{"b":[2]}]}`, `{"b":2}`, true},
		{"or nested", `{"d":{"$or":[{"a":[1]},{"b":[2]}]}}`, `{"d":{"a":1}}`, true},
		{"or none", `{"$or":[{"a":[1]},{"b":[2]}]}`, `{"a":2}`, false},
		{"fields are and", `{"a":[1],"b":[2]}`, `{"a":1}`, false},
		{"values are or", `{"a":[1,2]}`, `{"a":2}`, true},
		{"array any", `{"a":["x"]}`, `{"a":["y","x"]}`, true},
		{"array consistency same element", `{"r":{"k":["a"],"v":[1]}}`, `{"r":[{"k":"a","v":1},{"k":"b","v":2}]}`, true},
		{"array consistency different elements", `{"r":{"k":["a"],"v":[2]}}`, `{"r":[{"k":"a","v":1},{"k":"b","v":2}]}`, false},
		{"array consistency nested", `{"r":{"s":{"k":["a"]},"v":[1]}}`, `{"r":[{"s":[{"k":"a"}],"v":1}]}`, true},
		{"dotted pattern key", `{"a":{"b.c":["x"]}}`, `{"a":{"b":{"c":"x"}}}`, true},
		{"dotted event key", `{"a":{"b":{"c":["x"]}}}`, `{"a":{"b.c":"x"}}`, true},
		{"duplicate key last wins", `{"a":["x"],"a":["y"]}`, `{"a":"x"}`, false},
		{"duplicate key last wins 2", `{"a":["x"],"a":["y"]}`, `{"a":"y"}`, true},
		{"or branch replaces outer key", `{"a":["x"],"$or":[{"a":["y"]},{"b":["z"]}]}`, `{"a":"y"}`, true},
		{"escaped event string", `{"a":["x\"y"]}`, `{"a":"x\u0022y"}`, true},
		{"escaped event key", `{"ab":["x"]}`, `{"a\u0062":"x"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile([]byte(tt.pattern))
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got, err := p.Match([]byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
			if ref := refMatch(t, []byte(tt.pattern), []byte(tt.event)); ref != tt.want && !strings.Contains(tt.name, "duplicate") {
				t.Errorf("reference = %v, want %v", ref, tt.want)
			}
		})
	}
}

// TestCompileErrors checks rejections beyond the corpus, with AWS's wording.
func TestCompileErrors(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{`[]`, "Filter is not an object"},
		{`{}`, "Empty objects are not allowed"},
		{`{"a":[[1]]}`, "Match value must be String, number, true, false, or null"},
		{`{"a":[{}]}`, "Match expression name not found"},
		{`{"a":[{"prefix":"x","suffix":"y"}]}`, "Only one key allowed in match expression"},
		{`{"a":[{"exists":1}]}`, "exists match pattern must be either true or false."},
		{`{"a":[{"numeric":[">",5,"<",1]}]}`, "Bottom must be less than top"},
		{`{"a":[{"numeric":["<",5,">",1]}]}`, "Too many elements in numeric expression"},
		{`{"a":[{"numeric":["!",5]}]}`, "Unrecognized numeric range operator: !"},
		{`{"a":[{"anything-but":[1,"x"]}]}`, "Inside anything but list, either all values are number or string, mixed type is not supported"},
		{`{"a":[{"anything-but":{"foo":"x"}}]}`, "Unsupported anything-but pattern: foo"},
		{`{"a":[{"wildcard":"a\\b"}]}`, "Invalid escape character at pos 2"},
		{`{"a":[{"cidr":"10.0.0.0/32"}]}`, "IPv4 mask bits must be < 32"},
		{`{"$or":[{"a":[1]}]}`, "There must have at least 2 Objects in $or relationship."},
		{`{"$or":[{"prefix":[1]},{"a":[1]}]}`, "prefix is Ruler reserved fieldName which cannot be used inside $or."},
		{`{"a":[1]`, "Unexpected end of input in an object"},
		{strings.Repeat(`{"a":`, 200) + `[1]` + strings.Repeat(`}`, 200), "Pattern nesting is deeper than 100 levels"},
	}
	for _, tt := range tests {
		_, err := Compile([]byte(tt.pattern))
		var pe *Error
		if !errors.As(err, &pe) || pe.Reason != tt.want {
			t.Errorf("Compile(%.60s) = %v, want reason %q", tt.pattern, err, tt.want)
		}
	}
}

func TestMatchErrors(t *testing.T) {
	p, err := Compile([]byte(`{"a":[1]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{``, `[]`, `"x"`, `{"a":1`, `{"a":1}x`, `{"a":01}`, strings.Repeat(`[`, 300)} {
		if _, err := p.Match([]byte(ev)); !errors.Is(err, ErrNotObject) {
			t.Errorf("Match(%.30q) error = %v, want ErrNotObject", ev, err)
		}
	}
	deep := `{"b":` + strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200) + `}`
	if _, err := p.Match([]byte(deep)); err == nil {
		t.Errorf("Match accepted nesting deeper than MaxDepth")
	}
}

func TestLeaves(t *testing.T) {
	p, err := Compile([]byte(`{"detail":{"n":[{"numeric":[">",0,"<=",5]}],"s":["x",{"prefix":{"equals-ignore-case":"Ab"}}],"$or":[{"e":[{"exists":false}]},{"b":[{"anything-but":{"suffix":[".a",".b"]}}]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Leaf{
		{Path: []string{"detail", "n"}, Conditions: []Condition{{Operator: OpNumeric, Comparisons: []Comparison{{">", "0"}, {"<=", "5"}}}}},
		{Path: []string{"detail", "s"}, Conditions: []Condition{{Operator: OpEquals, Value: "x"}, {Operator: OpPrefix, IgnoreCase: true, Value: "Ab"}}},
		{Path: []string{"detail", "e"}, Conditions: []Condition{{Operator: OpExists, Value: false}}},
		{Path: []string{"detail", "b"}, Conditions: []Condition{{Operator: OpAnythingBut, Modifier: OpSuffix, Values: []any{".a", ".b"}}}},
	}
	if d := cmp.Diff(want, p.Leaves()); d != "" {
		t.Errorf("Leaves (-want +got):\n%s", d)
	}
}

// TestMatcherLifecycle checks replacement, removal and sorted results.
func TestMatcherLifecycle(t *testing.T) {
	m := NewMatcher()
	for _, n := range []string{"c", "a", "b"} {
		if err := m.Add(n, []byte(`{"x":["1"]}`)); err != nil {
			t.Fatal(err)
		}
	}
	ev := []byte(`{"x":"1"}`)
	got, _ := m.Match(ev)
	if d := cmp.Diff([]string{"a", "b", "c"}, got); d != "" {
		t.Fatalf("Match (-want +got):\n%s", d)
	}
	if err := m.Add("b", []byte(`{"x":["2"]}`)); err != nil { // replaces b
		t.Fatal(err)
	}
	m.Remove("c")
	m.Remove("nope")
	got, _ = m.Match(ev)
	if d := cmp.Diff([]string{"a"}, got); d != "" {
		t.Fatalf("after replace/remove (-want +got):\n%s", d)
	}
	if err := m.Add("bad", []byte(`{"x":"1"}`)); err == nil {
		t.Fatal("Add accepted an invalid pattern")
	}
	if m.Len() != 2 {
		t.Fatalf("Len = %d, want 2", m.Len())
	}
}

// TestMatcherConcurrent runs Match while patterns are added and removed (use -race).
func TestMatcherConcurrent(t *testing.T) {
	m := NewMatcher()
	if err := m.Add("fixed", []byte(`{"x":[{"prefix":"a"}]}`)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				if g == 0 {
					name := fmt.Sprintf("p%d", i%20)
					if i%3 == 0 {
						m.Remove(name)
					} else if err := m.Add(name, []byte(fmt.Sprintf(`{"x":["a%d"]}`, i%7))); err != nil {
						t.Error(err)
					}
					continue
				}
				got, err := m.Match([]byte(fmt.Sprintf(`{"x":"a%d"}`, i%7)))
				if err != nil || len(got) == 0 || !strings.Contains(strings.Join(got, ","), "fixed") {
					t.Errorf("Match = %v, %v; want fixed among them", got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
