package pattern

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the AWS-verified corpus beside the repository.
const corpusDir = "../../../shared/testdata/eventbridge-patterns"

type corpusCase struct {
	Name     string          `json:"name"`
	Expect   string          `json:"expect"`
	Event    json.RawMessage `json:"event"`
	Pattern  json.RawMessage `json:"pattern"`
	AWSError string          `json:"awsError"`
}

func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, "cases.json"))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("AWS pattern corpus not found at %s (it lives in the shared directory beside the repository)", corpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	// The duplicate-key pair is raw JSON (a JSON5 reader would fold the duplicate).
	ev, err1 := os.ReadFile(filepath.Join(corpusDir, "cases", "complex_multi_key_event.json"))
	pat, err2 := os.ReadFile(filepath.Join(corpusDir, "cases", "complex_multi_key_event_pattern.json"))
	if err1 != nil || err2 != nil {
		t.Fatalf("duplicate-key pair: %v, %v", err1, err2)
	}
	cases = append(cases, corpusCase{Name: "complex_multi_key_event", Expect: "match", Event: ev, Pattern: pat})
	return cases
}

// TestCorpus runs every AWS-verified case through Compile, Pattern.Match and a Matcher.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 156 {
		t.Fatalf("corpus has %d cases, want at least 156", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			p, err := Compile(c.Pattern)
			if c.Expect == "invalid" {
				if err == nil {
					t.Fatalf("Compile accepted a pattern AWS rejects with %q", c.AWSError)
				}
				var pe *Error
				if !errors.As(err, &pe) {
					t.Fatalf("error %T is not *Error", err)
				}
				if !strings.HasPrefix(err.Error(), c.AWSError) {
					t.Fatalf("error\n got: %s\nwant: %s", err, c.AWSError)
				}
				return
			}
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			want := c.Expect == "match"
			got, err := p.Match(c.Event)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if got != want {
				t.Errorf("Pattern.Match = %v, want %v", got, want)
			}
			m := NewMatcher()
			if err := m.Add("r", c.Pattern); err != nil {
				t.Fatal(err)
			}
			names, err := m.Match(c.Event)
			if err != nil {
				t.Fatal(err)
			}
			if (len(names) == 1) != want {
				t.Errorf("Matcher.Match = %v, want match=%v", names, want)
			}
			if ref := refMatch(t, c.Pattern, c.Event); ref != want {
				t.Errorf("reference matcher = %v, want %v", ref, want)
			}
		})
	}
}
