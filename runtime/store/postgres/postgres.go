package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// Store is a store.Store in PostgreSQL tables, reached through a pgx connection pool. It is
// safe for concurrent use, also by several processes sharing the tables.
type Store struct {
	pool   *pgxpool.Pool
	schema string
	// SQL statements with the schema's table names filled in.
	appendSQL, streamVersion, load, read, query, seen, mark string
}

var _ store.Store = (*Store)(nil)

// Option configures Open.
type Option func(*config)

type config struct{ schema string }

// Schema keeps the store's tables in the named schema, created when missing, instead of
// "public". Tests use a random schema per run so that runs do not collide.
func Schema(name string) Option { return func(c *config) { c.schema = name } }

// Open connects to the database at dsn (a PostgreSQL URL or key=value string, as pgx reads
// it), creates the store's tables when missing and returns the store. Close it when done.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	c := config{schema: "public"}
	for _, o := range opts {
		o(&c)
	}
	if c.schema == "" {
		return nil, errors.New("postgres: empty schema name")
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := newStore(pool, c.schema)
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connection pool, waiting for connections in use to be returned. It always
// returns nil; the error result lets Store satisfy io.Closer.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool returns the store's connection pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Schema returns the name of the schema that holds the store's tables.
func (s *Store) Schema() string { return s.schema }

func newStore(pool *pgxpool.Pool, schema string) *Store {
	t := func(name string) string { return pgx.Identifier{schema, name}.Sanitize() }
	events, seq, seen := t("events"), t("positions"), t("bus_seen")
	h := fnv.New64a()
	h.Write([]byte("eventgen.store.positions:" + schema))
	lock := strconv.FormatInt(int64(h.Sum64()), 10)
	// One statement, so one round trip and an implicit transaction:
	//   v: the stream's version, read without locks. A stale read is harmless: if another
	//      writer has stored version $2+1 meanwhile, the INSERT breaks UNIQUE (stream, version).
	//   l: when the version is the expected one, a transaction-level advisory lock, held
	//      until commit, that serialises position assignment: appends take positions in
	//      commit order, so a reader never sees position P+1 while P is still in flight.
	//   c: $3 positions from the sequence, taken under the lock.
	const cols = `position, stream, version, event_id, event_type, payload_version, ts, source,
		user_id, organization_id, tenant_id, correlation_id, causation_id, trace_parent, data`
	return &Store{
		pool:   pool,
		schema: schema,
		appendSQL: `WITH v AS (SELECT coalesce(max(version), 0) AS cur FROM ` + events + ` WHERE stream = $1),
	l AS (SELECT pg_advisory_xact_lock(` + lock + `) FROM v WHERE v.cur = $2::bigint),
	c AS (SELECT setval('` + seq + `', nextval('` + seq + `') + $3::bigint - 1) AS last FROM l)
	INSERT INTO ` + events + ` (` + cols + `)
	SELECT c.last - $3::bigint + e.ord, $1, $2::bigint + e.ord, e.id, e.typ, e.pv, e.ts, e.src, e.usr, e.org, e.ten, e.cor, e.cau, e.tp, e.data
	FROM c, unnest($4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[],
		$11::text[], $12::text[], $13::text[], $14::text[], $15::bytea[])
		WITH ORDINALITY AS e(id, typ, pv, ts, src, usr, org, ten, cor, cau, tp, data, ord)`,
		streamVersion: `SELECT coalesce(max(version), 0) FROM ` + events + ` WHERE stream = $1`,
		load:          `SELECT ` + cols + ` FROM ` + events + ` WHERE stream = $1 AND version > $2 ORDER BY version`,
		read:          `SELECT ` + cols + ` FROM ` + events + ` WHERE position > $1 ORDER BY position LIMIT $2`,
		query:         `SELECT ` + cols + ` FROM ` + events + ` WHERE tenant_id = $1 AND position > $2`,
		seen:          `SELECT EXISTS (SELECT FROM ` + seen + ` WHERE subscription = $1 AND event_id = $2)`,
		mark:          `INSERT INTO ` + seen + ` (subscription, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
	}
}

// migrate creates the schema and tables when missing, under an advisory lock so that
// processes starting together do not race.
func (s *Store) migrate(ctx context.Context) error {
	t := func(name string) string { return pgx.Identifier{s.schema, name}.Sanitize() }
	ddl := `
CREATE SCHEMA IF NOT EXISTS ` + pgx.Identifier{s.schema}.Sanitize() + `;
CREATE TABLE IF NOT EXISTS ` + t("events") + ` (
	position        bigint PRIMARY KEY,
	stream          text   NOT NULL,
	version         bigint NOT NULL,
	event_id        text   NOT NULL UNIQUE,
	event_type      text   NOT NULL,
	payload_version text   NOT NULL,
	ts              bigint NOT NULL, -- Unix nanoseconds: exact, unlike timestamptz's microseconds
	source          text   NOT NULL,
	user_id         text   NOT NULL,
	organization_id text   NOT NULL,
	tenant_id       text   NOT NULL,
	correlation_id  text   NOT NULL,
	causation_id    text   NOT NULL,
	trace_parent    text   NOT NULL,
	data            bytea,
	UNIQUE (stream, version)
);
CREATE INDEX IF NOT EXISTS events_tenant ON ` + t("events") + ` (tenant_id, position);
CREATE SEQUENCE IF NOT EXISTS ` + t("positions") + `;
CREATE TABLE IF NOT EXISTS ` + t("bus_seen") + ` (
	subscription text NOT NULL,
	event_id     text NOT NULL,
	PRIMARY KEY (subscription, event_id)
);`
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('eventgen.store:' || $1))`, s.schema); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, ddl)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: create tables in schema %q: %w", s.schema, ctxErr(ctx, err))
	}
	return nil
}

