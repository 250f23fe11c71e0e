package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/generator/genfile"
	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/templates"
)

// Path is the output path of the CloudFormation template, relative to the output directory.
const Path = "eventbridge/rules.cfn.yaml"

// TenantRef is what stands for the tenant id in a tenant-scoped rule's EventPattern.
const TenantRef = `{"Ref": "TenantId"}`

// templateName is the file in templates.FS that lays out the output.
const templateName = "rules.cfn.yaml.tmpl"

// data is what the template renders.
type data struct {
	TenantParameter bool
	Rules           []ruleData
}

// ruleData is one rule, every value ready to print.
type ruleData struct {
	LogicalID   string
	Name        string
	Description string
	Bus         string
	// Pattern is the event pattern as JSON (a YAML flow mapping), indented under EventPattern.
	Pattern string
	Targets []targetData
}

// targetData is one target, every value ready to print; empty strings are left out.
type targetData struct {
	ID, ARN, DeadLetterARN, MaxRetries, MaxEventAge string
}

// Generate returns eventbridge/rules.cfn.yaml, or no file when the spec has no rules.
func Generate(m *spec.Model) ([]genfile.File, error) {
	if len(m.Rules) == 0 {
		return nil, nil
	}
	tmpl, err := template.ParseFS(templates.FS, templateName)
	if err != nil {
		return nil, fmt.Errorf("cloudformation: parse %s: %w", templateName, err)
	}
	var (
		d     data
		diags spec.Diagnostics
		ids   = map[string]string{} // logical id → rule name
	)
	for _, r := range m.Rules {
		id := naming.Go(r.Name) + "Rule"
		if other, ok := ids[id]; ok {
			diags = append(diags, spec.Errorf(r.Pos, "rules.%q: its CloudFormation logical id %s is also rule %q's; rename one of the rules", r.Name, id, other))
			continue
		}
		ids[id] = r.Name
		rd, err := rule(m, r, id)
		if err != nil {
			diags = append(diags, spec.Errorf(r.Pos, "%v", err))
			continue
		}
		d.TenantParameter = d.TenantParameter || r.TenantScoped
		d.Rules = append(d.Rules, rd)
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("cloudformation: render %s: %w", templateName, err)
	}
	content := append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
	return []genfile.File{{Path: Path, Content: content}}, nil
}

// rule prepares one rule for the template.
func rule(m *spec.Model, r *spec.Rule, id string) (ruleData, error) {
	pattern, err := eventbridge.Pattern(m, r)
	if err != nil {
		return ruleData{}, err
	}
	name := quote(r.Name)
	if r.TenantScoped {
		pattern = bytes.ReplaceAll(pattern, []byte(eventbridge.TenantToken), []byte(TenantRef))
		name = fmt.Sprintf(`{"Fn::Sub": %s}`, quote(r.Name+"-${TenantId}"))
	}
	rd := ruleData{
		LogicalID: id,
		Name:      name,
		Pattern:   indent(strings.TrimSuffix(string(pattern), "\n"), "        "),
	}
	if r.Description != "" {
		rd.Description = quote(r.Description)
	}
	if bus := m.RuleBus(r); bus != "" {
		rd.Bus = quote(bus)
	}
	for i, t := range r.Targets {
		td := targetData{ID: quote("Target" + strconv.Itoa(i+1)), ARN: quote(t.ARN)}
		if t.DeadLetterARN != "" {
			td.DeadLetterARN = quote(t.DeadLetterARN)
		}
		if t.MaxRetries != nil {
			td.MaxRetries = strconv.Itoa(*t.MaxRetries)
		}
		if t.MaxEventAgeSeconds != nil {
			td.MaxEventAge = strconv.Itoa(*t.MaxEventAgeSeconds)
		}
		rd.Targets = append(rd.Targets, td)
	}
	return rd, nil
}

// quote returns s as a YAML double-quoted scalar. A JSON string is one, so encoding/json
// does the escaping (without HTML escapes, for readability); the characters YAML does not
// allow raw but JSON does (DEL, the C1 controls, NEL among them, which YAML folds as a line
// break, and the non-characters U+FFFE and U+FFFF) are escaped afterwards.
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a Go string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	if !strings.ContainsFunc(out, yamlUnprintable) {
		return out
	}
	var e strings.Builder
	for _, r := range out {
		if yamlUnprintable(r) {
			fmt.Fprintf(&e, "\\u%04X", r)
			continue
		}
		e.WriteRune(r)
	}
	return e.String()
}

// yamlUnprintable reports whether YAML requires r to be escaped in a double-quoted scalar,
// among the characters encoding/json leaves raw.
func yamlUnprintable(r rune) bool {
	return r == 0x7F || (r >= 0x80 && r <= 0x9F) || r == 0xFFFE || r == 0xFFFF
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
