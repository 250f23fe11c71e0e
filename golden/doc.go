// Package golden holds eventgen's end-to-end golden cases, in the manner of sqlc's examples:
// each directory CASE has a spec in CASE/spec and the files eventgen generates from it in
// CASE/out. The test regenerates every case and compares byte for byte; `go test ./golden
// -update` rewrites the expected files. Because CASE/out lies inside the module, its Go code is
// compiled, vetted and its generated tests run by `go test ./...`, and the golden test also
// vets it explicitly.
//
// A spec directory with several AsyncAPI files names its entry document in a file ENTRY. A case
// whose spec directory holds a file named SAME_AS names another case: its output must be
// byte-identical to that case's (AsyncAPI documents that say what a CUE spec says, say).
package golden
