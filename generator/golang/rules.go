package golang

import (
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/eventgen/eventgen/generator/eventbridge"
	"github.com/eventgen/eventgen/generator/naming"
	"github.com/eventgen/eventgen/runtime/event"
	"github.com/eventgen/eventgen/spec"
	"github.com/eventgen/eventgen/spec/rulecheck"
)

const patternPkg = "github.com/eventgen/eventgen/runtime/pattern"

// ruleName is the Go name of a rule's variable: the rule name in PascalCase + "Rule".
func ruleName(r *spec.Rule) string { return naming.Go(r.Name) + "Rule" }

// rulePatterns returns each rule's pattern bytes, exactly as eventbridge/<rule>.json holds
// them, in model order; a rule whose pattern cannot be built is reported and left out.
func (g *generator) rulePatterns() map[*spec.Rule][]byte {
	out := make(map[*spec.Rule][]byte, len(g.m.Rules))
	for _, r := range g.m.Rules {
		p, err := eventbridge.Pattern(g.m, r)
		if err != nil {
			g.diags = append(g.diags, spec.Errorf(r.Pos, "rules.%s: %v", strconv.Quote(r.Name), err))
			continue
		}
		out[r] = p
	}
	return out
}

// declareRuleNames reserves the Go names of the rules' declarations in the package scope.
func (g *generator) declareRuleNames(pkg *naming.Scope) {
	if len(g.m.Rules) > 0 {
		pkg.Declare("Rules", "the rule list function Rules", g.m.Pos)
	}
	for _, r := range g.m.Rules {
		what := "rules." + strconv.Quote(r.Name)
		pkg.Declare(ruleName(r), what, r.Pos)
		if r.TenantScoped {
			pkg.Declare(ruleName(r)+"For", what+" (its tenant function)", r.Pos)
		}
	}
}

// rawOrQuoted returns s as a raw string literal when it can be one (more readable for JSON),
// else as an interpreted one.
func rawOrQuoted(s string) jen.Code {
	if !strings.Contains(s, "`") && !strings.Contains(s, "\r") {
		return jen.Id("`" + s + "`")
	}
	return jen.Lit(s)
}

// rulesFile generates rules_gen.go: one event.Rule variable per rule, Rules(), and for every
// tenant-scoped rule the function that fills in a tenant's id. It returns nil without rules.
func (g *generator) rulesFile(patterns map[*spec.Rule][]byte) *jen.File {
	if len(g.m.Rules) == 0 {
		return nil
	}
	f := g.newFile()
	var all []jen.Code
	for _, r := range g.m.Rules { // the model keeps rules sorted by name
		p, ok := patterns[r]
		if !ok {
			continue
		}
		name := ruleName(r)
		doc := name + " is the EventBridge rule " + strconv.Quote(r.Name) + " on bus " + strconv.Quote(g.m.RuleBus(r)) + "."
		if r.Description != "" {
			doc += "\n\n" + r.Description
		}
		doc += "\n\nIts Pattern is byte for byte eventbridge/" + r.Name + ".json."
		if r.TenantScoped {
			doc += " It is tenant-scoped: the pattern holds the placeholder " + eventbridge.TenantToken + ";\nuse " + name + "For to fill in a tenant's id."
		}
		addAll(f, comment(doc),
			jen.Var().Id(name).Op("=").Qual(eventPkg, "Rule").Values(jen.Dict{
				jen.Id("Name"):    jen.Lit(r.Name),
				jen.Id("Bus"):     jen.Lit(g.m.RuleBus(r)),
				jen.Id("Pattern"): jen.Index().Byte().Call(rawOrQuoted(string(p))),
			}), jen.Line())
		all = append(all, jen.Id(name))
		if r.TenantScoped {
			addAll(f,
				commentf("%sFor returns %s for one tenant: the pattern with tenantID in place of the\nplaceholder, JSON-escaped, so that no id can change the pattern's structure.", name, name),
				jen.Func().Id(name+"For").Params(jen.Id("tenantID").String()).Qual(eventPkg, "Rule").Block(
					jen.List(jen.Id("id"), jen.Id("_")).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("tenantID")).Comment("a string always encodes"),
					jen.Id("r").Op(":=").Id(name),
					jen.Id("r").Dot("Pattern").Op("=").Qual("bytes", "ReplaceAll").Call(jen.Id("r").Dot("Pattern"), jen.Index().Byte().Call(jen.Lit(eventbridge.TenantToken)), jen.Id("id")),
					jen.Return(jen.Id("r")),
				), jen.Line())
		}
	}
	addAll(f,
		comment("Rules returns every rule of the spec, sorted by name. Tenant-scoped rules hold their\nplaceholder; subscribe them through their For function."),
		jen.Func().Id("Rules").Params().Index().Qual(eventPkg, "Rule").Block(
			jen.Return(jen.Index().Qual(eventPkg, "Rule").Values(all...)),
		))
	return f
}

