package cue

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/eventgen/eventgen/spec"
)

//go:embed schema.cue
var schemaSource []byte

// schemaFile is the file name the embedded schema is compiled under. Positions in it are
// never shown to users: an error there is always about a value in the user's files.
const schemaFile = "eventgen:schema.cue"

// Load reads the CUE spec at path, a .cue file or a directory holding one CUE package, and
// returns its model. Problems with the spec are returned as spec.Diagnostics; a file that
// cannot be read is an ordinary error.
func Load(path string) (*spec.Model, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading CUE spec: %w", err)
	}
	names := newNamer(path, info.IsDir())
	var files []string
	if info.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, fmt.Errorf("reading CUE spec: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".cue") && !strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(e.Name(), "_") {
				files = append(files, filepath.Join(names.givenAbs, e.Name()))
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("reading CUE spec: no .cue file in directory %s", path)
		}
	} else {
		files = []string{names.givenAbs}
	}
	var parsed []*ast.File
	var diags spec.Diagnostics
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading CUE spec: %w", err)
		}
		f, err := parser.ParseFile(name, src, parser.ParseComments)
		if err != nil {
			diags = append(diags, names.diagnostics(err)...)
			continue
		}
		parsed = append(parsed, f)
	}
	if len(diags) > 0 {
		return nil, diags.Sorted()
	}
	return buildFiles(parsed, names)
}

// LoadSource reads a spec given as the text of one CUE file named name (used for the
// position of findings). It behaves like Load on a file holding src.
func LoadSource(name string, src []byte) (*spec.Model, error) {
	names := &namer{}
	f, err := parser.ParseFile(name, src, parser.ParseComments)
	if err != nil {
		return nil, names.diagnostics(err)
	}
	return buildFiles([]*ast.File{f}, names)
}

// buildFiles builds the files of one package as a CUE instance. The package clauses must
// agree: a directory holds one package.
func buildFiles(files []*ast.File, names *namer) (*spec.Model, error) {
	inst := build.NewContext().NewInstance("", nil)
	pkg := ""
	for _, f := range files {
		name := f.PackageName()
		if pkg == "" {
			pkg = name
		} else if name != "" && name != pkg {
			return nil, spec.Diagnostics{spec.Errorf(names.pos(f.Pos()), "package %s differs from package %s of the spec's other files; a spec is one CUE package", name, pkg)}
		}
		if err := inst.AddSyntax(f); err != nil {
			return nil, names.diagnostics(err)
		}
	}
	return build1(cuecontext.New(), inst, files, names)
}

// build1 unifies the user's package with the schema and extracts the model.
func build1(ctx *cue.Context, inst *build.Instance, files []*ast.File, names *namer) (*spec.Model, error) {
	user := ctx.BuildInstance(inst)
	if err := user.Err(); err != nil {
		return nil, names.diagnostics(err)
	}
	// A spec that is valid on its own and plainly fits the schema (see fitsSchema) skips the
	// unification with it; any other is unified, and CUE reports its errors.
	if user.Validate() != nil || !fitsSchema(user) {
		schema := ctx.CompileBytes(schemaSource, cue.Filename(schemaFile))
		if err := schema.Err(); err != nil {
			return nil, fmt.Errorf("compiling eventgen's schema: %w", err)
		}
		unified := user.Unify(schema.LookupPath(cue.MakePath(cue.Def("Spec"))))
		if err := unified.Validate(); err != nil {
			return nil, names.diagnostics(err)
		}
	}
	// The model is read from the user's value, not the unified one: the schema only checks.
	// Most fields then have a single declaration, whose syntax is cheap to reach (see
	// conjunctSources), and no position can point into the schema.
	l := &loader{root: user, names: names, docs: shorthandDocs(files)}
	m := l.model()
	if len(l.diags) > 0 {
		return nil, l.diags.Sorted()
	}
	return m, nil
}

// namer turns CUE file names into the names findings show: relative to the current
// directory when the file is below it, else as the caller gave the spec's path.
type namer struct {
	cwd      string
	given    string // the path as the caller gave it
	givenAbs string
	isDir    bool
	// shown memoizes name: a spec has a few files but thousands of positions, and each
	// uncached name costs a filepath.Rel.
	shown map[string]string
}

