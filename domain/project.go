package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Project statuses.
const (
	ProjectPlanning  = "planning"
	ProjectActive    = "active"
	ProjectOnHold    = "on_hold"
	ProjectCompleted = "completed"
	ProjectCancelled = "cancelled"
)

// ProjectStatuses lists every project status, in workflow order.
var ProjectStatuses = []string{ProjectPlanning, ProjectActive, ProjectOnHold, ProjectCompleted, ProjectCancelled}

// Project member events (project.created/updated/deleted live in event.go).
const (
	EventProjectMemberAdded   = "project.member_added"
	EventProjectMemberRemoved = "project.member_removed"
)

// Project is a piece of work for a client (or internal), with a board of tasks.
type Project struct {
	ID             string
	OrganizationID string
	ClientID       string
	Name           string
	Description    string
	Status         string
	// StartDate and DueDate are calendar dates (midnight UTC); nil when unset.
	StartDate *time.Time
	DueDate   *time.Time
	// BudgetAmount is in minor units of BudgetCurrency; both are set or both are empty.
	BudgetAmount   *int64
	BudgetCurrency string
	BudgetMinutes  *int
	HourlyRate     *int64
	// PortalHidden keeps the project out of its client's portal; PortalCommentsOff stops the client's
	// contacts commenting on its tasks there. Both are off by default (zero value = shared, comments on).
	PortalHidden      bool
	PortalCommentsOff bool
	ArchivedAt        *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// ProjectFilter narrows a project list. Archived false lists active projects, true archived ones.
type ProjectFilter struct {
	Status   string
	ClientID string
	Archived bool
	Query    string
	Limit    int
	Cursor   string
}

// ProjectUpdate holds the fields a PATCH changes; nil means "leave as is". An empty ClientID, StartDate
// or DueDate clears it; ClearBudget removes the money budget.
type ProjectUpdate struct {
	Name, Description, Status, ClientID *string
	StartDate, DueDate                  **time.Time
	BudgetAmount                        *int64
	BudgetCurrency                      *string
	ClearBudget                         bool
	BudgetMinutes                       **int
	HourlyRate                          **int64
	// PortalShared and PortalComments are the API's positive switches (see Project.PortalHidden).
	PortalShared, PortalComments *bool
}

// Apply copies the set fields onto p and returns the names of the fields whose value changed.
func (u ProjectUpdate) Apply(p *Project) []string {
	var changed []string
	str := func(name string, dst *string, src *string) {
		if src != nil && *dst != *src {
			*dst = *src
			changed = append(changed, name)
		}
	}
	str("name", &p.Name, u.Name)
	str("description", &p.Description, u.Description)
	str("status", &p.Status, u.Status)
	str("client_id", &p.ClientID, u.ClientID)
	date := func(name string, dst **time.Time, src **time.Time) {
		if src != nil && !sameDate(*dst, *src) {
			*dst = *src
			changed = append(changed, name)
		}
	}
	date("start_date", &p.StartDate, u.StartDate)
	date("due_date", &p.DueDate, u.DueDate)
	if u.ClearBudget && p.BudgetAmount != nil {
		p.BudgetAmount, p.BudgetCurrency = nil, ""
		changed = append(changed, "budget")
	} else if u.BudgetAmount != nil || u.BudgetCurrency != nil {
		amount, currency := u.BudgetAmount, ""
		if u.BudgetCurrency != nil {
			currency = *u.BudgetCurrency
		}
		if !equalPtr(p.BudgetAmount, amount) || p.BudgetCurrency != currency {
			p.BudgetAmount, p.BudgetCurrency = amount, currency
			changed = append(changed, "budget")
		}
	}
	if u.BudgetMinutes != nil && !equalPtr(p.BudgetMinutes, *u.BudgetMinutes) {
		p.BudgetMinutes = *u.BudgetMinutes
		changed = append(changed, "budget_minutes")
	}
	if u.HourlyRate != nil && !equalPtr(p.HourlyRate, *u.HourlyRate) {
		p.HourlyRate = *u.HourlyRate
		changed = append(changed, "hourly_rate")
	}
	off := func(name string, dst *bool, on *bool) {
		if on != nil && *dst != !*on {
			*dst = !*on
			changed = append(changed, name)
		}
	}
	off("portal_shared", &p.PortalHidden, u.PortalShared)
	off("portal_comments", &p.PortalCommentsOff, u.PortalComments)
	return changed
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Normalize trims whitespace, upper-cases the currency and fills the default status.
func (p *Project) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.BudgetCurrency = strings.ToUpper(strings.TrimSpace(p.BudgetCurrency))
	if p.Status == "" {
		p.Status = ProjectPlanning
	}
}

// Validate checks a project before it is written; field names are the API's body paths.
func (p *Project) Validate() error {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if p.Name == "" {
		add("body.name", "is required")
	} else if utf8.RuneCountInString(p.Name) > 200 {
		add("body.name", "must be at most 200 characters")
	}
	if utf8.RuneCountInString(p.Description) > 10000 {
		add("body.description", "must be at most 10000 characters")
	}
	if !slices.Contains(ProjectStatuses, p.Status) {
		add("body.status", "must be one of planning, active, on_hold, completed, cancelled")
	}
	if p.StartDate != nil && p.DueDate != nil && p.DueDate.Before(*p.StartDate) {
		add("body.due_date", "must not be before the start date")
	}
	switch {
	case p.BudgetAmount == nil && p.BudgetCurrency != "":
		add("body.budget.amount", "is required with a currency")
	case p.BudgetAmount != nil && p.BudgetCurrency == "":
		add("body.budget.currency", "is required with an amount")
	case p.BudgetAmount != nil && !slices.Contains(Currencies, p.BudgetCurrency):
		add("body.budget.currency", "must be a supported ISO 4217 currency code")
	}
	if p.BudgetAmount != nil && *p.BudgetAmount < 0 {
		add("body.budget.amount", "must not be negative")
	}
	if p.BudgetMinutes != nil && *p.BudgetMinutes < 0 {
		add("body.budget_minutes", "must not be negative")
	}
	if p.HourlyRate != nil && *p.HourlyRate < 0 {
		add("body.hourly_rate", "must not be negative")
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The project is invalid.", Fields: fields}
	}
	return nil
}

// MinYear and MaxYear bound every date and timestamp the product accepts: nothing needs more, and beyond
// them Postgres (no year 0) or clients' date libraries give up.
const (
	MinYear = 1900
	MaxYear = 2200
)

// ParseDate reads a calendar date (YYYY-MM-DD, years MinYear to MaxYear) for field; "" is no date.
func ParseDate(field, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < MinYear || d.Year() > MaxYear {
		return nil, Invalid(field, "must be a date (YYYY-MM-DD) between the years 1900 and 2200")
	}
	return &d, nil
}

// ProjectMember is a user on a project.
type ProjectMember struct {
	UserID    string
	Name      string
	Email     string
	Role      string
	CreatedAt time.Time
}
