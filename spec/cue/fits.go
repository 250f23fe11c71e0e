package cue

import "cuelang.org/go/cue"

// Unifying a large spec with the schema (schema.cue) evaluates the whole spec a second time,
// a sizeable share of loading. fitsSchema is the cheap, common case: a walk of the evaluated
// spec that accepts it only when schema.cue surely would. When it cannot tell, the spec is
// unified with the schema as before, so that every error is CUE's own, positioned and worded
// as always. The walk must therefore never accept what the schema rejects; it may reject
// what the schema accepts (an optional or hidden field where the schema has rules, a
// non-concrete bound), at the price of the slow path. Keep it in step with schema.cue.

// fitsSchema reports whether the spec root, already validated on its own, surely satisfies
// #Spec.
func fitsSchema(root cue.Value) bool {
	return walkStruct(root, true, func(name string, v cue.Value) bool {
		switch name {
		case "eventgen":
			return closedStruct(v, map[string]func(cue.Value) bool{"source": isString, "package": isString, "bus": isString})
		case "aggregates":
			return eachMember(v, func(a cue.Value) bool { return closedStruct(a, map[string]func(cue.Value) bool{"id": isString}) })
		case "events":
			return eachMember(v, fitsEvent)
		case "rules":
			return eachMember(v, fitsRule)
		case "handlers":
			return eachMember(v, func(h cue.Value) bool { return closedStruct(h, handlerFields) })
		}
		return false
	})
}

var handlerFields = map[string]func(cue.Value) bool{
	"on":      func(v cue.Value) bool { return eachElem(v, isString) },
	"rule":    isString,
	"unknown": isString,
}

// fitsEvent checks one member of events against #Event.
func fitsEvent(v cue.Value) bool {
	return walkStruct(v, false, func(name string, f cue.Value) bool {
		switch {
		case name == "aggregate", name == "source":
			return isString(f)
		case isVersionKey(name):
			return isStruct(f)
		case name == "upcast":
			return walkStruct(f, false, func(step string, s cue.Value) bool {
				return isVersionKey(step) && closedStruct(s, upcastFields)
			})
		case name == "examples":
			return eachElem(f, func(e cue.Value) bool { return closedStruct(e, exampleFields) })
		}
		return false
	})
}

var upcastFields = map[string]func(cue.Value) bool{
	"set":    isStruct,
	"rename": func(v cue.Value) bool { return eachMember(v, isString) },
	"drop":   func(v cue.Value) bool { return eachElem(v, isString) },
	"custom": isBool,
}

var exampleFields = map[string]func(cue.Value) bool{
	"version": isInt,
	"data":    isStruct,
	"latest":  isStruct,
	"valid":   isBool,
}

// fitsRule checks one member of rules against #Rule.
func fitsRule(v cue.Value) bool {
	return closedStruct(v, ruleFields)
}

var ruleFields = map[string]func(cue.Value) bool{
	"description": isString,
	"bus":         isString,
	"on": func(v cue.Value) bool {
		return eachElem(v, func(e cue.Value) bool { return isString(e) || isStruct(e) })
	},
	"match":        isStruct,
	"tenantScoped": isBool,
	"pattern":      isStruct,
	"examples": func(v cue.Value) bool {
		examples := func(l cue.Value) bool {
			return eachElem(l, func(e cue.Value) bool { return closedStruct(e, ruleExampleFields) })
		}
		return closedStruct(v, map[string]func(cue.Value) bool{"matches": examples, "rejects": examples})
	},
	"targets": func(v cue.Value) bool {
		return eachElem(v, func(e cue.Value) bool { return closedStruct(e, targetFields) })
	},
}

var ruleExampleFields = map[string]func(cue.Value) bool{
	"type":     isString,
	"version":  isInt,
	"metadata": isStruct,
	"data":     isStruct,
}

var targetFields = map[string]func(cue.Value) bool{
	"arn":                isString,
	"deadLetterArn":      isString,
	"maxRetries":         intIn(0, 185),
	"maxEventAgeSeconds": intIn(60, 86400),
}

// walkStruct calls fits on every regular field of the struct v and reports whether all fit.
// Any other kind of field (optional, required, a definition, hidden) is left to the schema,
// except the definitions and hidden fields of the spec's root, which #Spec allows.
func walkStruct(v cue.Value, root bool, fits func(name string, v cue.Value) bool) bool {
	if v.IncompleteKind() != cue.StructKind {
		return false
	}
	it, err := v.Fields(cue.Optional(true), cue.Definitions(true), cue.Hidden(true))
	if err != nil {
		return false
	}
	for it.Next() {
		switch t := it.FieldType(); {
		case t == cue.StringLabel:
			if !fits(it.Selector().Unquoted(), it.Value()) {
				return false
			}
		case root && (t == cue.DefinitionLabel || t == cue.HiddenLabel || t == cue.HiddenDefinitionLabel):
		default:
			return false
		}
	}
	return true
}

// closedStruct checks a struct whose fields are exactly those of fields, each optional.
func closedStruct(v cue.Value, fields map[string]func(cue.Value) bool) bool {
	return walkStruct(v, false, func(name string, f cue.Value) bool {
		fits, ok := fields[name]
		return ok && fits(f)
	})
}

// eachMember checks a struct of any regular fields, each of which must fit.
func eachMember(v cue.Value, fits func(cue.Value) bool) bool {
	return walkStruct(v, false, func(_ string, f cue.Value) bool { return fits(f) })
}

// eachElem checks a list of known length whose elements must all fit.
func eachElem(v cue.Value, fits func(cue.Value) bool) bool {
	if v.IncompleteKind() != cue.ListKind {
		return false
	}
	if _, err := v.Len().Int64(); err != nil {
		return false // an open list: its element type is the schema's business
	}
	it, err := v.List()
	if err != nil {
		return false
	}
	for it.Next() {
		if !fits(it.Value()) {
			return false
		}
	}
	return true
}

func isString(v cue.Value) bool { return v.IncompleteKind() == cue.StringKind }
func isBool(v cue.Value) bool   { return v.IncompleteKind() == cue.BoolKind }
func isInt(v cue.Value) bool    { return v.IncompleteKind() == cue.IntKind }
func isStruct(v cue.Value) bool { return v.IncompleteKind() == cue.StructKind }

// intIn accepts a concrete integer in [lo, hi].
func intIn(lo, hi int64) func(cue.Value) bool {
	return func(v cue.Value) bool {
		n, err := v.Int64()
		return err == nil && n >= lo && n <= hi
	}
}

// isVersionKey reports whether key matches the schema's version pattern ^v[0-9]+$.
func isVersionKey(key string) bool {
	if len(key) < 2 || key[0] != 'v' {
		return false
	}
	for _, c := range key[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
