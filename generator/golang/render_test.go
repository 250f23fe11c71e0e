package golang

import (
	"bytes"
	"testing"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/genfile"
)

// TestRenderMatchesGoFormat checks that the renderer's own parse-and-print formats every file
// exactly as jen's Render with go/format.Source does, imports grouped after.
func TestRenderMatchesGoFormat(t *testing.T) {
	models := map[string]func() (*generator, []pending){
		"workflow": func() (*generator, []pending) { return build(t, newGenerator(workflowModel(), Options{Package: "w"})) },
		"shop":     func() (*generator, []pending) { return build(t, newGenerator(shopModel(), Options{Package: "shop"})) },
		"synthetic": func() (*generator, []pending) {
			return build(t, newGenerator(syntheticModel(3), Options{Package: "p"}))
		},
	}
	for name, files := range models {
		t.Run(name, func(t *testing.T) {
			_, todo := files()
			var r renderer // one renderer for all files, as renderAll's workers use them
			for _, p := range todo {
				var want bytes.Buffer
				p.file.NoFormat = false
				if err := p.file.Render(&want); err != nil {
					t.Fatalf("%s: jen render: %v", p.path, err)
				}
				got, err := r.render(p.file)
				if err != nil {
					t.Fatalf("%s: %v", p.path, err)
				}
				if w := groupImports(want.Bytes()); !bytes.Equal(got, w) {
					t.Errorf("%s: renderer output differs from go/format's:\n%s\nwant:\n%s", p.path, got, w)
				}
			}
		})
	}
}

// TestRenderFirstChangesNothing checks that rendering the event files while the others are
// built (Generate) gives the files that building everything first and rendering after gives.
func TestRenderFirstChangesNothing(t *testing.T) {
	m := syntheticModel(20)
	got, err := Generate(m, Options{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	_, todo := build(t, newGenerator(m, Options{Package: "p"}))
	want, err := renderAll(todo)
	if err != nil {
		t.Fatal(err)
	}
	genfile.Sort(want)
	if len(got) != len(want) {
		t.Fatalf("%d files, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Path != want[i].Path || !bytes.Equal(got[i].Content, want[i].Content) {
			t.Errorf("file %d: got %s, want %s with other content", i, got[i].Path, want[i].Path)
		}
	}
}

// build builds the files of g as Generate does, before rendering.
func build(t *testing.T, g *generator) (*generator, []pending) {
	t.Helper()
	g.declareNames()
	if err := g.diags.Err(); err != nil {
		t.Fatal(err)
	}
	todo := g.files()
	if err := g.diags.Err(); err != nil {
		t.Fatal(err)
	}
	return g, todo
}

// TestRenderNumbersCanonical checks the one printer mode go/printer does not export: number
// literals are written as gofmt writes them.
func TestRenderNumbersCanonical(t *testing.T) {
	f := jen.NewFile("p")
	f.Var().Id("x").Op("=").Id("0X1P-2")
	f.Var().Id("y").Op("=").Id("1E6")
	var r renderer
	got, err := r.render(f)
	if err != nil {
		t.Fatal(err)
	}
	want := "package p\n\nvar x = 0x1p-2\nvar y = 1e6\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestGroupImports checks the split of the import block into standard library and others.
func TestGroupImports(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "mixed",
			in:   "package p\n\nimport (\n\t\"encoding/json\"\n\tevent \"github.com/x/event\"\n\t\"fmt\"\n)\n\nvar x = 1\n",
			want: "package p\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n\n\tevent \"github.com/x/event\"\n)\n\nvar x = 1\n",
		},
		{
			name: "standard library only",
			in:   "package p\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n)\n",
			want: "package p\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n)\n",
		},
		{
			name: "others only",
			in:   "package p\n\nimport (\n\t\"example.com/a\"\n\t\"example.com/b\"\n)\n",
			want: "package p\n\nimport (\n\t\"example.com/a\"\n\t\"example.com/b\"\n)\n",
		},
		{
			name: "single import",
			in:   "package p\n\nimport \"fmt\"\n",
			want: "package p\n\nimport \"fmt\"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			got := groupImports(in)
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if len(got) > 0 && &got[0] == &in[0] {
				t.Error("the result shares memory with the input, which may be a reused buffer")
			}
		})
	}
}