// ctxErr returns err, wrapping ctx's error too when ctx is done.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Append implements store.Store. The whole batch is one statement, so one round trip.
func (s *Store) Append(ctx context.Context, stream string, expected int64, events ...event.Envelope) (int64, error) {
	if err := store.CheckAppend(stream, expected, events); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("append to %q: %w", stream, err)
	}
	if len(events) == 0 {
		var current int64
		if err := s.pool.QueryRow(ctx, s.streamVersion, stream).Scan(&current); err != nil {
			return 0, fmt.Errorf("postgres: append to %q: %w", stream, ctxErr(ctx, err))
		}
		if current != expected {
			return 0, store.Conflict(stream, "expected version %d, stream is at %d", expected, current)
		}
		return expected, nil
	}
	n := len(events)
	ids, types, pvs, srcs := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	users, orgs, tenants, cors := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	caus, tps, ts, data := make([]string, n), make([]string, n), make([]int64, n), make([][]byte, n)
	for i, e := range events {
		ids[i], types[i], pvs[i], srcs[i] = e.EventID, e.EventType, e.Version, e.Source
		m := e.Metadata
		users[i], orgs[i], tenants[i], cors[i], caus[i], tps[i] = m.UserID, m.OrganizationID, m.TenantID, m.CorrelationID, m.CausationID, m.TraceParent
		ts[i] = store.UnixNano(e.Timestamp)
		if len(e.Data) > 0 {
			data[i] = e.Data
		}
	}
	tag, err := s.pool.Exec(ctx, s.appendSQL, stream, expected, int64(n), ids, types, pvs, ts, srcs, users, orgs, tenants, cors, caus, tps, data)
	switch {
	case isUnique(err):
		return 0, store.Conflict(stream, "an event id is already stored (%v)", err)
	case err != nil:
		return 0, fmt.Errorf("postgres: append to %q: %w", stream, ctxErr(ctx, err))
	case tag.RowsAffected() != int64(n):
		return 0, store.Conflict(stream, "expected version %d is not the stream's version", expected)
	}
	return expected + int64(n), nil
}

