// Package spec is eventgen's intermediate representation: the one model that both spec
// frontends (spec/cue and spec/asyncapi) produce and every check and backend consumes.
//
// A Model holds events with all their versions, payload types and constraints, reusable
// definitions, aggregates, examples, upcast steps, EventBridge rules and handlers. Every
// element keeps the Pos it was read from, so a finding about it can be reported as
// FILE:LINE:COL: message (see Diagnostic). The spec language itself is described in
// spec/README.md.
package spec
