package store

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/stream"
)

// SetPublisher makes every committed transaction publish the live messages of the events it recorded (a
// task moved, a comment added) to p, after the commit and never for a rollback. p must not block: give it
// a stream.Async. Call it once, before serving.
func (db *DB) SetPublisher(p stream.Publisher) { db.publisher = p }

// changes are the live messages of one transaction, collected by recordEvent and published by the
// transaction's owner (inTenant, Atomically) once it has committed.
type changes struct {
	mu   sync.Mutex
	msgs []stream.Message
}

// collectChange adds m to the transaction ctx carries; outside one it is dropped (nothing commits it).
func collectChange(ctx context.Context, m stream.Message) {
	t, ok := ctx.Value(tenantTxKey{}).(tenantTx)
	if !ok || t.changes == nil {
		return
	}
	t.changes.mu.Lock()
	t.changes.msgs = append(t.changes.msgs, m)
	t.changes.mu.Unlock()
}

// publish hands a committed transaction's messages to the publisher.
func (db *DB) publish(c *changes) {
	if db.publisher == nil || len(c.msgs) == 0 {
		return
	}
	// The publisher is asynchronous and never fails (see stream.Async); the context is not the request's,
	// which may end before the message leaves.
	db.publisher.Publish(context.Background(), c.msgs...)
}

// changeMessage is the live message of domain event id: ids and types only (see stream.Message).
func changeMessage(id, orgID string, e domain.Event) stream.Message {
	return stream.Message{ID: id, Kind: stream.KindChange, OrganizationID: orgID, ProjectID: e.ProjectID,
		Type: e.Type, EntityType: e.EntityType, EntityID: e.EntityID, ActorID: e.ActorID}
}

// visibleProjectsRead lists the projects a member who does not see every project is on.
const visibleProjectsRead = `SELECT project_id::text FROM project_members WHERE organization_id = $1 AND user_id = $2`

// VisibleProjects answers which projects of orgID v may see, with the store's visibility rule: all of them
// (all is true, ids empty) or those v is a member of. A stream caches the answer to filter live changes.
func (db *DB) VisibleProjects(ctx context.Context, orgID string, v domain.Viewer) (all bool, ids map[string]bool, err error) {
	if v.SeesAllProjects() {
		return true, nil, nil
	}
	ids = map[string]bool{}
	err = db.tenantQuery(ctx, orgID, v.UserID, visibleProjectsRead, []any{orgID, v.UserID}, func(r pgx.Rows) error {
		for r.Next() {
			var id string
			if err := r.Scan(&id); err != nil {
				return err
			}
			ids[id] = true
		}
		return nil
	})
	return false, ids, err
}

// The backlog of a resuming stream: the domain events v may see (projectVisibleSQL's rule; an event with
// no project is organization-wide) and v's own notifications, after the last id the client saw.
const (
	changesSinceRead = `SELECT e.id::text, e.type, e.entity_type, e.entity_id::text, coalesce(e.actor_id::text, ''),
		coalesce(e.project_id::text, '') FROM domain_events e
		WHERE e.organization_id = $1 AND e.id > $2 AND (e.project_id IS NULL OR $3 OR EXISTS (SELECT 1 FROM project_members pm
			WHERE pm.organization_id = e.organization_id AND pm.project_id = e.project_id AND pm.user_id = $4))
		ORDER BY e.id LIMIT $5`
	notificationsSinceRead = `SELECT n.id::text, n.type, n.entity_type, coalesce(n.entity_id::text, ''), coalesce(n.actor_id::text, ''),
		coalesce(n.project_id::text, '') FROM notifications n
		WHERE n.organization_id = $1 AND n.recipient_id = $2 AND n.id > $3 ORDER BY n.id LIMIT $4`
)

// StreamBacklog reads what a stream of v in orgID missed after afterID (a message id: UUIDv7, so ids
// order by time): at most limit changes and limit notifications, oldest first, in one round trip.
// Errors: ENOTFOUND for a malformed afterID.
func (db *DB) StreamBacklog(ctx context.Context, orgID string, v domain.Viewer, afterID string, limit int) ([]stream.Message, error) {
	if !validUUID(afterID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Unknown event id.")
	}
	var out []stream.Message
	scan := func(kind string) func(pgx.Rows) error {
		return func(r pgx.Rows) error {
			for r.Next() {
				m := stream.Message{Kind: kind, OrganizationID: orgID}
				if err := r.Scan(&m.ID, &m.Type, &m.EntityType, &m.EntityID, &m.ActorID, &m.ProjectID); err != nil {
					return err
				}
				if kind == stream.KindNotification {
					m.RecipientID = v.UserID
				}
				out = append(out, m)
			}
			return nil
		}
	}
	err := db.tenantRead(ctx, orgID, v.UserID,
		read{sql: changesSinceRead, args: []any{orgID, afterID, v.SeesAllProjects(), v.UserID, limit}, scan: scan(stream.KindChange)},
		read{sql: notificationsSinceRead, args: []any{orgID, v.UserID, afterID, limit}, scan: scan(stream.KindNotification)})
	return out, err
}

// sessionLiveSQL answers the user of a live session token hash (not revoked, not expired).
const sessionLiveSQL = `SELECT user_id::text FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`

// SessionUser answers whose live session tokenHash is, without touching it: an open stream checks that its
// session still holds, but does not count as activity that keeps an idle session alive.
// Errors: EUNAUTHENTICATED.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte) (string, error) {
	var userID string
	err := db.bun.DB.QueryRowContext(ctx, sessionLiveSQL, prepared, tokenHash).Scan(&userID)
	if err != nil {
		if domain.ErrorCode(mapError(err, "")) == domain.ENOTFOUND {
			return "", domain.Errorf(domain.EUNAUTHENTICATED, "Please sign in.")
		}
		return "", err
	}
	return userID, nil
}
