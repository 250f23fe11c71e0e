package asyncapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/eventgen/eventgen/spec"
)

// Load reads the AsyncAPI document at path (YAML or JSON, AsyncAPI 3.0.x or 2.6.0, told by
// its `asyncapi` field) together with every file its `$ref`s reach, and returns the model it
// describes.
//
// Problems with the spec itself, including a broken YAML or JSON document and a `$ref` that
// points nowhere, are returned as spec.Diagnostics with FILE:LINE:COL positions; FILE is the
// path relative to the current directory when the file lies below it. Problems reading the
// files are returned as wrapped I/O errors.
func Load(path string) (*spec.Model, error) {
	l, err := newLoader()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("asyncapi: resolve %s: %w", path, err)
	}
	doc, err := l.open(abs)
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, l.diags.Err()
	}
	m := l.model(doc)
	if l.ioErr != nil {
		return nil, l.ioErr
	}
	if err := l.diags.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// loader holds the state of one Load: the files read so far, the findings, and the schemas
// that became definitions.
type loader struct {
	cwd   string
	docs  map[string]*document
	diags spec.Diagnostics
	// ioErr is the first I/O error met while following a $ref into another file.
	ioErr error

	// kin caches the kin-openapi reading of each schema node that was decoded as a root.
	kin map[*yaml.Node]*openapi3.Schema
	// kinByText caches kin-openapi's decoding by the normalised JSON of a schema node.
	kinByText map[string]*openapi3.Schema
	// index caches key lookups in large mappings (components.messages with many entries).
	index map[*yaml.Node]map[string]int

	defs     map[string]*definitionSource
	defQueue []*definitionSource
	// inProgress holds the schema nodes being mapped, to catch a schema that includes itself.
	inProgress map[*yaml.Node]bool
	// budget bounds the nodes that YAML aliases may expand to, so that an alias bomb is an
	// error instead of an exhausted memory.
	budget int
}

// definitionSource is a named schema that a payload references: it becomes a Definition.
type definitionSource struct {
	name string
	at   located
}

// document is one parsed YAML or JSON file.
type document struct {
	abs string
	// display is the file as positions name it.
	display string
	root    *yaml.Node
}

// located is a node of a document, with the mapping key that names it when there is one.
type located struct {
	doc  *document
	key  *yaml.Node
	node *yaml.Node
	// ptr is the JSON pointer of the node in its document ("/components/schemas/Node"), or
	// empty when the node was not reached through a pointer.
	ptr string
}

// aliasBudget is how many nodes YAML aliases may expand to in one Load.
const aliasBudget = 1 << 22

func newLoader() (*loader, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("asyncapi: current directory: %w", err)
	}
	return &loader{
		cwd:        cwd,
		docs:       map[string]*document{},
		kin:        map[*yaml.Node]*openapi3.Schema{},
		kinByText:  map[string]*openapi3.Schema{},
		index:      map[*yaml.Node]map[string]int{},
		defs:       map[string]*definitionSource{},
		inProgress: map[*yaml.Node]bool{},
		budget:     aliasBudget,
	}, nil
}

// display returns the name of the file at abs as positions show it: relative to the current
// directory when the file lies below it, else absolute.
func (l *loader) display(abs string) string {
	rel, err := filepath.Rel(l.cwd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}
	return rel
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// open reads and parses the file at abs, once per Load. It returns nil and records a
// diagnostic when the file is not valid YAML; it returns an error when the file cannot be read.
func (l *loader) open(abs string) (*document, error) {
	if d, ok := l.docs[abs]; ok {
		return d, nil
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("asyncapi: read %s: %w", l.display(abs), err)
	}
	d := &document{abs: abs, display: l.display(abs)}
	l.docs[abs] = d
	var root yaml.Node
	if err := parseYAML(data, &root); err != nil {
		l.diags = append(l.diags, syntaxError(d.display, data, err))
		return nil, nil
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		l.diags = append(l.diags, spec.Errorf(spec.Pos{File: d.display, Line: 1, Col: 1}, "the document is empty"))
		return nil, nil
	}
	d.root = root.Content[0]
	return d, nil
}

// yamlParserErrors are the messages of yaml.v3's parser (not its scanner), which report the
// zero-based line of the collection they were reading.
var yamlParserErrors = []string{"did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected node content",
	"did not find expected <document start>"}

// syntaxError positions a parse error of a document. A document that looks like JSON gets the
// exact position from encoding/json; otherwise the line comes from the YAML parser's message.
func syntaxError(file string, data []byte, err error) spec.Diagnostic {
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		var v any
		var se *json.SyntaxError
		if jerr := json.Unmarshal(data, &v); errors.As(jerr, &se) {
			line, col := lineCol(data, int(se.Offset))
			return spec.Errorf(spec.Pos{File: file, Line: line, Col: col}, "not a valid JSON document: %s", se.Error())
		}
	}
	pos := spec.Pos{File: file, Line: 1, Col: 1}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0]+": ")
		for _, p := range yamlParserErrors {
			if strings.HasPrefix(msg, p) {
				pos.Line++
			}
		}
	}
	return spec.Errorf(pos, "not a valid YAML or JSON document: %s", strings.TrimSpace(msg))
}

