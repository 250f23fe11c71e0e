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

// pending is a file built but not yet rendered; file is nil when it was handed to the
// render queue early (see renderFirst).
type pending struct {
	path string
	file *jen.File
}

// rendered is the result of rendering one file.
type rendered struct {
	content []byte
	err     error
}

// renderAll formats the files concurrently and returns them in the input order.
func renderAll(todo []pending) ([]genfile.File, error) {
	return newRenderQueue().finish(todo)
}

// renderFirst starts rendering p while the other files are still being built, when Generate
// has set up a render queue, and returns what files lists in its place. Formatting is most of
// generation's cost and every file formats on its own, so the workers need not wait for the
// whole package to be built; and a file's syntax tree, rendered, is garbage at once instead
// of being kept and scanned by every collection until the end. Only a file that nothing built
// later changes may be rendered first: the per-event files and those of handlers and
// aggregates, not eventgen_gen.go, whose helpers depend on what the others use.
func (g *generator) renderFirst(p pending) pending {
	if g.renders == nil {
		return p
	}
	return g.renders.add(p)
}

// renderQueue formats files on one worker per CPU.
type renderQueue struct {
	jobs chan renderJob
	wg   sync.WaitGroup
	// early holds the results of the files queued by add, by path.
	early map[string]*rendered
}

// renderJob is one file to render and the place of its result.
type renderJob struct {
	file *jen.File
	out  *rendered
}

// newRenderQueue starts the workers; finish stops them.
func newRenderQueue() *renderQueue {
	q := &renderQueue{jobs: make(chan renderJob, 64), early: map[string]*rendered{}}
	for range runtime.GOMAXPROCS(0) {
		q.wg.Go(func() {
			var r renderer
			for j := range q.jobs {
				j.out.content, j.out.err = r.render(j.file)
			}
		})
	}
	return q
}

// add queues p and returns it without its file, which finish finds by its path.
func (q *renderQueue) add(p pending) pending {
	out := &rendered{}
	q.early[p.path] = out
	q.jobs <- renderJob{p.file, out}
	return pending{p.path, nil}
}

// finish renders the files of todo not yet queued, waits for every file, and returns them
// in todo's order. The rest are queued last first: files lists the package-wide files, which
// grow with the spec (eventgen_gen.go is the largest by far), after the per-event ones, and a
// large file queued last would leave the other workers idle while it formats. finish(nil)
// only stops the workers.
func (q *renderQueue) finish(todo []pending) ([]genfile.File, error) {
	results := make([]*rendered, len(todo))
	for i := len(todo) - 1; i >= 0; i-- {
		if todo[i].file == nil {
			if results[i] = q.early[todo[i].path]; results[i] == nil {
				results[i] = &rendered{err: errors.New("no file was built")}
			}
		} else {
			results[i] = &rendered{}
			q.jobs <- renderJob{todo[i].file, results[i]}
		}
	}
	close(q.jobs)
	q.wg.Wait()
	out := make([]genfile.File, len(todo))
	var errs []error
	for i, r := range results {
		if r.err != nil {
			errs = append(errs, fmt.Errorf("generate go: render %s: %w", todo[i].path, r.err))
		}
		out[i] = genfile.File{Path: todo[i].path, Content: r.content}
	}
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
