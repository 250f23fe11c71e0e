// Package asyncapi reads AsyncAPI 3.0.x and 2.6.0 documents (YAML or JSON) into the same
// spec.Model as the CUE frontend, so that a domain written in either produces the same Go.
//
// # AsyncAPI input
//
// Load reads one document, told apart by its `asyncapi` field, and follows its `$ref`s inside
// the file and into other files by relative path (`common.yaml#/components/schemas/Money`).
// Every problem is a spec.Diagnostic at FILE:LINE:COL of the YAML or JSON text, including a
// syntax error, a dangling `$ref` and a keyword eventgen cannot honour; nothing is dropped
// silently. The mapping:
//
//   - Every message (in components.messages, or reached from channels and operations) is one
//     version of an event. Its `name` is the event type (domain.entity.action); its
//     `x-eventgen-version` is the version number (default 1); versions of a type must run
//     1, 2, ... without gaps. `description` (or `summary`) is the version's doc comment.
//   - `x-eventgen-aggregate` and `x-eventgen-source` on a message set the event's aggregate
//     and EventBridge source (every version must agree).
//   - `x-eventgen-upcast: {set, rename, drop, custom}` on version N+1's message is the upcast
//     from N, written as in CUE.
//   - The `payload` of each message `examples` entry is a valid example of that version;
//     `x-eventgen-examples: [{data, latest?, valid?, version?}]` adds examples written as in
//     CUE (AsyncAPI allows no extensions inside message examples).
//   - The payload is a JSON Schema object; its properties, in document order, are the
//     version's fields (`required` ones required, others optional). `allOf` merges objects,
//     so version 2 can extend version 1's payload by `$ref`. A payload that is a `$ref` is
//     read in place.
//   - A `$ref` inside a payload to a named schema (components.schemas.X, X under
//     `definitions` or `$defs`, or a top-level X of a schema file) becomes definition X, a
//     shared Go type; unreferenced schemas are not generated.
//   - Keywords follow the type table of the spec language: type; format date-time
//     (time.Time), byte ([]byte), int8..int64, uint..uint64, float, double (sized kinds; a
//     plain `type: integer` is CUE's int, `type: number` its number); enum and const (string
//     enums, `default` the enum default); minimum, maximum and both the draft-04 boolean and
//     draft-07 numeric exclusiveMinimum/exclusiveMaximum; minLength/maxLength (runes);
//     pattern and `not: {pattern}`; minItems, maxItems, uniqueItems; additionalProperties
//     with a schema (a map); `type: [T, "null"]`, `nullable: true` and oneOf/anyOf of a type
//     and null (nullable); `{}` (any JSON). if/then/else, patternProperties, unions of
//     several types, discriminator, tuples, multipleOf and the like are errors that name the
//     keyword and the field.
//   - An operation with `action: receive` (3.0), or a channel's `publish` operation (2.6,
//     what the application receives), is a handler named by its operation id in kebab-case;
//     its messages' event types are what it handles. `x-eventgen-unknown: skip|fail` sets
//     the policy for unknown events, `x-eventgen-rule: NAME` subscribes it to a rule instead.
//   - Root `x-eventgen: {source, package, bus}` is CUE's `eventgen:`; root
//     `x-eventgen-aggregates: {Name: {id, description?}}` and `x-eventgen-rules` are CUE's
//     `aggregates` and `rules`, written the same way.
//
// A short example:
//
//	asyncapi: 3.0.0
//	info: {title: Workflow engine, version: 1.0.0}
//	x-eventgen: {source: workflow-engine, package: workflowevents}
//	x-eventgen-aggregates:
//	  Workflow: {id: workflowId}
//	components:
//	  messages:
//	    workflowCreatedV1:
//	      name: workflow.created
//	      description: A new, empty workflow exists.
//	      x-eventgen-aggregate: Workflow
//	      payload:
//	        type: object
//	        required: [workflowId, name]
//	        properties:
//	          workflowId: {type: string, pattern: '^wf-[a-z0-9]+$'}
//	          name: {type: string, minLength: 1, maxLength: 200}
//
// examples/workflow/asyncapi holds the whole running example in AsyncAPI 3.0 and 2.6; a test
// proves that it gives the same model as workflow.cue.
package asyncapi
