package store

// The sweep's statements, for the plan test in package store_test, which runs them as they run in production.
const (
	DueNoticesSQL = dueNoticesSQL
	FirstDueSQL   = firstDueSQL
)
