package domain

import (
	"math"
	"time"
	"unicode/utf8"
)

// Time entry events.
const (
	EventTimeEntryCreated = "time_entry.created"
	EventTimeEntryUpdated = "time_entry.updated"
	EventTimeEntryDeleted = "time_entry.deleted"
)

// MaxEntryMinutes is the most a manual entry may log: one day.
const MaxEntryMinutes = 1440

// TimeEntry is a stretch of work on a project (and optionally one of its tasks). A running timer has
// EndedAt and Minutes nil.
type TimeEntry struct {
	ID             string
	OrganizationID string
	ProjectID      string
	TaskID         string
	UserID         string
	StartedAt      time.Time
	EndedAt        *time.Time
	Minutes        *int
	Note           string
	Billable       bool
	BilledAt       *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// ProjectName, TaskTitle and UserName are read-only labels joined in for display.
	ProjectName, TaskTitle, UserName string
}

// Running reports whether the entry is a timer that has not been stopped.
func (e *TimeEntry) Running() bool { return e.EndedAt == nil }

// Stop ends a running entry at now. Minutes are the elapsed time rounded to the nearest minute, at least
// one, so a timer stopped after a few seconds still records that work happened.
func (e *TimeEntry) Stop(now time.Time) {
	if now.Before(e.StartedAt) {
		now = e.StartedAt
	}
	m := max(int(math.Round(now.Sub(e.StartedAt).Minutes())), 1)
	e.EndedAt, e.Minutes = &now, &m
}

// ManualEntryInput is a time entry logged by hand: the day (or exact start) and how long.
type ManualEntryInput struct {
	ProjectID string
	TaskID    string
	// Date is the day worked (UTC); StartedAt overrides it when set.
	Date      *time.Time
	StartedAt *time.Time
	Minutes   int
	Note      string
	Billable  bool
}

// TimeEntryUpdate holds the fields a PATCH changes; nil means "leave as is". TaskID "" clears the task.
type TimeEntryUpdate struct {
	ProjectID *string
	TaskID    *string
	StartedAt *time.Time
	Minutes   *int
	Note      *string
	Billable  *bool
}

// Apply copies the set fields onto e; a stopped entry's end follows its start and minutes.
func (u TimeEntryUpdate) Apply(e *TimeEntry) {
	if u.ProjectID != nil {
		e.ProjectID = *u.ProjectID
	}
	if u.TaskID != nil {
		e.TaskID = *u.TaskID
	}
	if u.StartedAt != nil {
		e.StartedAt = u.StartedAt.UTC()
	}
	if u.Minutes != nil {
		m := *u.Minutes
		e.Minutes = &m
	}
	if u.Note != nil {
		e.Note = *u.Note
	}
	if u.Billable != nil {
		e.Billable = *u.Billable
	}
	if e.Minutes != nil {
		end := e.StartedAt.Add(time.Duration(*e.Minutes) * time.Minute)
		e.EndedAt = &end
	}
}

// ValidateLogged checks the hand-entered fields of an entry at now: minutes in 1..1440 (when set), a start no
// later than the end of tomorrow (UTC; time zones ahead of UTC may already be there), a short note. Nil
// fields are not checked, so an edit validates only what it changes.
func ValidateLogged(now time.Time, minutes *int, startedAt *time.Time, note *string) error {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if minutes != nil && (*minutes < 1 || *minutes > MaxEntryMinutes) {
		add("body.minutes", "must be between 1 and 1440")
	}
	y, m, d := now.UTC().Date()
	limit := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 2)
	if startedAt != nil && !startedAt.Before(limit) {
		add("body.started_at", "must not be later than tomorrow")
	}
	if note != nil && utf8.RuneCountInString(*note) > 2000 {
		add("body.note", "must be at most 2000 characters")
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The time entry is invalid.", Fields: fields}
	}
	return nil
}

