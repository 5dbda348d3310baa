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
// tenant scope; the event's organization filter does that).
const activityColumns = `SELECT e.id, e.type, e.entity_type, e.entity_id, coalesce(e.project_id::text, ''),
	coalesce(e.actor_id::text, ''), coalesce(u.name, ''), e.payload, e.created_at
	FROM domain_events e LEFT JOIN users u ON u.id = e.actor_id`

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
	if f.ProjectID != "" && !validUUID(f.ProjectID) {
		return []*domain.Activity{}, "", nil
	}
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
	if hidden := f.HiddenEntityTypes(); len(hidden) > 0 {
		add(" AND e.entity_type <> ALL($%d::text[])", hidden)
	}
	if after != "" {
		add(" AND e.id < $%d", after)
	}
	add(" ORDER BY e.id DESC LIMIT $%d", f.Limit+1)
	out, err := db.queryActivity(ctx, orgID, v.UserID, b.String(), args)
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
		&payload, &created); err != nil {
		return nil, err
	}
	a.CreatedAt = created.UTC()
	if err := json.Unmarshal(payload, &a.Payload); err != nil {
		return nil, err
	}
	return &a, nil
}
