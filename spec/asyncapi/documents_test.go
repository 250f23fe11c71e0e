package asyncapi

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eventgen/eventgen/spec"
)

// TestRefsAcrossFiles loads a 3.0 document whose messages and schemas live in other files,
// three levels deep, with a definition under draft-07 definitions.
func TestRefsAcrossFiles(t *testing.T) {
	m, err := Load("testdata/refs/orders.asyncapi3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &spec.Model{
		Source: "shop",
		Definitions: []*spec.Definition{
			{Name: "Line", Type: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
				{Name: "sku", Type: &spec.Type{Kind: spec.KindString}},
				{Name: "quantity", Type: &spec.Type{Kind: spec.KindInt, Bits: 32, Sized: true, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0", Exclusive: true}}}},
				{Name: "price", Optional: true, Type: &spec.Type{Kind: spec.KindRef, Ref: "Money"}},
			}}},
			{Name: "Money", Type: &spec.Type{Kind: spec.KindStruct, Fields: []*spec.Field{
				{Name: "amount", Type: &spec.Type{Kind: spec.KindFloat, Bits: 64, Sized: true, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0"}}}},
			}}},
			{Name: "OrderId", Doc: "The id of an order.", Type: &spec.Type{Kind: spec.KindString, Constraints: spec.Constraints{Patterns: []string{"^o-[0-9]+$"}}}},
			{Name: "Reason", Type: &spec.Type{Kind: spec.KindEnum, Enum: []string{"customer", "stock"}}},
		},
		Events: []*spec.Event{
			{Type: "order.cancelled", Versions: []*spec.Version{{Number: 1, Doc: "An order was cancelled.", Fields: []*spec.Field{
				{Name: "orderId", Type: &spec.Type{Kind: spec.KindRef, Ref: "OrderId"}},
				{Name: "reason", Optional: true, Type: &spec.Type{Kind: spec.KindRef, Ref: "Reason"}},
			}}}, Examples: []*spec.Example{{Version: 1, Valid: true, Data: json.RawMessage(`{"orderId":"o-1","reason":"customer"}`)}}},
			{Type: "order.placed", Versions: []*spec.Version{{Number: 1, Doc: "A customer placed an order.", Fields: []*spec.Field{
				{Name: "orderId", Type: &spec.Type{Kind: spec.KindRef, Ref: "OrderId"}},
				{Name: "lines", Type: &spec.Type{Kind: spec.KindList, Elem: &spec.Type{Kind: spec.KindRef, Ref: "Line"}, Constraints: spec.Constraints{MinItems: ptr(1)}}},
			}}}},
		},
		Rules: []*spec.Rule{{Name: "order-events", On: []*spec.OnItem{{Matcher: json.RawMessage(`{"prefix":"order."}`)}}}},
		Handlers: []*spec.Handler{
			{Name: "notify-customer", Rule: "order-events", Unknown: "skip"},
			{Name: "on-order-cancelled", On: []string{"order.placed", "order.cancelled"}, Unknown: "fail"},
		},
	}
	if diff := cmp.Diff(want, m, modelOptions); diff != "" {
		t.Errorf("model (-want +got):\n%s", diff)
	}
	placed := m.Event("order.placed").Latest()
	if got, want := placed.Pos, (spec.Pos{File: filepath.Join("testdata", "refs", "messages.yaml"), Line: 1, Col: 1}); got != want {
		t.Errorf("order.placed v1 at %v, want %v (the file the message is written in)", got, want)
	}
	if got, want := m.Definition("Money").Pos.File, filepath.Join("testdata", "refs", "schemas", "money.yaml"); got != want {
		t.Errorf("Money in %s, want %s", got, want)
	}
}

// TestAsyncAPI26 reads a 2.6 JSON document: a channel's publish operation is a handler (its
// operationId kebab-cased), subscribe is not, message.oneOf lists messages, the message-level
// schemaFormat is accepted, and upcasts and examples come from the extensions.
func TestAsyncAPI26(t *testing.T) {
	m, err := Load("testdata/shop.asyncapi26.json")
	if err != nil {
		t.Fatal(err)
	}
	want := &spec.Model{
		Source:  "shop",
		Package: "shopevents",
		Events: []*spec.Event{{
			Type: "order.paid",
			Versions: []*spec.Version{
				{Number: 1, Fields: []*spec.Field{
					{Name: "orderId", Type: &spec.Type{Kind: spec.KindString}},
					{Name: "cents", Type: &spec.Type{Kind: spec.KindInt, Constraints: spec.Constraints{Min: &spec.Bound{Value: "0", Exclusive: true}}}},
				}},
				{Number: 2, Fields: []*spec.Field{
					{Name: "orderId", Type: &spec.Type{Kind: spec.KindString}},
					{Name: "amountCents", Type: &spec.Type{Kind: spec.KindInt, Bits: 64, Sized: true}},
					{Name: "paidAt", Optional: true, Type: &spec.Type{Kind: spec.KindTime, Nullable: true}},
				}},
			},
			Upcasts:  []*spec.Upcast{{From: 1, Rename: []*spec.UpcastRename{{From: "cents", To: "amountCents"}}, Drop: []*spec.UpcastDrop{{Field: "legacy"}}}},
			Examples: []*spec.Example{{Version: 2, Valid: true, Data: json.RawMessage(`{"orderId":"o-1","amountCents":250,"paidAt":null}`)}},
		}},
		Handlers: []*spec.Handler{{Name: "ship-orders", Doc: "Ships what was paid.", On: []string{"order.paid"}, Unknown: "skip"}},
	}
	if diff := cmp.Diff(want, m, modelOptions); diff != "" {
		t.Errorf("model (-want +got):\n%s", diff)
	}
}

// TestInvalidFiles loads the intentionally invalid documents under testdata/invalid.
func TestInvalidFiles(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"testdata/invalid/dangling-ref.asyncapi3.yaml",
			`testdata/invalid/dangling-ref.asyncapi3.yaml:14:19: $ref "../refs/schemas/money.yaml#/Mony" points at nothing: testdata/refs/schemas/money.yaml has no "Mony"`},
		{"testdata/invalid/broken.asyncapi3.yaml",
			"testdata/invalid/broken.asyncapi3.yaml:7:1: not a valid YAML or JSON document: found character that cannot start any token"},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			_, err := Load(c.file)
			var ds spec.Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("Load returned %v, want diagnostics", err)
			}
			if err.Error() != c.want {
				t.Errorf("errors:\n got %s\nwant %s", err, c.want)
			}
		})
	}
}

// TestIOErrors checks that a missing root document is an I/O error, not a diagnostic.
func TestIOErrors(t *testing.T) {
	_, err := Load("testdata/does-not-exist.yaml")
	var ds spec.Diagnostics
	if err == nil || errors.As(err, &ds) {
		t.Fatalf("Load of a missing file = %v, want an I/O error", err)
	}
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{
		"runDashboard": "run-dashboard", "RunDashboard": "run-dashboard", "run_dashboard": "run-dashboard",
		"run-dashboard": "run-dashboard", "HTTPSink": "http-sink", "sendToS3Bucket": "send-to-s3-bucket", "v2Handler": "v2-handler",
	} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}
