// Package rulecheck type-checks the spec's EventBridge rules against the events they filter.
//
// Check runs at generate, check and vet time: every `on` entry must name or match declared
// event types; the rule's pattern must be valid EventBridge syntax (runtime/pattern decides);
// every path of its content filter must exist in the events it can match (a path that only
// some versions have is a warning naming the versions that can never match); every operator
// must fit its field's type and every exact value must be a value the field can hold; and the
// rule's examples are checked for real: each example's data must be a valid payload of its
// declared version (spec/check.Payload), and each is wrapped in an envelope (ExampleEnvelope),
// turned into its EventBridge form and matched with runtime/pattern. For a tenant-scoped rule
// the example's own metadata.tenantId replaces ${tenantId} first (ExamplePattern), so a
// `matches` example of such a rule must carry a tenant id. Lint adds the findings only vet
// reports.
package rulecheck
