package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// The fan-out's side of notifications: who a domain event concerns, under the same visibility rules as
// every read, and the idempotent writes of the notifications and their deliveries. The worker calls these
// with no user in scope (the restrictive own-rows policies let it write for every recipient).

// Audience is who a notification is meant for, before the rules drop anyone who may not have it.
type Audience struct {
	// UserIDs are named people: new assignees, the member a comment mentions.
	UserIDs []string
	// Task is a task ID whose assignees are meant, and its creator too when TaskCreator is set (the
	// task's watchers).
	Task        string
	TaskCreator bool
	// Roles names organization roles whose members are meant (owners and admins for a new member).
	Roles []string
	// InvoiceHolders is an invoice ID whose readers are meant: members holding invoices.read who see it.
	InvoiceHolders string
	// ProjectTeam means everyone who may see the plan's project: its members and the roles that see
	// every project (a client's portal request).
	ProjectTeam bool
	// Account means the named people are told about their own account (a security notice), so a client
	// contact among them is told too. Every other staff audience leaves client contacts out, whatever
	// projects or permissions their role holds.
	Account bool
	// Exclude is never notified: the actor, or someone a more specific notification reaches instead.
	Exclude []string

	// The contact audiences (domain.NotificationType.Contact types): an audience naming any of these
	// reaches client contacts only, and only those whose client's portal is enabled and who see the plan's
	// project, if any, in the portal (a project of their client shared with it).
	//
	// ClientContacts is a client ID whose contacts are meant (the portal was enabled).
	ClientContacts string
	// ProjectContacts means the contacts of the plan's project's client (a file shared with the client).
	ProjectContacts bool
	// RequesterOf is a task ID whose requester is meant (their request moved or got a reply).
	RequesterOf string
}

// forContacts reports whether aud names client contacts rather than staff.
func (aud Audience) forContacts() bool {
	return aud.ClientContacts != "" || aud.ProjectContacts || aud.RequesterOf != ""
}

// seesAllRoleSQL is domain.Viewer.SeesAllProjects for a membership row m, so the visibility rules below
// are the store's own constants applied per member instead of per viewer.
var seesAllRoleSQL = fmt.Sprintf("m.role IN ('%s', '%s', '%s')", domain.RoleOwner, domain.RoleAdmin, domain.RoleManager)

// memberSeesProjectSQL is projectVisibleSQL for the member m (projects row aliased p).
var memberSeesProjectSQL = formatRule(projectVisibleSQL, seesAllRoleSQL, "m.user_id")

// memberSeesInvoiceSQL is invoiceVisibleSQL for the member m (invoices row aliased i).
var memberSeesInvoiceSQL = formatRule(invoiceVisibleSQL, seesAllRoleSQL, "m.user_id")

// formatRule binds a viewer rule's two placeholders (sees everything, user id) to SQL expressions.
func formatRule(rule, seesAll, userID string) string {
	if strings.Count(rule, "?") != 2 {
		panic("store: a viewer rule binds exactly two placeholders")
	}
	return strings.Replace(strings.Replace(rule, "?", seesAll, 1), "?", userID, 1)
}

// recipientsSQL resolves a staff Audience ($1 org, $2 named ids, $3 task, $4 roles, $5 invoice, $6 excluded,
// $7 project, $8 default permissions, $9 task creator, $10 project team, $11 account notice) to the active
// members it names who may see the project now. Client contacts are left out (unless the notice is about
// their own account): staff notifications speak of internal work, contacts hear through the portal types.
var recipientsSQL = `WITH cand AS (
	SELECT unnest($2::uuid[]) AS user_id
	UNION SELECT unnest(t.assignee_ids) FROM tasks t WHERE t.organization_id = $1 AND t.id = $3::uuid
	UNION SELECT t.created_by FROM tasks t WHERE $9 AND t.organization_id = $1 AND t.id = $3::uuid
	UNION SELECT m.user_id FROM organization_memberships m WHERE m.organization_id = $1 AND m.role = ANY ($4::text[])
	UNION SELECT m.user_id FROM organization_memberships m
		JOIN invoices i ON i.organization_id = m.organization_id AND i.id = $5::uuid
		WHERE m.organization_id = $1 AND m.status = 'active' AND ` + memberSeesInvoiceSQL + `
		AND '` + string(domain.PermInvoicesRead) + `' = ANY (member_permissions(m.organization_id, m.user_id, $8::jsonb))
	UNION SELECT m.user_id FROM organization_memberships m WHERE $10 AND m.organization_id = $1)
SELECT m.user_id::text FROM organization_memberships m JOIN cand c ON c.user_id = m.user_id
WHERE m.organization_id = $1 AND m.status = 'active' AND NOT (m.user_id = ANY ($6::uuid[]))
	AND (m.role <> '` + domain.RoleClient + `' OR $11)
	AND ($7::uuid IS NULL OR EXISTS (SELECT 1 FROM projects p
		WHERE p.organization_id = m.organization_id AND p.id = $7::uuid AND ` + memberSeesProjectSQL + `))
ORDER BY 1`

