package event

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// Types shaped like generated payloads, one per kind of rule and walk.
type (
	presenceItem struct {
		Sku string `eventgen:"required" json:"sku"`
		Qty *int   `json:"qty,omitempty"`
	}
	presenceNode struct {
		ID   string         `eventgen:"required" json:"id"`
		Kids []presenceNode `json:"kids,omitzero"`
	}
	presencePayload struct {
		ID       string                  `eventgen:"required" json:"id"`
		N        *int                    `eventgen:"present" json:"n"`
		Mode     string                  `eventgen:"notnull" json:"mode"`
		At       time.Time               `eventgen:"required" json:"at"`
		Raw      json.RawMessage         `eventgen:"required" json:"raw"`
		Items    []presenceItem          `eventgen:"required" json:"items"`
		ByKey    map[string]presenceItem `json:"byKey,omitzero"`
		Names    []string                `json:"names,omitzero"`
		Maybe    []*presenceItem         `json:"maybe,omitzero"`
		Grid     [][]int                 `eventgen:",nullitems=1" json:"grid,omitzero"`
		Tree     *presenceNode           `json:"tree,omitempty"`
		Optional *string                 `json:"optional,omitempty"`
	}
)

// complete is a payload with every required value.
const complete = `"id":"a","n":null,"at":"2026-01-01T00:00:00Z","raw":1,"items":[]`

func TestCheckPresence(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want []Violation
	}{
		{"complete", `{` + complete + `}`, nil},
		{"everything missing", `{}`, []Violation{
			{"id", "is required"}, {"n", "is required"}, {"at", "is required"}, {"raw", "is required"}, {"items", "is required"},
		}},
		{"nulls", `{"id":null,"n":null,"mode":null,"at":null,"raw":null,"items":null,"names":null,"optional":null}`, []Violation{
			{"id", "must not be null"}, {"mode", "must not be null"}, {"at", "must not be null"},
			{"raw", "must not be null"}, {"items", "must not be null"},
		}},
		{"list of structs", `{` + complete[:len(complete)-2] + `[{"sku":"x"},null,{},{"sku":null}]}`, []Violation{
			{"items[1]", "must not be null"}, {"items[2].sku", "is required"}, {"items[3].sku", "must not be null"},
		}},
		{"map of structs, by sorted key", `{` + complete + `,"byKey":{"b":{},"a":null,"c":{"sku":"z"}}}`, []Violation{
			{`byKey["a"]`, "must not be null"}, {`byKey["b"].sku`, "is required"},
		}},
		{"scalar items", `{` + complete + `,"names":["x",null]}`, []Violation{{"names[1]", "must not be null"}}},
		{"nullable struct items", `{` + complete + `,"maybe":[null,{}]}`, []Violation{{"maybe[1].sku", "is required"}}},
		{"nullable nilable items by tag", `{` + complete + `,"grid":[null,[1,null]]}`, []Violation{{"grid[1][1]", "must not be null"}}},
		{"a type that holds itself", `{` + complete + `,"tree":{"id":"r","kids":[{"kids":[{"id":null}]}]}}`, []Violation{
			{"tree.kids[0].id", "is required"}, {"tree.kids[0].kids[0].id", "must not be null"},
		}},
		{"members match fields as encoding/json does", `{"ID":"a","N":null,"AT":"2026-01-01T00:00:00Z","Raw":1,"items":[]}`, nil},
		{"not an object", `[1,2]`, nil},
		{"not JSON", `{"id":`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ve := &ValidationError{}
			CheckPresence[presencePayload]([]byte(tc.data), "", ve)
			if !slices.Equal(ve.Violations, tc.want) {
				t.Errorf("violations\n got %v\nwant %v", ve.Violations, tc.want)
			}
		})
	}
}

func TestCheckPresenceBelowAPath(t *testing.T) {
	ve := &ValidationError{}
	CheckPresence[presenceItem]([]byte(`{}`), "items[3]", ve)
	if want := []Violation{{"items[3].sku", "is required"}}; !slices.Equal(ve.Violations, want) {
		t.Errorf("violations %v, want %v", ve.Violations, want)
	}
}

