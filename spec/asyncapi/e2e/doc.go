// Package e2e benchmarks the whole pipeline on AsyncAPI input. It is apart from package
// asyncapi so that the frontend's own tests do not depend on the backends.
package e2e
