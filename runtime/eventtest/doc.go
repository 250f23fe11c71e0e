// Package eventtest helps test code that publishes and handles events: a Recorder that is
// both a recording bus and a recording handler, with assertions on the types and order of
// what it saw, and a fixed Clock and a deterministic IDs sequence to build envelopes whose
// ids and timestamps are the same on every run.
//
//	rec := eventtest.NewRecorder()
//	clock, ids := eventtest.NewClock(time.Time{}, time.Second), eventtest.NewIDs(1)
//	svc := orders.NewService(rec, clock.Now, ids.Next)
//	svc.Place(ctx, ...)
//	rec.AssertTypes(t, "order.placed", "payment.requested")
package eventtest