// contactRecipientsSQL resolves a contact Audience ($1 org, $2 client, $3 task whose requester is meant,
// $4 project, $5 excluded, $6 the project's contacts) to the active client contacts it names whose client's
// portal is enabled and, for a project, whose client owns the project and shares it with the portal while it
// is not archived (the portal's own rule, portalProjectSQL, hides archived projects).
var contactRecipientsSQL = `SELECT m.user_id::text FROM organization_memberships m
	JOIN clients cl ON cl.organization_id = m.organization_id AND cl.id = m.client_id AND cl.portal_enabled
WHERE m.organization_id = $1 AND m.status = 'active' AND m.role = '` + domain.RoleClient + `'
	AND NOT (m.user_id = ANY ($5::uuid[]))
	AND (m.client_id = $2::uuid OR $6
		OR m.user_id = (SELECT t.requester_id FROM tasks t WHERE t.organization_id = $1 AND t.id = $3::uuid))
	AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM projects p
		WHERE p.organization_id = m.organization_id AND p.id = $4::uuid AND p.client_id = m.client_id AND p.portal_shared
		AND p.archived_at IS NULL))
ORDER BY 1`

// Recipients returns the members of orgID that aud names and who may have a notification about projectID
// ("" for none) now: active (not suspended, not removed), able to see the project, never an excluded one.
// A staff audience never yields a client contact (but for a notice about their own account); a contact
// audience (ClientContacts, ProjectContacts, RequesterOf) yields only contacts who see it in the portal.
func (db *DB) Recipients(ctx context.Context, orgID, projectID string, aud Audience) ([]string, error) {
	named := validIDs(aud.UserIDs)
	exclude := validIDs(aud.Exclude)
	roles := aud.Roles
	if roles == nil {
		roles = []string{}
	}
	query := recipientsSQL
	args := []any{orgID, named, nullable(validOrEmpty(aud.Task)), roles, nullable(validOrEmpty(aud.InvoiceHolders)),
		exclude, nullable(validOrEmpty(projectID)), defaultPermissionsJSON, aud.TaskCreator, aud.ProjectTeam, aud.Account}
	if aud.forContacts() {
		query = contactRecipientsSQL
		args = []any{orgID, nullable(validOrEmpty(aud.ClientContacts)), nullable(validOrEmpty(aud.RequesterOf)),
			nullable(validOrEmpty(projectID)), exclude, aud.ProjectContacts && validUUID(projectID)}
	}
	out := []string{}
	err := db.tenantQuery(ctx, orgID, "", query, args, func(r pgx.Rows) error {
		for r.Next() {
			var id string
			if err := r.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
		}
		return nil
	})
	return out, err
}

func validIDs(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if validUUID(id) {
			out = append(out, id)
		}
	}
	return out
}

func validOrEmpty(id string) string {
	if validUUID(id) {
		return id
	}
	return ""
}

// FanOutEvent reads one domain event of orgID with its actor's name. Errors: ENOTFOUND (the event or its
// organization is gone: nothing to tell anyone).
func (db *DB) FanOutEvent(ctx context.Context, orgID, eventID string) (*domain.Activity, error) {
	if !validUUID(eventID) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Event not found.")
	}
	out, err := db.queryActivity(ctx, orgID, "", activityColumns+" WHERE e.organization_id = $1 AND e.id = $2",
		[]any{orgID, eventID})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "Event not found.")
	}
	return out[0], nil
}

