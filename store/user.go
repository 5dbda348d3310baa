package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// userRow is the users table. Users are not tenant rows: one person can belong to many organizations.
type userRow struct {
	bun.BaseModel `bun:"table:users"`

	ID              string     `bun:"id,pk"`
	Name            string     `bun:"name"`
	Email           string     `bun:"email"`
	EmailVerifiedAt *time.Time `bun:"email_verified_at"`
	PasswordHash    string     `bun:"password_hash"`
	Timezone        string     `bun:"timezone"`
	AvatarURL       string     `bun:"avatar_url"`
	// TOTPPendingSecret and TOTPSecret are sealed (see the api's two-factor code); never sent anywhere.
	TOTPPendingSecret []byte     `bun:"totp_pending_secret"`
	TOTPSecret        []byte     `bun:"totp_secret"`
	TOTPEnabledAt     *time.Time `bun:"totp_enabled_at"`
	TOTPLastStep      int64      `bun:"totp_last_step"`
	CreatedAt         time.Time  `bun:"created_at"`
	UpdatedAt         time.Time  `bun:"updated_at"`
}

func (r *userRow) domain() *domain.User {
	return &domain.User{ID: r.ID, Name: r.Name, Email: r.Email, EmailVerifiedAt: r.EmailVerifiedAt,
		PasswordHash: r.PasswordHash, Timezone: r.Timezone, AvatarURL: r.AvatarURL, TOTPSecret: r.TOTPSecret,
		TOTPPendingSecret: r.TOTPPendingSecret, TOTPEnabledAt: r.TOTPEnabledAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// CreateUser inserts u, filling its ID and timestamps.
// Errors: ECONFLICT when the email is taken.
func (db *DB) CreateUser(ctx context.Context, u *domain.User) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	u.ID, u.CreatedAt, u.UpdatedAt = newID(), now, now
	if u.Timezone == "" {
		u.Timezone = "UTC"
	}
	row := userRow{ID: u.ID, Name: u.Name, Email: u.Email, PasswordHash: u.PasswordHash, Timezone: u.Timezone,
		CreatedAt: now, UpdatedAt: now}
	_, err := db.idb(ctx).NewInsert().Model(&row).Exec(ctx)
	if domain.ErrorCode(mapError(err, "")) == domain.ECONFLICT {
		return domain.Errorf(domain.ECONFLICT, "An account with this email already exists.")
	}
	return mapError(err, "")
}

// UserByEmail finds a user by normalised email. Errors: ENOTFOUND.
func (db *DB) UserByEmail(ctx context.Context, email string) (*domain.User, error) {
	var row userRow
	err := db.bun.NewSelect().Model(&row).Where("email = ?", email).Scan(ctx)
	if err != nil {
		return nil, mapError(err, "User not found.")
	}
	return row.domain(), nil
}

// UserByID finds a user. Errors: ENOTFOUND.
func (db *DB) UserByID(ctx context.Context, id string) (*domain.User, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, "User not found.")
	}
	var row userRow
	if err := db.bun.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, mapError(err, "User not found.")
	}
	return row.domain(), nil
}

// VerifyEmail marks the user's address verified (keeping the first verification time) and returns the user.
// Errors: ENOTFOUND.
func (db *DB) VerifyEmail(ctx context.Context, userID string) (*domain.User, error) {
	if !validUUID(userID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "User not found.")
	}
	var row userRow
	err := db.bun.NewUpdate().Model(&row).
		Set("email_verified_at = COALESCE(email_verified_at, now())").Set("updated_at = now()").
		Where("id = ?", userID).Returning("*").Scan(ctx)
	if err != nil {
		return nil, mapError(err, "User not found.")
	}
	return row.domain(), nil
}

// UpdateProfile sets the user's name, timezone and avatar URL (already validated) and returns the user.
// Errors: ENOTFOUND.
func (db *DB) UpdateProfile(ctx context.Context, userID, name, timezone, avatarURL string) (*domain.User, error) {
	var row userRow
	err := db.bun.NewUpdate().Model(&row).
		Set("name = ?, timezone = ?, avatar_url = ?, updated_at = now()", name, timezone, avatarURL).
		Where("id = ?", userID).Returning("*").Scan(ctx)
	if err != nil {
		return nil, mapError(err, "User not found.")
	}
	return row.domain(), nil
}
