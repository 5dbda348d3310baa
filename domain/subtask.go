package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Subtask is one checklist item of a task.
type Subtask struct {
	ID        string
	TaskID    string
	Title     string
	Done      bool
	Position  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SubtaskUpdate holds the fields a PATCH changes; nil means "leave as is". Move reorders the item.
type SubtaskUpdate struct {
	Title *string
	Done  *bool
	Move  *Move
}

// Normalize trims the title.
func (s *Subtask) Normalize() { s.Title = strings.TrimSpace(s.Title) }

// Validate checks a subtask before it is written.
func (s *Subtask) Validate() error {
	if s.Title == "" {
		return Invalid("body.title", "is required")
	}
	if utf8.RuneCountInString(s.Title) > 300 {
		return Invalid("body.title", "must be at most 300 characters")
	}
	return nil
}
