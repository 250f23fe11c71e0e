// Package cfn is the backend that writes the spec's EventBridge rules as one CloudFormation
// template, eventbridge/rules.cfn.yaml, rendered from templates/rules.cfn.yaml.tmpl.
//
// Each rule becomes an AWS::Events::Rule whose logical id is the rule's Go name plus "Rule"
// (generator/naming), with its name, description, bus, state ENABLED, the same event pattern
// as eventbridge/<rule>.json and the spec's targets. A tenant-scoped rule is deployed per
// tenant: the template then takes a TenantId parameter, the pattern's "${tenantId}" becomes
// {"Ref": "TenantId"} and the rule's name gets the tenant id as a suffix, so the stacks of two
// tenants can share a bus.
package cfn
