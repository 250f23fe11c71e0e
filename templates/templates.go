// Package templates holds the embedded text/template files from which eventgen renders its
// non-Go outputs: the EVENTS.md catalogue (events.md.tmpl, rendered by generator/docs) and the
// CloudFormation of the EventBridge rules (rules.cfn.yaml.tmpl, rendered by generator/cfn).
//
// The templates only lay out text. The backend that renders a template prepares every value
// it prints, escaping included, so a template never decides how a spec element reads.
package templates

import "embed"

// FS holds every *.tmpl file of this directory, by its file name ("events.md.tmpl").
//
//go:embed *.tmpl
var FS embed.FS
