package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// passwordResetRow is the password_reset_tokens table; only a hash of the token is stored.
type passwordResetRow struct {
	bun.BaseModel `bun:"table:password_reset_tokens"`

	ID        string     `bun:"id,pk"`
	UserID    string     `bun:"user_id"`
	TokenHash []byte     `bun:"token_hash"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// CreatePasswordResetToken stores a reset token hash for userID, valid until expiresAt, and returns its ID.
func (db *DB) CreatePasswordResetToken(ctx context.Context, userID string, tokenHash []byte, expiresAt time.Time) (string, error) {
	row := passwordResetRow{ID: newID(), UserID: userID, TokenHash: tokenHash,
		CreatedAt: time.Now().UTC().Truncate(time.Microsecond), ExpiresAt: expiresAt}
	_, err := db.idb(ctx).NewInsert().Model(&row).Exec(ctx)
	return row.ID, mapError(err, "")
}

// ResetPassword spends the unused, unexpired token with this hash: it sets the user's password hash and
// revokes every one of their sessions, all in one transaction.
// Errors: ENOTFOUND when the token is unknown, used or expired.
func (db *DB) ResetPassword(ctx context.Context, tokenHash []byte, passwordHash string) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var userID, tokenID string
		err := tx.NewUpdate().Table("password_reset_tokens").Set("used_at = now()").
			Where("token_hash = ? AND used_at IS NULL AND expires_at > now()", tokenHash).
			Returning("user_id, id").Scan(ctx, &userID, &tokenID)
		if domain.ErrorCode(mapError(err, "")) == domain.ENOTFOUND {
			return domain.Errorf(domain.ENOTFOUND, "Reset token not found.")
		} else if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("users").Set("password_hash = ?, updated_at = now()", passwordHash).
			Where("id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		if err := revokeUserSessions(ctx, tx, userID, ""); err != nil {
			return err
		}
		if err := recordUserAudit(ctx, tx, userID, domain.AuditPasswordReset,
			map[string]any{"sessions_revoked": "all"}); err != nil {
			return err
		}
		// Every other device was signed out: the user hears it in each inbox (forced_logout), through the
		// workflow outbox, committed with the reset.
		notice := domain.UserNoticeStart(domain.UserNotice{UserID: userID, Type: domain.NotifyForcedLogout,
			Title: "Your password was reset and every session signed out",
			Body:  "If you did not reset it, reset it again and review your account's security.", SourceKey: "forced-logout/" + tokenID})
		return db.EnqueueStarts(context.WithValue(ctx, tenantTxKey{}, tenantTx{tx: tx}), &notice)
	})
}

// ChangePassword sets userID's password hash and revokes their session revokeSessionID (the one the change
// was made from), in one transaction. The caller has already opened its replacement, newSessionID, in the
// same browser: that browser's push subscriptions move to it, so it keeps getting the user's pushes.
func (db *DB) ChangePassword(ctx context.Context, userID, passwordHash, revokeSessionID, newSessionID string) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("users").Set("password_hash = ?, updated_at = now()", passwordHash).
			Where("id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("sessions").Set("revoked_at = now()").
			Where("id = ? AND user_id = ? AND revoked_at IS NULL", revokeSessionID, userID).Exec(ctx); err != nil {
			return err
		}
		if err := recordUserAudit(ctx, tx, userID, domain.AuditPasswordChanged, nil); err != nil {
			return err
		}
		return movePushSubscriptions(ctx, tx, userID, revokeSessionID, newSessionID)
	})
}

// movePushSubscriptions rebinds userID's push subscriptions of session from to session to, in each
// organization the user belongs to (push_subscriptions is read and written one organization at a time).
func movePushSubscriptions(ctx context.Context, tx bun.Tx, userID, from, to string) error {
	if !validUUID(from) || !validUUID(to) {
		return nil
	}
	var orgs []string
	if _, err := tx.Tx.ExecContext(ctx, setTenantSQL, prepared, "", userID); err != nil {
		return err
	}
	if err := tx.NewRaw("SELECT organization_id::text FROM organization_memberships WHERE user_id = ?", userID).
		Scan(ctx, &orgs); err != nil {
		return err
	}
	for _, org := range orgs {
		if _, err := tx.Tx.ExecContext(ctx, setTenantSQL, prepared, org, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE push_subscriptions SET session_id = ?
			WHERE organization_id = ? AND user_id = ? AND session_id = ?`, to, org, userID, from); err != nil {
			return err
		}
	}
	return nil
}

// revokeUserSessions revokes every live session of userID except keepID (empty keeps none).
func revokeUserSessions(ctx context.Context, idb bun.IDB, userID, keepID string) error {
	q := idb.NewUpdate().Table("sessions").Set("revoked_at = now()").Where("user_id = ? AND revoked_at IS NULL", userID)
	if keepID != "" {
		q = q.Where("id <> ?", keepID)
	}
	_, err := q.Exec(ctx)
	return err
}