func TestMayLack(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	full := func() presencePayload {
		one := 1
		return presencePayload{ID: "a", N: &one, At: at, Raw: json.RawMessage("1"), Items: []presenceItem{{Sku: "x"}}}
	}
	for _, tc := range []struct {
		name   string
		change func(*presencePayload)
		want   bool
	}{
		{"complete", func(*presencePayload) {}, false},
		{"required string empty", func(p *presencePayload) { p.ID = "" }, true},
		{"required time zero", func(p *presencePayload) { p.At = time.Time{} }, true},
		// A required nullable field decodes to nil when null and when missing: MayLack cannot
		// rule out the second.
		{"required nullable nil", func(p *presencePayload) { p.N = nil }, true},
		{"required list nil", func(p *presencePayload) { p.Items = nil }, true},
		{"an item lacks", func(p *presencePayload) { p.Items = append(p.Items, presenceItem{}) }, true},
		{"a map value lacks", func(p *presencePayload) { p.ByKey = map[string]presenceItem{"k": {}} }, true},
		{"a nil nullable item", func(p *presencePayload) { p.Maybe = []*presenceItem{nil} }, false},
		{"a nullable item lacks", func(p *presencePayload) { p.Maybe = []*presenceItem{{}} }, true},
		{"deep in a tree", func(p *presencePayload) { p.Tree = &presenceNode{ID: "r", Kids: []presenceNode{{}}} }, true},
		{"defaulted field empty", func(p *presencePayload) { p.Mode = "" }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := full()
			tc.change(&p)
			if got := MayLack(&p); got != tc.want {
				t.Errorf("MayLack = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMayLackNeverHidesAMissingField decodes payloads with one required field left out and
// checks that MayLack says so: skipping CheckPresence must never lose a violation.
func TestMayLackNeverHidesAMissingField(t *testing.T) {
	for _, data := range []string{
		`{"n":1,"at":"2026-01-01T00:00:00Z","raw":1,"items":[]}`,
		`{"id":"a","n":1,"raw":1,"items":[]}`,
		`{"id":"a","n":1,"at":"2026-01-01T00:00:00Z","items":[]}`,
		`{"id":"a","n":1,"at":"2026-01-01T00:00:00Z","raw":1}`,
		`{"id":"a","at":"2026-01-01T00:00:00Z","raw":1,"items":[]}`,
		`{"id":"a","n":1,"at":"2026-01-01T00:00:00Z","raw":1,"items":[{}]}`,
		`{"id":"a","n":1,"at":"2026-01-01T00:00:00Z","raw":1,"items":[],"tree":{"kids":[]}}`,
	} {
		var p presencePayload
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			t.Fatal(err)
		}
		ve := &ValidationError{}
		CheckPresence[presencePayload]([]byte(data), "", ve)
		if len(ve.Violations) == 0 {
			t.Errorf("%s: CheckPresence found nothing", data)
		}
		if !MayLack(&p) {
			t.Errorf("%s: MayLack = false with %v", data, ve.Violations)
		}
	}
}

func FuzzCheckPresence(f *testing.F) {
	for _, seed := range []string{`{` + complete + `}`, `{}`, `null`, `[]`, `{"items":[null,{}],"byKey":{"a":null},"grid":[[null]],"tree":{"kids":[{}]}}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ve := &ValidationError{}
		CheckPresence[presencePayload](data, "", ve)
		var p presencePayload
		if json.Unmarshal(data, &p) != nil {
			return
		}
		// A payload that decodes and that CheckPresence finds fault with must not pass MayLack
		// unless the fault is a null, which decoders look for in the data.
		for _, v := range ve.Violations {
			if v.Message == "is required" && !MayLack(&p) {
				t.Fatalf("MayLack = false for %s, which lacks %s", data, v.Path)
			}
		}
	})
}

// BenchmarkMayLack is the cost decoding pays on every complete payload.
func BenchmarkMayLack(b *testing.B) {
	one := 1
	p := presencePayload{ID: "a", N: &one, At: time.Unix(0, 0), Raw: json.RawMessage("1"),
		Items: []presenceItem{{Sku: "x"}, {Sku: "y"}}, ByKey: map[string]presenceItem{"k": {Sku: "z"}}}
	for b.Loop() {
		if MayLack(&p) {
			b.Fatal("a complete payload may lack a field")
		}
	}
}

// TestPresenceOfANonStruct checks that a payload type without fields has no rules, rather than
// a panic.
func TestPresenceOfANonStruct(t *testing.T) {
	ve := &ValidationError{}
	CheckPresence[[]string]([]byte(`[null]`), "", ve)
	s := []string{"a"}
	if len(ve.Violations) != 0 || MayLack(&s) {
		t.Errorf("violations %v, MayLack %v; want none for a non-struct", ve.Violations, MayLack(&s))
	}
}

// Types of the edge cases below.
type (
	presenceSelfList []presenceSelfList
	presenceEdges    struct {
		Small []uint8          `json:"small,omitzero"`
		Blob  []byte           `eventgen:"required" json:"blob"`
		Self  presenceSelfList `eventgen:"required" json:"self"`
	}
)

func TestCheckPresenceEdges(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []Violation
	}{
		{"a list of uint8 has its nulls checked", `{"blob":"bnVsbA==","self":[],"small":[1,null]}`, []Violation{{"small[1]", "must not be null"}}},
		{"bytes that read null in base64 are a string", `{"blob":"null","self":[]}`, nil},
		{"a list of itself, at any depth", `{"blob":"","self":[[],[[null]]]}`, []Violation{{"self[1][0][0]", "must not be null"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ve := &ValidationError{}
			CheckPresence[presenceEdges]([]byte(tc.data), "", ve)
			if !slices.Equal(ve.Violations, tc.want) {
				t.Errorf("violations\n got %v\nwant %v", ve.Violations, tc.want)
			}
		})
	}
	p := presenceEdges{Blob: []byte("x"), Self: presenceSelfList{{}, {{}}}}
	if MayLack(&p) {
		t.Error("MayLack = true for a complete value of a type that holds itself")
	}
	if !MayLack[presenceEdges](nil) {
		t.Error("MayLack(nil) = false: nothing proves a field is there")
	}
}
