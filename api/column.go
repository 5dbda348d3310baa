package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Column is one stage of a project's board.
type Column struct {
	ID        string    `json:"id" format:"uuid"`
	ProjectID string    `json:"project_id" format:"uuid"`
	Name      string    `json:"name"`
	Color     string    `json:"color" doc:"#rrggbb"`
	Position  string    `json:"position" doc:"Sort key: columns are ordered by it (byte order)."`
	IsDone    bool      `json:"is_done" doc:"Tasks moved here are completed."`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func columnFrom(c *domain.Column) Column {
	return Column{ID: c.ID, ProjectID: c.ProjectID, Name: c.Name, Color: c.Color, Position: c.Position,
		IsDone: c.IsDone, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// ColumnList is a project's board columns in order.
type ColumnList struct {
	Data []Column `json:"data"`
}

// ColumnCreate adds a column at the end of the board.
type ColumnCreate struct {
	Name   string `json:"name" minLength:"1" maxLength:"60"`
	Color  string `json:"color,omitempty" pattern:"^#[0-9a-fA-F]{6}$" doc:"#rrggbb; grey when omitted."`
	IsDone bool   `json:"is_done,omitempty"`
}

// MovePlacement names a new neighbour: the row goes right after after_id or right before before_id
// (after_id wins when both are set); neither means "at the end".
type MovePlacement struct {
	AfterID  string `json:"after_id,omitempty" format:"uuid"`
	BeforeID string `json:"before_id,omitempty" format:"uuid"`
}

func (m *MovePlacement) domain() *domain.Move {
	if m == nil {
		return nil
	}
	return &domain.Move{AfterID: m.AfterID, BeforeID: m.BeforeID}
}

// ColumnUpdate changes the fields it carries; move reorders the column.
type ColumnUpdate struct {
	Name   *string        `json:"name,omitempty" minLength:"1" maxLength:"60"`
	Color  *string        `json:"color,omitempty" pattern:"^#[0-9a-fA-F]{6}$"`
	IsDone *bool          `json:"is_done,omitempty"`
	Move   *MovePlacement `json:"move,omitempty"`
}

// ColumnDelete says where a deleted column's tasks go.
type ColumnDelete struct {
	MoveTasksTo string `json:"move_tasks_to,omitempty" format:"uuid" doc:"Required when the column has tasks: another column of the project."`
}

// ColumnPath addresses one board column of a project.
type ColumnPath struct {
	ProjectPath
	ColumnID string `path:"column_id" format:"uuid" doc:"Column ID."`
}

func (s *Server) registerColumns() {
	tags := []string{"Board"}
	base := "/api/v1/orgs/{org_id}/projects/{project_id}/columns"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	write := append(errs, http.StatusUnprocessableEntity)
	huma.Register(s.api, huma.Operation{OperationID: "list-columns", Method: http.MethodGet, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermTasksRead), Summary: "List a project's board columns",
		Errors: errs}, s.listColumns)
	huma.Register(s.api, huma.Operation{OperationID: "create-column", Method: http.MethodPost, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermProjectsWrite), Summary: "Add a board column at the end",
		DefaultStatus: http.StatusCreated, Errors: write}, s.createColumn)
	huma.Register(s.api, huma.Operation{OperationID: "update-column", Method: http.MethodPatch, Path: base + "/{column_id}",
		Tags: tags, Security: security, Extensions: requires(domain.PermProjectsWrite),
		Summary: "Rename, recolour, flag as done or reorder a column", Errors: write}, s.updateColumn)
	huma.Register(s.api, huma.Operation{OperationID: "delete-column", Method: http.MethodDelete, Path: base + "/{column_id}",
		Tags: tags, Security: security, Extensions: requires(domain.PermProjectsWrite),
		Summary: "Delete a column, moving its tasks to another", DefaultStatus: http.StatusNoContent, Errors: write}, s.deleteColumn)
}

func (s *Server) listColumns(ctx context.Context, in *ProjectPath) (*struct{ Body ColumnList }, error) {
	cs, err := s.db.Columns(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ColumnList{Data: make([]Column, len(cs))}
	for i, c := range cs {
		out.Data[i] = columnFrom(c)
	}
	return &struct{ Body ColumnList }{Body: out}, nil
}

func (s *Server) createColumn(ctx context.Context, in *struct {
	ProjectPath
	Body ColumnCreate
}) (*struct{ Body Column }, error) {
	c := &domain.Column{Name: in.Body.Name, Color: in.Body.Color, IsDone: in.Body.IsDone}
	if err := s.db.CreateColumn(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, c); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Column }{Body: columnFrom(c)}, nil
}

func (s *Server) updateColumn(ctx context.Context, in *struct {
	ColumnPath
	Body ColumnUpdate
}) (*struct{ Body Column }, error) {
	b := in.Body
	c, err := s.db.UpdateColumn(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.ColumnID,
		domain.ColumnUpdate{Name: b.Name, Color: b.Color, IsDone: b.IsDone, Move: b.Move.domain()})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Column }{Body: columnFrom(c)}, nil
}

func (s *Server) deleteColumn(ctx context.Context, in *struct {
	ColumnPath
	Body *ColumnDelete `required:"false"`
}) (*struct{}, error) {
	moveTo := ""
	if in.Body != nil {
		moveTo = in.Body.MoveTasksTo
	}
	if err := s.db.DeleteColumn(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.ColumnID, moveTo); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// viewerFrom is the caller as the work store's visibility rule sees them.
func viewerFrom(ctx context.Context) domain.Viewer {
	p := principalFrom(ctx)
	return domain.Viewer{UserID: p.User.ID, Role: p.Role}
}
