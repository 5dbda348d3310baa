package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// SubtaskCreate adds an item at the end of a task's checklist.
type SubtaskCreate struct {
	Title string `json:"title" minLength:"1" maxLength:"300"`
	Done  bool   `json:"done,omitempty"`
}

// SubtaskUpdate changes the fields it carries; move reorders the item.
type SubtaskUpdate struct {
	Title *string        `json:"title,omitempty" minLength:"1" maxLength:"300"`
	Done  *bool          `json:"done,omitempty"`
	Move  *MovePlacement `json:"move,omitempty"`
}

// SubtaskPath addresses one subtask of a task.
type SubtaskPath struct {
	TaskPath
	SubtaskID string `path:"subtask_id" format:"uuid" doc:"Subtask ID."`
}

func (s *Server) registerSubtasks() {
	tags := []string{"Tasks"}
	base := "/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/subtasks"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	write := append(errs, http.StatusUnprocessableEntity)
	huma.Register(s.api, huma.Operation{OperationID: "create-subtask", Method: http.MethodPost, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermTasksWrite), Summary: "Add a subtask",
		DefaultStatus: http.StatusCreated, Errors: write}, s.createSubtask)
	huma.Register(s.api, huma.Operation{OperationID: "update-subtask", Method: http.MethodPatch, Path: base + "/{subtask_id}",
		Tags: tags, Security: security, Extensions: requires(domain.PermTasksWrite),
		Summary: "Rename, tick or reorder a subtask", Errors: write}, s.updateSubtask)
	huma.Register(s.api, huma.Operation{OperationID: "delete-subtask", Method: http.MethodDelete, Path: base + "/{subtask_id}",
		Tags: tags, Security: security, Extensions: requires(domain.PermTasksWrite), Summary: "Delete a subtask",
		DefaultStatus: http.StatusNoContent, Errors: errs}, s.deleteSubtask)
}

func (s *Server) createSubtask(ctx context.Context, in *struct {
	TaskPath
	Body SubtaskCreate
}) (*struct{ Body Subtask }, error) {
	st := &domain.Subtask{Title: in.Body.Title, Done: in.Body.Done}
	if err := s.db.CreateSubtask(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, st); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Subtask }{Body: subtaskFrom(st)}, nil
}

func (s *Server) updateSubtask(ctx context.Context, in *struct {
	SubtaskPath
	Body SubtaskUpdate
}) (*struct{ Body Subtask }, error) {
	b := in.Body
	st, err := s.db.UpdateSubtask(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, in.SubtaskID,
		domain.SubtaskUpdate{Title: b.Title, Done: b.Done, Move: b.Move.domain()})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Subtask }{Body: subtaskFrom(st)}, nil
}

func (s *Server) deleteSubtask(ctx context.Context, in *SubtaskPath) (*struct{}, error) {
	if err := s.db.DeleteSubtask(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, in.SubtaskID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}