// FanOutEvents reads the events refs name whose type is one of types, with their actors' names, in one
// query per organization of the batch (usually one). An event that is gone (its organization deleted) or
// of another type is absent from the result.
func (db *DB) FanOutEvents(ctx context.Context, refs []domain.EventRef, types []string) (map[domain.EventRef]*domain.Activity, error) {
	byOrg := map[string][]string{}
	var orgs []string
	for _, ref := range refs {
		if !validUUID(ref.OrganizationID) || !validUUID(ref.EventID) {
			continue
		}
		if _, ok := byOrg[ref.OrganizationID]; !ok {
			orgs = append(orgs, ref.OrganizationID)
		}
		byOrg[ref.OrganizationID] = append(byOrg[ref.OrganizationID], ref.EventID)
	}
	out := map[domain.EventRef]*domain.Activity{}
	for _, orgID := range orgs {
		evs, err := db.queryActivity(ctx, orgID, "", activityColumns+
			" WHERE e.organization_id = $1 AND e.id = ANY ($2::uuid[]) AND e.type = ANY ($3::text[])",
			[]any{orgID, byOrg[orgID], types})
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			out[domain.EventRef{OrganizationID: orgID, EventID: ev.ID}] = ev
		}
	}
	return out, nil
}

// TaskHeading is what a notification about a task names it by.
type TaskHeading struct {
	ProjectID string
	Number    int
	Title     string
	// RequesterID is the client contact whose portal request the task is ("" for a staff task).
	RequesterID string
}

// FanOutTask reads the heading of a task of orgID. Errors: ENOTFOUND (deleted since).
func (db *DB) FanOutTask(ctx context.Context, orgID, taskID string) (*TaskHeading, error) {
	if !validUUID(taskID) {
		return nil, domain.Errorf(domain.ENOTFOUND, taskNotFound)
	}
	var h TaskHeading
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`SELECT project_id, number, title, coalesce(requester_id::text, '') FROM tasks
			WHERE organization_id = ? AND id = ?`, orgID, taskID).Scan(ctx, &h.ProjectID, &h.Number, &h.Title, &h.RequesterID)
	})
	if err != nil {
		return nil, mapError(err, taskNotFound)
	}
	return &h, nil
}

// CommentAudience is what decides whether a comment may reach a client contact.
type CommentAudience struct {
	// Internal comments are for staff only.
	Internal bool
	// ByContact is true when a client contact wrote it (the team hears of it; other contacts do not).
	ByContact bool
}

// FanOutComment reads whether a comment of orgID is internal and whether a client contact wrote it.
// Errors: ENOTFOUND (deleted since).
func (db *DB) FanOutComment(ctx context.Context, orgID, commentID string) (*CommentAudience, error) {
	if !validUUID(commentID) {
		return nil, domain.Errorf(domain.ENOTFOUND, commentNotFound)
	}
	var c CommentAudience
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`SELECT c.internal, coalesce(m.role = ?, false) FROM task_comments c
			LEFT JOIN organization_memberships m ON m.organization_id = c.organization_id AND m.user_id = c.author_id
			WHERE c.organization_id = ? AND c.id = ?`, domain.RoleClient, orgID, commentID).Scan(ctx, &c.Internal, &c.ByContact)
	})
	if err != nil {
		return nil, mapError(err, commentNotFound)
	}
	return &c, nil
}

// SharedFileHeading is what a notification about a file shared with a client names it by.
type SharedFileHeading struct {
	ProjectID string
	Name      string
}

// FanOutSharedFile reads a file of orgID that is still shared with its project's client. Errors:
// ENOTFOUND (deleted, or no longer shared).
func (db *DB) FanOutSharedFile(ctx context.Context, orgID, fileID string) (*SharedFileHeading, error) {
	const notFound = "File not found."
	if !validUUID(fileID) {
		return nil, domain.Errorf(domain.ENOTFOUND, notFound)
	}
	var f SharedFileHeading
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`SELECT project_id::text, name FROM files
			WHERE organization_id = ? AND id = ? AND shared_with_client`, orgID, fileID).Scan(ctx, &f.ProjectID, &f.Name)
	})
	if err != nil {
		return nil, mapError(err, notFound)
	}
	return &f, nil
}

