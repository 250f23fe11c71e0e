package upcasts

import "fmt"

// upcastBillingInvoiceIssuedV2 is the hand-written step the spec asks for with custom: true:
// v3 writes the amount in cents as a decimal string.
func upcastBillingInvoiceIssuedV2(in BillingInvoiceIssuedV2) (BillingInvoiceIssuedV3, error) {
	return BillingInvoiceIssuedV3{
		InvoiceID:  in.InvoiceID,
		Amount:     fmt.Sprintf("%d.%02d", in.Amount/100, in.Amount%100),
		CustomerID: in.CustomerID,
		Status:     BillingInvoiceIssuedV3Status(in.Status),
		Currency:   in.Currency,
	}, nil
}
