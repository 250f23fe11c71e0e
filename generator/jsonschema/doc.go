// Package jsonschema is the JSON Schema backend: it writes one JSON Schema (draft 2020-12) per
// payload version of every event, at schemas/<event-type>.v<N>.json.
//
// # What a schema says
//
// Each file describes the JSON payload (the "data" of the envelope) of one version:
//
//   - $id is urn:eventgen:<source>:<event-type>:v<N>: stable, host-free, and unique per
//     source, type and version. Characters of the source or type outside [A-Za-z0-9._~-] are
//     percent-encoded.
//   - title is "<event-type> v<N>"; description is the version's doc comment, or the event's
//     when the version has none.
//   - Properties appear in the spec's field order. required lists every required field,
//     nullable ones included (a nullable field must be present, and may be null). A field with
//     a default (`*"a" | "b"`) is not required: the decoder fills it when it is missing.
//   - Structs are open (no additionalProperties: false), payloads, inline structs and
//     definitions alike: the schema accepts what the generated decoder accepts. Decoders are
//     tolerant readers that ignore unknown fields, because adding an optional field to an
//     existing version is not a breaking change, so an older consumer must accept payloads
//     that carry it. Maps keep their additionalProperties schema, which types their values.
//   - Reusable definitions (#Name) reachable from the version go under $defs, referenced as
//     {"$ref": "#/$defs/Name"}; recursive definitions work.
//
// # Type mapping
//
//	string              {"type": "string"}
//	=~ "re" / !~ "re"   "pattern": "re" / "not": {"pattern": "re"} (further ones under allOf)
//	MinRunes/MaxRunes   minLength / maxLength (JSON Schema counts code points, as Go counts runes)
//	int, int8 … uint64  {"type": "integer"}; a sized kind adds its range (int8: -128..127,
//	                    uint: 0..18446744073709551615). Plain int adds none: it is the Go int64
//	                    of the decoder, but a schema full of ±9223372036854775807 helps no one.
//	>=, >, <=, <        minimum, exclusiveMinimum, maximum, exclusiveMaximum, the numbers as
//	                    the spec writes them; with a sized kind the tighter bound wins
//	float, number       {"type": "number"}
//	bool                {"type": "boolean"}
//	bytes               {"type": "string", "contentEncoding": "base64"}
//	time.Time           {"type": "string", "format": "date-time"}
//	"a" | "b"           {"type": "string", "enum": ["a", "b"]}, plus "default" for *"a"
//	T | null            "type": [T, "null"] (enums also list null); a reference becomes
//	                    {"anyOf": [{"$ref": ...}, {"type": "null"}]}
//	[...T]              {"type": "array", "items": T} with minItems, maxItems, uniqueItems
//	{[string]: T}       {"type": "object", "additionalProperties": T}
//	{...} inline        a nested object schema
//	_                   {} (any JSON value)
//
// Patterns are the spec's RE2 expressions, unanchored exactly like JSON Schema's "pattern".
// They are passed through unchanged; RE2-only syntax (such as \z or (?i)) is not ECMA-262 and
// may be read differently by validators in other languages.
//
// # Output format
//
// Files are UTF-8 JSON with a 2-space indent and a final newline, HTML characters unescaped.
// Keywords of a schema object always come in this order: $schema, $id, title, description,
// $ref, type, format, contentEncoding, enum, default, pattern, not, minLength, maxLength,
// minimum, exclusiveMinimum, maximum, exclusiveMaximum, items, minItems, maxItems,
// uniqueItems, properties, required, additionalProperties, anyOf, allOf, $defs. The same
// model always gives the same bytes.
package jsonschema
