// Package cue is eventgen's CUE frontend: it loads a spec written as a CUE package, unifies
// it with eventgen's embedded schema (schema.cue) so that unknown keys and wrong types are
// positioned CUE errors, and fills a spec.Model from it.
//
// Payload types are read from the syntax of each field's declarations, with the evaluated
// value supplying the field set of structs (so version embedding such as v2: {v1, ...}
// works). Every unsupported construct is a positioned spec.Diagnostic naming the field.
package cue
