// Package chaos holds the process-level fault tests: they build the real api and worker binaries, run them
// as child processes against a private Temporal dev server, the local Postgres (a database per test) and
// Redis, and then break things: SIGKILL the worker mid-activity, cut Postgres under load, run two of each
// process side by side. They run under `make chaos` (CLIENTFLOW_CHAOS=1); a plain `go test` skips them.
package chaos
