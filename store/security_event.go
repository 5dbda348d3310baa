package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// SecurityEvent kinds.
const (
	// SecurityEventSuspiciousLogin is a sign-in from a device and network the user had not used lately.
	SecurityEventSuspiciousLogin = "suspicious_login"
)

// securityEventRow is the security_events table (per user, not per tenant: users are global).
type securityEventRow struct {
	bun.BaseModel `bun:"table:security_events"`

	ID        string    `bun:"id,pk"`
	UserID    string    `bun:"user_id"`
	Kind      string    `bun:"kind"`
	IP        string    `bun:"ip"`
	UserAgent string    `bun:"user_agent"`
	CreatedAt time.Time `bun:"created_at"`
}

// CreateSecurityEvent records one security event on userID's account and returns its ID.
func (db *DB) CreateSecurityEvent(ctx context.Context, userID, kind, ip, userAgent string) (string, error) {
	row := securityEventRow{ID: newID(), UserID: userID, Kind: kind, IP: ip, UserAgent: userAgent,
		CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	_, err := db.idb(ctx).NewInsert().Model(&row).Exec(ctx)
	return row.ID, mapError(err, "")
}
