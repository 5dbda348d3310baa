package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Template events.
const (
	EventTemplateCreated = "template.created"
	EventTemplateUpdated = "template.updated"
	EventTemplateDeleted = "template.deleted"
)

// Limits of a template body, so one template cannot create an unbounded project.
const (
	maxTemplateColumns  = 20
	maxTemplateTasks    = 500
	maxTemplateSubtasks = 50
)

// Template is a reusable project skeleton: board columns and tasks.
type Template struct {
	ID             string
	OrganizationID string
	Name           string
	Description    string
	Body           TemplateBody
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TemplateBody is what a template creates: columns in order and tasks placed in them.
type TemplateBody struct {
	Columns []TemplateColumn `json:"columns"`
	Tasks   []TemplateTask   `json:"tasks"`
}

// TemplateColumn is one board column of a template.
type TemplateColumn struct {
	Name   string `json:"name"`
	Color  string `json:"color"`
	IsDone bool   `json:"is_done"`
}

// TemplateTask is one task of a template. Column indexes Columns; DueOffsetDays counts from the project
// start date.
type TemplateTask struct {
	Title           string   `json:"title"`
	Column          int      `json:"column"`
	Priority        string   `json:"priority"`
	EstimateMinutes *int     `json:"estimate_minutes,omitempty"`
	DueOffsetDays   *int     `json:"due_offset_days,omitempty"`
	Subtasks        []string `json:"subtasks"`
}

// DefaultColumns are the board columns of a project created without a template.
var DefaultColumns = []TemplateColumn{
	{Name: "To do", Color: "#94a3b8"},
	{Name: "In progress", Color: "#3b82f6"},
	{Name: "Review", Color: "#f59e0b"},
	{Name: "Done", Color: "#22c55e", IsDone: true},
}

// Normalize trims names, lower-cases colours and fills defaults.
func (t *Template) Normalize() {
	t.Name = strings.TrimSpace(t.Name)
	for i := range t.Body.Columns {
		c := &t.Body.Columns[i]
		c.Name = strings.TrimSpace(c.Name)
		c.Color = strings.ToLower(strings.TrimSpace(c.Color))
		if c.Color == "" {
			c.Color = DefaultColumnColor
		}
	}
	for i := range t.Body.Tasks {
		task := &t.Body.Tasks[i]
		task.Title = strings.TrimSpace(task.Title)
		if task.Priority == "" {
			task.Priority = PriorityMedium
		}
		if task.Subtasks == nil {
			task.Subtasks = []string{}
		}
		for j := range task.Subtasks {
			task.Subtasks[j] = strings.TrimSpace(task.Subtasks[j])
		}
	}
	if t.Body.Tasks == nil {
		t.Body.Tasks = []TemplateTask{}
	}
}

// Validate checks a template strictly, naming each bad element by its body path.
func (t *Template) Validate() error {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if t.Name == "" {
		add("body.name", "is required")
	} else if utf8.RuneCountInString(t.Name) > 200 {
		add("body.name", "must be at most 200 characters")
	}
	if utf8.RuneCountInString(t.Description) > 10000 {
		add("body.description", "must be at most 10000 characters")
	}
	fields = append(fields, t.Body.validate()...)
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The template is invalid.", Fields: fields}
	}
	return nil
}

func (b TemplateBody) validate() []FieldError {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if n := len(b.Columns); n == 0 || n > maxTemplateColumns {
		add("body.body.columns", fmt.Sprintf("must have 1 to %d columns", maxTemplateColumns))
	}
	for i, c := range b.Columns {
		at := fmt.Sprintf("body.body.columns[%d]", i)
		if c.Name == "" || utf8.RuneCountInString(c.Name) > 60 {
			add(at+".name", "must be 1 to 60 characters")
		}
		if !colorPattern.MatchString(c.Color) {
			add(at+".color", "must be a colour like #1a2b3c")
		}
	}
	if len(b.Tasks) > maxTemplateTasks {
		add("body.body.tasks", fmt.Sprintf("must have at most %d tasks", maxTemplateTasks))
	}
	for i, task := range b.Tasks {
		fields = append(fields, task.validate(fmt.Sprintf("body.body.tasks[%d]", i), len(b.Columns))...)
	}
	return fields
}

func (t TemplateTask) validate(at string, columns int) []FieldError {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: at + field, Message: msg}) }
	if t.Title == "" || utf8.RuneCountInString(t.Title) > 300 {
		add(".title", "must be 1 to 300 characters")
	}
	if t.Column < 0 || t.Column >= columns {
		add(".column", "must index one of the template's columns")
	}
	if !ValidPriority(t.Priority) {
		add(".priority", "must be one of low, medium, high, urgent")
	}
	if t.EstimateMinutes != nil && *t.EstimateMinutes < 0 {
		add(".estimate_minutes", "must not be negative")
	}
	if t.DueOffsetDays != nil && (*t.DueOffsetDays < -3650 || *t.DueOffsetDays > 3650) {
		add(".due_offset_days", "must be within ten years of the start")
	}
	if len(t.Subtasks) > maxTemplateSubtasks {
		add(".subtasks", fmt.Sprintf("must have at most %d subtasks", maxTemplateSubtasks))
	}
	for j, s := range t.Subtasks {
		if s == "" || utf8.RuneCountInString(s) > 300 {
			add(fmt.Sprintf(".subtasks[%d]", j), "must be 1 to 300 characters")
		}
	}
	return fields
}
