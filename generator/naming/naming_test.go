package naming

import (
	"slices"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/spec"
)

func TestGo(t *testing.T) {
	tests := []struct{ in, want string }{
		{"raw-ip", "RawIP"},
		{"workflowId", "WorkflowID"},
		{"clientIp", "ClientIP"},
		{"apiUrl", "APIURL"},
		{"sku", "Sku"},
		{"workflow.node.added", "WorkflowNodeAdded"},
		{"live-runs-of-org-123", "LiveRunsOfOrg123"},
		{"workflow.started", "WorkflowStarted"},
		{"executionMode", "ExecutionMode"},
		{"dry-run", "DryRun"},
		{"durationMs", "DurationMs"},
		{"user_id", "UserID"},
		{"HTTPServer", "HTTPServer"},
		{"httpServer", "HTTPServer"},
		{"XMLHttpRequest", "XMLHTTPRequest"},
		{"id", "ID"},
		{"ID", "ID"},
		{"Id", "ID"},
		{"uuid", "UUID"},
		{"userUUIDs", "UserUUIDs"},
		{"userIds", "UserIDs"},
		{"IDs", "IDs"},
		{"URLsList", "URLsList"},
		{"uses", "Uses"},
		{"utf8", "UTF8"},
		{"org123", "Org123"},
		{"a2B", "A2B"},
		{"v2", "V2"},
		{"123", "123"},
		{"EUR", "Eur"},
		{"some value", "SomeValue"},
		{"a..b", "AB"},
		{"--x--", "X"},
		{"", ""},
		{"-", ""},
		{"_", ""},
		{"über-größe", "ÜberGröße"},
		{"tenant.workflow-activity", "TenantWorkflowActivity"},
		{"sha256sum", "Sha256sum"},
		{"a+b", "AB"},
	}
	for _, tt := range tests {
		if got := Go(tt.in); got != tt.want {
			t.Errorf("Go(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"workflowId", []string{"workflow", "Id"}},
		{"HTTPServer", []string{"HTTP", "Server"}},
		{"live-runs-of-org-123", []string{"live", "runs", "of", "org", "123"}},
		{"a.b_c d", []string{"a", "b", "c", "d"}},
		{"ABC", []string{"ABC"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	tests := []struct{ in, want string }{
		{"WorkflowStartedV1", "workflowStartedV1"},
		{"IDPattern", "idPattern"},
		{"ID", "id"},
		{"X", "x"},
		{"APIURL", "apiurl"},
		{"already", "already"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := LowerFirst(tt.in); got != tt.want {
			t.Errorf("LowerFirst(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckIdent(t *testing.T) {
	tests := []struct {
		name    string
		wantOK  bool
		wantMsg string
	}{
		{"WorkflowStarted", true, ""},
		{"Ärger", true, ""},
		{"", false, "no letters or digits"},
		{"string", false, "predeclared"},
		{"len", false, "predeclared"},
		{"nil", false, "predeclared"},
		{"type", false, "keyword"},
		{"func", false, "keyword"},
		{"lower", false, "not an exported Go identifier"},
		{"123", false, "not an exported Go identifier"},
		{"A-B", false, "not an exported Go identifier"},
		{"名前", false, "not an exported Go identifier"},
	}
	for _, tt := range tests {
		pos := spec.Pos{File: "s.cue", Line: 3, Col: 5}
		d, ok := CheckIdent(tt.name, "#Thing", pos)
		if ok != tt.wantOK {
			t.Errorf("CheckIdent(%q) ok = %v, want %v", tt.name, ok, tt.wantOK)
			continue
		}
		if ok {
			continue
		}
		if !strings.Contains(d.Message, tt.wantMsg) || !strings.HasPrefix(d.Message, "#Thing ") || !strings.Contains(d.Message, "@go(Name)") {
			t.Errorf("CheckIdent(%q) message %q, want it to name #Thing, say %q and suggest @go", tt.name, d.Message, tt.wantMsg)
		}
		if d.Pos != pos || d.Severity != spec.Error {
			t.Errorf("CheckIdent(%q) = %+v, want an error at %v", tt.name, d, pos)
		}
	}
}

func TestScopeCollisions(t *testing.T) {
	type decl struct {
		goName, what string
		line         int
	}
	tests := []struct {
		name     string
		reserved []string
		decls    []decl
		want     []string // substrings of the diagnostics, in order
	}{
		{
			name: "distinct names",
			decls: []decl{
				{Go("a.b"), `events."a.b"`, 1},
				{Go("a.c"), `events."a.c"`, 2},
			},
		},
		{
			name: "two events with one Go name",
			decls: []decl{
				{Go("a.b-c"), `events."a.b-c"`, 1},
				{Go("a.bC"), `events."a.bC"`, 7},
			},
			want: []string{`events."a.bC": Go name ABC is already used by events."a.b-c" (s.cue:1:1)`},
		},
		{
			name: "event version type against a definition",
			decls: []decl{
				{Go("x.y") + "V1", `events."x.y".v1`, 1},
				{"XYV1", `#Other`, 9},
			},
			want: []string{`#Other: Go name XYV1 is already used by events."x.y".v1`},
		},
		{
			name:     "field against a generated method",
			reserved: []string{"Validate"},
			decls:    []decl{{Go("validate"), `events."a.b".v1.validate`, 4}},
			want:     []string{`events."a.b".v1.validate: Go name Validate is already used by the generated method Validate;`},
		},
		{
			name:  "@go keyword",
			decls: []decl{{"string", `#Name`, 2}},
			want:  []string{`#Name has Go name string, which would shadow`},
		},
		{
			name: "three-way collision reports each later one",
			decls: []decl{
				{Go("raw-ip"), "a", 1},
				{Go("rawIp"), "b", 2},
				{Go("raw_ip"), "c", 3},
			},
			want: []string{"b: Go name RawIP is already used by a", "c: Go name RawIP is already used by a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewScope()
			for _, r := range tt.reserved {
				s.Reserve(r, "the generated method "+r)
			}
			for _, d := range tt.decls {
				s.Declare(d.goName, d.what, spec.Pos{File: "s.cue", Line: d.line, Col: 1})
			}
			ds := s.Diagnostics()
			if len(ds) != len(tt.want) {
				t.Fatalf("got %d diagnostics %v, want %d", len(ds), ds, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(ds[i].Message, w) {
					t.Errorf("diagnostic %d = %q, want it to contain %q", i, ds[i].Message, w)
				}
			}
			if len(tt.want) > 0 && ds.Err() == nil {
				t.Errorf("Diagnostics().Err() = nil, want an error")
			}
		})
	}
}

func TestScopeTaken(t *testing.T) {
	s := NewScope()
	if s.Taken("Decode") {
		t.Fatal("Taken(Decode) on an empty scope = true")
	}
	s.Reserve("Decode", "the generated function Decode")
	if !s.Taken("Decode") {
		t.Fatal("Taken(Decode) after Reserve = false")
	}
	if s.Declare("Decode", `events."decode"`, spec.Pos{}) {
		t.Fatal("Declare of a reserved name succeeded")
	}
}
