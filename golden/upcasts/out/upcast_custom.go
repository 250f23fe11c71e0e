package upcasts

import (
	"errors"
	"fmt"
)

// errNegativeAmount is what the hand-written step returns for an amount it cannot write.
var errNegativeAmount = errors.New("a negative amount has no decimal form here")

// upcastBillingInvoiceIssuedV2 is the hand-written step the spec asks for with custom: true:
// v3 writes the amount in cents as a decimal string.
func upcastBillingInvoiceIssuedV2(in BillingInvoiceIssuedV2) (BillingInvoiceIssuedV3, error) {
	if in.Amount < 0 {
		return BillingInvoiceIssuedV3{}, errNegativeAmount
	}
	return BillingInvoiceIssuedV3{
		InvoiceID:  in.InvoiceID,
		Amount:     fmt.Sprintf("%d.%02d", in.Amount/100, in.Amount%100),
		CustomerID: in.CustomerID,
		Status:     BillingInvoiceIssuedV3Status(in.Status),
		Currency:   in.Currency,
	}, nil
}
