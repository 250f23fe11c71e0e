// Package app is the workflow engine of the running example, as a library: commands that
// change Workflow aggregates through the generated WorkflowRepository, an outbox that publishes
// every stored event on an in-process bus, a runner that completes started runs, a notifier
// behind the generated rule live-runs-of-org-123 and the run dashboard, a projection behind
// the generated handler run-dashboard that is rebuilt from the store on start.
//
// cmd/workflowd runs it on the embedded defaults (SQLite, in-process bus); the tests run the
// same flow on SQLite and, when EVENTGEN_PG_DSN is set, on PostgreSQL.
package app