// Delivery is an email or push delivery of a notification still waiting to be sent.
type Delivery struct {
	NotificationID string
	RecipientID    string
	Channel        string
	// EntityKey names what the notification is about (entity type and id), for coalescing emails.
	EntityKey string
}

// Notified is what a fan-out wrote for one source key, whether by this call or an earlier attempt.
type Notified struct {
	Notifications []*domain.Notification
	Pending       []Delivery
}

// Notify gives n (its type, texts, entity, actor, source key) to each recipient, per their preferences
// (an absent row is the catalogue's default): a row in the inbox when in-app is on (one already read when
// only email or push is on, so the badge stays quiet: the deliveries hang off it), a pending email delivery
// when email is on, a pending push delivery when push is on and they have a subscription. Channels in skip
// get nothing: the caller delivers on them itself (a billing notice whose email its workflow sends).
// Inserts skip a recipient who already has the source key, so a retried activity writes nothing twice; the
// result lists every notification of the key and the deliveries still pending.
func (db *DB) Notify(ctx context.Context, orgID string, n domain.Notification, recipients []string, skip ...string) (*Notified, error) {
	kind, ok := domain.LookupNotificationType(n.Type)
	if !ok {
		return nil, fmt.Errorf("store: unknown notification type %q", n.Type)
	}
	out := &Notified{Notifications: []*domain.Notification{}, Pending: []Delivery{}}
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		if len(recipients) > 0 {
			prefs, err := channelChoices(ctx, tx, orgID, n.Type, recipients)
			if err != nil {
				return err
			}
			if err := insertNotifications(ctx, tx, orgID, n, kind, recipients, prefs, skip); err != nil {
				return err
			}
		}
		return readNotified(ctx, tx, orgID, n.SourceKey, out)
	})
	return out, err
}

// channelChoices reads the explicit choices of users for type t: user → channel → enabled.
func channelChoices(ctx context.Context, tx bun.Tx, orgID, t string, users []string) (map[string]map[string]bool, error) {
	var rows []struct {
		UserID  string `bun:"user_id"`
		Channel string `bun:"channel"`
		Enabled bool   `bun:"enabled"`
	}
	if err := tx.NewRaw(`SELECT user_id, channel, enabled FROM notification_preferences
		WHERE organization_id = ? AND type = ? AND user_id IN (?)`, orgID, t, bun.In(users)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]bool{}
		}
		out[r.UserID][r.Channel] = r.Enabled
	}
	return out, nil
}

// channelOn is whether a user with choices wants kind on channel: a locked channel always is.
func channelOn(kind domain.NotificationType, choices map[string]bool, channel string) bool {
	if domain.NotificationLocked(kind, channel) {
		return true
	}
	if on, ok := choices[channel]; ok {
		return on
	}
	return domain.NotificationDefault(kind, channel)
}

// insertNotifications writes one notification per recipient who has a channel on, and its deliveries.
func insertNotifications(ctx context.Context, tx bun.Tx, orgID string, n domain.Notification, kind domain.NotificationType,
	recipients []string, prefs map[string]map[string]bool, skip []string) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	subscribed, err := pushSubscribers(ctx, tx, orgID, recipients)
	if err != nil {
		return err
	}
	for _, uid := range recipients {
		on := func(channel string) bool {
			return channelOn(kind, prefs[uid], channel) && !slices.Contains(skip, channel)
		}
		inApp, email, push := on(domain.ChannelInApp), on(domain.ChannelEmail), on(domain.ChannelPush) && subscribed[uid]
		if !inApp && !email && !push {
			continue
		}
		var readAt *time.Time
		if !inApp {
			readAt = &now
		}
		var id string
		err := tx.NewRaw(`INSERT INTO notifications (organization_id, id, recipient_id, type, title, body, link,
			entity_type, entity_id, project_id, actor_id, source_key, read_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (organization_id, recipient_id, source_key) DO NOTHING RETURNING id`,
			orgID, newID(), uid, n.Type, clip(n.Title, 300), clip(n.Body, 2000), clip(n.Link, 500), n.EntityType,
			nullable(validOrEmpty(n.EntityID)), nullable(validOrEmpty(n.ProjectID)), nullable(validOrEmpty(n.ActorID)),
			n.SourceKey, readAt, now).Scan(ctx, &id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if id == "" {
			continue // an earlier attempt notified this recipient
		}
		if err := insertDeliveries(ctx, tx, orgID, id, email, push); err != nil {
			return err
		}
	}
	return nil
}