// lineCol converts a byte offset of data into a line and a column (in bytes), from 1.
func lineCol(data []byte, offset int) (int, int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := offset - bytes.LastIndexByte(before, '\n')
	return line, col
}

// parseYAML parses data into a node tree; a panic of the YAML parser on hostile input is
// turned into an error.
func parseYAML(data []byte, root *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(data, root)
}

// pos returns the position of n in d.
func (l *loader) pos(d *document, n *yaml.Node) spec.Pos {
	if n == nil {
		return spec.Pos{File: d.display, Line: 1, Col: 1}
	}
	return spec.Pos{File: d.display, Line: n.Line, Col: n.Column}
}

// errorf records an error-level diagnostic at n in d.
func (l *loader) errorf(d *document, n *yaml.Node, format string, args ...any) {
	l.diags = append(l.diags, spec.Errorf(l.pos(d, n), format, args...))
}

// unalias follows YAML aliases to the node they stand for.
func unalias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// get returns the key and value nodes of key in mapping n, or nils.
func (l *loader) get(n *yaml.Node, key string) (k, v *yaml.Node) {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	if len(n.Content) > 32 {
		idx, ok := l.index[n]
		if !ok {
			idx = make(map[string]int, len(n.Content)/2)
			for i := len(n.Content) - 2; i >= 0; i -= 2 {
				idx[n.Content[i].Value] = i
			}
			l.index[n] = idx
		}
		if i, ok := idx[key]; ok {
			return n.Content[i], unalias(n.Content[i+1])
		}
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], unalias(n.Content[i+1])
		}
	}
	return nil, nil
}

// value returns the value node of key in mapping n, or nil.
func (l *loader) value(n *yaml.Node, key string) *yaml.Node {
	_, v := l.get(n, key)
	return v
}

// pair is one key and value of a mapping.
type pair struct {
	key, value *yaml.Node
}

// pairs returns the entries of mapping n in document order; nil when n is not a mapping.
func pairs(n *yaml.Node) []pair {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, pair{n.Content[i], unalias(n.Content[i+1])})
	}
	return out
}

// items returns the elements of sequence n; nil when n is not a sequence.
func items(n *yaml.Node) []*yaml.Node {
	n = unalias(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = unalias(c)
	}
	return out
}

// isMap reports whether n is a mapping.
func isMap(n *yaml.Node) bool {
	n = unalias(n)
	return n != nil && n.Kind == yaml.MappingNode
}

// isString reports whether n is a scalar that YAML reads as a string.
func isString(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!str" || n.Tag == "!!timestamp" || n.Tag == "!!binary")
}

// refOf returns the $ref value node of mapping n, or nil when n is not a reference.
func (l *loader) refOf(n *yaml.Node) *yaml.Node {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	_, r := l.get(n, "$ref")
	return r
}

