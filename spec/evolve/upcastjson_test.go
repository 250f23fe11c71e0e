package evolve

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/spec"
	"github.com/google/go-cmp/cmp"
)

// chainModel is a three-version event: v1 → v2 renames name, sets mode and startedAt and
// drops legacy; v2 → v3 is implicit and adds an optional field.
func chainModel() (*spec.Model, *spec.Event) {
	m := model([]*spec.Version{
		version(1, 9, req("workflowId", tString(), 10), req("name", tString(), 11), req("legacy", tBool(), 12),
			req("trigger", withDefault(tEnum("user", "schedule"), `"user"`), 13), opt("note", tString(), 14)),
		version(2, 19, req("workflowId", tString(), 20), req("workflowName", tString(), 21), req("trigger", tEnum("user", "schedule", "event"), 22),
			req("mode", tEnum("live", "dry-run"), 23), req("startedAt", tTime(), 24), opt("note", tString(), 25)),
		version(3, 29, req("workflowId", tString(), 30), req("workflowName", tString(), 31), req("trigger", tEnum("user", "schedule", "event"), 32),
			req("mode", tEnum("live", "dry-run"), 33), req("startedAt", tTime(), 34), opt("note", tString(), 35), opt("priority", tInt(0, false), 36)),
	}, []*spec.Upcast{step(1, 40, rename("name", "workflowName", 41), set("mode", `"live"`, 42), set("startedAt", `"1970-01-01T00:00:00Z"`, 43), drop("legacy", 44))})
	return m, m.Events[0]
}

func TestUpcastJSON(t *testing.T) {
	tests := []struct {
		name    string
		from    int
		data    string
		want    string
		wantErr string
	}{
		{
			name: "v1 through both steps, default filled, field order of the latest",
			from: 1,
			data: `{"legacy": true, "name": "nightly", "workflowId": "wf-1"}`,
			want: `{"workflowId":"wf-1","workflowName":"nightly","trigger":"user","mode":"live","startedAt":"1970-01-01T00:00:00Z"}`,
		},
		{
			name: "optional fields travel when present, unknown members stay behind",
			from: 1,
			data: `{"workflowId":"wf-1","name":"n","legacy":false,"trigger":"schedule","note":"hi","extra":1}`,
			want: `{"workflowId":"wf-1","workflowName":"n","trigger":"schedule","mode":"live","startedAt":"1970-01-01T00:00:00Z","note":"hi"}`,
		},
		{
			name: "from v2 only the implicit step",
			from: 2,
			data: `{"workflowId":"wf-1","workflowName":"n","trigger":"event","mode":"dry-run","startedAt":"2026-01-01T00:00:00Z"}`,
			want: `{"workflowId":"wf-1","workflowName":"n","trigger":"event","mode":"dry-run","startedAt":"2026-01-01T00:00:00Z"}`,
		},
		{
			name: "the latest version is compacted as it is",
			from: 3,
			data: "{ \"workflowId\": \"wf-1\",\n \"priority\": 3 }",
			want: `{"workflowId":"wf-1","priority":3}`,
		},
		{
			name:    "a missing required field",
			from:    1,
			data:    `{"workflowId":"wf-1","legacy":true}`,
			wantErr: `events."workflow.started".upcast.v1: required field workflowName of v2 gets no value from the v1 payload`,
		},
		{
			name:    "not an object",
			from:    1,
			data:    `[1,2]`,
			wantErr: `events."workflow.started" v1 payload: not a JSON object: json: cannot unmarshal array into Go value of type map[string]json.RawMessage`,
		},
		{
			name:    "null",
			from:    1,
			data:    `null`,
			wantErr: `events."workflow.started" v1 payload: not a JSON object: null`,
		},
		{
			name:    "an unknown version",
			from:    4,
			data:    `{}`,
			wantErr: `events."workflow.started" has no v4`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, e := chainModel()
			got, err := UpcastJSON(m, e, tt.from, json.RawMessage(tt.data))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("UpcastJSON error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("UpcastJSON: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("UpcastJSON =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestUpcastJSONCustomStep(t *testing.T) {
	m, e := chainModel()
	e.Upcasts = append(e.Upcasts, step(2, 50, true))
	_, err := UpcastJSON(m, e, 1, json.RawMessage(`{"workflowId":"wf-1","name":"n","legacy":true}`))
	if !errors.Is(err, ErrCustomStep) {
		t.Fatalf("UpcastJSON error = %v, want ErrCustomStep", err)
	}
	if !strings.HasPrefix(err.Error(), `events."workflow.started".upcast.v2: `) {
		t.Errorf("error %q does not name the step", err)
	}
	// From v3 no step runs, so the custom step does not matter.
	if _, err := UpcastJSON(m, e, 3, json.RawMessage(`{"workflowId":"wf-1"}`)); err != nil {
		t.Errorf("UpcastJSON from the latest version: %v", err)
	}
}

func TestCheckExamples(t *testing.T) {
	ex := func(version int, data, latest string, valid bool) *spec.Example {
		e := &spec.Example{Version: version, Data: json.RawMessage(data), Valid: valid, Pos: at(60)}
		if latest != "" {
			e.Latest = json.RawMessage(latest)
		}
		return e
	}
	const v1 = `{"workflowId":"wf-1","name":"nightly","legacy":true}`
	tests := []struct {
		name    string
		example *spec.Example
		custom  bool
		want    []string
	}{
		{
			name:    "latest equals the upcast, as JSON values (order, time zone, number form)",
			example: ex(1, v1, `{"startedAt":"1970-01-01T01:00:00+01:00","mode":"live","trigger":"user","workflowName":"nightly","workflowId":"wf-1"}`, true),
		},
		{
			name:    "latest differs",
			example: ex(1, v1, `{"workflowId":"wf-1","workflowName":"nightly","mode":"dry-run","startedAt":"1970-01-01T00:00:00Z","priority":1}`, true),
			want: []string{`s.cue:60:3: events."workflow.started".examples[0]: upcasting the v1 data to v3 gives {"workflowId":"wf-1","workflowName":"nightly","trigger":"user","mode":"live","startedAt":"1970-01-01T00:00:00Z"}, which differs from latest: ` +
				`mode is "live", latest has "dry-run"; priority is missing, latest has 1; trigger is "user", latest has no trigger; fix latest or the upcast steps`},
		},
		{
			name:    "data that cannot be upcast",
			example: ex(1, `{"workflowId":"wf-1"}`, `{}`, true),
			want:    []string{`s.cue:60:3: events."workflow.started".examples[0]: cannot upcast the v1 data: events."workflow.started".upcast.v1: required field workflowName of v2 gets no value from the v1 payload; fix the data`},
		},
		{
			name:    "a chain with a custom step is left to the generated tests",
			example: ex(1, v1, `{"anything":true}`, true),
			custom:  true,
		},
		{
			name:    "invalid examples and examples without latest are not upcast",
			example: ex(1, `{}`, `{"x":1}`, false),
		},
		{
			name:    "no latest",
			example: ex(1, `{}`, ``, true),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, e := chainModel()
			e.Examples = []*spec.Example{tt.example}
			if tt.custom {
				e.Upcasts = append(e.Upcasts, step(2, 50, true))
			}
			if diff := cmp.Diff(tt.want, diagStrings(CheckExamples(m)), cmpEmpty); diff != "" {
				t.Errorf("CheckExamples (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmpty makes a nil and an empty list of findings equal.
var cmpEmpty = cmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())