// pushSubscribers is the set of users with a push subscription in orgID: push is "on" only for them, since
// there is nowhere else to send it.
func pushSubscribers(ctx context.Context, tx bun.Tx, orgID string, users []string) (map[string]bool, error) {
	var ids []string
	if err := tx.NewRaw(`SELECT DISTINCT user_id FROM push_subscriptions WHERE organization_id = ? AND user_id IN (?)`,
		orgID, bun.In(users)).Scan(ctx, &ids); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// insertDeliveries adds the pending email and push deliveries of notification id.
func insertDeliveries(ctx context.Context, tx bun.Tx, orgID, id string, email, push bool) error {
	if email {
		if _, err := tx.NewRaw(`INSERT INTO notification_deliveries (organization_id, notification_id, channel)
			VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, orgID, id, domain.ChannelEmail).Exec(ctx); err != nil {
			return err
		}
	}
	if push {
		if _, err := tx.NewRaw(`INSERT INTO notification_deliveries (organization_id, notification_id, channel)
			VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, orgID, id, domain.ChannelPush).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// readNotified lists the notifications of sourceKey and their pending deliveries into out.
func readNotified(ctx context.Context, tx bun.Tx, orgID, sourceKey string, out *Notified) error {
	var rows []struct {
		ID          string   `bun:"id"`
		RecipientID string   `bun:"recipient_id"`
		Type        string   `bun:"type"`
		EntityType  string   `bun:"entity_type"`
		EntityID    string   `bun:"entity_id"`
		ProjectID   string   `bun:"project_id"`
		ActorID     string   `bun:"actor_id"`
		ReadAt      *string  `bun:"read_at"`
		Channels    []string `bun:"channels,array"`
	}
	if err := tx.NewRaw(`SELECT n.id, n.recipient_id, n.type, n.entity_type, coalesce(n.entity_id::text, '') AS entity_id,
		coalesce(n.project_id::text, '') AS project_id, coalesce(n.actor_id::text, '') AS actor_id, n.read_at::text,
		ARRAY(SELECT d.channel FROM notification_deliveries d WHERE d.organization_id = n.organization_id
			AND d.notification_id = n.id AND d.status = 'pending' ORDER BY d.channel) AS channels
		FROM notifications n WHERE n.organization_id = ? AND n.source_key = ? ORDER BY n.id`, orgID, sourceKey).
		Scan(ctx, &rows); err != nil {
		return err
	}
	for _, r := range rows {
		if r.ReadAt == nil {
			out.Notifications = append(out.Notifications, &domain.Notification{ID: r.ID, OrganizationID: orgID,
				RecipientID: r.RecipientID, Type: r.Type, EntityType: r.EntityType, EntityID: r.EntityID,
				ProjectID: r.ProjectID, ActorID: r.ActorID, SourceKey: sourceKey})
		}
		for _, ch := range r.Channels {
			out.Pending = append(out.Pending, Delivery{NotificationID: r.ID, RecipientID: r.RecipientID, Channel: ch,
				EntityKey: entityKey(r.EntityType, r.EntityID, r.ID)})
		}
	}
	return nil
}

// entityKey is what emails coalesce on: the entity, or the notification itself when it has none.
func entityKey(entityType, entityID, notificationID string) string {
	if entityType == "" || entityID == "" {
		return "notification-" + notificationID
	}
	return entityType + "-" + entityID
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
