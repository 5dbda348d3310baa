package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
)

// activityColumns select a domain event with its actor's name (users are global, so the join needs no
// tenant scope; the event's organization filter does that) and the current names of what it is about, so
// the feed can say "moved 'Copy deck' to Review" for events whose payload does not name them: the project,
// the task (the event's own for task events, the payload's task_id for comments, files and time), and the
// column of a task event's column_id. Each is a primary-key lookup per row; a thing deleted since is "".
// The ids are matched by shape before the cast, so an unexpected payload cannot break the feed.
const activityColumns = `SELECT e.id, e.type, e.entity_type, e.entity_id, coalesce(e.project_id::text, ''),
	coalesce(e.actor_id::text, ''), coalesce(u.name, ''), e.payload, e.created_at,
	coalesce(ep.name, ''), coalesce(et.id::text, ''), coalesce(et.title, ''), coalesce(ec.name, '')
	FROM domain_events e LEFT JOIN users u ON u.id = e.actor_id
	LEFT JOIN projects ep ON ep.organization_id = e.organization_id AND ep.id = e.project_id
	LEFT JOIN tasks et ON et.organization_id = e.organization_id AND et.id = CASE
		WHEN e.entity_type = 'task' THEN e.entity_id
		WHEN e.payload->>'task_id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
		THEN (e.payload->>'task_id')::uuid END
	LEFT JOIN task_board_columns ec ON ec.organization_id = e.organization_id AND e.entity_type = 'task'
		AND e.payload->>'column_id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
		AND ec.id = (e.payload->>'column_id')::uuid`

// eventVisiblePgSQL hides events of projects the viewer is not on (bind seesAll, userID).
const eventVisiblePgSQL = ` AND (e.project_id IS NULL OR $%d OR EXISTS (SELECT 1 FROM project_members pm
	WHERE pm.organization_id = e.organization_id AND pm.project_id = e.project_id AND pm.user_id = $%d))`

// Activity lists orgID's domain events newest first, leaving out events of projects v may not see and of
// the entity types f hides, in one query. Errors: EINVALID for a malformed cursor.
func (db *DB) Activity(ctx context.Context, orgID string, v domain.Viewer, f domain.ActivityFilter) ([]*domain.Activity, string, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	if (f.ProjectID != "" && !validUUID(f.ProjectID)) || (f.ClientID != "" && !validUUID(f.ClientID)) ||
		(f.ActorID != "" && !validUUID(f.ActorID)) {
		return []*domain.Activity{}, "", nil
	}
	q, args := activityQuery(orgID, v, f, after, f.Limit+1)
	out, err := db.queryActivity(ctx, orgID, v.UserID, q, args)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeCursor(out[len(out)-1].ID)
	}
	return out, next, nil
}

// ActivityBatch reads up to limit events v may see matching f with IDs below after ("" for the newest):
// exports page through the whole feed with it, one batch at a time.
func (db *DB) ActivityBatch(ctx context.Context, orgID string, v domain.Viewer, f domain.ActivityFilter, after string, limit int) ([]*domain.Activity, error) {
	if (f.ProjectID != "" && !validUUID(f.ProjectID)) || (f.ClientID != "" && !validUUID(f.ClientID)) ||
		(f.ActorID != "" && !validUUID(f.ActorID)) {
		return []*domain.Activity{}, nil
	}
	q, args := activityQuery(orgID, v, f, after, limit)
	return db.queryActivity(ctx, orgID, v.UserID, q, args)
}

// activityQuery is the feed's one statement: visibility first, then each filter as a condition an index of
// domain_events serves (see migration 20261210002000), newest first by id.
func activityQuery(orgID string, v domain.Viewer, f domain.ActivityFilter, after string, limit int) (string, []any) {
	var b strings.Builder
	args := []any{orgID, v.SeesAllProjects(), nullable(v.UserID)}
	b.WriteString(activityColumns + " WHERE e.organization_id = $1")
	fmt.Fprintf(&b, eventVisiblePgSQL, 2, 3)
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&b, cond, len(args))
	}
	if f.ProjectID != "" {
		add(" AND e.project_id = $%d", f.ProjectID)
	}
	if f.Type != "" {
		add(" AND e.type = $%d", f.Type)
	}
	if f.EntityType != "" {
		add(" AND e.entity_type = $%d", f.EntityType)
	}
	if f.ActorID != "" {
		add(" AND e.actor_id = $%d", f.ActorID)
	}
	if f.ClientID != "" {
		args = append(args, f.ClientID)
		n := len(args)
		fmt.Fprintf(&b, ` AND ((e.entity_type = 'client' AND e.entity_id = $%d) OR e.project_id IN
			(SELECT p.id FROM projects p WHERE p.organization_id = $1 AND p.client_id = $%d))`, n, n)
	}
	if !f.From.IsZero() {
		add(" AND e.created_at >= $%d", f.From)
	}
	if !f.To.IsZero() {
		add(" AND e.created_at < $%d", f.To)
	}
	if f.Text != "" {
		add(" AND lower(e.type || ' ' || e.payload::text) LIKE $%d", "%"+escapeLike(strings.ToLower(f.Text))+"%")
	}
	if hidden := f.HiddenEntityTypes(); len(hidden) > 0 {
		add(" AND e.entity_type <> ALL($%d::text[])", hidden)
	}
	if after != "" {
		add(" AND e.id < $%d", after)
	}
	add(" ORDER BY e.id DESC LIMIT $%d", limit)
	return b.String(), args
}

func (db *DB) queryActivity(ctx context.Context, orgID, userID, query string, args []any) ([]*domain.Activity, error) {
	out := []*domain.Activity{}
	err := db.tenantQuery(ctx, orgID, userID, query, args, func(r pgx.Rows) error {
		for r.Next() {
			a, err := scanActivity(r)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

func scanActivity(r rowScanner) (*domain.Activity, error) {
	var a domain.Activity
	var payload []byte
	var created time.Time
	if err := r.Scan(&a.ID, &a.Type, &a.EntityType, &a.EntityID, &a.ProjectID, &a.ActorID, &a.ActorName,
		&payload, &created, &a.ProjectName, &a.TaskID, &a.TaskTitle, &a.ColumnName); err != nil {
		return nil, err
	}
	a.CreatedAt = created.UTC()
	if err := json.Unmarshal(payload, &a.Payload); err != nil {
		return nil, err
	}
	return &a, nil
}
