// Package sqlite is a store.Store in one SQLite file, through modernc.org/sqlite: pure Go,
// so it builds with CGO_ENABLED=0.
//
// The database runs in WAL mode with a 10 s busy timeout. Appends go through a single writer
// connection in BEGIN IMMEDIATE transactions, which assign positions (the rowid) inside the
// transaction: positions commit in order, and readers, on a pool of their own connections,
// never block the writer. synchronous=NORMAL makes every commit atomic and safe from a crash
// of the process (TestCrashSafety kills a writing child with SIGKILL and finds every batch
// whole or absent); a power loss may drop the last commits, never tear one.
//
// Store.SeenSet returns a seen-set for idempotent bus subscriptions (bus.Idempotent) kept in
// the same file.
//
// Measured on the 2-core CI machine (go test -bench BenchmarkSQLite, 10-event batches):
// about 37,000 events/s appending to fresh streams, 41,000 events/s to one hot stream, and a
// 10,000-event Load in about 36 ms.
package sqlite
