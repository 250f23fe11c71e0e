// Package docs is the documentation backend: it renders EVENTS.md, the human-readable event
// catalogue that reviewers read in pull requests, from the embedded template
// templates/events.md.tmpl.
//
// The catalogue has a title with the spec's source, Go package and default bus; a table of
// contents; one section per aggregate with its events (and one for events without an
// aggregate); the definitions; the rules with their EventBridge pattern, exactly as
// eventbridge/<rule>.json holds it; and the handlers. Each event lists its source, aggregate,
// versions (latest first, each with a link to its JSON Schema and a table of its fields),
// its upcast steps in words and how many examples it has.
//
// Field types read as the spec writes them (see TypeString): `string (1..200 runes, =~ ^wf-)`,
// `int >=0 <=10`, `"live" | "dry-run"`, `[]Node`. Fields of inline structs get rows of their
// own, named parent.child (parent[].child inside a list, parent{}.child inside a map).
//
// The page is GitHub-flavoured Markdown: anchors are the ones GitHub gives the headings, pipes
// in table cells are escaped, and the output has no trailing spaces, no runs of blank lines
// and one final newline. The same model always gives the same bytes.
package docs
