package naming

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// commonInitialisms is golint's list of initialisms that Go names spell in upper case.
var commonInitialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "LHS": true, "QPS": true, "RAM": true, "RHS": true,
	"RPC": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true,
	"TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true,
	"URI": true, "URL": true, "UTF8": true, "VM": true, "XML": true, "XMPP": true,
	"XSRF": true, "XSS": true,
}

// IsInitialism reports whether word (in any case) is one of golint's common initialisms.
func IsInitialism(word string) bool { return commonInitialisms[strings.ToUpper(word)] }

// Words splits a spec name into its words: at '.', '-', '_', spaces and every other character
// that is neither a letter nor a digit, at a change from lower to upper case ("workflowId"),
// and before the last upper-case letter of an upper-case run that a lower-case letter follows
// ("HTTPServer" → "HTTP", "Server"). Digits stay with the word before them ("org123"), and a
// run of digits that stands alone is a word of its own ("org-123" → "org", "123").
func Words(name string) []string {
	var words []string
	runes := []rune(name)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, string(runes[start:end]))
		}
		start = -1
	}
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := runes[i-1]
		switch {
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			// "workflowId", "a2B": a new word starts at the upper-case letter.
			flush(i)
			start = i
		case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(runes) && unicode.IsLower(runes[i+1]) &&
			!isPluralInitialism(runes[start:], i+1-start):
			// "HTTPServer": the last upper-case letter of the run starts the next word.
			flush(i)
			start = i
		}
	}
	flush(len(runes))
	return words
}

// Go returns the exported Go name of a spec name: its Words in PascalCase, joined, with golint's
// common initialisms in upper case. "workflow.node.added" gives WorkflowNodeAdded, "raw-ip"
// RawIP, "workflowId" WorkflowID, "apiUrl" APIURL, "sku" Sku, "live-runs-of-org-123"
// LiveRunsOfOrg123. A name without letters or digits gives "".
func Go(name string) string {
	var b strings.Builder
	for _, w := range Words(name) {
		b.WriteString(pascalWord(w))
	}
	return b.String()
}

// LowerFirst returns a Go name with its leading word in lower case, for unexported names derived
// from an exported one: "WorkflowStartedV1" gives "workflowStartedV1", "IDPattern" "idPattern".
func LowerFirst(goName string) string {
	runes := []rune(goName)
	n := 0
	for n < len(runes) && unicode.IsUpper(runes[n]) {
		n++
	}
	switch {
	case n == 0:
		return goName
	case n == 1 || n == len(runes):
		n = min(n, len(runes))
	case unicode.IsLower(runes[n]) || unicode.IsDigit(runes[n]):
		// "IDPattern": keep the upper-case letter that starts "Pattern".
		n--
	}
	for i := range n {
		runes[i] = unicode.ToLower(runes[i])
	}
	return string(runes)
}

// isPluralInitialism reports whether word[:n] is an initialism whose plural 's' is word[n]
// and ends the word ("UUIDs", "IDs" in "userIDs"), so that it stays one word.
func isPluralInitialism(word []rune, n int) bool {
	return n < len(word) && word[n] == 's' && (n+1 == len(word) || !unicode.IsLower(word[n+1])) &&
		IsInitialism(string(word[:n]))
}

// pascalWord spells one word: an initialism in upper case ("Id" → "ID", plural "Ids" → "IDs"),
// anything else with an upper-case first letter and the rest in lower case.
func pascalWord(w string) string {
	if IsInitialism(w) {
		return strings.ToUpper(w)
	}
	if stem, ok := strings.CutSuffix(w, "s"); ok && IsInitialism(stem) {
		return strings.ToUpper(stem) + "s"
	}
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + strings.ToLower(w[size:])
}

// predeclared holds Go's predeclared identifiers: types, constants, the zero value and builtins.
var predeclared = map[string]bool{
	"any": true, "bool": true, "byte": true, "comparable": true, "complex64": true,
	"complex128": true, "error": true, "float32": true, "float64": true, "int": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "rune": true, "string": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"true": true, "false": true, "iota": true, "nil": true,
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true,
	"new": true, "panic": true, "print": true, "println": true, "real": true, "recover": true,
}

// IsKeyword reports whether name is a Go keyword.
func IsKeyword(name string) bool { return token.IsKeyword(name) }

// IsPredeclared reports whether name is one of Go's predeclared identifiers (string, len, nil...),
// which a generated declaration would shadow.
func IsPredeclared(name string) bool { return predeclared[name] }

// IsExported reports whether name is a valid Go identifier that starts with an upper-case
// letter, the form every generated type, field and constant needs (encoding/json ignores
// unexported fields).
func IsExported(name string) bool {
	return token.IsIdentifier(name) && token.IsExported(name)
}
