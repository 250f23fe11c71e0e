// Package event holds the types that generated code and users share: the Envelope that carries
// a domain event on the wire and in stores, its Metadata, the Payload interface every generated
// event version implements, Handler, Rule, and the errors a decoder returns.
//
// It depends on the standard library and github.com/google/uuid only.
package event
