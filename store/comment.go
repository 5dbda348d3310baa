package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

const commentNotFound = "Comment not found."

// commentSelect reads comments (alias c) with their author's name.
const commentSelect = `SELECT c.id, c.organization_id, c.task_id, coalesce(c.author_id::text, ''), coalesce(u.name, ''),
	c.body_json, c.body_html, c.mentions::text[], c.internal, c.edited_at, c.created_at
	FROM task_comments c LEFT JOIN users u ON u.id = c.author_id`

// Comments lists a task's comments oldest first. Errors: ENOTFOUND for a project the viewer cannot see
// or a task outside it.
func (db *DB) Comments(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string) ([]*domain.Comment, error) {
	var out []*domain.Comment
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		if err := p.checkTask(ctx, taskID); err != nil {
			return err
		}
		rows, err := p.QueryContext(ctx, commentSelect+
			" WHERE c.organization_id = ? AND c.task_id = ? ORDER BY c.id", orgID, taskID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanComment(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

func scanComment(r rowScanner) (*domain.Comment, error) {
	var c domain.Comment
	var body []byte
	if err := r.Scan(&c.ID, &c.OrganizationID, &c.TaskID, &c.AuthorID, &c.AuthorName, &body, &c.BodyHTML,
		pgdialect.Array(&c.Mentions), &c.Internal, &c.EditedAt, &c.CreatedAt); err != nil {
		return nil, err
	}
	c.BodyJSON = json.RawMessage(body)
	return &c, nil
}

// CreateComment validates c (BodyHTML already sanitised) and adds it to a task on behalf of v, with a
// task.mentioned event per mentioned user. c.Internal keeps it from the client's contacts. Errors: ENOTFOUND, EINVALID (also for mentioning someone who
// cannot see the project).
func (db *DB) CreateComment(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string, c *domain.Comment) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.ID, c.OrganizationID, c.TaskID, c.AuthorID = newID(), orgID, taskID, v.UserID
	c.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		if err := p.checkTask(ctx, taskID); err != nil {
			return err
		}
		if err := checkMentions(ctx, p, c.Mentions); err != nil {
			return err
		}
		tx := p.Tx
		if _, err := tx.NewRaw(`INSERT INTO task_comments
			(id, organization_id, task_id, author_id, body_json, body_html, mentions, internal, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?::uuid[], ?, ?)`, c.ID, orgID, taskID, v.UserID, string(c.BodyJSON), c.BodyHTML,
			pgdialect.Array(c.Mentions), c.Internal, c.CreatedAt).Exec(ctx); err != nil {
			return err
		}
		if err := tx.NewRaw("SELECT name FROM users WHERE id = ?", v.UserID).Scan(ctx, &c.AuthorName); err != nil {
			return err
		}
		if err := recordEvent(ctx, tx, orgID, commentEvent(domain.EventCommentCreated, projectID, c, v.UserID)); err != nil {
			return err
		}
		if err := recordMentions(ctx, p, c, c.Mentions); err != nil {
			return err
		}
		return bumpUsage(ctx, tx, orgID, domain.UsageComments, 1)
	})
	return mapError(err, commentNotFound)
}

// UpdateComment replaces the body of the viewer's own comment. Newly mentioned users get a
// task.mentioned event; those mentioned before do not hear about it again. Errors: ENOTFOUND,
// EFORBIDDEN (someone else's comment), EINVALID.
func (db *DB) UpdateComment(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID, commentID string,
	bodyJSON json.RawMessage, bodyHTML string) (*domain.Comment, error) {
	upd := &domain.Comment{BodyJSON: bodyJSON, BodyHTML: bodyHTML}
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	var out *domain.Comment
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		c, err := lockComment(ctx, p, taskID, commentID)
		if err != nil {
			return err
		}
		if c.AuthorID != v.UserID {
			return domain.Errorf(domain.EFORBIDDEN, "You can edit only your own comments.")
		}
		tx := p.Tx
		if err := checkMentions(ctx, p, upd.Mentions); err != nil {
			return err
		}
		added := slices.DeleteFunc(slices.Clone(upd.Mentions), func(id string) bool { return slices.Contains(c.Mentions, id) })
		now := time.Now().UTC().Truncate(time.Microsecond)
		c.BodyJSON, c.BodyHTML, c.Mentions, c.EditedAt = upd.BodyJSON, upd.BodyHTML, upd.Mentions, &now
		if _, err := tx.NewRaw(`UPDATE task_comments SET body_json = ?, body_html = ?, mentions = ?::uuid[], edited_at = ?
			WHERE organization_id = ? AND id = ?`, string(c.BodyJSON), c.BodyHTML, pgdialect.Array(c.Mentions), now,
			orgID, c.ID).Exec(ctx); err != nil {
			return err
		}
		out = c
		if err := recordEvent(ctx, tx, orgID, commentEvent(domain.EventCommentUpdated, projectID, c, v.UserID)); err != nil {
			return err
		}
		return recordMentions(ctx, p, c, added)
	})
	return out, mapError(err, commentNotFound)
}

