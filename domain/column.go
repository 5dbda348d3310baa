package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Column is one stage of a project's board. Tasks in an is_done column count as completed.
type Column struct {
	ID        string
	ProjectID string
	Name      string
	Color     string
	Position  string
	IsDone    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ColumnUpdate holds the fields a PATCH changes; nil means "leave as is". Move reorders the column.
type ColumnUpdate struct {
	Name   *string
	Color  *string
	IsDone *bool
	Move   *Move
}

// Column events: a board's columns changed (open boards refresh their columns).
const (
	EventColumnCreated = "column.created"
	EventColumnUpdated = "column.updated"
	EventColumnDeleted = "column.deleted"
)

// DefaultColumnColor is the colour a column gets when none is chosen.
const DefaultColumnColor = "#94a3b8"

// Normalize trims the name and lower-cases the colour, filling the default.
func (c *Column) Normalize() {
	c.Name = strings.TrimSpace(c.Name)
	c.Color = strings.ToLower(strings.TrimSpace(c.Color))
	if c.Color == "" {
		c.Color = DefaultColumnColor
	}
}

// Validate checks a column before it is written; field names are the API's body paths.
func (c *Column) Validate() error {
	var fields []FieldError
	if c.Name == "" {
		fields = append(fields, FieldError{Field: "body.name", Message: "is required"})
	} else if utf8.RuneCountInString(c.Name) > 60 {
		fields = append(fields, FieldError{Field: "body.name", Message: "must be at most 60 characters"})
	}
	if !colorPattern.MatchString(c.Color) {
		fields = append(fields, FieldError{Field: "body.color", Message: "must be a colour as #rrggbb"})
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The column is invalid.", Fields: fields}
	}
	return nil
}
