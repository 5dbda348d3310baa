package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of what a contact writes in the portal.
const (
	// MaxPortalTitle bounds a request's title (the tasks table's limit).
	MaxPortalTitle = 300
	// MaxPortalText bounds a request's description and a contact's comment, in characters.
	MaxPortalText = 10_000
)

// PortalDisabled is the message a contact without a client, or whose client's portal is off, receives.
const PortalDisabled = "The portal is not enabled for your account yet."

// PortalViewer is who reads the client portal: a contact of ClientID (Role client), or a staff member
// previewing ClientID's portal (any other role; the API checked clients.read). The portal rule is a second
// isolation axis inside the tenant: the store checks a contact's ClientID against their membership in the
// same statement, and limits a staff preview to the projects the staff member may see themselves.
type PortalViewer struct {
	UserID   string
	ClientID string
	Role     string
}

// Contact reports whether the viewer is a client contact (not a staff member previewing the portal).
func (v PortalViewer) Contact() bool { return v.Role == RoleClient }

// Viewer is the viewer as the rest of the store knows it (for staff previews: their project visibility).
func (v PortalViewer) Viewer() Viewer { return Viewer{UserID: v.UserID, Role: v.Role} }

// PortalClient is the client whose portal is shown.
type PortalClient struct {
	ID   string
	Name string
}

// PortalProject is a project as its client sees it: no budget, rate or internal fields.
type PortalProject struct {
	ID          string
	Name        string
	Description string
	Status      string
	StartDate   *time.Time
	DueDate     *time.Time
	// Done and Total count the project's tasks, Done those completed.
	Done, Total int
	// AllowComments mirrors projects.portal_comments: contacts may comment on its tasks.
	AllowComments bool
}

// PortalMilestone is a board column shown as a stage of the project, with its number of tasks.
type PortalMilestone struct {
	ID        string
	Name      string
	TaskCount int
	// Position is the column's place on the board, from 0.
	Position int
}

// PortalProjectDetail is a project with its milestones.
type PortalProjectDetail struct {
	PortalProject
	Milestones []PortalMilestone
}

// PortalTask is a task of a portal project, as its client sees it.
type PortalTask struct {
	ID        string
	ProjectID string
	Number    int
	Title     string
	// Status is the name of the task's column.
	Status        string
	ColumnID      string
	Priority      string
	DueDate       *time.Time
	CompletedAt   *time.Time
	RequestedByMe bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// PortalComment is a comment a contact may read (never an internal one).
type PortalComment struct {
	ID         string
	AuthorID   string
	AuthorName string
	BodyHTML   string
	CreatedAt  time.Time
	// FromClient is set when a contact of the organization wrote it.
	FromClient bool
}

// PortalTaskDetail is a task with its description, its visible comments and its shared attachments.
type PortalTaskDetail struct {
	PortalTask
	DescriptionHTML string
	Comments        []PortalComment
	Attachments     []PortalFile
	// CanComment is set when the viewer is a contact and the project allows contact comments.
	CanComment bool
}

// PortalFile is a file shared with the client.
type PortalFile struct {
	ID          string
	ProjectID   string
	ProjectName string
	TaskID      string
	Name        string
	ContentType string
	SizeBytes   int64
	CreatedAt   time.Time
}

// PortalInvoice is an invoice that went out to the client: no notes, lines or internal references.
type PortalInvoice struct {
	ID         string
	Number     int
	Status     string
	Currency   string
	Total      int64
	AmountPaid int64
	IssueDate  time.Time
	DueDate    time.Time
}

// AmountDue is what remains to be paid.
func (i PortalInvoice) AmountDue() int64 { return i.Total - i.AmountPaid }

// PortalInvoiceStatuses are the invoice statuses a client sees; drafts and void invoices never reach the portal.
var PortalInvoiceStatuses = []string{InvoiceSent, InvoicePaid, InvoiceOverdue}

// MoneyTotal is an amount in minor units of one currency.
type MoneyTotal struct {
	Currency string
	Amount   int64
}

// PortalDue is an open task with a due date.
type PortalDue struct {
	TaskID    string
	ProjectID string
	Title     string
	DueDate   time.Time
}

// PortalSections are the parts of the portal summary the caller's role may read: the recent files
// (files.read), the next due tasks (tasks.read) and the open invoices (invoices.read).
type PortalSections struct{ Files, Tasks, Invoices bool }

// PortalSummary is the portal's home page.
type PortalSummary struct {
	Client       PortalClient
	Projects     []PortalProject
	RecentFiles  []PortalFile
	OpenInvoices []PortalInvoice
	TotalsDue    []MoneyTotal
	NextDue      []PortalDue
}

// PortalRecentFiles and PortalNextDue bound the summary's lists.
const (
	PortalRecentFiles = 5
	PortalNextDue     = 5
)

// PortalRequest is what a contact asks for: it becomes a task in the project's intake column.
type PortalRequest struct {
	ProjectID   string
	Title       string
	Description string
}

// Normalize trims the request's text.
func (r *PortalRequest) Normalize() {
	r.Title = strings.TrimSpace(r.Title)
	r.Description = strings.TrimSpace(r.Description)
}

// Validate checks a normalised request; field names are the API's body paths.
func (r *PortalRequest) Validate() error {
	var fields []FieldError
	if r.Title == "" {
		fields = append(fields, FieldError{Field: "body.title", Message: "Give the request a title."})
	} else if utf8.RuneCountInString(r.Title) > MaxPortalTitle {
		fields = append(fields, FieldError{Field: "body.title", Message: "The title is longer than 300 characters."})
	}
	if utf8.RuneCountInString(r.Description) > MaxPortalText {
		fields = append(fields, FieldError{Field: "body.description", Message: "The description is longer than 10000 characters."})
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The request is not valid.", Fields: fields}
	}
	return nil
}

// ValidatePortalComment checks a contact's plain-text comment (already trimmed).
func ValidatePortalComment(body string) error {
	if body == "" {
		return Invalid("body.body", "The comment is empty.")
	}
	if utf8.RuneCountInString(body) > MaxPortalText {
		return Invalid("body.body", "The comment is longer than 10000 characters.")
	}
	return nil
}