func newNamer(path string, isDir bool) *namer {
	n := &namer{given: path, isDir: isDir}
	n.cwd, _ = os.Getwd()
	n.givenAbs, _ = filepath.Abs(path)
	return n
}

func (n *namer) name(file string) string {
	if file == "" || n.cwd == "" || !filepath.IsAbs(file) {
		return file
	}
	if s, ok := n.shown[file]; ok {
		return s
	}
	s := n.uncachedName(file)
	if n.shown == nil {
		n.shown = map[string]string{}
	}
	n.shown[file] = s
	return s
}

func (n *namer) uncachedName(file string) string {
	if rel, err := filepath.Rel(n.cwd, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	if !n.isDir && file == n.givenAbs {
		return n.given
	}
	if n.isDir {
		if rel, err := filepath.Rel(n.givenAbs, file); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.Join(n.given, rel)
		}
	}
	return file
}

func (n *namer) pos(p token.Pos) spec.Pos {
	if !p.IsValid() || p.Filename() == schemaFile {
		return spec.Pos{}
	}
	return spec.Pos{File: n.name(p.Filename()), Line: p.Line(), Col: p.Column()}
}

// diagnostics converts CUE errors into positioned findings, one per error, at the first
// position that lies in the user's files.
func (n *namer) diagnostics(err error) spec.Diagnostics {
	var ds spec.Diagnostics
	for _, e := range cueerrors.Errors(err) {
		var pos spec.Pos
		for _, p := range cueerrors.Positions(e) {
			if sp := n.pos(p); sp.IsValid() {
				pos = sp
				break
			}
		}
		format, args := e.Msg()
		msg := fmt.Sprintf(format, args...)
		path := e.Path()
		if msg == "field not allowed" && len(path) > 0 {
			msg = unknownFieldMessage(path)
		} else if len(path) > 0 {
			msg = pathString(path) + ": " + msg
		}
		ds = append(ds, spec.Errorf(pos, "%s", msg))
	}
	if len(ds) == 0 {
		ds = append(ds, spec.Errorf(spec.Pos{}, "%v", err))
	}
	return ds.Sorted()
}

// pathString writes a CUE error path the way messages name elements: events."x.y".v1.
func pathString(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteLabel(strings.Trim(p, `"`)))
	}
	return b.String()
}

// quoteLabel quotes a label unless it is a plain CUE identifier.
func quoteLabel(s string) string {
	if isIdent(s) {
		return s
	}
	return fmt.Sprintf("%q", s)
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '$' || r == '#' && i == 0:
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// unknownFieldMessage explains a "field not allowed" error by listing what is allowed there.
func unknownFieldMessage(path []string) string {
	name := pathString(path)
	var allowed string
	switch {
	case len(path) == 1:
		allowed = "eventgen, aggregates, events, rules, handlers and #Definitions"
	case len(path) == 2 && path[0] == "eventgen":
		allowed = "source, package and bus"
	case len(path) == 3 && path[0] == "aggregates":
		allowed = "id"
	case len(path) == 3 && path[0] == "events":
		allowed = "aggregate, source, upcast, examples and versions v1, v2, ..."
	case len(path) == 5 && path[0] == "events" && path[2] == "upcast":
		allowed = "set, rename, drop and custom"
	case len(path) == 5 && path[0] == "events" && path[2] == "examples":
		allowed = "version, data, latest and valid"
	case len(path) == 3 && path[0] == "rules":
		allowed = "description, bus, on, match, tenantScoped, pattern, examples and targets"
	case len(path) == 4 && path[0] == "rules" && path[2] == "examples":
		allowed = "matches and rejects"
	case len(path) == 6 && path[0] == "rules" && path[2] == "examples":
		allowed = "type, version, metadata and data"
	case len(path) == 5 && path[0] == "rules" && path[2] == "targets":
		allowed = "arn, deadLetterArn, maxRetries and maxEventAgeSeconds"
	case len(path) == 3 && path[0] == "handlers":
		allowed = "on, rule and unknown"
	}
	if allowed == "" {
		return name + ": unknown field"
	}
	return fmt.Sprintf("%s: unknown field; allowed here: %s", name, allowed)
}
