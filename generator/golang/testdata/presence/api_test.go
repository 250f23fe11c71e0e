package presence

import (
	"errors"
	"reflect"
	"testing"

	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/spec/check"
	"github.com/eventgen/eventgen/spec/cue"
)

// TestDecodeAgreesWithTheChecker decodes payloads that break the presence rules at every depth
// and compares the violations of the generated Decode with those of spec/check.Payload, which
// judges the spec's examples at generate time: the two must never disagree.
func TestDecodeAgreesWithTheChecker(t *testing.T) {
	m, err := cue.Load("spec.cue")
	if err != nil {
		t.Fatal(err)
	}
	ev := m.Event(ItemChangedType)
	const full = `"id":"a","at":"2026-01-01T00:00:00Z","raw":1,"n":null,"inner":{"x":"i"},"nodes":[],"names":[],"byKey":{}`
	tests := []struct {
		name    string
		version int
		data    string
		want    []event.Violation // nil: valid
	}{
		{"v1 valid without the optional list", 1, `{"id":"a"}`, nil},
		{"v1 empty optional list breaks MinItems", 1, `{"id":"a","tags":[]}`, []event.Violation{{Path: "tags", Message: "must have at least 1 item"}}},
		{"v1 required string missing", 1, `{}`, []event.Violation{{Path: "id", Message: "is required"}}},
		{"v1 required string null", 1, `{"id":null}`, []event.Violation{{Path: "id", Message: "must not be null"}}},
		{"v1 null map value", 1, `{"id":"a","counts":{"b":1,"a":null}}`, []event.Violation{{Path: `counts["a"]`, Message: "must not be null"}}},
		{"v1 optional null is absent", 1, `{"id":"a","tags":null}`, nil},
		{"v2 valid", 2, `{` + full + `}`, nil},
		{"v2 unknown fields are ignored", 2, `{` + full + `,"extra":1}`, nil},
		{"v2 everything missing", 2, `{}`, []event.Violation{
			{Path: "id", Message: "is required"}, {Path: "at", Message: "is required"}, {Path: "raw", Message: "is required"},
			{Path: "n", Message: "is required"}, {Path: "inner", Message: "is required"}, {Path: "nodes", Message: "is required"},
			{Path: "names", Message: "is required"}, {Path: "byKey", Message: "is required"},
		}},
		{"v2 nulls where not nullable", 2, `{"id":"a","at":null,"raw":null,"n":null,"mode":null,"inner":null,"nodes":null,"names":null,"byKey":null}`, []event.Violation{
			{Path: "at", Message: "must not be null"}, {Path: "raw", Message: "must not be null"}, {Path: "mode", Message: "must not be null"},
			{Path: "inner", Message: "must not be null"}, {Path: "nodes", Message: "must not be null"},
			{Path: "names", Message: "must not be null"}, {Path: "byKey", Message: "must not be null"},
		}},
		{"v2 missing deep inside", 2, `{"id":"a","at":"2026-01-01T00:00:00Z","raw":1,"n":1,"inner":{},"nodes":[{"id":"n","kids":[{"label":"k"},null]}],"names":["x",null],"byKey":{"k":{}}}`, []event.Violation{
			{Path: "inner.x", Message: "is required"}, {Path: "nodes[0].kids[0].id", Message: "is required"},
			{Path: "nodes[0].kids[1]", Message: "must not be null"}, {Path: "names[1]", Message: "must not be null"},
			{Path: `byKey["k"].id`, Message: "is required"},
		}},
		{"v2 null rows of a grid are values, null cells are not", 2, `{` + full + `,"grid":[null,[1,null],[]]}`, []event.Violation{
			{Path: "grid[1][1]", Message: "must not be null"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checker := check.Payload(m, ev.Version(tt.version), []byte(tt.data))
			_, err := DecodeItemChanged(event.Envelope{EventType: ItemChangedType, Version: event.VersionString(tt.version), Data: []byte(tt.data)})
			var got []event.Violation
			var ve *event.ValidationError
			switch {
			case errors.As(err, &ve):
				got = ve.Violations
			case err != nil:
				t.Fatalf("Decode: %v, want an *event.ValidationError", err)
			}
			if !sameViolations(got, tt.want) {
				t.Errorf("Decode violations = %v, want %v", got, tt.want)
			}
			if !sameViolations(checker, tt.want) {
				t.Errorf("check.Payload violations = %v, want %v", checker, tt.want)
			}
		})
	}
}

// sameViolations compares violations as sets: the checker lists them in field order, the
// generated code presence problems first.
func sameViolations(a, b []event.Violation) bool {
	count := func(vs []event.Violation) map[event.Violation]int {
		m := map[event.Violation]int{}
		for _, v := range vs {
			m[v]++
		}
		return m
	}
	return reflect.DeepEqual(count(a), count(b))
}
