// Package check holds eventgen's core checks of a spec.Model: names and forms (event types,
// aggregates, rules, handlers), versions without gaps, aggregate id fields, handler
// references and the spec's own examples, which are validated with Payload exactly as the
// generated Validate methods validate a payload. Lint adds warnings that only `eventgen vet`
// shows. Upcast completeness (spec/evolve) and rule type checks live elsewhere.
package check
