package evolve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/eventgen/eventgen/spec"
)

// CheckExamples checks every valid example of m that states its `latest` form: upcasting
// its data to the latest version must give exactly latest, compared as JSON values (times
// as instants, numbers by value). Examples whose chain holds a custom step are left to the
// generated tests, which run the hand-written code; chains that CheckUpcasts rejects are
// left to its findings. A mismatch is an error at the example naming the first differences.
func CheckExamples(m *spec.Model) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, e := range m.Events {
		latest := e.Latest()
		for i, ex := range e.Examples {
			if ex.Latest == nil || !ex.Valid || latest == nil || e.Version(ex.Version) == nil || !interpretable(m, e, ex.Version) {
				continue
			}
			name := fmt.Sprintf("%s.examples[%d]", eventPath(e), i)
			got, err := UpcastJSON(m, e, ex.Version, ex.Data)
			if err != nil {
				ds = append(ds, spec.Errorf(ex.Pos, "%s: cannot upcast the v%d data: %v; fix the data", name, ex.Version, err))
				continue
			}
			want, err := decodeObject(ex.Latest)
			if err != nil {
				ds = append(ds, spec.Errorf(ex.Pos, "%s: latest is %v; write the v%d payload the data upcasts to", name, err, latest.Number))
				continue
			}
			fillDefaults(latest, want)
			diffs := diffValues(m, &spec.Type{Kind: spec.KindStruct, Fields: latest.Fields}, "", decodeAny(got), decodeAny(mustMarshal(want)))
			if len(diffs) > 0 {
				const shown = 3
				more := ""
				if len(diffs) > shown {
					more = fmt.Sprintf(" (and %d more)", len(diffs)-shown)
					diffs = diffs[:shown]
				}
				ds = append(ds, spec.Errorf(ex.Pos, "%s: upcasting the v%d data to v%d gives %s, which differs from latest: %s%s; fix latest or the upcast steps",
					name, ex.Version, latest.Number, got, strings.Join(diffs, "; "), more))
			}
		}
	}
	return ds.Sorted()
}

// interpretable reports whether the chain from version n to the latest is generated and
// complete, so that UpcastJSON gives what the generated code gives.
func interpretable(m *spec.Model, e *spec.Event, n int) bool {
	for i := 0; i+1 < len(e.Versions); i++ {
		from, to := e.Versions[i], e.Versions[i+1]
		if from.Number < n {
			continue
		}
		step := e.UpcastFrom(from.Number)
		if (step != nil && step.Custom) || checkStep(m, e, from, to, step).HasErrors() {
			return false
		}
	}
	return true
}

func decodeAny(raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return v
}

func mustMarshal(v map[string]json.RawMessage) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil // unreachable: the members were decoded from valid JSON
	}
	return b
}

// diffValues lists where got and want differ as JSON values of type t (nil when unknown):
// "startedAt is "1970-…", latest has "2026-…"". Times compare as instants and numbers by
// value, as the generated test compares decoded Go values.
func diffValues(m *spec.Model, t *spec.Type, path string, got, want any) []string {
	rt := m.Resolve(t)
	at := pick(path == "", "the payload", path)
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		var out []string
		for _, k := range sortedKeys(union(g, w)) {
			var ft *spec.Type
			if rt != nil && rt.Kind == spec.KindStruct {
				if f := rt.Field(k); f != nil {
					ft = f.Type
				}
			} else if rt != nil && rt.Kind == spec.KindMap {
				ft = rt.Elem
			}
			sub := joinPath(path, k)
			gv, gok := g[k]
			wv, wok := w[k]
			switch {
			case !gok:
				out = append(out, fmt.Sprintf("%s is missing, latest has %s", sub, jsonText(wv)))
			case !wok:
				out = append(out, fmt.Sprintf("%s is %s, latest has no %s", sub, jsonText(gv), sub))
			default:
				out = append(out, diffValues(m, ft, sub, gv, wv)...)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			break
		}
		var elem *spec.Type
		if rt != nil && rt.Kind == spec.KindList {
			elem = rt.Elem
		}
		var out []string
		for i := range w {
			out = append(out, diffValues(m, elem, fmt.Sprintf("%s[%d]", path, i), g[i], w[i])...)
		}
		return out
	case json.Number:
		if g, ok := got.(json.Number); ok && sameNumber(g, w) {
			return nil
		}
	case string:
		g, ok := got.(string)
		if ok && g == w {
			return nil
		}
		if ok && rt != nil && rt.Kind == spec.KindTime && sameInstant(g, w) {
			return nil
		}
	default:
		if jsonText(got) == jsonText(want) {
			return nil
		}
	}
	return []string{fmt.Sprintf("%s is %s, latest has %s", at, jsonText(got), jsonText(want))}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func union(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func sameNumber(a, b json.Number) bool {
	x, ok1 := new(big.Rat).SetString(a.String())
	y, ok2 := new(big.Rat).SetString(b.String())
	return ok1 && ok2 && x.Cmp(y) == 0
}

func sameInstant(a, b string) bool {
	x, err1 := time.Parse(time.RFC3339Nano, a)
	y, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && x.Equal(y)
}
