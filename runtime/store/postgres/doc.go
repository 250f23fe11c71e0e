// Package postgres is a store.Store in PostgreSQL, through a pgx/v5 connection pool. Open
// creates its schema (Schema option; "public" by default) and tables when missing:
// events, the sequence positions, and bus_seen for Store.SeenSet.
//
// An Append is one statement and so one round trip: it reads the stream's version, and when
// it is the expected one takes a transaction-level advisory lock, draws the batch's positions
// from the sequence and inserts the rows. The lock is held until commit, so positions are
// drawn in commit order: with concurrent writers a reader can never see position P+1 while P
// is still in flight, the trap that makes naive sequence-based stores skip events forever
// (TestReadWaitsForInFlightPositions holds a transaction open to prove it). Version races
// between writers of one stream end in UNIQUE (stream, version) and are reported as
// store.ErrConflict; so are event ids already stored (UNIQUE (event_id)). Timestamps are
// kept as Unix nanoseconds, exactly.
//
// Tests read the server from EVENTGEN_PG_DSN and skip without it.
//
// Measured on the 2-core CI machine against a local PostgreSQL 15 (go test -bench
// BenchmarkPostgres, 10-event batches, one append in flight at a time): 17,000 to 23,000
// events/s to fresh streams, 4,000 to 24,000 events/s to one hot stream depending on the
// machine's load, and a 10,000-event Load in about 42 ms.
package postgres
