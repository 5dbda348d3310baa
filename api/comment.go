package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Comment is one message on a task. BodyHTML is sanitised on the server; render it as is.
type Comment struct {
	ID         string         `json:"id" format:"uuid"`
	TaskID     string         `json:"task_id" format:"uuid"`
	AuthorID   string         `json:"author_id" doc:"Empty when the author's account was deleted."`
	AuthorName string         `json:"author_name"`
	BodyJSON   map[string]any `json:"body_json" doc:"The editor (Tiptap) document."`
	BodyHTML   string         `json:"body_html" doc:"Sanitised HTML rendering of body_json."`
	Mentions   []string       `json:"mentions" doc:"IDs of the users the comment mentions."`
	Internal   bool           `json:"internal" doc:"Staff only: never shown or sent to the client's contacts."`
	EditedAt   *time.Time     `json:"edited_at"`
	CreatedAt  time.Time      `json:"created_at"`
}

func commentFrom(c *domain.Comment) Comment {
	out := Comment{ID: c.ID, TaskID: c.TaskID, AuthorID: c.AuthorID, AuthorName: c.AuthorName, BodyHTML: c.BodyHTML,
		Mentions: c.Mentions, Internal: c.Internal, EditedAt: c.EditedAt, CreatedAt: c.CreatedAt}
	_ = json.Unmarshal(c.BodyJSON, &out.BodyJSON)
	if out.Mentions == nil {
		out.Mentions = []string{}
	}
	return out
}

// CommentList is a task's comments, oldest first.
type CommentList struct {
	Data []Comment `json:"data"`
}

// CommentWrite is a new or edited comment: the editor's JSON document (mentions are read from its
// mention nodes) and its HTML rendering, which the server sanitises.
type CommentWrite struct {
	BodyJSON map[string]any `json:"body_json" doc:"Tiptap document; mention nodes carry attrs.id = user ID."`
	BodyHTML string         `json:"body_html" minLength:"1" maxLength:"100000"`
}

// CommentCreate is a new comment (see CommentWrite); internal keeps it from the client's contacts, for good.
type CommentCreate struct {
	BodyJSON map[string]any `json:"body_json" doc:"Tiptap document; mention nodes carry attrs.id = user ID."`
	BodyHTML string         `json:"body_html" minLength:"1" maxLength:"100000"`
	Internal bool           `json:"internal,omitempty" doc:"Staff only: never shown or sent to the client's contacts (the client portal)."`
}

// CommentPath addresses one comment of a task.
type CommentPath struct {
	TaskPath
	CommentID string `path:"comment_id" format:"uuid" doc:"Comment ID."`
}

type commentOutput struct{ Body Comment }

func (s *Server) registerComments() {
	tags := []string{"Comments"}
	base := "/api/v1/orgs/{org_id}/projects/{project_id}/tasks/{task_id}/comments"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-comments", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermTasksRead), Summary: "List a task's comments, oldest first", Errors: errs,
	}, s.listComments)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-comment", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermTasksWrite), Summary: "Comment on a task", DefaultStatus: http.StatusCreated,
		Description: "Mentioned users must be able to see the project; each gets a task.mentioned event.",
		Errors:      append(errs, http.StatusUnprocessableEntity),
	}, s.createComment)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-comment", Method: http.MethodPatch, Path: base + "/{comment_id}", Tags: tags,
		Security: security, Extensions: requires(domain.PermTasksWrite), Summary: "Edit your own comment",
		Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.updateComment)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-comment", Method: http.MethodDelete, Path: base + "/{comment_id}", Tags: tags,
		Security: security, Extensions: requires(domain.PermTasksWrite), DefaultStatus: http.StatusNoContent,
		Summary:     "Delete a comment",
		Description: "Authors delete their own comments; holders of tasks.delete (managers and up) may delete any.",
		Errors:      errs,
	}, s.deleteComment)
}

func (s *Server) listComments(ctx context.Context, in *TaskPath) (*struct{ Body CommentList }, error) {
	cs, err := s.db.Comments(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := CommentList{Data: make([]Comment, len(cs))}
	for i, c := range cs {
		out.Data[i] = commentFrom(c)
	}
	return &struct{ Body CommentList }{Body: out}, nil
}

func (s *Server) createComment(ctx context.Context, in *struct {
	TaskPath
	Body CommentCreate
}) (*commentOutput, error) {
	c := &domain.Comment{BodyJSON: mustJSON(in.Body.BodyJSON), BodyHTML: sanitizeComment(in.Body.BodyHTML),
		Internal: in.Body.Internal}
	if err := s.db.CreateComment(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, c); err != nil {
		return nil, problem(ctx, err)
	}
	return &commentOutput{Body: commentFrom(c)}, nil
}

func (s *Server) updateComment(ctx context.Context, in *struct {
	CommentPath
	Body CommentWrite
}) (*commentOutput, error) {
	c, err := s.db.UpdateComment(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, in.CommentID,
		mustJSON(in.Body.BodyJSON), sanitizeComment(in.Body.BodyHTML))
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &commentOutput{Body: commentFrom(c)}, nil
}

func (s *Server) deleteComment(ctx context.Context, in *CommentPath) (*struct{}, error) {
	moderate := principalFrom(ctx).can(domain.PermTasksDelete)
	if err := s.db.DeleteComment(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.TaskID, in.CommentID, moderate); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// mustJSON re-encodes a decoded JSON object; it cannot fail for values that came from JSON.
func mustJSON(v map[string]any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
