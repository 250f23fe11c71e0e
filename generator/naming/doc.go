// Package naming makes every Go name that eventgen generates from a spec name, and checks the
// results: one function (Go) turns "workflow.node.added" into WorkflowNodeAdded and "clientIp"
// into ClientIP, and a Scope reports two spec elements that would share a Go name, a name that
// is a Go keyword or predeclared identifier, and an @go override that is not a valid exported
// identifier, as positioned spec.Diagnostics.
package naming
