package store

import (
	"context"
	"time"
)

// VerifyEmailByProvider marks userID's email verified because an identity provider (Google) vouched for it,
// in ctx's transaction when it carries one (see Atomically). When the address was not verified before,
// whoever chose the account's password never proved they receive its mail: the password is replaced by
// newPasswordHash (nobody's) and the account's sessions are revoked, so an account registered in advance
// with someone else's address is not kept by its registrant (account pre-hijacking). It reports whether
// the address was unverified until now.
func (db *DB) VerifyEmailByProvider(ctx context.Context, userID, newPasswordHash string) (bool, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	res, err := db.idb(ctx).NewRaw(`UPDATE users SET email_verified_at = ?, password_hash = ?, updated_at = ?
		WHERE id = ? AND email_verified_at IS NULL`, now, newPasswordHash, now, userID).Exec(ctx)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, revokeUserSessions(ctx, db.idb(ctx), userID, "")
}
