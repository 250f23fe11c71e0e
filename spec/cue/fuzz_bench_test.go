package cue

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/spec"
)

// FuzzLoadSource feeds arbitrary text to the loader as a .cue file: it may fail, but only
// with diagnostics, never with a panic.
//
//	go test -fuzz FuzzLoadSource ./spec/cue
func FuzzLoadSource(f *testing.F) {
	if src, err := os.ReadFile("testdata/workflow.cue"); err == nil {
		f.Add(string(src))
	}
	f.Add(`events: "a.b": v1: foo: {a: int} | {b: string}`)
	f.Add(`events: "a.b": {v1: {x: [...#N] | null}, v2: {v1, y: *"a" | "b"}}` + "\n#N: {id: string}")
	f.Add(`rules: r: {on: [{prefix: "a."}], match: data: x: [{numeric: [">", 1]}]}`)
	f.Fuzz(func(t *testing.T, src string) {
		m, err := LoadSource("fuzz.cue", []byte(src))
		if err != nil {
			if _, ok := err.(spec.Diagnostics); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if m == nil {
			t.Fatal("nil model without error")
		}
	})
}

// syntheticSpec returns a spec with n events of two versions each, v2 embedding v1.
func syntheticSpec(n int) []byte {
	var b strings.Builder
	b.WriteString("import (\n\t\"strings\"\n\t\"time\"\n)\n\neventgen: source: \"bench\"\n\n#Item: {id: string & =~\"^i-\", qty: int & >=1}\n\naggregates: Order: id: \"orderId\"\n\n")
	for i := range n {
		fmt.Fprintf(&b, `events: "shop.order%d.placed": {
	aggregate: "Order"
	// Version one.
	v1: {
		orderId:  string
		customer: string & strings.MinRunes(1)
		items: [...#Item]
		channel: "web" | "store"
		note?:   string | null
	}
	v2: {
		v1
		placedAt: time.Time
		priority: *"normal" | "high"
	}
	upcast: v1: set: placedAt: "1970-01-01T00:00:00Z"
	examples: [{version: 1, data: {orderId: "o", customer: "c", items: [], channel: "web"}}]
}
`, i)
	}
	return []byte(b.String())
}

// BenchmarkLoad1000Events measures the frontend on 1000 events × 2 versions, from CUE text
// to model: go test -bench Load1000 -run '^$' ./spec/cue
func BenchmarkLoad1000Events(b *testing.B) {
	src := syntheticSpec(benchEvents)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		m, err := LoadSource("bench.cue", src)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Events) != benchEvents {
			b.Fatalf("%d events", len(m.Events))
		}
	}
}

// benchEvents is the size of the benchmark's spec.
const benchEvents = 1000
