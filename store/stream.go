package store

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

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

// StreamMember is a stream caller's standing in one organization: role and effective permissions.
type StreamMember struct {
	domain.Viewer
	Permissions []domain.Permission
	// SSORequired and Allowlist are the organization's sign-in rules, and SessionSSOOrg the organization whose
	// IdP opened the session: the stream applies them as the auth middleware does on the organization's routes.
	SSORequired   bool
	Allowlist     []string
	SessionSSOOrg string
}

// SeesChanges reports whether m receives the organization's domain events at all: a client contact does
// not (they are the staff workspace's changes; the portal hears of what concerns a contact through their
// notifications), except the removal that ends their own stream.
func (m StreamMember) SeesChanges() bool { return m.Role != domain.RoleClient }

// SeesEntity is the per-entity rule on top of project visibility (changesSinceRead applies the same one):
// invoice events carry amounts (invoices.read, and never a client contact: they see only sent invoices of
// their projects), time entries are their author's or a see-all role's, clients and templates are internal.
func (m StreamMember) SeesEntity(entityType, actorID string) bool {
	if !m.SeesChanges() {
		return false
	}
	switch entityType {
	case "invoice":
		return m.Role != domain.RoleClient && slices.Contains(m.Permissions, domain.PermInvoicesRead)
	case "time_entry":
		return m.SeesAllProjects() || actorID == m.UserID
	case "client", "template":
		return m.Role != domain.RoleClient
	}
	return true
}

// The backlog of a resuming stream: the domain events m may see (projectVisibleSQL's rule; an event with
// no project is organization-wide; then StreamMember.SeesEntity's rule) and m's own notifications, after
// the last id the client saw.
const (
	changesSinceRead = `SELECT e.id::text, e.type, e.entity_type, e.entity_id::text, coalesce(e.actor_id::text, ''),
		coalesce(e.project_id::text, '') FROM domain_events e
		WHERE e.organization_id = $1 AND e.id > $2 AND (e.project_id IS NULL OR $3 OR EXISTS (SELECT 1 FROM project_members pm
			WHERE pm.organization_id = e.organization_id AND pm.project_id = e.project_id AND pm.user_id = $4))
			AND (e.entity_type <> 'invoice' OR $6) AND (e.entity_type <> 'time_entry' OR $3 OR e.actor_id = $4)
			AND (e.entity_type NOT IN ('client', 'template') OR $7)
		ORDER BY e.id LIMIT $5`
	notificationsSinceRead = `SELECT n.id::text, n.type, n.entity_type, coalesce(n.entity_id::text, ''), coalesce(n.actor_id::text, ''),
		coalesce(n.project_id::text, '') FROM notifications n
		WHERE n.organization_id = $1 AND n.recipient_id = $2 AND n.id > $3 ORDER BY n.id LIMIT $4`
)

// StreamBacklog reads what a stream of m in orgID missed after afterID (a message id: UUIDv7, so ids
// order by time): at most limit changes and limit notifications, oldest first, in one round trip.
// Errors: ENOTFOUND for a malformed afterID.
func (db *DB) StreamBacklog(ctx context.Context, orgID string, m StreamMember, afterID string, limit int) ([]stream.Message, error) {
	if !validUUID(afterID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Unknown event id.")
	}
	var out []stream.Message
	scan := func(kind string) func(pgx.Rows) error {
		return func(r pgx.Rows) error {
			for r.Next() {
				msg := stream.Message{Kind: kind, OrganizationID: orgID}
				if err := r.Scan(&msg.ID, &msg.Type, &msg.EntityType, &msg.EntityID, &msg.ActorID, &msg.ProjectID); err != nil {
					return err
				}
				if kind == stream.KindNotification {
					msg.RecipientID = m.UserID
				}
				out = append(out, msg)
			}
			return nil
		}
	}
	reads := []read{{sql: notificationsSinceRead, args: []any{orgID, m.UserID, afterID, limit}, scan: scan(stream.KindNotification)}}
	if m.SeesChanges() {
		changeArgs := []any{orgID, afterID, m.SeesAllProjects(), m.UserID, limit, m.SeesEntity("invoice", ""), m.SeesEntity("client", "")}
		reads = append([]read{{sql: changesSinceRead, args: changeArgs, scan: scan(stream.KindChange)}}, reads...)
	}
	err := db.tenantRead(ctx, orgID, m.UserID, reads...)
	return out, err
}

// sessionLiveSQL answers the user of a live session token hash (not revoked, not expired).
const sessionLiveSQL = `SELECT user_id::text, last_seen_at, coalesce(sso_organization_id::text, '') FROM sessions
	WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`

// streamMembersSQL is each active membership of app.user_id with member_access's role, permissions and
// the organization's idle timeout (bind the default permissions, then the user id).
const streamMembersSQL = `SELECT m.organization_id::text, ma.out_role, ma.out_permissions, ma.out_timeout,
	ma.out_sso_required, ma.out_allowlist
	FROM organization_memberships m JOIN organizations o ON o.id = m.organization_id AND o.status = 'active'
	CROSS JOIN LATERAL member_access(m.organization_id, m.user_id, ?::jsonb) AS ma
	WHERE m.user_id = ? AND m.status = 'active' AND ma.out_role IS NOT NULL`

// StreamSession answers whose live session tokenHash is and their standing in each organization they are
// an active member of, without touching the session: an open stream does not count as activity that keeps
// an idle session alive. An organization whose idle timeout has passed for this session is left out, as
// SessionPrincipal refuses it (and signs the session out) on the next request. Errors: EUNAUTHENTICATED.
func (db *DB) StreamSession(ctx context.Context, tokenHash []byte) (string, map[string]StreamMember, error) {
	var userID, ssoOrg string
	var lastSeen time.Time
	err := db.bun.DB.QueryRowContext(ctx, sessionLiveSQL, prepared, tokenHash).Scan(&userID, &lastSeen, &ssoOrg)
	if err != nil {
		if domain.ErrorCode(mapError(err, "")) == domain.ENOTFOUND {
			return "", nil, domain.Errorf(domain.EUNAUTHENTICATED, "Please sign in.")
		}
		return "", nil, err
	}
	out := map[string]StreamMember{}
	err = db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.user_id', ?, true)", userID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, streamMembersSQL, defaultPermissionsJSON, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var orgID, role string
			var perms, allowlist []string
			var timeout *int
			var ssoRequired bool
			if err := rows.Scan(&orgID, &role, pgdialect.Array(&perms), &timeout, &ssoRequired, pgdialect.Array(&allowlist)); err != nil {
				return err
			}
			if !idleTimedOut(lastSeen, timeout) {
				out[orgID] = StreamMember{Viewer: domain.Viewer{UserID: userID, Role: role}, Permissions: permissionsFrom(perms),
					SSORequired: ssoRequired, Allowlist: allowlist, SessionSSOOrg: ssoOrg}
			}
		}
		return rows.Err()
	})
	if err != nil {
		return "", nil, err
	}
	return userID, out, nil
}
