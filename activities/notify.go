package activities

import (
	"context"
	"log/slog"

	"go.temporal.io/sdk/activity"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/stream"
)

// EmailDigests hands a notification's email to the coalescing window of its recipient and entity
// (worker.Starter signal-with-starts the NotifyEmail workflow). Adding the same notification twice is
// harmless: the window keeps a set, and a delivery already sent is not sent again.
type EmailDigests interface {
	QueueNotificationEmail(ctx context.Context, ref domain.NotificationEmailRef) error
}

// NotifyEvent turns one domain event into notifications: it decides the type and the audience from the
// event, keeps the recipients who may see it now (never the actor), applies their preferences, and writes
// each notification once (keyed by the event id, so a retry writes nothing twice). It then publishes the
// notifications to open browsers, queues their emails in the coalescing windows, and returns the push
// deliveries for the workflow to send. An event that is gone (its organization deleted) notifies nobody.
// FanOut uses NotifyEvents, the same for a whole batch.
func (a *Activities) NotifyEvent(ctx context.Context, ref domain.EventRef) (domain.NotifyResult, error) {
	res := domain.NotifyResult{OrganizationID: ref.OrganizationID}
	ev, err := a.DB.FanOutEvent(ctx, ref.OrganizationID, ref.EventID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return res, nil
	}
	if err != nil {
		return res, err
	}
	all, err := a.writeNotifications(ctx, ref.OrganizationID, ev)
	if err != nil || len(all) == 0 {
		return res, err
	}
	return a.deliver(ctx, ref.OrganizationID, all)
}

// NotifyEvents is NotifyEvent for a batch of events in one activity, so a batch costs Temporal one task
// instead of one per event. It reads the batch's events in one query per organization, leaving out the
// types that notify nobody, writes each event's notifications as NotifyEvent does, then delivers per
// organization (one live publication for the batch). It returns the organizations with push deliveries
// to send. A retry redoes the whole batch, which writes nothing twice (keyed by event and recipient).
func (a *Activities) NotifyEvents(ctx context.Context, refs []domain.EventRef) ([]domain.NotifyResult, error) {
	events, err := a.DB.FanOutEvents(ctx, refs, notifyingEventTypes())
	if err != nil {
		return nil, err
	}
	var orgs []string
	written := map[string][]*store.Notified{}
	for i, ref := range refs {
		ev := events[ref]
		if ev == nil {
			continue // gone, or of a type that notifies nobody
		}
		out, err := a.writeNotifications(ctx, ref.OrganizationID, ev)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 {
			if _, ok := written[ref.OrganizationID]; !ok {
				orgs = append(orgs, ref.OrganizationID)
			}
			written[ref.OrganizationID] = append(written[ref.OrganizationID], out...)
		}
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i+1)
		}
	}
	var results []domain.NotifyResult
	for _, orgID := range orgs {
		res, err := a.deliver(ctx, orgID, written[orgID])
		if err != nil {
			return nil, err
		}
		if len(res.Push) > 0 {
			results = append(results, res)
		}
	}
	return results, nil
}

// writeNotifications writes what ev tells whom, one recipients query and one write per plan; an event
// that concerns nobody costs no query at all (its planner decides from the type and payload).
func (a *Activities) writeNotifications(ctx context.Context, orgID string, ev *domain.Activity) ([]*store.Notified, error) {
	plans, err := a.notificationsFor(ctx, orgID, ev)
	if err != nil || len(plans) == 0 {
		return nil, err
	}
	var all []*store.Notified
	for _, p := range plans {
		recipients, err := a.DB.Recipients(ctx, orgID, p.n.ProjectID, p.audience)
		if err != nil {
			return nil, err
		}
		if len(recipients) == 0 {
			// Nobody may have it now (a move of a task only its mover watches, the usual case): no
			// write. What an earlier attempt wrote is then for people who lost the right to it since.
			continue
		}
		// Plans share the event's source key and run most specific first, so someone who was just
		// assigned the task is not also told it moved: the second insert finds their row and skips.
		out, err := a.DB.Notify(ctx, orgID, p.n, recipients)
		if err != nil {
			return nil, err
		}
		all = append(all, out)
	}
	return all, nil
}

