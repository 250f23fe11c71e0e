package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/eventgen/eventgen/runtime/store"
	"github.com/eventgen/eventgen/runtime/store/storetest"
)

// dsn returns EVENTGEN_PG_DSN or skips the test.
func dsn(t testing.TB) string {
	t.Helper()
	d := os.Getenv("EVENTGEN_PG_DSN")
	if d == "" {
		t.Skip("EVENTGEN_PG_DSN not set: skipping PostgreSQL tests")
	}
	return d
}

func randomSchema() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "eventgen_test_" + hex.EncodeToString(b)
}

// open returns a store in a fresh random schema, dropped when the test ends.
func open(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn(t), Schema(randomSchema()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := s.pool.Exec(ctx, `DROP SCHEMA `+quote(s.schema)+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", s.schema, err)
		}
		s.Close()
	})
	return s
}

func quote(id string) string { return `"` + id + `"` }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func BenchmarkPostgres(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) store.Store { return open(b) })
}

func TestOpenConcurrentlyOnOneSchema(t *testing.T) {
	d := dsn(t)
	schema := randomSchema()
	var wg sync.WaitGroup
	stores := make([]*Store, 4)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(context.Background(), d, Schema(schema))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
	}
	defer func() {
		stores[0].pool.Exec(context.Background(), `DROP SCHEMA `+quote(schema)+` CASCADE`)
		for _, s := range stores {
			s.Close()
		}
	}()
	// All four share the tables: an append through one is a conflict through another.
	evs := storetest.Envelopes("a", "t1", 2, time.Now())
	if _, err := stores[0].Append(context.Background(), "s", 0, evs...); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[1].Append(context.Background(), "s", 0, evs...); err == nil {
		t.Fatal("a second store on the same schema accepted version 0 of an existing stream")
	}
	rs, err := stores[3].Load(context.Background(), "s", 0)
	if err != nil || len(rs) != 2 {
		t.Fatalf("Load through another store = %d records, %v", len(rs), err)
	}
}

func TestOpenErrors(t *testing.T) {
	d := dsn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tests := []struct {
		name string
		dsn  string
		opts []Option
	}{
		{"bad dsn", "postgres://%zz", nil},
		{"empty schema", d, []Option{Schema("")}},
		{"unreachable", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if s, err := Open(ctx, tc.dsn, tc.opts...); err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
		})
	}
}

func TestSeenSet(t *testing.T) {
	ss := open(t).SeenSet()
	ctx := context.Background()
	if seen, err := ss.Seen(ctx, "sub", "e1"); err != nil || seen {
		t.Fatalf("Seen before Mark = %v, %v", seen, err)
	}
	for range 2 { // marking twice is fine
		if err := ss.Mark(ctx, "sub", "e1"); err != nil {
			t.Fatal(err)
		}
	}
	if seen, err := ss.Seen(ctx, "sub", "e1"); err != nil || !seen {
		t.Fatalf("Seen after Mark = %v, %v", seen, err)
	}
	if seen, err := ss.Seen(ctx, "other", "e1"); err != nil || seen {
		t.Fatalf("Seen for another subscription = %v, %v", seen, err)
	}
}
