package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/runtime/store"
)

// Store is a store.Store in one SQLite file. It is safe for concurrent use; appends go through
// a single writer connection, reads through a small pool of reader connections.
type Store struct {
	path   string
	writer *sql.DB // one connection: SQLite has a single writer anyway
	reader *sql.DB

	mu      sync.Mutex
	inserts map[int]*sql.Stmt // multi-row INSERT statements on the writer, by row count
}

var _ store.Store = (*Store)(nil)

const schema = `
CREATE TABLE IF NOT EXISTS events (
	position   INTEGER PRIMARY KEY,
	stream     TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	event_id   TEXT    NOT NULL UNIQUE,
	event_type TEXT    NOT NULL,
	ts         INTEGER NOT NULL,
	tenant_id  TEXT    NOT NULL,
	head       BLOB    NOT NULL, -- every envelope field but Data: see head.go
	data       BLOB,
	UNIQUE (stream, version)
);
CREATE INDEX IF NOT EXISTS events_tenant ON events (tenant_id, position);
CREATE TABLE IF NOT EXISTS bus_seen (
	subscription TEXT NOT NULL,
	event_id     TEXT NOT NULL,
	PRIMARY KEY (subscription, event_id)
) WITHOUT ROWID;
`

// columns are the events columns a read scans, in order.
const columns = `position, stream, version, head, data`

// loadColumns are the columns Load scans: the stream is known.
const loadColumns = `position, version, head, data`

// insertColumns is the number of columns an INSERT sets.
const insertColumns = 8

// maxRows is the largest number of rows in one INSERT statement.
const maxRows = 100

