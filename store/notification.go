package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// notificationRow is the notifications table.
type notificationRow struct {
	bun.BaseModel `bun:"table:notifications"`

	OrganizationID string     `bun:"organization_id,pk"`
	ID             string     `bun:"id,pk"`
	RecipientID    string     `bun:"recipient_id"`
	Type           string     `bun:"type"`
	Title          string     `bun:"title"`
	Body           string     `bun:"body"`
	Link           string     `bun:"link"`
	EntityType     string     `bun:"entity_type"`
	EntityID       *string    `bun:"entity_id"`
	ProjectID      *string    `bun:"project_id"`
	ActorID        *string    `bun:"actor_id"`
	SourceKey      string     `bun:"source_key"`
	ReadAt         *time.Time `bun:"read_at"`
	CreatedAt      time.Time  `bun:"created_at"`
}

func (r *notificationRow) domain(actorName string) *domain.Notification {
	n := &domain.Notification{ID: r.ID, OrganizationID: r.OrganizationID, RecipientID: r.RecipientID, Type: r.Type,
		Title: r.Title, Body: r.Body, Link: r.Link, EntityType: r.EntityType, EntityID: deref(r.EntityID),
		ProjectID: deref(r.ProjectID), ActorID: deref(r.ActorID), ActorName: actorName, SourceKey: r.SourceKey,
		CreatedAt: r.CreatedAt.UTC()}
	if r.ReadAt != nil {
		t := r.ReadAt.UTC()
		n.ReadAt = &t
	}
	return n
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

const notificationNotFound = "Notification not found."

// notificationSelect reads a notification with its actor's name (users are global: the notification's
// organization and recipient filters do the scoping).
const notificationSelect = `SELECT n.organization_id, n.id, n.recipient_id, n.type, n.title, n.body, n.link,
	n.entity_type, n.entity_id::text, n.project_id::text, n.actor_id::text, n.source_key, n.read_at, n.created_at,
	coalesce(u.name, '')
	FROM notifications n LEFT JOIN users u ON u.id = n.actor_id`

// unreadCountSQL counts a member's unread notifications (served by notifications_unread_idx).
const unreadCountSQL = `SELECT count(*) FROM notifications WHERE organization_id = $1 AND recipient_id = $2 AND read_at IS NULL`

// unreadCountBunSQL is unreadCountSQL for a write transaction (bun's ? placeholders).
const unreadCountBunSQL = `SELECT count(*) FROM notifications WHERE organization_id = ? AND recipient_id = ? AND read_at IS NULL`

// ListNotifications returns one page of userID's notifications in orgID, newest first, and their unread
// count, in one round trip. The returned cursor is empty on the last page.
// Errors: EINVALID for a malformed cursor or an unknown type.
func (db *DB) ListNotifications(ctx context.Context, orgID, userID string, f domain.NotificationFilter) ([]*domain.Notification, string, int, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", 0, err
	}
	if _, ok := domain.LookupNotificationType(f.Type); f.Type != "" && !ok {
		return nil, "", 0, domain.Invalid("query.type", "is not a notification type")
	}
	if !validUUID(userID) {
		return nil, "", 0, domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	out := []*domain.Notification{}
	var unread int
	query, args := notificationListSQL(orgID, userID, f, after)
	err = db.tenantRead(ctx, orgID, userID,
		read{sql: query, args: args, scan: func(r pgx.Rows) error {
			for r.Next() {
				n, err := scanNotification(r)
				if err != nil {
					return err
				}
				out = append(out, n)
			}
			return nil
		}},
		read{sql: unreadCountSQL, args: []any{orgID, userID}, scan: scanCount(&unread)})
	if err != nil {
		return nil, "", 0, err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeCursor(out[len(out)-1].ID)
	}
	return out, next, unread, nil
}

// notificationListSQL builds the inbox query with $n placeholders: only the filters in use appear, so each
// combination is one cached statement. The recipient is named explicitly besides the own-rows policy.
func notificationListSQL(orgID, userID string, f domain.NotificationFilter, after string) (string, []any) {
	var b strings.Builder
	args := []any{orgID, userID}
	b.WriteString(notificationSelect + " WHERE n.organization_id = $1 AND n.recipient_id = $2")
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&b, cond, len(args))
	}
	if f.UnreadOnly {
		b.WriteString(" AND n.read_at IS NULL")
	}
	if f.Type != "" {
		add(" AND n.type = $%d", f.Type)
	}
	if after != "" {
		add(" AND n.id < $%d", after)
	}
	add(" ORDER BY n.id DESC LIMIT $%d", f.Limit+1)
	return b.String(), args
}

func scanNotification(r rowScanner) (*domain.Notification, error) {
	var row notificationRow
	var actorName string
	if err := r.Scan(&row.OrganizationID, &row.ID, &row.RecipientID, &row.Type, &row.Title, &row.Body, &row.Link,
		&row.EntityType, &row.EntityID, &row.ProjectID, &row.ActorID, &row.SourceKey, &row.ReadAt, &row.CreatedAt,
		&actorName); err != nil {
		return nil, err
	}
	return row.domain(actorName), nil
}

func scanCount(n *int) func(pgx.Rows) error {
	return func(r pgx.Rows) error {
		for r.Next() {
			if err := r.Scan(n); err != nil {
				return err
			}
		}
		return nil
	}
}

// UnreadCount returns how many of userID's notifications in orgID are unread.
func (db *DB) UnreadCount(ctx context.Context, orgID, userID string) (int, error) {
	if !validUUID(userID) {
		return 0, domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	var n int
	err := db.tenantQuery(ctx, orgID, userID, unreadCountSQL, []any{orgID, userID}, scanCount(&n))
	return n, err
}

// MarkRead marks one of userID's notifications read (reading it twice keeps the first time) and returns
// the unread count left. Errors: ENOTFOUND (also for another member's or another organization's id).
func (db *DB) MarkRead(ctx context.Context, orgID, userID, id string) (int, error) {
	if !validUUID(id) || !validUUID(userID) {
		return 0, domain.Errorf(domain.ENOTFOUND, notificationNotFound)
	}
	var unread int
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		var found string
		err := tx.NewRaw(`UPDATE notifications SET read_at = coalesce(read_at, now())
			WHERE organization_id = ? AND recipient_id = ? AND id = ? RETURNING id`, orgID, userID, id).Scan(ctx, &found)
		if err != nil {
			return err
		}
		return tx.NewRaw(unreadCountBunSQL, orgID, userID).Scan(ctx, &unread)
	})
	return unread, mapError(err, notificationNotFound)
}

// MarkAllRead marks every unread notification of userID in orgID read and returns the unread count left:
// 0, unless one arrived meanwhile.
func (db *DB) MarkAllRead(ctx context.Context, orgID, userID string) (int, error) {
	if !validUUID(userID) {
		return 0, domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	var unread int
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw(`UPDATE notifications SET read_at = now()
			WHERE organization_id = ? AND recipient_id = ? AND read_at IS NULL`, orgID, userID).Exec(ctx); err != nil {
			return err
		}
		return tx.NewRaw(unreadCountBunSQL, orgID, userID).Scan(ctx, &unread)
	})
	return unread, err
}