// ruleExampleTests adds one test per rule with examples: each example wrapped in its envelope,
// turned into its EventBridge form by the runtime and matched with runtime/pattern, as the bus
// does.
func (g *generator) ruleExampleTests(f *jen.File) bool {
	added := false
	for _, r := range g.m.Rules {
		if len(r.Examples.Matches)+len(r.Examples.Rejects) == 0 {
			continue
		}
		var rows []jen.Code
		add := func(kind string, i int, ex *spec.RuleExample, want bool) {
			env, err := rulecheck.ExampleEnvelope(g.m, ex)
			if err != nil {
				return // rulecheck reports it before generation
			}
			rule := jen.Id(ruleName(r))
			if r.TenantScoped {
				rule = jen.Id(ruleName(r) + "For").Call(jen.Lit(env.Metadata.TenantID))
			}
			rows = append(rows, jen.Values(jen.Dict{
				jen.Id("name"): jen.Lit(kind + "[" + strconv.Itoa(i) + "]"),
				jen.Id("rule"): rule,
				jen.Id("env"):  envelopeLit(env),
				jen.Id("want"): jen.Lit(want),
			}))
		}
		for i, ex := range r.Examples.Matches {
			add("matches", i, ex, true)
		}
		for i, ex := range r.Examples.Rejects {
			add("rejects", i, ex, false)
		}
		if len(rows) == 0 {
			continue
		}
		name := "TestRule" + naming.Go(r.Name) + "Examples"
		addAll(f,
			commentf("%s checks the examples of rule %q: each matches or is rejected, as the spec\nsays, on the event's EventBridge form.", name, r.Name),
			jen.Func().Id(name).Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
				jen.For(jen.List(jen.Id("_"), jen.Id("tc")).Op(":=").Range().Index().Struct(
					jen.Id("name").String(),
					jen.Id("rule").Qual(eventPkg, "Rule"),
					jen.Id("env").Qual(eventPkg, "Envelope"),
					jen.Id("want").Bool(),
				).Values(rows...)).Block(
					jen.Id("t").Dot("Run").Call(jen.Id("tc").Dot("name"), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
						jen.Id("eventgenRuleMatches").Call(jen.Id("t"), jen.Id("tc").Dot("rule"), jen.Id("tc").Dot("env"), jen.Id("tc").Dot("want")),
					)),
				),
			), jen.Line())
		added = true
	}
	if !added {
		return false
	}
	addAll(f,
		comment("eventgenRuleMatches fails t unless rule's pattern matches env's EventBridge form exactly when\nwant is true."),
		jen.Func().Id("eventgenRuleMatches").Params(jen.Id("t").Op("*").Qual("testing", "T"), jen.Id("rule").Qual(eventPkg, "Rule"), jen.Id("env").Qual(eventPkg, "Envelope"), jen.Id("want").Bool()).Block(
			jen.Id("t").Dot("Helper").Call(),
			jen.List(jen.Id("p"), jen.Err()).Op(":=").Qual(patternPkg, "Compile").Call(jen.Id("rule").Dot("Pattern")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatalf").Call(jen.Lit("rule %s: %v"), jen.Id("rule").Dot("Name"), jen.Err())),
			jen.List(jen.Id("eb"), jen.Err()).Op(":=").Id("env").Dot("EventBridge").Call(),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.List(jen.Id("got"), jen.Err()).Op(":=").Id("p").Dot("Match").Call(jen.Id("eb")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
			jen.If(jen.Id("got").Op("!=").Id("want")).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("rule %s: match = %v, want %v for the event\n%s"), jen.Id("rule").Dot("Name"), jen.Id("got"), jen.Id("want"), jen.Id("eb")),
			),
		), jen.Line())
	return true
}

// envelopeLit is an event.Envelope literal of env, with only the metadata fields it sets.
func envelopeLit(env event.Envelope) jen.Code {
	meta := jen.Dict{}
	for _, kv := range []struct{ field, value string }{
		{"UserID", env.Metadata.UserID},
		{"OrganizationID", env.Metadata.OrganizationID},
		{"TenantID", env.Metadata.TenantID},
		{"CorrelationID", env.Metadata.CorrelationID},
		{"CausationID", env.Metadata.CausationID},
		{"TraceParent", env.Metadata.TraceParent},
	} {
		if kv.value != "" {
			meta[jen.Id(kv.field)] = jen.Lit(kv.value)
		}
	}
	ts := env.Timestamp.UTC()
	return jen.Qual(eventPkg, "Envelope").Values(jen.Dict{
		jen.Id("Version"):   jen.Lit(env.Version),
		jen.Id("EventType"): jen.Lit(env.EventType),
		jen.Id("EventID"):   jen.Lit(env.EventID),
		jen.Id("Timestamp"): jen.Qual("time", "Date").Call(jen.Lit(ts.Year()), jen.Qual("time", ts.Month().String()), jen.Lit(ts.Day()), jen.Lit(ts.Hour()), jen.Lit(ts.Minute()), jen.Lit(ts.Second()), jen.Lit(ts.Nanosecond()), jen.Qual("time", "UTC")),
		jen.Id("Source"):    jen.Lit(env.Source),
		jen.Id("Metadata"):  jen.Qual(eventPkg, "Metadata").Values(meta),
		jen.Id("Data"):      jen.Qual(jsonPkg, "RawMessage").Call(rawOrQuoted(string(env.Data))),
	})
}
