package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// MaxChallengeFailures is how many wrong codes kill a sign-in challenge.
const MaxChallengeFailures = 5

// signInChallengeRow is the sign_in_challenges table; only a hash of the token is stored.
type signInChallengeRow struct {
	bun.BaseModel `bun:"table:sign_in_challenges"`

	ID        string     `bun:"id,pk"`
	UserID    string     `bun:"user_id"`
	TokenHash []byte     `bun:"token_hash"`
	Failures  int        `bun:"failures"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// CreateSignInChallenge stores the second step of a sign-in for userID, valid until expiresAt.
func (db *DB) CreateSignInChallenge(ctx context.Context, userID string, tokenHash []byte, expiresAt time.Time) error {
	row := signInChallengeRow{ID: newID(), UserID: userID, TokenHash: tokenHash,
		CreatedAt: time.Now().UTC().Truncate(time.Microsecond), ExpiresAt: expiresAt}
	_, err := db.bun.NewInsert().Model(&row).Exec(ctx)
	return mapError(err, "")
}

// errChallengeGone is the one answer for an unknown, expired, used or exhausted challenge.
var errChallengeGone = domain.Errorf(domain.ENOTFOUND, "Sign-in challenge not found.")

// SignInChallengeUser returns the user of the live challenge with this hash.
// Errors: ENOTFOUND when it is unknown, expired, used or exhausted.
func (db *DB) SignInChallengeUser(ctx context.Context, tokenHash []byte) (*domain.User, error) {
	var userID string
	err := db.bun.NewSelect().Table("sign_in_challenges").Column("user_id").
		Where("token_hash = ? AND used_at IS NULL AND expires_at > now() AND failures < ?", tokenHash, MaxChallengeFailures).
		Scan(ctx, &userID)
	if domain.ErrorCode(mapError(err, "")) == domain.ENOTFOUND {
		return nil, errChallengeGone
	} else if err != nil {
		return nil, err
	}
	return db.UserByID(ctx, userID)
}

// FailSignInChallenge counts one wrong code against the challenge.
func (db *DB) FailSignInChallenge(ctx context.Context, tokenHash []byte) error {
	_, err := db.bun.NewUpdate().Table("sign_in_challenges").Set("failures = failures + 1").
		Where("token_hash = ?", tokenHash).Exec(ctx)
	return err
}

// UseSignInChallenge spends the live challenge, so it completes one sign-in only.
// Errors: ENOTFOUND when it is no longer live.
func (db *DB) UseSignInChallenge(ctx context.Context, tokenHash []byte) error {
	res, err := db.bun.NewUpdate().Table("sign_in_challenges").Set("used_at = now()").
		Where("token_hash = ? AND used_at IS NULL AND expires_at > now() AND failures < ?", tokenHash, MaxChallengeFailures).
		Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errChallengeGone
	}
	return nil
}
