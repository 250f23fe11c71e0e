// Package golang is eventgen's Go backend: from a spec.Model it generates, with
// github.com/dave/jennifer, the package that users import. The generated API is fixed by
// shared/design/generated-go.md:
//
//   - one struct per event version with its enums and nested types, and Validate methods that
//     list every violation by JSON path;
//   - Decode<E> per event type, the single read path: it decodes the version the envelope names,
//     checks that required fields are present and not null (by the eventgen struct tags, with
//     runtime/event's CheckPresence, skipped when event.MayLack on the decoded value proves
//     nothing is missing), validates, and lifts the payload through the typed upcast chain
//     (upcast<E>V<N>) to the latest version; Decode, Upcast and New build on it;
//   - rules (<Rule>Rule, Rules, <Rule>RuleFor) carrying the bytes of eventbridge/<rule>.json;
//   - handler interfaces with dispatchers, and aggregate interfaces, appliers and repositories;
//   - eventgen_gen_test.go, which proves the spec's event and rule examples, dispatcher routing
//     and repository round trips against the generated code.
//
// Repeated scaffolding lives in small generic helpers emitted once per package (eventgenDecode,
// eventgenStep, ...), which keeps the generated files, and the time spent formatting them,
// small. Generation is pure and deterministic: the same model gives byte-identical,
// gofmt-formatted files. Problems that only show when naming Go identifiers or building upcast
// steps (two spec names with one Go name, a step that leaves a required field without a value)
// are returned as positioned spec.Diagnostics, never panics.
package golang
