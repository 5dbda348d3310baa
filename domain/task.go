package domain

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// Task priorities, lowest first (the list view sorts by this order).
const (
	PriorityLow    = "low"
	PriorityMedium = "medium"
	PriorityHigh   = "high"
	PriorityUrgent = "urgent"
)

// Priorities lists the task priorities, lowest first.
var Priorities = []string{PriorityLow, PriorityMedium, PriorityHigh, PriorityUrgent}

// Task is one card on a project's board.
type Task struct {
	ID              string
	OrganizationID  string
	ProjectID       string
	ColumnID        string
	Number          int
	Title           string
	DescriptionJSON json.RawMessage
	DescriptionHTML string
	Position        string
	Priority        string
	DueDate         *time.Time
	EstimateMinutes *int
	CompletedAt     *time.Time
	AssigneeIDs     []string
	CreatedBy       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TaskDetail is a task with everything its drawer shows.
type TaskDetail struct {
	Task
	Subtasks []*Subtask
	// AuditLog is the newest TaskDetailAuditEntries changes, oldest first; AuditLogBefore is the cursor of
	// the earlier ones ("" when there are none), read a page at a time.
	AuditLog       []*TaskAuditEntry
	AuditLogBefore string
	// Requester is the client contact whose portal request the task is; nil for a staff task.
	Requester *TaskRequester
}

// TaskDetailAuditEntries is how many of a task's latest changes come with the task; the rest are paged.
const TaskDetailAuditEntries = 20

// TaskRequester is the person who asked for a task from the client portal.
type TaskRequester struct {
	ID   string
	Name string
}

// TaskAuditEntry is one recorded change of a task: the changed fields' old and new values.
type TaskAuditEntry struct {
	ID        string
	ActorID   string
	ActorName string
	Action    string
	OldValues map[string]any
	NewValues map[string]any
	CreatedAt time.Time
}

// Task audit actions.
const (
	TaskAuditCreated        = "task.created"
	TaskAuditUpdated        = "task.updated"
	TaskAuditMoved          = "task.moved"
	TaskAuditCompleted      = "task.completed"
	TaskAuditSubtaskAdded   = "subtask.created"
	TaskAuditSubtaskUpdated = "subtask.updated"
	TaskAuditSubtaskDeleted = "subtask.deleted"
)

// TaskUpdate holds the fields a PATCH changes; nil means "leave as is". ClearDueDate and ClearEstimate
// unset the optional fields (JSON null).
type TaskUpdate struct {
	Title           *string
	DescriptionJSON json.RawMessage
	DescriptionHTML *string
	ColumnID        *string
	Priority        *string
	DueDate         *time.Time
	ClearDueDate    bool
	EstimateMinutes *int
	ClearEstimate   bool
	AssigneeIDs     *[]string
}

// Move places a row after AfterID or before BeforeID among its siblings; both empty means "at the end".
// AfterID wins when both are set.
type Move struct {
	AfterID  string
	BeforeID string
}

// TaskMove moves a task into ColumnID at the position Move names.
type TaskMove struct {
	ColumnID string
	Move
}

// Normalize trims the title and fills defaults.
func (t *Task) Normalize() {
	t.Title = strings.TrimSpace(t.Title)
	if t.Priority == "" {
		t.Priority = PriorityMedium
	}
	if len(t.DescriptionJSON) == 0 {
		t.DescriptionJSON = json.RawMessage("{}")
	}
}

// Validate checks a task before it is written; field names are the API's body paths.
func (t *Task) Validate() error {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if t.Title == "" {
		add("body.title", "is required")
	} else if utf8.RuneCountInString(t.Title) > 300 {
		add("body.title", "must be at most 300 characters")
	}
	if !ValidPriority(t.Priority) {
		add("body.priority", "must be low, medium, high or urgent")
	}
	if t.EstimateMinutes != nil && (*t.EstimateMinutes < 0 || *t.EstimateMinutes > 1_000_000) {
		add("body.estimate_minutes", "must be between 0 and 1000000")
	}
	if !jsonObject(t.DescriptionJSON) {
		add("body.description.json", "must be a JSON object")
	}
	if len(t.DescriptionHTML) > 200_000 {
		add("body.description.html", "must be at most 200000 bytes")
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The task is invalid.", Fields: fields}
	}
	return nil
}

// ValidPriority reports whether p is a task priority.
func ValidPriority(p string) bool {
	for _, q := range Priorities {
		if p == q {
			return true
		}
	}
	return false
}

func jsonObject(raw json.RawMessage) bool {
	var v map[string]any
	return json.Unmarshal(raw, &v) == nil && v != nil
}
