package domain

import "time"

// Kinds of due-date notice: at most one of each per task and due date (table task_due_notices).
const (
	DueNoticeSoon    = "due_soon"
	DueNoticeOverdue = "overdue"
)

const (
	// DueSoonLead is how long before a task falls due its assignees are reminded.
	DueSoonLead = 24 * time.Hour
	// OverdueLookback bounds how late an overdue notice may still go out. A task found overdue for longer
	// (the sweep's first run in an organization, a worker down for a week, a due date set far in the past)
	// gets none: a flood of stale notices on first deploy helps nobody. It also bounds the sweep's window.
	OverdueLookback = 7 * 24 * time.Hour
)

// DueDateNotice is the one notice every open, assigned task due on Date owes at some instant.
type DueDateNotice struct {
	// Date is a calendar date as tasks store it (midnight UTC).
	Date time.Time
	Kind string
}

// DueSweep is what one sweep of an organization's due dates did.
type DueSweep struct {
	// Raised counts the notices (and task.due_soon / task.overdue events) this sweep recorded.
	Raised int
	// NextAt is the earliest instant a further notice can fall due (zero: nothing open is due later).
	NextAt time.Time
	// OrganizationGone says the organization was deleted (or is being deleted): its sweeps are over.
	OrganizationGone bool
}

// DueAt is the instant a task due on date falls due: the end of that calendar day in the organization's
// time zone (a task due Friday is on time all Friday, wherever the organization works).
func DueAt(date time.Time, loc *time.Location) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// DueWindow lists the calendar dates whose open, assigned tasks owe a notice at now in loc, each with the
// one kind it owes: overdue from the end of the day (for OverdueLookback), due soon in the DueSoonLead
// before it. A task first seen already overdue gets only the overdue notice. The window spans about nine
// dates, which is what keeps the sweep's index range small however many tasks have due dates.
func DueWindow(now time.Time, loc *time.Location) []DueDateNotice {
	var out []DueDateNotice
	last := civilDate(now.Add(DueSoonLead), loc)
	for d := civilDate(now.Add(-OverdueLookback), loc).AddDate(0, 0, -1); !d.After(last); d = d.AddDate(0, 0, 1) {
		at := DueAt(d, loc)
		switch {
		case !now.Before(at) && now.Sub(at) <= OverdueLookback:
			out = append(out, DueDateNotice{Date: d, Kind: DueNoticeOverdue})
		case now.Before(at) && !now.Before(at.Add(-DueSoonLead)):
			out = append(out, DueDateNotice{Date: d, Kind: DueNoticeSoon})
		}
	}
	return out
}

// NextDueCheck is the earliest instant after now at which a task due on first or later can owe a new
// notice, where first is the earliest open, assigned due date not before today in loc. Its thresholds are
// those of first and of the day after it (on a short DST day the next day's reminder comes before first's
// overdue); any later date's come later still. Zero first gives zero: nothing upcoming.
func NextDueCheck(now, first time.Time, loc *time.Location) time.Time {
	if first.IsZero() {
		return time.Time{}
	}
	var next time.Time
	for _, at := range []time.Time{DueAt(first, loc).Add(-DueSoonLead), DueAt(first, loc),
		DueAt(first.AddDate(0, 0, 1), loc).Add(-DueSoonLead)} {
		if at.After(now) && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	return next
}

// Today is now's calendar date in loc, as tasks store dates (midnight UTC).
func Today(now time.Time, loc *time.Location) time.Time { return civilDate(now, loc) }

// civilDate is t's calendar date in loc, as midnight UTC.
func civilDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
