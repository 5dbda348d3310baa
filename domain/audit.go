package domain

import (
	"context"
	"time"
)

// AuditEntry is one row of an organization's audit log: who did a security or administrative action,
// to what, from where. The log is append-only: the application can add and read rows, never change them.
type AuditEntry struct {
	ID string
	// ActorID is the user who acted (empty for the system); ActorName is their name when it was written,
	// kept so the log still reads after the user is gone.
	ActorID   string
	ActorName string
	// APIKeyID is the key the request authenticated with, when it did.
	APIKeyID   string
	Action     string
	EntityType string
	EntityID   string
	IP         string
	UserAgent  string
	RequestID  string
	// Metadata holds what changed ({"before": …, "after": …} for updates) and other facts; never secrets.
	Metadata  map[string]any
	CreatedAt time.Time
}

// AuditFilter narrows the audit log. Times are inclusive From and exclusive To; Text matches the action,
// entity, actor name, IP and metadata. Cursor is the last ID of the previous page.
type AuditFilter struct {
	From, To   time.Time
	ActorID    string
	Action     string
	EntityType string
	EntityID   string
	Text       string
	Limit      int
	Cursor     string
}

// AuditOrigin is where a request came from: the store stamps it on the audit rows the request writes.
type AuditOrigin struct {
	UserID    string
	APIKeyID  string
	IP        string
	UserAgent string
	RequestID string
}

type auditOriginKey struct{}

// WithAuditOrigin returns ctx carrying o.
func WithAuditOrigin(ctx context.Context, o AuditOrigin) context.Context {
	return context.WithValue(ctx, auditOriginKey{}, o)
}

// AuditOriginFrom returns the origin ctx carries (zero when none).
func AuditOriginFrom(ctx context.Context) AuditOrigin {
	o, _ := ctx.Value(auditOriginKey{}).(AuditOrigin)
	return o
}
