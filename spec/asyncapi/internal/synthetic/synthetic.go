// Package synthetic writes large AsyncAPI documents for benchmarks of the AsyncAPI frontend.
package synthetic

import (
	"fmt"
	"strings"
)

// Document returns an AsyncAPI 3.0 document with n messages (n/2 event types with
// two versions each) whose payloads have strings with formats, patterns and lengths, bounded
// numbers, enums, nested objects, arrays and a shared schema.
func Document(n int) string {
	var b strings.Builder
	b.WriteString(`asyncapi: 3.0.0
info: {title: synthetic, version: 1.0.0}
x-eventgen: {source: synthetic, package: synthetic}
x-eventgen-aggregates:
  Thing: {id: thingId}
channels:
  things:
    address: things
    messages:
`)
	for i := range n {
		fmt.Fprintf(&b, "      m%d: {$ref: '#/components/messages/m%d'}\n", i, i)
	}
	b.WriteString(`operations:
  watchThings:
    action: receive
    channel: {$ref: '#/channels/things'}
components:
  schemas:
    Address:
      type: object
      required: [street, city]
      properties:
        street: {type: string, minLength: 1, maxLength: 200}
        city: {type: string}
        zip: {type: string, pattern: '^[0-9]{5}$'}
  messages:
`)
	for i := range n {
		typ, version := i/2, i%2+1
		fmt.Fprintf(&b, `    m%d:
      name: domain%d.thing.changed
      description: Thing %d changed (version %d).
      x-eventgen-aggregate: Thing
      x-eventgen-version: %d
      payload:
        type: object
        required: [thingId, name, at, status, count]
        properties:
          thingId: {type: string, pattern: '^t-[0-9a-f]+$'}
          name: {type: string, minLength: 1, maxLength: 120}
          at: {type: string, format: date-time}
          status: {type: string, enum: [new, active, closed], default: new}
          count: {type: integer, format: int32, minimum: 0, maximum: 1000000}
          ratio: {type: number, exclusiveMinimum: 0, maximum: 1}
          tags: {type: array, items: {type: string, maxLength: 32}, maxItems: 20, uniqueItems: true}
          address: {$ref: '#/components/schemas/Address'}
          owner:
            type: object
            required: [id]
            properties:
              id: {type: string}
              email: {type: [string, "null"], pattern: '^[^@]+@[^@]+$'}
              labels: {type: object, additionalProperties: {type: string}}
`, i, typ, typ, version, version)
		if version == 2 {
			b.WriteString("          extra: {type: boolean}\n")
		}
	}
	return b.String()
}
