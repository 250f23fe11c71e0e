package naming

import (
	"fmt"

	"github.com/eventgen/eventgen/spec"
)

// Scope is one Go namespace that generated names share: the package's top-level names, or the
// fields and methods of one struct. Declaring every name of a namespace in one Scope finds the
// spec elements that would collide in Go, and names that are not usable as Go identifiers.
type Scope struct {
	owners map[string]owner
	diags  spec.Diagnostics
}

// owner is the element that claimed a name first.
type owner struct {
	what string
	pos  spec.Pos
}

// NewScope returns an empty namespace.
func NewScope() *Scope { return &Scope{owners: map[string]owner{}} }

// Reserve marks goName as taken by generated code that no spec element names, such as a
// method (Validate) or a package function (Decode); a spec element that later claims it is
// reported as a collision with what.
func (s *Scope) Reserve(goName, what string) {
	if _, taken := s.owners[goName]; !taken {
		s.owners[goName] = owner{what: what}
	}
}

// Taken reports whether goName is already declared or reserved.
func (s *Scope) Taken(goName string) bool {
	_, taken := s.owners[goName]
	return taken
}

// Declare claims goName for the spec element what (as the user would name it, such as
// `events."workflow.started".v2.executionMode`) at pos. It reports a diagnostic and returns
// false when goName is empty, a Go keyword, a predeclared identifier, not a valid exported
// identifier, or already claimed by another element of the scope.
func (s *Scope) Declare(goName, what string, pos spec.Pos) bool {
	if d, ok := CheckIdent(goName, what, pos); !ok {
		s.diags = append(s.diags, d)
		return false
	}
	if prev, taken := s.owners[goName]; taken {
		where := ""
		if prev.pos.IsValid() {
			where = " (" + prev.pos.String() + ")"
		}
		s.diags = append(s.diags, spec.Errorf(pos,
			"%s: Go name %s is already used by %s%s; rename one of them (a field or definition can also take another Go name with @go(Name))",
			what, goName, prev.what, where))
		return false
	}
	s.owners[goName] = owner{what: what, pos: pos}
	return true
}

// Diagnostics returns the findings of every Declare so far.
func (s *Scope) Diagnostics() spec.Diagnostics { return s.diags }

// CheckIdent checks that goName, the Go name of spec element what, can be declared: it must be
// a valid identifier, not a keyword, not a predeclared identifier, and exported. It returns the
// diagnostic and false when it cannot.
func CheckIdent(goName, what string, pos spec.Pos) (spec.Diagnostic, bool) {
	var problem string
	switch {
	case goName == "":
		problem = "has no letters or digits to make a Go name from"
	case IsKeyword(goName):
		problem = fmt.Sprintf("has Go name %s, which is a Go keyword", goName)
	case IsPredeclared(goName):
		problem = fmt.Sprintf("has Go name %s, which would shadow Go's predeclared identifier", goName)
	case !IsExported(goName):
		problem = fmt.Sprintf("has Go name %q, which is not an exported Go identifier (a letter, upper case, first)", goName)
	default:
		return spec.Diagnostic{}, true
	}
	return spec.Errorf(pos, "%s %s; give it a valid exported name with @go(Name)", what, problem), false
}