// CanEdit reports whether v may change or delete e: everyone their own entries; owners, admins and
// managers (who run the projects and approve timesheets) everyone's.
func (v Viewer) CanEdit(e *TimeEntry) bool { return e.UserID == v.UserID || v.SeesAllProjects() }

// TimeEntryFilter narrows a time entry list. From and To are inclusive UTC days; Cursor is opaque.
type TimeEntryFilter struct {
	ProjectID, TaskID, UserID string
	From, To                  *time.Time
	Billable                  *bool
	Limit                     int
	Cursor                    string
}

// Summary groupings.
const (
	GroupByProject = "project"
	GroupByTask    = "task"
	GroupByUser    = "user"
	GroupByDay     = "day"
	GroupByWeek    = "week"
)

// TimeSummaryFilter selects what a summary adds up.
type TimeSummaryFilter struct {
	GroupBy   string
	ProjectID string
	From, To  *time.Time
}

// TimeTotal is one group of a summary: Key is an ID or a date (YYYY-MM-DD; a week is its Monday).
type TimeTotal struct {
	Key             string
	Label           string
	Minutes         int64
	BillableMinutes int64
}

// ProjectBudget is a project's budget next to what has been logged against it.
type ProjectBudget struct {
	ProjectID       string
	BudgetAmount    *int64
	BudgetCurrency  *string
	BudgetMinutes   *int64
	HourlyRate      *int64
	LoggedMinutes   int64
	BillableMinutes int64
	// BillableAmount is billable minutes × hourly rate in minor units, nil without a rate.
	BillableAmount *int64
	// PercentMinutesUsed and PercentAmountUsed compare against each budget that is set (0 budgets: nil).
	PercentMinutesUsed *float64
	PercentAmountUsed  *float64
}

// BillableAmount is minutes × hourlyRate / 60 in minor units, rounded half up to a whole minor unit
// (integer arithmetic, no floats near money).
func BillableAmount(minutes, hourlyRate int64) int64 { return (minutes*hourlyRate + 30) / 60 }

// Burn fills the amount and percentages from the budget, rate and logged minutes.
func (b *ProjectBudget) Burn() {
	if b.HourlyRate != nil {
		amt := BillableAmount(b.BillableMinutes, *b.HourlyRate)
		b.BillableAmount = &amt
	}
	if b.BudgetMinutes != nil && *b.BudgetMinutes > 0 {
		p := percent(b.LoggedMinutes, *b.BudgetMinutes)
		b.PercentMinutesUsed = &p
	}
	if b.BudgetAmount != nil && *b.BudgetAmount > 0 && b.BillableAmount != nil {
		p := percent(*b.BillableAmount, *b.BudgetAmount)
		b.PercentAmountUsed = &p
	}
}

// percent is used/total as a percentage rounded to one decimal.
func percent(used, total int64) float64 { return math.Round(float64(used)*1000/float64(total)) / 10 }

// Entry validates the input at now and builds the stopped entry it logs for userID. A Date logs the work
// at midnight UTC of that day.
func (in ManualEntryInput) Entry(now time.Time, userID string) (*TimeEntry, error) {
	start, startField := in.StartedAt, "body.started_at"
	if start == nil && in.Date != nil {
		y, m, d := in.Date.Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		start, startField = &day, "body.date"
	}
	if start == nil {
		return nil, Invalid("body.date", "date or started_at is required")
	}
	minutes := in.Minutes
	if err := ValidateLogged(now, &minutes, start, &in.Note); err != nil {
		for i, f := range err.(*Error).Fields {
			if f.Field == "body.started_at" {
				err.(*Error).Fields[i].Field = startField
			}
		}
		return nil, err
	}
	e := &TimeEntry{ProjectID: in.ProjectID, TaskID: in.TaskID, UserID: userID, StartedAt: start.UTC(),
		Minutes: &minutes, Note: in.Note, Billable: in.Billable}
	end := e.StartedAt.Add(time.Duration(minutes) * time.Minute)
	e.EndedAt = &end
	return e, nil
}
