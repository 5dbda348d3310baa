package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// TaskCard is a task as the board and the list show it.
type TaskCard struct {
	ID           string         `json:"id" format:"uuid"`
	ColumnID     string         `json:"column_id" format:"uuid"`
	Number       int            `json:"number"`
	Title        string         `json:"title"`
	Priority     string         `json:"priority" enum:"low,medium,high,urgent"`
	DueDate      *string        `json:"due_date" doc:"YYYY-MM-DD or null."`
	Position     string         `json:"position"`
	CompletedAt  *time.Time     `json:"completed_at"`
	CreatedAt    time.Time      `json:"created_at"`
	Assignees    []CardAssignee `json:"assignees"`
	SubtasksDone int            `json:"subtasks_done"`
	SubtasksAll  int            `json:"subtasks_total"`
	Requester    *TaskRequester `json:"requester,omitempty" doc:"The client contact who asked for the task from the portal; absent for a staff task."`
}

// CardAssignee is an assignee on a card.
type CardAssignee struct {
	UserID   string `json:"user_id" format:"uuid"`
	Name     string `json:"name"`
	Initials string `json:"initials"`
}

func cardFrom(c *domain.TaskCard) TaskCard {
	out := TaskCard{ID: c.ID, ColumnID: c.ColumnID, Number: c.Number, Title: c.Title, Priority: c.Priority,
		DueDate: dateString(c.DueDate), Position: c.Position, CompletedAt: c.CompletedAt, CreatedAt: c.CreatedAt,
		Assignees: make([]CardAssignee, len(c.Assignees)), SubtasksDone: c.SubtasksDone, SubtasksAll: c.SubtasksAll}
	for i, a := range c.Assignees {
		out.Assignees[i] = CardAssignee{UserID: a.UserID, Name: a.Name, Initials: a.Initials}
	}
	if c.Requester != nil {
		out.Requester = &TaskRequester{ID: c.Requester.ID, Name: c.Requester.Name}
	}
	return out
}

// BoardColumn is a column with its cards in order.
type BoardColumn struct {
	Column
	Tasks []TaskCard `json:"tasks"`
}

// Board is a project's kanban board.
type Board struct {
	Columns []BoardColumn `json:"columns"`
}

// TaskCardList is one page of task cards.
type TaskCardList struct {
	Data       []TaskCard `json:"data"`
	NextCursor *string    `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

func (s *Server) registerBoard() {
	huma.Register(s.api, huma.Operation{OperationID: "get-board", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/projects/{project_id}/board", Tags: []string{"Board"}, Security: security,
		Extensions: requires(domain.PermTasksRead), Summary: "Get a project's board: columns with their task cards",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}}, s.getBoard)
}

func (s *Server) getBoard(ctx context.Context, in *ProjectPath) (*struct{ Body Board }, error) {
	cols, err := s.db.Board(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := Board{Columns: make([]BoardColumn, len(cols))}
	for i, c := range cols {
		out.Columns[i] = BoardColumn{Column: columnFrom(&c.Column), Tasks: make([]TaskCard, len(c.Tasks))}
		for j, t := range c.Tasks {
			out.Columns[i].Tasks[j] = cardFrom(t)
		}
	}
	return &struct{ Body Board }{Body: out}, nil
}

func (s *Server) listTasks(ctx context.Context, in *struct {
	ProjectPath
	AssigneeID string `query:"assignee_id" format:"uuid"`
	Priority   string `query:"priority" enum:"low,medium,high,urgent"`
	DueBefore  string `query:"due_before" maxLength:"10" doc:"YYYY-MM-DD, inclusive."`
	DueAfter   string `query:"due_after" maxLength:"10" doc:"YYYY-MM-DD, inclusive."`
	ColumnID   string `query:"column_id" format:"uuid"`
	Q          string `query:"q" maxLength:"200" doc:"Case-insensitive match on the title."`
	Sort       string `query:"sort" default:"position" enum:"position,due_date,priority,created_at,number"`
	Order      string `query:"order" default:"asc" enum:"asc,desc"`
	Limit      int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor     string `query:"cursor" maxLength:"200"`
}) (*struct{ Body TaskCardList }, error) {
	f := domain.TaskFilter{AssigneeID: in.AssigneeID, Priority: in.Priority, ColumnID: in.ColumnID, Query: in.Q,
		Sort: in.Sort, Desc: in.Order == "desc", Limit: in.Limit, Cursor: in.Cursor}
	var err error
	if f.DueBefore, err = domain.ParseDate("query.due_before", in.DueBefore); err != nil {
		return nil, problem(ctx, err)
	}
	if f.DueAfter, err = domain.ParseDate("query.due_after", in.DueAfter); err != nil {
		return nil, problem(ctx, err)
	}
	cards, next, err := s.db.Tasks(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := TaskCardList{Data: make([]TaskCard, len(cards))}
	for i, c := range cards {
		out.Data[i] = cardFrom(c)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body TaskCardList }{Body: out}, nil
}
