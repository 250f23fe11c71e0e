// Package golang is eventgen's Go backend for events: from a spec.Model it generates, with
// github.com/dave/jennifer, one struct per event version with its enums and nested types,
// Validate methods that list every violation by JSON path, the upcast chain that lifts every
// stored version to the latest, the package functions Decode, New and Upcast, and a test file
// that proves the spec's examples against the generated code. The generated API is fixed by
// shared/design/generated-go.md.
//
// Generation is pure and deterministic: the same model gives byte-identical, gofmt-formatted
// files. Problems that only show when naming Go identifiers or building upcast steps (two spec
// names with one Go name, a step that leaves a required field without a value) are returned
// as positioned spec.Diagnostics, never panics.
package golang
