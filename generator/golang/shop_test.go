package golang

import (
	"encoding/json"

	"github.com/eventgen/eventgen/spec"
)

func bound(v string, exclusive bool) *spec.Bound { return &spec.Bound{Value: v, Exclusive: exclusive} }

func sized(bits int, unsigned bool, c spec.Constraints) *spec.Type {
	return &spec.Type{Kind: spec.KindInt, Bits: bits, Unsigned: unsigned, Sized: true, Constraints: c, Pos: at(1)}
}

func kind(k spec.Kind) *spec.Type { return &spec.Type{Kind: k, Pos: at(1)} }

func inline(fields ...*spec.Field) *spec.Type {
	return &spec.Type{Kind: spec.KindStruct, Fields: fields, Pos: at(1)}
}

func mapOf(elem *spec.Type) *spec.Type { return &spec.Type{Kind: spec.KindMap, Elem: elem, Pos: at(1)} }

func nullable(t *spec.Type) *spec.Type { t.Nullable = true; return t }

// shopModel uses every payload type and every upcast rule: definitions of each kind (struct,
// enum, constrained scalar with @go, list), sized ints and floats, bytes, raw JSON, nullable
// values, nested lists and maps of inline structs, a default, uniqueness, a rename, a drop,
// constants of several types, and a custom step.
func shopModel() *spec.Model {
	defs := []*spec.Definition{
		{Name: "Email", GoName: "EmailAddress", Pos: at(2), Type: &spec.Type{Kind: spec.KindString, Pos: at(2),
			Constraints: spec.Constraints{Patterns: []string{`^[^@\s]+@[^@\s]+$`}}}},
		{Name: "Money", Doc: "An amount in minor units.", Pos: at(3), Type: inline(
			field("amount", sized(0, false, spec.Constraints{Min: bound("0", false)})),
			field("currency", enum(4, "EUR", "USD")),
		)},
		{Name: "Tags", Pos: at(5), Type: &spec.Type{Kind: spec.KindList, Elem: kind(spec.KindString), Pos: at(5),
			Constraints: spec.Constraints{UniqueItems: true, MaxItems: intPtr(3)}}},
		{Name: "Trigger", Pos: at(6), Type: enum(6, "user", "schedule")},
	}
	line := func(countBits int, gift bool) *spec.Type {
		fields := []*spec.Field{
			field("sku", kind(spec.KindString)),
			field("count", sized(countBits, false, spec.Constraints{Min: bound("0", true)})),
		}
		if gift {
			fields = append(fields, optional(field("gift", kind(spec.KindBool))))
		}
		return inline(fields...)
	}
	meta := func() *spec.Type {
		return mapOf(inline(field("note", str(1, spec.Constraints{MaxRunes: intPtr(5)}))))
	}
	mode := func() *spec.Type {
		t := enum(7, "fast", "slow")
		t.Default = json.RawMessage(`"fast"`)
		return t
	}
	grid := func(max bool) *spec.Type {
		cell := &spec.Type{Kind: spec.KindInt, Pos: at(1)}
		if max {
			cell.Constraints.Max = bound("9", false)
		}
		return list(1, list(1, cell))
	}
	common := func() []*spec.Field {
		return []*spec.Field{
			field("price", ref(1, "Money")),
			field("mode", mode()),
			field("blob", kind(spec.KindBytes)),
			optional(field("extra", kind(spec.KindAny))),
			field("contact", ref(1, "Email")),
			field("tags", ref(1, "Tags")),
			field("trigger", ref(1, "Trigger")),
			field("note", nullable(kind(spec.KindString))),
		}
	}
	v1 := append([]*spec.Field{
		field("orderId", str(1, spec.Constraints{NotPatterns: []string{"^x"}})),
		field("qty", sized(32, false, spec.Constraints{Min: bound("1", false)})),
		field("lines", &spec.Type{Kind: spec.KindList, Elem: line(8, false), Pos: at(1), Constraints: spec.Constraints{MinItems: intPtr(1)}}),
		optional(field("meta", meta())),
		field("status", enum(1, "new", "paid")),
		field("ratio", &spec.Type{Kind: spec.KindFloat, Bits: 32, Sized: true, Pos: at(1), Constraints: spec.Constraints{Max: bound("1.5", true)}}),
		field("grid", grid(true)),
		field("codes", &spec.Type{Kind: spec.KindList, Elem: kind(spec.KindString), Pos: at(1), Constraints: spec.Constraints{UniqueItems: true}}),
	}, common()...)
	v2 := append([]*spec.Field{
		field("orderId", str(1, spec.Constraints{NotPatterns: []string{"^x"}})),
		field("quantity", &spec.Type{Kind: spec.KindInt, Pos: at(1), Constraints: spec.Constraints{Min: bound("1", false)}}),
		field("lines", &spec.Type{Kind: spec.KindList, Elem: line(16, true), Pos: at(1), Constraints: spec.Constraints{MinItems: intPtr(1)}}),
		optional(field("meta", meta())),
		field("status", enum(1, "new", "paid", "shipped")),
		optional(field("ratio", &spec.Type{Kind: spec.KindFloat, Pos: at(1)})),
		field("grid", grid(false)),
		field("channel", enum(1, "web", "shop")),
		field("createdAt", kind(spec.KindTime)),
		field("flags", mapOf(kind(spec.KindBool))),
		optional(field("labels", list(1, nullable(kind(spec.KindString))))),
	}, common()...)
	v3 := append(append([]*spec.Field{}, v2...), field("total", &spec.Type{Kind: spec.KindInt, Pos: at(1)}))
	v1Data := `{"orderId":"o-1","qty":2,"lines":[{"sku":"a","count":1}],"meta":{"k":{"note":"hi"}},"status":"paid","ratio":0.5,` +
		`"grid":[[1,2],[3]],"codes":["a","b"],"price":{"amount":100,"currency":"EUR"},"mode":"slow","blob":"AQI=",` +
		`"extra":{"any":[1,"x"]},"contact":"a@b.c","tags":["x","y"],"trigger":"user","note":null}`
	v1Latest := `{"orderId":"o-1","quantity":2,"lines":[{"sku":"a","count":1}],"meta":{"k":{"note":"hi"}},"status":"paid","ratio":0.5,` +
		`"grid":[[1,2],[3]],"channel":"web","createdAt":"2020-01-02T03:04:05+02:00","flags":{"beta":true,"old":false},` +
		`"price":{"amount":100,"currency":"EUR"},"mode":"slow","blob":"AQI=",` +
		`"extra":{"any":[1,"x"]},"contact":"a@b.c","tags":["x","y"],"trigger":"user","note":null,"total":200}`
	v1Invalid := `{"orderId":"xo","qty":0,"lines":[],"meta":{"k":{"note":"too long"}},"status":"lost","ratio":1.5,` +
		`"grid":[[10]],"codes":["a","a"],"price":{"amount":-1,"currency":"GBP"},"blob":"","contact":"nobody",` +
		`"tags":["x","x","y","z"],"trigger":"never","note":"n"}`
	v3NoMode := `{"orderId":"o-3","quantity":1,"lines":[{"sku":"a","count":1,"gift":true}],"status":"shipped",` +
		`"grid":[],"channel":"shop","createdAt":"2026-01-01T00:00:00Z","flags":{},"labels":["a",null],` +
		`"price":{"amount":1,"currency":"USD"},"blob":"","contact":"a@b.c","tags":[],"trigger":"schedule","note":"n","total":1}`
	return &spec.Model{
		Source:      "shop",
		Definitions: defs,
		Events: []*spec.Event{{
			Type: "order.placed", Source: "shop-orders", Pos: at(10),
			Versions: []*spec.Version{{Number: 1, Fields: v1, Pos: at(11)}, {Number: 2, Fields: v2, Pos: at(12)}, {Number: 3, Fields: v3, Pos: at(13)}},
			Upcasts: []*spec.Upcast{
				{From: 1, Pos: at(14),
					Rename: []*spec.UpcastRename{{From: "qty", To: "quantity", Pos: at(15)}},
					Drop:   []*spec.UpcastDrop{{Field: "codes", Pos: at(16)}},
					Set: []*spec.UpcastSet{
						{Field: "channel", Value: json.RawMessage(`"web"`), Pos: at(17)},
						{Field: "createdAt", Value: json.RawMessage(`"2020-01-02T03:04:05+02:00"`), Pos: at(18)},
						{Field: "flags", Value: json.RawMessage(`{"old":false,"beta":true}`), Pos: at(19)},
					}},
				{From: 2, Custom: true, Pos: at(20)},
			},
			Examples: []*spec.Example{
				{Version: 1, Valid: true, Pos: at(21), Data: json.RawMessage(v1Data), Latest: json.RawMessage(v1Latest)},
				{Version: 1, Valid: false, Pos: at(22), Data: json.RawMessage(v1Invalid)},
				{Version: 3, Valid: true, Pos: at(23), Data: json.RawMessage(v3NoMode)},
			},
		}, {
			Type: "order.cancelled", Pos: at(30),
			Versions: []*spec.Version{{Number: 1, Pos: at(31), Fields: []*spec.Field{
				field("orderId", kind(spec.KindString)),
				optional(field("reason", &spec.Type{Kind: spec.KindString, Pos: at(1)})),
				optional(field("refund", ref(1, "Money"))),
				field("level", sized(8, false, spec.Constraints{Min: bound("-200", false), Max: bound("127", false)})),
				field("when", sized(0, true, spec.Constraints{Min: bound("0", false), Max: bound("2.5", false)})),
			}}},
		}},
	}
}
