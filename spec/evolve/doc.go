// Package evolve checks how a spec's events change over time.
//
// Within one spec it checks upcast chains: every step vN → vN+1 must give each field of
// vN+1 exactly one source and must write down every field it loses (CheckUpcasts), and an
// example that states its `latest` form must upcast to exactly that (CheckExamples, built
// on UpcastJSON, an interpreter of generated upcast steps on JSON values).
//
// Between two revisions of a spec it finds the changes that break stored events or
// consumers (Breaking), each tagged with a stable rule ID in the style of `buf breaking`,
// and LoadOld reads the older revision from disk or from git (REV:PATH).
package evolve
