package upcasts

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/eventgen/eventgen/runtime/event"
)

// TestFailingStepIsNamed decodes and upcasts payloads that the hand-written step rejects, one
// step from the latest version and two: the error wraps the step's own and names the step.
func TestFailingStepIsNamed(t *testing.T) {
	for _, tc := range []struct {
		version string
		data    string
		payload event.Payload
	}{
		{"2", `{"invoiceId":"i-1","amount":-5,"customerId":"c-1","status":"final","currency":"EUR"}`,
			BillingInvoiceIssuedV2{InvoiceID: "i-1", Amount: -5, CustomerID: "c-1", Status: "final", Currency: "EUR"}},
		{"1", `{"invoiceId":"i-1","amount":-5,"customer":"c-1","status":"final","legacy":"x"}`,
			BillingInvoiceIssuedV1{InvoiceID: "i-1", Amount: -5, Customer: "c-1", Status: "final", Legacy: "x"}},
	} {
		env := event.Envelope{EventType: BillingInvoiceIssuedType, Version: tc.version, Data: json.RawMessage(tc.data)}
		_, err := DecodeBillingInvoiceIssued(env)
		const want = "decode billing.invoice.issued: upcast billing.invoice.issued v2 to v3: " + "a negative amount has no decimal form here"
		if !errors.Is(err, errNegativeAmount) || err.Error() != want {
			t.Errorf("decode v%s: error %v, want %q", tc.version, err, want)
		}
		_, err = Upcast(tc.payload)
		const wantUpcast = "upcast billing.invoice.issued v2 to v3: a negative amount has no decimal form here"
		if !errors.Is(err, errNegativeAmount) || err.Error() != wantUpcast {
			t.Errorf("Upcast(v%s): error %v, want %q", tc.version, err, wantUpcast)
		}
	}
}

// TestStepCarriesNestedStructs runs the generated v1 step on an optional struct and a list of
// structs whose inline types change between versions: each is converted field by field, and
// absence stays absence.
func TestStepCarriesNestedStructs(t *testing.T) {
	in := BillingInvoiceIssuedV1{InvoiceID: "i-1", Amount: 5, Customer: "c", Status: "final", Legacy: "x",
		Approver: &BillingInvoiceIssuedV1Approver{Name: "ann", Role: "manager"},
		Lines:    []BillingInvoiceIssuedV1Lines{{Sku: "a", State: "open"}, {Sku: "b", State: "paid"}}}
	out, err := upcastBillingInvoiceIssuedV1(in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Approver == nil || *out.Approver != (BillingInvoiceIssuedV2Approver{Name: "ann", Role: "manager"}) {
		t.Errorf("approver %+v", out.Approver)
	}
	if len(out.Lines) != 2 || out.Lines[1] != (BillingInvoiceIssuedV2Lines{Sku: "b", State: "paid"}) {
		t.Errorf("lines %+v", out.Lines)
	}
	in.Approver, in.Lines = nil, nil
	if out, _ := upcastBillingInvoiceIssuedV1(in); out.Approver != nil || out.Lines != nil {
		t.Errorf("absent values came out as %+v and %+v", out.Approver, out.Lines)
	}
}
