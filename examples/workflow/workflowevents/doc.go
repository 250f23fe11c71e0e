// Package workflowevents is the running example's generated event package: the typed events,
// validation, decoder, upcasters, rules and handlers that eventgen generates from
// ../spec/workflow.cue. Every other Go file here is generated; this one only holds the
// directive below, which regenerates them with go generate.
package workflowevents

//go:generate go run ../../../cmd/eventgen generate --out . ../spec
