package shop

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/event"
)

const placedV1 = `{"orderId":"o-1","qty":2,"lines":[{"sku":"a","count":1}],"meta":{"k":{"note":"hi"}},"status":"paid","ratio":0.5,` +
	`"grid":[[1,2],[3]],"codes":["a","b"],"price":{"amount":100,"currency":"EUR"},"blob":"AQI=",` +
	`"contact":"a@b.c","tags":["x","y"],"trigger":"user","note":null}`

func TestShopUpcastChain(t *testing.T) {
	got, err := DecodeOrderPlaced(event.Envelope{EventType: OrderPlacedType, Version: "1", Data: []byte(placedV1)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != 200 || got.Quantity != 2 || got.Lines[0].Count != 1 || got.Lines[0].Gift != nil {
		t.Errorf("chain result %+v", got)
	}
	if got.Ratio == nil || *got.Ratio != 0.5 || got.Status != OrderPlacedV3StatusPaid || got.Channel != OrderPlacedV3ChannelWeb {
		t.Errorf("ratio %v, status %q, channel %q", got.Ratio, got.Status, got.Channel)
	}
	if got.Mode != OrderPlacedV3ModeFast {
		t.Errorf("mode %q, want the default fast", got.Mode)
	}
	if _, offset := got.CreatedAt.Zone(); offset != 2*3600 || !got.CreatedAt.Equal(time.Date(2020, 1, 2, 1, 4, 5, 0, time.UTC)) {
		t.Errorf("createdAt %v", got.CreatedAt)
	}
	if !got.Flags["beta"] || got.Flags["old"] || len(got.Flags) != 2 || got.Note != nil || string(got.Blob) != "\x01\x02" {
		t.Errorf("flags %v, note %v, blob %v", got.Flags, got.Note, got.Blob)
	}
	if got.Meta["k"].Note != "hi" || len(got.Grid) != 2 || got.Grid[1][0] != 3 {
		t.Errorf("meta %v, grid %v", got.Meta, got.Grid)
	}
	env, err := New(event.Metadata{}, got)
	if err != nil || env.Source != "shop-orders" || env.Version != "3.0" {
		t.Errorf("New = %+v, %v; want source shop-orders, version 3.0", env, err)
	}
}

func TestShopValidateEveryViolation(t *testing.T) {
	data := `{"orderId":"xo","qty":0,"lines":[],"meta":{"k":{"note":"too long"},"b":{"note":"sixsix"}},"status":"lost","ratio":1.5,` +
		`"grid":[[1],[10]],"codes":["a","a"],"price":{"amount":-1,"currency":"GBP"},"blob":"","contact":"nobody",` +
		`"tags":["x","x","y","z"],"trigger":"never","note":"n"}`
	var p OrderPlacedV1
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		t.Fatal(err)
	}
	var ve *event.ValidationError
	if err := p.Validate(); !errors.As(err, &ve) {
		t.Fatalf("Validate = %v", err)
	}
	want := []event.Violation{
		{Path: "orderId", Message: `must not match "^x"`},
		{Path: "qty", Message: "must be >= 1"},
		{Path: "lines", Message: "must have at least 1 item"},
		{Path: `meta["b"].note`, Message: "must have at most 5 runes"},
		{Path: `meta["k"].note`, Message: "must have at most 5 runes"},
		{Path: "status", Message: `must be one of "new", "paid"`},
		{Path: "ratio", Message: "must be < 1.5"},
		{Path: "grid[1][0]", Message: "must be <= 9"},
		{Path: "codes", Message: "must not contain duplicate items"},
		{Path: "price.amount", Message: "must be >= 0"},
		{Path: "price.currency", Message: `must be one of "EUR", "USD"`},
		{Path: "contact", Message: `must match "^[^@\\s]+@[^@\\s]+$"`},
		{Path: "tags", Message: "must have at most 3 items"},
		{Path: "tags", Message: "must not contain duplicate items"},
		{Path: "trigger", Message: `must be one of "user", "schedule"`},
	}
	if len(ve.Violations) != len(want) {
		t.Fatalf("violations:\n%v\nwant\n%v", ve.Violations, want)
	}
	for i := range want {
		if ve.Violations[i] != want[i] {
			t.Errorf("violation %d = %+v, want %+v", i, ve.Violations[i], want[i])
		}
	}
	if p.Mode != OrderPlacedV1ModeFast {
		t.Errorf("missing mode decoded as %q, want the default", p.Mode)
	}
	p.Lines = nil
	if err := p.Validate(); !errors.As(err, &ve) || ve.Violations[2] != (event.Violation{Path: "lines", Message: "is required"}) {
		t.Errorf("nil required list: %v", err)
	}
}

func TestShopBoundsOutsideTheGoType(t *testing.T) {
	tests := []struct {
		p    OrderCancelledV1
		want string
	}{
		{OrderCancelledV1{Level: -128, When: 2}, ""},
		{OrderCancelledV1{Level: 127, When: 3}, "invalid payload: when: must be <= 2.5"},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if got := errString(err); got != tt.want {
			t.Errorf("Validate(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