// Notify gives a notice that no domain event carries (a failed payment, a trial ending, a new sign-in,
// sessions signed out) to its recipients, once per recipient and source key, like NotifyEvent does.
// It returns the push deliveries for the calling workflow to send.
func (a *Activities) Notify(ctx context.Context, in domain.Notice) (domain.NotifyResult, error) {
	res := domain.NotifyResult{OrganizationID: in.OrganizationID}
	// A security notice is about the recipient's own account, so it reaches a client contact too; any
	// other notice is staff business.
	kind, _ := domain.LookupNotificationType(in.Type)
	aud := store.Audience{UserIDs: in.RecipientIDs, Account: kind.Group == "security"}
	if in.Owners {
		aud.Roles = []string{domain.RoleOwner}
	}
	recipients, err := a.DB.Recipients(ctx, in.OrganizationID, "", aud)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return res, nil
	}
	if err != nil {
		return res, err
	}
	var skip []string
	if in.OwnEmail {
		skip = append(skip, domain.ChannelEmail)
	}
	out, err := a.DB.Notify(ctx, in.OrganizationID, domain.Notification{Type: in.Type, Title: in.Title, Body: in.Body,
		Link: in.Link, SourceKey: in.SourceKey}, recipients, skip...)
	if err != nil {
		return res, err
	}
	return a.deliver(ctx, in.OrganizationID, []*store.Notified{out})
}

// deliver publishes what was written, queues the pending emails and returns the pending pushes. Both run
// again on a retry: the publication is best effort (a browser ignores a notification id it has), and a
// queued email or a push already sent is not sent twice.
func (a *Activities) deliver(ctx context.Context, orgID string, all []*store.Notified) (domain.NotifyResult, error) {
	res := domain.NotifyResult{OrganizationID: orgID}
	seen := map[string]bool{}
	var msgs []stream.Message
	for _, out := range all {
		for _, n := range out.Notifications {
			if !seen[n.ID] {
				seen[n.ID] = true
				msgs = append(msgs, stream.Message{ID: n.ID, Kind: stream.KindNotification, OrganizationID: orgID,
					ProjectID: n.ProjectID, RecipientID: n.RecipientID, Type: n.Type, EntityType: n.EntityType,
					EntityID: n.EntityID, ActorID: n.ActorID})
			}
		}
		for _, d := range out.Pending {
			key := d.NotificationID + "/" + d.Channel
			if seen[key] {
				continue
			}
			seen[key] = true
			if err := a.queueDelivery(ctx, orgID, d, &res); err != nil {
				return res, err
			}
		}
	}
	if a.Stream != nil && len(msgs) > 0 {
		if err := a.Stream.Publish(ctx, msgs...); err != nil {
			slog.WarnContext(ctx, "notify: live publication failed; browsers catch up on their next fetch", "err", err)
		}
	}
	return res, nil
}

// queueDelivery hands an email delivery to its coalescing window, and notes a push delivery for the
// workflow.
func (a *Activities) queueDelivery(ctx context.Context, orgID string, d store.Delivery, res *domain.NotifyResult) error {
	switch d.Channel {
	case domain.ChannelEmail:
		if a.EmailDigests == nil {
			return nil
		}
		return a.EmailDigests.QueueNotificationEmail(ctx, domain.NotificationEmailRef{OrganizationID: orgID,
			RecipientID: d.RecipientID, EntityKey: d.EntityKey, NotificationID: d.NotificationID})
	case domain.ChannelPush:
		res.Push = append(res.Push, d.NotificationID)
	}
	return nil
}

// notice is Notify for an activity that raises a notice as part of its own work (a billing email, a
// security email): it also sends the pushes itself, since no workflow step follows for them. A push that
// fails is logged; its delivery records the failure.
func (a *Activities) notice(ctx context.Context, in domain.Notice) error {
	res, err := a.Notify(ctx, in)
	if err != nil {
		return err
	}
	for _, id := range res.Push {
		if err := a.SendPushNotification(ctx, in.OrganizationID, id); err != nil {
			slog.WarnContext(ctx, "notify: push not delivered", "notification_id", id, "err", err)
		}
	}
	return nil
}

// NotifyUser gives a security notice to its user in each organization they are an active member of (the
// link opens their account's security page), without an email of its own: the account's security email
// has its own path. It returns the push deliveries of every organization.
func (a *Activities) NotifyUser(ctx context.Context, n domain.UserNotice) ([]domain.NotifyResult, error) {
	ms, err := a.DB.Memberships(ctx, n.UserID)
	if err != nil {
		return nil, err
	}
	var out []domain.NotifyResult
	for _, m := range ms {
		res, err := a.Notify(ctx, domain.Notice{OrganizationID: m.Organization.ID, Type: n.Type, RecipientIDs: []string{n.UserID},
			Title: n.Title, Body: n.Body, Link: "/account/security", SourceKey: n.SourceKey, OwnEmail: true})
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}
