package domain

import "time"

// TaskCard is the summary of a task the board and the list show.
type TaskCard struct {
	ID           string
	ColumnID     string
	Number       int
	Title        string
	Priority     string
	DueDate      *time.Time
	Position     string
	CompletedAt  *time.Time
	CreatedAt    time.Time
	Assignees    []CardAssignee
	SubtasksDone int
	SubtasksAll  int
	// Requester is the client contact who asked for the task from the portal; nil for a staff task.
	Requester *TaskRequester
}

// CardAssignee is an assignee as a card shows them.
type CardAssignee struct {
	UserID   string
	Name     string
	Initials string
}

// BoardColumn is a column with its tasks in board order.
type BoardColumn struct {
	Column
	Tasks []*TaskCard
}

// TaskFilter narrows and orders a project's task list. Cursor is opaque (from the previous page).
type TaskFilter struct {
	AssigneeID string
	Priority   string
	DueBefore  *time.Time
	DueAfter   *time.Time
	ColumnID   string
	Query      string
	Sort       string
	Desc       bool
	Limit      int
	Cursor     string
}

// Task list sort keys.
var TaskSorts = []string{"position", "due_date", "priority", "created_at", "number"}
