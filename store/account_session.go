package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// UserSession is one of a user's live sessions as the account screen lists it.
type UserSession struct {
	ID         string
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// UserSessions lists userID's live (unrevoked, unexpired) sessions, most recently seen first.
func (db *DB) UserSessions(ctx context.Context, userID string) ([]UserSession, error) {
	var rows []sessionRow
	err := db.bun.NewSelect().Model(&rows).
		Where("user_id = ? AND revoked_at IS NULL AND expires_at > now()", userID).
		Order("last_seen_at DESC", "id DESC").Scan(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]UserSession, len(rows))
	for i, r := range rows {
		out[i] = UserSession{ID: r.ID, IP: r.IP, UserAgent: r.UserAgent, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt}
	}
	return out, nil
}

// RevokeUserSession revokes userID's live session sessionID.
// Errors: ENOTFOUND when it is not theirs, unknown or already revoked.
func (db *DB) RevokeUserSession(ctx context.Context, userID, sessionID string) error {
	notFound := domain.Errorf(domain.ENOTFOUND, "Session not found.")
	if !validUUID(sessionID) {
		return notFound
	}
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Table("sessions").Set("revoked_at = now()").
			Where("id = ? AND user_id = ? AND revoked_at IS NULL", sessionID, userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound
		}
		return recordUserAudit(ctx, tx, userID, domain.AuditSessionRevoked, map[string]any{"session_id": sessionID})
	})
}

// RevokeOtherSessions revokes every live session of userID but keepID.
func (db *DB) RevokeOtherSessions(ctx context.Context, userID, keepID string) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := revokeUserSessions(ctx, tx, userID, keepID); err != nil {
			return err
		}
		return recordUserAudit(ctx, tx, userID, domain.AuditSessionsRevokedAll, map[string]any{"kept_session_id": keepID})
	})
}

// RecentSessionOrigins returns the IP and user agent of every session userID opened since since, revoked
// or not, so a sign-in can be compared with where the user has been before.
func (db *DB) RecentSessionOrigins(ctx context.Context, userID string, since time.Time) ([]UserSession, error) {
	var rows []sessionRow
	err := db.bun.NewSelect().Model(&rows).Column("id", "ip", "user_agent", "created_at").
		Where("user_id = ? AND created_at >= ?", userID, since).Scan(ctx)
	out := make([]UserSession, len(rows))
	for i, r := range rows {
		out[i] = UserSession{ID: r.ID, IP: r.IP, UserAgent: r.UserAgent, CreatedAt: r.CreatedAt}
	}
	return out, err
}

// CountSessions counts every session userID ever opened (revoked and expired ones too).
func (db *DB) CountSessions(ctx context.Context, userID string) (int, error) {
	n, err := db.bun.NewSelect().Table("sessions").Where("user_id = ?", userID).Count(ctx)
	return int(n), err
}