// DeleteComment removes a comment: the author's own, or anyone's when moderate is set (the caller decides
// who moderates; the API grants it with tasks.delete). Errors: ENOTFOUND, EFORBIDDEN.
func (db *DB) DeleteComment(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID, commentID string, moderate bool) error {
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		c, err := lockComment(ctx, p, taskID, commentID)
		if err != nil {
			return err
		}
		tx := p.Tx
		if c.AuthorID != v.UserID && !moderate {
			return domain.Errorf(domain.EFORBIDDEN, "You can delete only your own comments.")
		}
		if _, err := tx.NewRaw("DELETE FROM task_comments WHERE organization_id = ? AND id = ?", orgID, c.ID).Exec(ctx); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, commentEvent(domain.EventCommentDeleted, projectID, c, v.UserID))
	})
	return mapError(err, commentNotFound)
}

// lockComment loads a comment of a task of p's project, for update.
func lockComment(ctx context.Context, p projectTx, taskID, commentID string) (*domain.Comment, error) {
	if err := p.checkTask(ctx, taskID); err != nil {
		return nil, err
	}
	if !validUUID(commentID) {
		return nil, domain.Errorf(domain.ENOTFOUND, commentNotFound)
	}
	c, err := scanComment(p.QueryRowContext(ctx, commentSelect+
		" WHERE c.organization_id = ? AND c.task_id = ? AND c.id = ? FOR UPDATE OF c", p.orgID, taskID, commentID))
	return c, mapError(err, commentNotFound)
}

// checkMentions answers EINVALID unless every mentioned user is an active member of the organization who
// can see p's project (a project member, or a role that sees every project).
func checkMentions(ctx context.Context, p projectTx, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > 50 {
		return domain.Invalid("body.body_json", "A comment can mention at most 50 people.")
	}
	var n int
	if err := p.NewRaw(`SELECT count(*) FROM organization_memberships m
		WHERE m.organization_id = ? AND m.status = 'active' AND m.user_id = ANY(?::uuid[])
		AND (m.role IN (?) OR EXISTS (SELECT 1 FROM project_members pm
			WHERE pm.organization_id = m.organization_id AND pm.project_id = ? AND pm.user_id = m.user_id))`,
		p.orgID, pgdialect.Array(ids), bun.In([]string{domain.RoleOwner, domain.RoleAdmin, domain.RoleManager}), p.projectID).
		Scan(ctx, &n); err != nil {
		return err
	}
	if n != len(ids) {
		return domain.Invalid("body.body_json", "Only members of this project can be mentioned.")
	}
	return nil
}

// recordMentions writes one task.mentioned event per user in ids, by p's viewer; notifications consume them.
func recordMentions(ctx context.Context, p projectTx, c *domain.Comment, ids []string) error {
	for _, id := range ids {
		if err := recordEvent(ctx, p.Tx, p.orgID, domain.Event{Type: domain.EventTaskMentioned, EntityType: "task",
			EntityID: c.TaskID, ActorID: p.viewer.UserID, ProjectID: p.projectID,
			Payload: map[string]any{"mentioned_user_id": id, "comment_id": c.ID}}); err != nil {
			return err
		}
	}
	return nil
}

func commentEvent(typ, projectID string, c *domain.Comment, actorID string) domain.Event {
	return domain.Event{Type: typ, EntityType: "comment", EntityID: c.ID, ActorID: actorID, ProjectID: projectID,
		Payload: map[string]any{"task_id": c.TaskID, "mentions": c.Mentions, "internal": c.Internal}}
}