// Open opens the SQLite store in the file at path, creating the file and its tables when
// missing. The database runs in WAL mode with synchronous=NORMAL: a commit is atomic and
// survives a crash of the process; after a power loss the last commits may be lost, never
// torn. Writers wait up to 10 s for another process's write lock (busy timeout).
func Open(path string) (*Store, error) {
	dsn := func(extra ...string) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		for i := 0; i+1 < len(extra); i += 2 {
			q.Add(extra[i], extra[i+1])
		}
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	writer, err := sql.Open("sqlite", dsn("_txlock", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if _, err := writer.Exec(schema); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: create tables in %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", dsn("_pragma", "query_only(true)"))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	if err := reader.Ping(); err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	return &Store{path: path, writer: writer, reader: reader, inserts: map[int]*sql.Stmt{}}, nil
}

// Close closes the database; the Store must not be used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.inserts {
		st.Close()
	}
	s.inserts = nil
	s.mu.Unlock()
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// DB returns the writer connection pool, for callers that keep their own tables in the same
// file. Its single connection is shared with Append: keep transactions on it short.
func (s *Store) DB() *sql.DB { return s.writer }

// insertStmt returns the prepared statement inserting n rows.
func (s *Store) insertStmt(ctx context.Context, n int) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.inserts[n]; ok {
		return st, nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO events (stream, version, event_id, event_type, ts, tenant_id, head, data) VALUES `)
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", insertColumns), ",") + ")"
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	st, err := s.writer.PrepareContext(ctx, b.String())
	if err != nil {
		return nil, err
	}
	s.inserts[n] = st
	return st, nil
}

// ctxErr returns err, wrapping ctx's error too when ctx is done, so that callers can test
// for context.Canceled whatever the driver reported.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE ||
		se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// Append implements store.Store.
func (s *Store) Append(ctx context.Context, stream string, expected int64, events ...event.Envelope) (int64, error) {
	if err := store.CheckAppend(stream, expected, events); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("append to %q: %w", stream, err)
	}
	v, err := s.append(ctx, stream, expected, events)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			return 0, err
		}
		return 0, fmt.Errorf("sqlite: append to %q: %w", stream, ctxErr(ctx, err))
	}
	return v, nil
}

func (s *Store) append(ctx context.Context, stream string, expected int64, events []event.Envelope) (_ int64, err error) {
	// Prepare before BeginTx: the writer has one connection, which the transaction holds.
	stmts := make([]*sql.Stmt, 0, (len(events)+maxRows-1)/maxRows)
	for start := 0; start < len(events); start += maxRows {
		st, err := s.insertStmt(ctx, min(maxRows, len(events)-start))
		if err != nil {
			return 0, err
		}
		stmts = append(stmts, st)
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var current int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM events WHERE stream = ?`, stream).Scan(&current); err != nil {
		return 0, err
	}
	if current != expected {
		return 0, store.Conflict(stream, "expected version %d, stream is at %d", expected, current)
	}
	args := make([]any, 0, min(len(events), maxRows)*insertColumns)
	for start := 0; start < len(events); start += maxRows {
		chunk := events[start:min(start+maxRows, len(events))]
		args = args[:0]
		for i := range chunk {
			e := &chunk[i]
			var data []byte
			if len(e.Data) > 0 {
				data = e.Data
			}
			args = append(args, stream, expected+int64(start+i)+1, e.EventID, e.EventType,
				store.UnixNano(e.Timestamp), e.Metadata.TenantID, encodeHead(nil, e), data)
		}
		if _, err := tx.StmtContext(ctx, stmts[start/maxRows]).ExecContext(ctx, args...); err != nil {
			if isUnique(err) {
				return 0, store.Conflict(stream, "an event id is already stored or another writer came first (%v)", err)
			}
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return expected + int64(len(events)), nil
}

// scanRecords reads rows of columns, or of loadColumns when stream is not empty.
func scanRecords(rows *sql.Rows, capacity int, stream string) ([]store.Record, error) {
	defer rows.Close()
	out := make([]store.Record, 0, capacity)
	for rows.Next() {
		r := store.Record{Stream: stream}
		var head sql.RawBytes
		var data []byte
		var err error
		if stream != "" {
			err = rows.Scan(&r.Position, &r.Version, &head, &data)
		} else {
			err = rows.Scan(&r.Position, &r.Stream, &r.Version, &head, &data)
		}
		if err != nil {
			return nil, err
		}
		if err := decodeHead(head, &r.Envelope); err != nil {
			return nil, fmt.Errorf("position %d: %w", r.Position, err)
		}
		if len(data) > 0 {
			r.Data = data
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// Load implements store.Store.
func (s *Store) Load(ctx context.Context, stream string, after int64) ([]store.Record, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+loadColumns+` FROM events WHERE stream = ? AND version > ? ORDER BY version`, stream, after)
	if err != nil {
		return nil, fmt.Errorf("sqlite: load %q: %w", stream, ctxErr(ctx, err))
	}
	rs, err := scanRecords(rows, 64, stream)
	if err != nil {
		return nil, fmt.Errorf("sqlite: load %q: %w", stream, ctxErr(ctx, err))
	}
	return rs, nil
}

// Read implements store.Store. SQLite has a single writer and assigns positions inside the
// write transaction, so positions commit in order and a reader never skips one.
func (s *Store) Read(ctx context.Context, after int64, limit int) ([]store.Record, error) {
	if err := store.CheckLimit(limit); err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT `+columns+` FROM events WHERE position > ? ORDER BY position LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read after %d: %w", after, ctxErr(ctx, err))
	}
	rs, err := scanRecords(rows, min(limit, 1024), "")
	if err != nil {
		return nil, fmt.Errorf("sqlite: read after %d: %w", after, ctxErr(ctx, err))
	}
	return rs, nil
}

// Query implements store.Store.
func (s *Store) Query(ctx context.Context, f store.Filter) ([]store.Record, error) {
	if f.TenantID == "" {
		return nil, fmt.Errorf("sqlite: query: %w", store.ErrNoTenant)
	}
	var q strings.Builder
	q.WriteString(`SELECT ` + columns + ` FROM events WHERE tenant_id = ? AND position > ?`)
	args := []any{f.TenantID, f.After}
	if len(f.Types) > 0 {
		q.WriteString(` AND event_type IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.Types)), ",") + `)`)
		for _, t := range f.Types {
			args = append(args, t)
		}
	}
	if !f.From.IsZero() {
		q.WriteString(` AND ts >= ?`)
		args = append(args, store.UnixNano(f.From))
	}
	if !f.To.IsZero() {
		q.WriteString(` AND ts < ?`)
		args = append(args, store.UnixNano(f.To))
	}
	q.WriteString(` ORDER BY position`)
	if f.Limit > 0 {
		q.WriteString(` LIMIT ?`)
		args = append(args, f.Limit)
	}
	rows, err := s.reader.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: query tenant %q: %w", f.TenantID, ctxErr(ctx, err))
	}
	rs, err := scanRecords(rows, 16, "")
	if err != nil {
		return nil, fmt.Errorf("sqlite: query tenant %q: %w", f.TenantID, ctxErr(ctx, err))
	}
	return rs, nil
}

// SeenSet is a set of (subscription, event id) pairs in the store's file, for idempotent bus
// subscriptions: it has the methods of bus.SeenSet.
type SeenSet struct{ s *Store }

// SeenSet returns the store's seen-set, kept in the table bus_seen.
func (s *Store) SeenSet() *SeenSet { return &SeenSet{s: s} }

// Seen reports whether Mark was called for the subscription and event id.
func (ss *SeenSet) Seen(ctx context.Context, subscription, eventID string) (bool, error) {
	var one int
	err := ss.s.reader.QueryRowContext(ctx, `SELECT 1 FROM bus_seen WHERE subscription = ? AND event_id = ?`, subscription, eventID).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("sqlite: seen %s/%s: %w", subscription, eventID, ctxErr(ctx, err))
	}
	return true, nil
}

// Mark records that the subscription handled the event id; marking twice is not an error.
func (ss *SeenSet) Mark(ctx context.Context, subscription, eventID string) error {
	if _, err := ss.s.writer.ExecContext(ctx, `INSERT OR IGNORE INTO bus_seen (subscription, event_id) VALUES (?, ?)`, subscription, eventID); err != nil {
		return fmt.Errorf("sqlite: mark %s/%s: %w", subscription, eventID, ctxErr(ctx, err))
	}
	return nil
}
