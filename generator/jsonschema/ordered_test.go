package jsonschema

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestWriteStringMatchesEncodingJSON checks the fast path for plain strings against the
// encoder it skips, on strings that need escaping and strings that do not.
func TestWriteStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "type", "^[a-z]+$", `say "hi"`, `back\slash`, "tab\there", "new\nline",
		"<html>&", "héllo", "line\u2028sep", "bad \xff byte", "\x7f"} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		writeString(&got, s)
		if got.String() != string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
			t.Errorf("writeString(%q) = %s, want %s", s, got.String(), want.String())
		}
	}
}
