// Package bus is an in-process event bus with EventBridge semantics. Subscriptions are
// rules: an event.Rule's pattern (runtime/pattern, AWS's pattern language) and a target
// handler. Publish matches each event's EventBridge form against every rule at once (one
// pattern.Matcher for all subscriptions) and delivers a copy to each matching target.
//
//	b := bus.New(bus.Retries(3), bus.Backoff(50*time.Millisecond))
//	defer b.Close(ctx)
//	err := b.Subscribe(event.Rule{Name: "ship", Pattern: []byte(`{"detail-type":["order.paid"]}`)},
//		shipper, bus.Idempotent(db.SeenSet()))
//	err = b.Publish(ctx, env)
//
// Delivery is asynchronous: Publish archives and queues, and returns; every subscription has
// its own queue and worker goroutine (Concurrency to have more), so a subscription sees
// events in publish order and a slow one does not hold up the others until its queue is full.
// Handlers get the bus's context, which Close cancels when its own context ends first. A
// failing handler, or one that panics, is retried (Retries after the first try, waiting
// Backoff and then twice as long each time, up to MaxBackoff); when its tries are spent the
// event joins the subscription's DeadLetters with the last error and the number of tries.
// Idempotent subscriptions acknowledge an event id their SeenSet already holds without calling
// the handler; NewSeenSet keeps one in memory, sqlite and postgres stores keep one in their
// database. Published events are archived (in memory unless ArchiveTo or NoArchive) and
// Replay queues those of a time window to one subscription again. Wait waits for the queues
// to drain; Close drains them and stops the workers, and Publish after Close is ErrClosed.
//
// TestNothingLost publishes 11,000 events (1,000 of them twice) to 4 subscriptions whose
// handlers fail or panic at random and checks that every match ends delivered or
// dead-lettered, exactly once on idempotent subscriptions.
//
// Measured on the 2-core CI machine (BenchmarkPublish: 100 rules, no-op handlers, each event
// matching 10 rules): 400,000 to 1,000,000 deliveries/s, depending on the machine's load.
package bus
