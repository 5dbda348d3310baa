package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// recordAudit appends e to orgID's audit log inside tx, so the row exists exactly when the change does.
// The actor, API key, IP, user agent and request ID come from the request's domain.AuditOrigin unless e
// sets them.
func recordAudit(ctx context.Context, tx bun.Tx, orgID string, e domain.AuditEntry) error {
	o := domain.AuditOriginFrom(ctx)
	if e.ActorID == "" {
		e.ActorID = o.UserID
	}
	if e.APIKeyID == "" {
		e.APIKeyID = o.APIKeyID
	}
	if e.IP == "" {
		e.IP = o.IP
	}
	if e.UserAgent == "" {
		e.UserAgent = o.UserAgent
	}
	if e.RequestID == "" {
		e.RequestID = o.RequestID
	}
	meta := e.Metadata
	if meta == nil {
		meta = map[string]any{}
	}
	_, err := tx.NewRaw(`INSERT INTO audit_logs (organization_id, id, actor_id, actor_name, api_key_id, action,
			entity_type, entity_id, ip, user_agent, request_id, metadata)
		VALUES (?, ?, ?, coalesce((SELECT name FROM users WHERE id = ?), ''), ?, ?, ?, ?, ?, ?, ?, ?)`,
		orgID, newID(), nullable(e.ActorID), nullable(e.ActorID), nullable(e.APIKeyID), e.Action, e.EntityType,
		e.EntityID, truncateRunes(e.IP, 64), truncateRunes(e.UserAgent, 512), truncateRunes(e.RequestID, 64), meta).Exec(ctx)
	return err
}

// RecordAudit appends e to orgID's audit log in a transaction of its own (or the caller's, when ctx carries
// one for orgID), for actions with no other write: an export requested, a refused sign-in.
func (db *DB) RecordAudit(ctx context.Context, orgID string, e domain.AuditEntry) error {
	return db.inTenant(ctx, orgID, domain.AuditOriginFrom(ctx).UserID, func(ctx context.Context, tx bun.Tx) error {
		return recordAudit(ctx, tx, orgID, e)
	})
}

// RecordUserAudit appends action about userID to the audit log of every organization the user is an active
// member of: sign-ins, password and two-factor changes belong to the user, and each organization's admins
// must see them. IP, user agent and request ID come from ctx's domain.AuditOrigin.
func (db *DB) RecordUserAudit(ctx context.Context, userID, action string, metadata map[string]any) error {
	return recordUserAudit(ctx, db.idb(ctx), userID, action, metadata)
}

// recordUserAudit is RecordUserAudit inside idb, the transaction of the user's change.
func recordUserAudit(ctx context.Context, idb bun.IDB, userID, action string, metadata map[string]any) error {
	if metadata == nil {
		metadata = map[string]any{}
	}
	meta, err := json.Marshal(metadata)
	if err != nil {
		return err
	}
	o := domain.AuditOriginFrom(ctx)
	// The user acted, except in a refused sign-in: whoever typed the password is not known to be them.
	actor := nullable(userID)
	if action == domain.AuditSignInFailed {
		actor = nil
	}
	_, err = idb.NewRaw(`SELECT audit_user_action(?, ?, ?, ?, ?, ?, ?)`,
		userID, actor, action, o.IP, o.UserAgent, o.RequestID, string(meta)).Exec(ctx)
	return err
}

const auditColumns = `SELECT a.id, coalesce(a.actor_id::text, ''), a.actor_name, coalesce(a.api_key_id::text, ''),
	a.action, a.entity_type, a.entity_id, a.ip, a.user_agent, a.request_id, a.metadata, a.created_at
	FROM audit_logs a WHERE a.organization_id = $1`

// auditQuery builds the SELECT for f over orgID's log, newest first, up to limit rows after the cursor id.
func auditQuery(orgID string, f domain.AuditFilter, after string, limit int) (string, []any) {
	var b strings.Builder
	args := []any{orgID}
	b.WriteString(auditColumns)
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&b, cond, len(args))
	}
	if !f.From.IsZero() {
		add(" AND a.created_at >= $%d", f.From)
	}
	if !f.To.IsZero() {
		add(" AND a.created_at < $%d", f.To)
	}
	if f.ActorID != "" {
		add(" AND a.actor_id = $%d", f.ActorID)
	}
	if f.Action != "" {
		// "member" matches member.invited, member.removed…; "member.invited" only itself.
		if strings.Contains(f.Action, ".") {
			add(" AND a.action = $%d", f.Action)
		} else {
			add(" AND a.action LIKE $%d", escapeLike(f.Action)+".%")
		}
	}
	if f.EntityType != "" {
		add(" AND a.entity_type = $%d", f.EntityType)
	}
	if f.EntityID != "" {
		add(" AND a.entity_id = $%d", f.EntityID)
	}
	if f.Text != "" {
		add(` AND lower(a.action || ' ' || a.entity_type || ' ' || a.entity_id || ' ' || a.actor_name || ' ' ||
			a.ip || ' ' || a.metadata::text) LIKE $%d`, "%"+escapeLike(strings.ToLower(f.Text))+"%")
	}
	if after != "" {
		add(" AND a.id < $%d", after)
	}
	add(" ORDER BY a.id DESC LIMIT $%d", limit)
	return b.String(), args
}

// AuditLog lists orgID's audit log newest first as f narrows it; the returned cursor is empty on the last
// page. Errors: EINVALID for a malformed cursor or actor ID.
func (db *DB) AuditLog(ctx context.Context, orgID, userID string, f domain.AuditFilter) ([]*domain.AuditEntry, string, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	if f.ActorID != "" && !validUUID(f.ActorID) {
		return nil, "", domain.Invalid("query.actor_id", "is not a valid ID")
	}
	out, err := db.AuditBatch(ctx, orgID, userID, f, after, f.Limit+1)
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

// AuditBatch reads up to limit rows of orgID's log matching f with IDs below after ("" for the newest):
// exports page through the whole log with it, one batch at a time.
func (db *DB) AuditBatch(ctx context.Context, orgID, userID string, f domain.AuditFilter, after string, limit int) ([]*domain.AuditEntry, error) {
	q, args := auditQuery(orgID, f, after, limit)
	out := []*domain.AuditEntry{}
	err := db.tenantQuery(ctx, orgID, userID, q, args, func(r pgx.Rows) error {
		for r.Next() {
			var e domain.AuditEntry
			var meta []byte
			var created time.Time
			if err := r.Scan(&e.ID, &e.ActorID, &e.ActorName, &e.APIKeyID, &e.Action, &e.EntityType, &e.EntityID,
				&e.IP, &e.UserAgent, &e.RequestID, &meta, &created); err != nil {
				return err
			}
			e.CreatedAt = created.UTC()
			if err := json.Unmarshal(meta, &e.Metadata); err != nil {
				return err
			}
			out = append(out, &e)
		}
		return nil
	})
	return out, err
}