func (s *Store) collect(ctx context.Context, sql string, args ...any) ([]store.Record, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		var r store.Record
		var ts int64
		var data []byte
		m := &r.Metadata
		if err := rows.Scan(&r.Position, &r.Stream, &r.Version, &r.EventID, &r.EventType, &r.Envelope.Version,
			&ts, &r.Source, &m.UserID, &m.OrganizationID, &m.TenantID, &m.CorrelationID, &m.CausationID,
			&m.TraceParent, &data); err != nil {
			return nil, ctxErr(ctx, err)
		}
		r.Timestamp = store.FromUnixNano(ts)
		if len(data) > 0 {
			r.Data = data
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, ctxErr(ctx, err)
	}
	return out, nil
}

// Load implements store.Store.
func (s *Store) Load(ctx context.Context, stream string, after int64) ([]store.Record, error) {
	rs, err := s.collect(ctx, s.load, stream, after)
	if err != nil {
		return nil, fmt.Errorf("postgres: load %q: %w", stream, err)
	}
	return rs, nil
}

// Read implements store.Store. Positions are assigned under a row lock held until commit (see
// newStore), so a reader never sees a position while a smaller one is still uncommitted.
func (s *Store) Read(ctx context.Context, after int64, limit int) ([]store.Record, error) {
	if err := store.CheckLimit(limit); err != nil {
		return nil, err
	}
	rs, err := s.collect(ctx, s.read, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: read after %d: %w", after, err)
	}
	return rs, nil
}

// Query implements store.Store.
func (s *Store) Query(ctx context.Context, f store.Filter) ([]store.Record, error) {
	if f.TenantID == "" {
		return nil, fmt.Errorf("postgres: query: %w", store.ErrNoTenant)
	}
	var q strings.Builder
	q.WriteString(s.query)
	args := []any{f.TenantID, f.After}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if len(f.Types) > 0 {
		q.WriteString(` AND event_type = ANY(` + arg(f.Types) + `::text[])`)
	}
	if !f.From.IsZero() {
		q.WriteString(` AND ts >= ` + arg(store.UnixNano(f.From)))
	}
	if !f.To.IsZero() {
		q.WriteString(` AND ts < ` + arg(store.UnixNano(f.To)))
	}
	q.WriteString(` ORDER BY position`)
	if f.Limit > 0 {
		q.WriteString(` LIMIT ` + arg(f.Limit))
	}
	rs, err := s.collect(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: query tenant %q: %w", f.TenantID, err)
	}
	return rs, nil
}

// SeenSet is a set of (subscription, event id) pairs in the store's schema, for idempotent
// bus subscriptions: it has the methods of bus.SeenSet.
type SeenSet struct{ s *Store }

// SeenSet returns the store's seen-set, kept in the table bus_seen.
func (s *Store) SeenSet() *SeenSet { return &SeenSet{s: s} }

// Seen reports whether Mark was called for the subscription and event id.
func (ss *SeenSet) Seen(ctx context.Context, subscription, eventID string) (bool, error) {
	var seen bool
	if err := ss.s.pool.QueryRow(ctx, ss.s.seen, subscription, eventID).Scan(&seen); err != nil {
		return false, fmt.Errorf("postgres: seen %s/%s: %w", subscription, eventID, ctxErr(ctx, err))
	}
	return seen, nil
}

// Mark records that the subscription handled the event id; marking twice is not an error.
func (ss *SeenSet) Mark(ctx context.Context, subscription, eventID string) error {
	if _, err := ss.s.pool.Exec(ctx, ss.s.mark, subscription, eventID); err != nil {
		return fmt.Errorf("postgres: mark %s/%s: %w", subscription, eventID, ctxErr(ctx, err))
	}
	return nil
}