// resolve finds what the $ref node ref, written in document from, points at. It records a
// diagnostic and returns false when the reference is malformed or dangling.
func (l *loader) resolve(from *document, ref *yaml.Node) (located, bool) {
	if !isString(ref) {
		l.errorf(from, ref, "$ref must be a string such as '#/components/schemas/Name' or 'other.yaml#/components/schemas/Name'")
		return located{}, false
	}
	file, frag, _ := strings.Cut(ref.Value, "#")
	doc := from
	if file != "" {
		if strings.Contains(file, "://") {
			l.errorf(from, ref, "$ref %q: remote references are not supported; copy the document next to this one and refer to it by a relative path", ref.Value)
			return located{}, false
		}
		unescaped, err := url.PathUnescape(file)
		if err != nil {
			unescaped = file
		}
		abs := filepath.Join(filepath.Dir(from.abs), filepath.FromSlash(unescaped))
		d, err := l.open(abs)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				l.errorf(from, ref, "$ref %q: file %s does not exist", ref.Value, l.display(abs))
			} else {
				l.errorf(from, ref, "$ref %q: cannot read %s", ref.Value, l.display(abs))
				if l.ioErr == nil {
					l.ioErr = err
				}
			}
			return located{}, false
		}
		if d == nil { // not valid YAML: already reported at its own position
			return located{}, false
		}
		doc = d
	}
	if frag != "" && !strings.HasPrefix(frag, "/") {
		l.errorf(from, ref, "$ref %q: the part after '#' must be a JSON pointer such as /components/schemas/Name", ref.Value)
		return located{}, false
	}
	at := located{doc: doc, node: doc.root, ptr: frag}
	if frag == "" {
		return at, true
	}
	for _, raw := range strings.Split(frag[1:], "/") {
		seg, err := url.PathUnescape(raw)
		if err != nil {
			seg = raw
		}
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		switch at.node.Kind {
		case yaml.MappingNode:
			k, v := l.get(at.node, seg)
			if v == nil {
				l.errorf(from, ref, "$ref %q points at nothing: %s has no %q", ref.Value, doc.display, strings.TrimPrefix(frag, "/"))
				return located{}, false
			}
			at.key, at.node = k, v
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(at.node.Content) {
				l.errorf(from, ref, "$ref %q points at nothing: %s has no %q", ref.Value, doc.display, strings.TrimPrefix(frag, "/"))
				return located{}, false
			}
			at.key, at.node = nil, unalias(at.node.Content[i])
		default:
			l.errorf(from, ref, "$ref %q points at nothing: %s has no %q", ref.Value, doc.display, strings.TrimPrefix(frag, "/"))
			return located{}, false
		}
	}
	return at, true
}

// deref follows at through `$ref`s until it reaches a node that is not a reference.
func (l *loader) deref(at located) (located, bool) {
	for range 32 {
		ref := l.refOf(at.node)
		if ref == nil {
			return at, true
		}
		next, ok := l.resolve(at.doc, ref)
		if !ok {
			return located{}, false
		}
		at = next
	}
	l.errorf(at.doc, at.node, "$ref chain is too long or circular")
	return located{}, false
}

// str reads the string value of n, recording an error naming what when it is not a string.
func (l *loader) str(d *document, n *yaml.Node, what string) (string, bool) {
	if !isString(n) {
		l.errorf(d, n, "%s must be a string", what)
		return "", false
	}
	return n.Value, true
}

// intValue reads the integer value of n, recording an error naming what when it is not one.
func (l *loader) intValue(d *document, n *yaml.Node, what string) (int, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		l.errorf(d, n, "%s must be an integer", what)
		return 0, false
	}
	var i int
	if err := n.Decode(&i); err != nil {
		l.errorf(d, n, "%s must be an integer: %v", what, err)
		return 0, false
	}
	return i, true
}

// boolValue reads the boolean value of n, recording an error naming what when it is not one.
func (l *loader) boolValue(d *document, n *yaml.Node, what string) (bool, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.errorf(d, n, "%s must be true or false", what)
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		l.errorf(d, n, "%s must be true or false", what)
		return false, false
	}
	return b, true
}

// checkKeys records an error for every key of mapping n that allowed does not list.
func (l *loader) checkKeys(d *document, n *yaml.Node, what string, allowed ...string) {
	for _, p := range pairs(n) {
		ok := false
		for _, a := range allowed {
			if p.key.Value == a {
				ok = true
				break
			}
		}
		if !ok {
			l.errorf(d, p.key, "%s: unknown field %q; allowed: %s", what, p.key.Value, strings.Join(allowed, ", "))
		}
	}
}

// docText returns the description of n, or its summary when it has none, trimmed.
func (l *loader) docText(n *yaml.Node) string {
	for _, k := range []string{"description", "summary"} {
		if v := l.value(n, k); isString(v) && strings.TrimSpace(v.Value) != "" {
			return strings.TrimSpace(v.Value)
		}
	}
	return ""
}
