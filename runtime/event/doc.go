// Package event holds the types that generated code and users share: the Envelope that carries
// a domain event on the wire and in stores, its Metadata, the Payload interface every generated
// event version implements, Handler, Rule, and the errors a decoder returns. ValidationError
// collects every violation of a payload by JSON path; CheckPresence and MayLack apply the
// eventgen struct tags of generated payload types, which say what a decoded Go value cannot
// show: whether a required field was in the JSON at all, and whether a non-nullable one was null.
//
// It depends on the standard library and github.com/google/uuid only.
package event
