package asyncapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/eventgen/eventgen/spec"
)

// minimal3 is the head of a valid AsyncAPI 3.0 document.
const minimal3 = "asyncapi: 3.0.0\ninfo: {title: t, version: \"1\"}\n"

// message3 returns a 3.0 document with one message, given as YAML lines at the message's
// indentation (6 spaces).
func message3(lines ...string) string {
	return minimal3 + "components:\n  messages:\n    m:\n" + indent(strings.Join(lines, "\n"), 6) + "\n"
}

// TestErrors checks the exact message and position of every kind of spec error.
func TestErrors(t *testing.T) {
	cases := []struct {
		name string
		file string // doc.yaml unless set
		doc  string
		want string
	}{
		{"yaml syntax", "", "asyncapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\n",
			"doc.yaml:3:1: not a valid YAML or JSON document: did not find expected ',' or ']'"},
		{"json syntax", "doc.json", "{\n  \"asyncapi\": \"3.0.0\",\n  \"info\": {\"title\": \"t\" \"version\": \"1\"}\n}\n",
			`doc.json:3:26: not a valid JSON document: invalid character '"' after object key:value pair`},
		{"empty document", "", "", "doc.yaml:1:1: the document is empty"},
		{"not asyncapi", "", "openapi: 3.1.0\n", "doc.yaml:1:1: not an AsyncAPI document: the asyncapi field (3.0.0 or 2.6.0) is missing"},
		{"unsupported version", "", "asyncapi: 2.5.0\n", `doc.yaml:1:11: AsyncAPI version "2.5.0" is not supported; eventgen reads 3.0.x and 2.6.0`},
		{"dangling local ref", "", message3("name: a.b", "payload: {$ref: '#/components/schemas/Nope'}"),
			`doc.yaml:7:23: $ref "#/components/schemas/Nope" points at nothing: doc.yaml has no "components/schemas/Nope"`},
		{"ref to a missing file", "", message3("name: a.b", "payload: {$ref: 'other.yaml#/components/schemas/X'}"),
			`doc.yaml:7:23: $ref "other.yaml#/components/schemas/X": file other.yaml does not exist`},
		{"remote ref", "", message3("name: a.b", "payload: {$ref: 'https://example.com/s.yaml'}"),
			`doc.yaml:7:23: $ref "https://example.com/s.yaml": remote references are not supported; copy the document next to this one and refer to it by a relative path`},
		{"name not an event type", "", message3("name: WorkflowStarted", "payload: {type: object}"),
			`doc.yaml:6:13: components.messages.m: message name "WorkflowStarted" is not an event type; write it in domain.entity.action form (lower case, dot-separated, 2+ parts), such as workflow.started`},
		{"one-part name", "", message3("name: workflow"),
			`doc.yaml:6:13: components.messages.m: message name "workflow" is not an event type; write it in domain.entity.action form (lower case, dot-separated, 2+ parts), such as workflow.started`},
		{"message without name", "", message3("payload: {type: object}"),
			"doc.yaml:6:7: components.messages.m: the message has no name; set name to its event type in domain.entity.action form"},
		{"version gap", "", minimal3 + "components:\n  messages:\n    v1: {name: a.b}\n    v3: {name: a.b, x-eventgen-version: 3}\n",
			`doc.yaml:6:41: events."a.b".v3: version 2 of "a.b" is missing; versions run 1, 2, ... without gaps: add a message with name a.b and x-eventgen-version: 2`},
		{"no version 1", "", minimal3 + "components:\n  messages:\n    v2: {name: a.b, x-eventgen-version: 2}\n",
			`doc.yaml:5:41: events."a.b".v2: version 1 of "a.b" is missing; versions run 1, 2, ... without gaps: add a message with name a.b and x-eventgen-version: 1`},
		{"duplicate version", "", minimal3 + "components:\n  messages:\n    first: {name: a.b}\n    second: {name: a.b, x-eventgen-version: 1}\n",
			`doc.yaml:6:45: events."a.b".v1: two messages are version 1 of "a.b" (components.messages.first at doc.yaml:5:5 and components.messages.second); give this one the next x-eventgen-version`},
		{"version not a number", "", message3("name: a.b", "x-eventgen-version: two"),
			"doc.yaml:7:27: components.messages.m: x-eventgen-version must be an integer"},
		{"if/then/else", "", message3("name: a.b", "payload:", "  type: object", "  properties:", "    kind: {type: string}", "  if: {properties: {kind: {const: x}}}", "  then: {required: [kind]}"),
			`doc.yaml:11:9: events."a.b".v1: keyword "if" is not supported by eventgen: conditional schemas cannot be generated; make the variants separate event versions or optional fields` + "\n" +
				`doc.yaml:12:9: events."a.b".v1: keyword "then" is not supported by eventgen: conditional schemas cannot be generated; make the variants separate event versions or optional fields`},
		{"patternProperties", "", message3("name: a.b", "payload:", "  properties:", "    labels: {type: object, patternProperties: {'^x-': {type: string}}}"),
			`doc.yaml:9:34: events."a.b".v1.labels: keyword "patternProperties" is not supported by eventgen: use additionalProperties with a schema for a map`},
		{"oneOf of structs", "", message3("name: a.b", "payload:", "  properties:", "    shape:", "      oneOf:", "        - {properties: {r: {type: number}}}", "        - {properties: {w: {type: number}}}"),
			`doc.yaml:10:13: events."a.b".v1.shape: oneOf of several schemas (a union) is not supported by eventgen; only a type together with {type: "null"} is, for a nullable value. Use one event type per variant, or optional fields`},
		{"anyOf of types", "", message3("name: a.b", "payload:", "  properties:", "    v: {anyOf: [{type: string}, {type: integer}]}"),
			`doc.yaml:9:15: events."a.b".v1.v: anyOf of several schemas (a union) is not supported by eventgen; only a type together with {type: "null"} is, for a nullable value. Use one event type per variant, or optional fields`},
		{"not of a type", "", message3("name: a.b", "payload:", "  properties:", "    v: {type: string, not: {type: integer}}"),
			`doc.yaml:9:29: events."a.b".v1.v: not is supported only as not: {pattern: RE} (a string that must not match)`},
		{"dependentSchemas", "", message3("name: a.b", "payload:", "  properties:", "    a: {type: string}", "  dependentSchemas: {a: {required: [a]}}"),
			`doc.yaml:10:9: events."a.b".v1: keyword "dependentSchemas" is not supported by eventgen: make the dependent fields a nested optional object`},
		{"discriminator", "", message3("name: a.b", "payload:", "  discriminator: kind", "  properties:", "    kind: {type: string}"),
			`doc.yaml:8:9: events."a.b".v1: keyword "discriminator" is not supported by eventgen: polymorphic payloads cannot be generated; use one event type per variant`},
		{"tuple items", "", message3("name: a.b", "payload:", "  properties:", "    pair: {type: array, items: [{type: string}, {type: integer}]}"),
			`doc.yaml:9:31: events."a.b".v1.pair: keyword "items" with a list (a tuple) is not supported by eventgen: tuples cannot be generated; use an object with named fields`},
		{"unknown string format", "", message3("name: a.b", "payload:", "  properties:", "    id: {type: string, format: uuid}"),
			`doc.yaml:9:38: events."a.b".v1.id: string format "uuid" is not supported: eventgen knows date-time (time.Time) and byte (base64 []byte); validate other formats with pattern`},
		{"integer enum", "", message3("name: a.b", "payload:", "  properties:", "    n: {enum: [1, 2]}"),
			`doc.yaml:9:22: events."a.b".v1.n: enum and const values must be strings (eventgen generates a string enum); quote 1`},
		{"minLength on an integer", "", message3("name: a.b", "payload:", "  properties:", "    n: {type: integer, minLength: 1}"),
			`doc.yaml:9:30: events."a.b".v1.n: keyword "minLength" does not apply to an integer; remove it or change the type`},
		{"required names no property", "", message3("name: a.b", "payload:", "  required: [nmae]", "  properties:", "    name: {type: string}"),
			`doc.yaml:8:20: events."a.b".v1: required lists "nmae", which is not a property; add the property or remove the name`},
		{"invalid schema value", "", message3("name: a.b", "payload:", "  properties:", "    s: {type: string, maxLength: -1}"),
			`doc.yaml:9:40: events."a.b".v1.s: invalid schema: keyword "maxLength" has the wrong form: json: cannot unmarshal number -1 into field Schema.maxLength of type uint64`},
		{"bad pattern", "", message3("name: a.b", "payload:", "  properties:", "    s: {type: string, pattern: '(?<=x)'}"),
			"doc.yaml:9:38: events.\"a.b\".v1.s: pattern \"(?<=x)\" is not a valid RE2 regular expression: error parsing regexp: invalid named capture: `(?<=x)`"},
		{"payload not an object", "", message3("name: a.b", "payload: {type: string}"),
			`doc.yaml:7:16: events."a.b".v1: the payload must be an object schema (type: object with properties), not a string`},
		{"upcast on version 1", "", message3("name: a.b", "x-eventgen-upcast: {custom: true}"),
			`doc.yaml:7:7: events."a.b".v1: x-eventgen-upcast on version 1: there is no version 0 to upcast from; put it on the message of the version it produces`},
		{"unknown upcast field", "", minimal3 + "components:\n  messages:\n    v1: {name: a.b}\n    v2: {name: a.b, x-eventgen-version: 2, x-eventgen-upcast: {sett: {}}}\n",
			`doc.yaml:6:64: events."a.b".upcast.v1: unknown field "sett"; allowed: set, rename, drop, custom`},
		{"aggregate differs between versions", "", minimal3 + "components:\n  messages:\n    v1: {name: a.b, x-eventgen-aggregate: A}\n    v2: {name: a.b, x-eventgen-version: 2, x-eventgen-aggregate: B}\n",
			`doc.yaml:6:66: events."a.b".v2: x-eventgen-aggregate "B" differs from "A" of an earlier version; every version of an event has the same aggregate`},
		{"unknown message extension", "", message3("name: a.b", "x-eventgen-verison: 2"),
			`doc.yaml:7:7: components.messages.m: unknown extension "x-eventgen-verison"; messages know x-eventgen-version, x-eventgen-aggregate, x-eventgen-source, x-eventgen-upcast, x-eventgen-examples`},
		{"unknown x-eventgen setting", "", minimal3 + "x-eventgen: {source: s, packag: p}\n",
			`doc.yaml:3:25: x-eventgen: unknown field "packag"; allowed: source, package, bus`},
		{"bad unknown policy", "", minimal3 + "channels:\n  c: {address: c, messages: {m: {name: a.b}}}\noperations:\n  onAB: {action: receive, channel: {$ref: '#/channels/c'}, x-eventgen-unknown: ignore}\n",
			`doc.yaml:6:80: operations.onAB: x-eventgen-unknown must be skip or fail, not "ignore"`},
		{"rule target bound", "", minimal3 + "x-eventgen-rules:\n  r:\n    on: [a.b]\n    targets: [{arn: 'arn:x', maxRetries: 500}]\n",
			`doc.yaml:6:42: rules."r".targets[0].maxRetries must be between 0 and 185`},
		{"aggregate name", "", minimal3 + "x-eventgen-aggregates:\n  workflow: {id: workflowId}\n",
			`doc.yaml:4:3: aggregates.workflow: an aggregate name is PascalCase (Workflow)`},
		{"2.6 publish without operationId", "", "asyncapi: 2.6.0\ninfo: {title: t, version: \"1\"}\nchannels:\n  c:\n    publish:\n      message: {name: a.b}\n",
			"doc.yaml:6:7: channels.c.publish: a publish operation is a handler and needs an operationId (its name, kebab-cased)"},
		{"yaml merge key", "", message3("name: a.b", "x-eventgen-examples:", "  - data: {<<: {a: x}}"),
			"doc.yaml:8:18: YAML merge keys (<<) are not supported; write the fields out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := c.file
			if file == "" {
				file = "doc.yaml"
			}
			_, err := loadString(t, file, c.doc)
			var ds spec.Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("Load returned %v (%T), want spec.Diagnostics", err, err)
			}
			if got := err.Error(); got != c.want {
				t.Errorf("errors:\n got %s\nwant %s", got, c.want)
			}
		})
	}
}
