package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// backupCodeRow is the backup_codes table; only hashes are stored.
type backupCodeRow struct {
	bun.BaseModel `bun:"table:backup_codes"`

	ID        string     `bun:"id,pk"`
	UserID    string     `bun:"user_id"`
	CodeHash  []byte     `bun:"code_hash"`
	CreatedAt time.Time  `bun:"created_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// SetPendingTOTP stores a sealed secret awaiting its first code; it replaces any earlier pending one.
func (db *DB) SetPendingTOTP(ctx context.Context, userID string, sealed []byte) error {
	_, err := db.bun.NewUpdate().Table("users").Set("totp_pending_secret = ?, updated_at = now()", sealed).
		Where("id = ?", userID).Exec(ctx)
	return err
}

// EnableTOTP promotes the pending secret to the enabled one, records step as used (the confirmation code
// cannot sign anyone in again) and replaces the backup codes, in one transaction.
// Errors: ECONFLICT when two-factor sign-in is already on or nothing is pending.
func (db *DB) EnableTOTP(ctx context.Context, userID string, step int64, codeHashes [][]byte) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Table("users").
			Set("totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = now()").
			Set("totp_last_step = ?, updated_at = now()", step).
			Where("id = ? AND totp_secret IS NULL AND totp_pending_secret IS NOT NULL", userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ECONFLICT, "Two-factor sign-in is already on, or setup was not started.")
		}
		if err := recordUserAudit(ctx, tx, userID, domain.AuditTwoFactorEnabled, nil); err != nil {
			return err
		}
		return replaceBackupCodes(ctx, tx, userID, codeHashes)
	})
}

// DisableTOTP turns two-factor sign-in off and deletes the backup codes.
func (db *DB) DisableTOTP(ctx context.Context, userID string) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("users").
			Set("totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, updated_at = now()").
			Where("id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Table("backup_codes").Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		return recordUserAudit(ctx, tx, userID, domain.AuditTwoFactorDisabled, nil)
	})
}

// ReplaceBackupCodes deletes userID's backup codes and stores these hashes instead.
func (db *DB) ReplaceBackupCodes(ctx context.Context, userID string, codeHashes [][]byte) error {
	return db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := recordUserAudit(ctx, tx, userID, domain.AuditBackupCodesRegenerated,
			map[string]any{"codes": len(codeHashes)}); err != nil {
			return err
		}
		return replaceBackupCodes(ctx, tx, userID, codeHashes)
	})
}

func replaceBackupCodes(ctx context.Context, tx bun.Tx, userID string, codeHashes [][]byte) error {
	if _, err := tx.NewDelete().Table("backup_codes").Where("user_id = ?", userID).Exec(ctx); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	rows := make([]backupCodeRow, len(codeHashes))
	for i, h := range codeHashes {
		rows[i] = backupCodeRow{ID: newID(), UserID: userID, CodeHash: h, CreatedAt: now}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// UseBackupCode spends userID's unused backup code with this hash and reports whether there was one.
func (db *DB) UseBackupCode(ctx context.Context, userID string, codeHash []byte) (bool, error) {
	res, err := db.bun.NewUpdate().Table("backup_codes").Set("used_at = now()").
		Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, codeHash).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseTOTPStep records that a code of time step step was accepted for userID, and reports false when that
// step or a later one already was: the conditional update makes replays fail even when they race.
func (db *DB) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := db.bun.NewUpdate().Table("users").Set("totp_last_step = ?", step).
		Where("id = ? AND totp_last_step < ?", userID, step).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
