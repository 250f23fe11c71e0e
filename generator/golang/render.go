package golang

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"runtime"
	"sync"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/genfile"
)

// pending is a file built but not yet rendered.
type pending struct {
	path string
	file *jen.File
}

// render formats one file outside Generate's concurrent path (tests of the consumer backend use
// it); a rendering error, a bug of this package, is kept in renderErr.
func (g *generator) render(path string, f *jen.File) genfile.File {
	out, err := renderAll([]pending{{path, f}})
	if err != nil {
		g.renderErr = err
		return genfile.File{Path: path}
	}
	return out[0]
}

// renderAll formats the files concurrently, one worker per CPU: formatting is most of
// generation's cost, and every file formats on its own. The result keeps the input order.
func renderAll(todo []pending) ([]genfile.File, error) {
	out := make([]genfile.File, len(todo))
	errs := make([]error, len(todo))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			var r renderer
			for i := range next {
				content, err := r.render(todo[i].file)
				if err != nil {
					errs[i] = fmt.Errorf("generate go: render %s: %w", todo[i].path, err)
					continue
				}
				out[i] = genfile.File{Path: todo[i].path, Content: content}
			}
		})
	}
	for i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

// gofmtConfig is the printer configuration of go/format (and gofmt): spaces for alignment,
// tabs for indentation, tab width 8, and number literals canonicalised. The last mode bit is
// not exported by go/printer; go/format defines it as 1<<30 for exactly this use.
var gofmtConfig = printer.Config{Mode: printer.UseSpaces | printer.TabIndent | 1<<30, Tabwidth: 8}

// renderer renders files one after the other, reusing its buffers: the files of a large spec
// are tens of megabytes of source, and growing fresh buffers for each of them twice over (jen's
// output, then the printer's) made a large share of generation's garbage.
type renderer struct {
	src, formatted bytes.Buffer
}

// render returns the final content of f: jen's source, formatted exactly as go/format.Source
// formats a complete file (parse, sort the imports, print), with the imports then grouped.
// Calling go/parser and go/printer directly instead of go/format.Source is what lets the
// buffers be reused.
func (r *renderer) render(f *jen.File) ([]byte, error) {
	r.src.Reset()
	f.NoFormat = true
	if err := f.Render(&r.src); err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", r.src.Bytes(), parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("formatting the generated source: %w", err)
	}
	ast.SortImports(fset, file)
	r.formatted.Reset()
	r.formatted.Grow(r.src.Len())
	if err := gofmtConfig.Fprint(&r.formatted, fset, file); err != nil {
		return nil, fmt.Errorf("formatting the generated source: %w", err)
	}
	return groupImports(r.formatted.Bytes()), nil
}

// groupImports returns a copy of src whose import block separates the standard library's
// imports from the others with a blank line, as goimports does (jen writes one sorted block).
// The copy is new memory: src may be a reused buffer.
func groupImports(src []byte) []byte {
	const open = "\nimport (\n"
	start := bytes.Index(src, []byte(open))
	if start < 0 {
		return bytes.Clone(src)
	}
	start += len(open)
	end := bytes.Index(src[start:], []byte("\n)\n"))
	if end < 0 {
		return bytes.Clone(src)
	}
	end += start
	block := src[start:end]
	var std, other int // how many lines of each kind
	for line := range bytes.Lines(block) {
		if isStdImport(line) {
			std++
		} else {
			other++
		}
	}
	if std == 0 || other == 0 {
		return bytes.Clone(src)
	}
	out := make([]byte, 0, len(src)+1)
	out = append(out, src[:start]...)
	for _, wantStd := range []bool{true, false} {
		if !wantStd {
			out = append(out, '\n')
		}
		for line := range bytes.Lines(block) {
			if isStdImport(line) == wantStd {
				out = append(out, line...)
				if line[len(line)-1] != '\n' {
					out = append(out, '\n')
				}
			}
		}
	}
	out = out[:len(out)-1] // the block's last line ends at src[end], the "\n" before ")"
	return append(out, src[end:]...)
}

// isStdImport reports whether a line of an import block imports a standard library package:
// one whose path's first element has no dot.
func isStdImport(line []byte) bool {
	line = bytes.TrimSpace(line)
	if i := bytes.LastIndexByte(line, ' '); i >= 0 {
		line = line[i+1:]
	}
	path := bytes.Trim(bytes.TrimSpace(line), `"`)
	first, _, _ := bytes.Cut(path, []byte("/"))
	return !bytes.Contains(first, []byte("."))
}
