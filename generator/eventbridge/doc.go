// Package eventbridge is the backend that turns the spec's rules into EventBridge event
// patterns: one file eventbridge/<rule>.json per rule, 2-space indented with sorted keys, and
// byte for byte the Pattern of the generated Go rule value.
//
// A pattern matches the EventBridge form of an envelope (runtime/event.Envelope.EventBridge):
// source and detail-type come from the rule's `on`, and its `match` sits under detail, where
// the whole envelope (version, eventType, eventId, timestamp, source, metadata, data) is.
// A tenant-scoped rule carries the placeholder string "${tenantId}" as the value list of
// detail.metadata.tenantId; ForTenant fills it in at run time.
package eventbridge
