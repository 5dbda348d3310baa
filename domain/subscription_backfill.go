package domain

// BackfillPage is the outcome of one page of the subscription backfill.
type BackfillPage struct {
	// Last is the last organization ID of the page, Done whether it was the last page.
	Last string
	// Seen counts the organizations visited, Started those whose Subscription workflow was started.
	Seen, Started int
	Done          bool
}
