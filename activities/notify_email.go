package activities

import (
	"context"
	"errors"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/unsubscribe"
)

// SendNotificationEmail sends one email for the notifications of a coalescing window: the first one's
// notify_<type> template, listing every notification as items when there are several. The recipient's
// email preference is read again now (a type switched off during the window is skipped). The idempotency
// key is the first notification's id, so a retry never sends a second email; the deliveries are marked
// sent, or failed when the provider refuses for good.
func (a *Activities) SendNotificationEmail(ctx context.Context, in domain.NotificationEmailBatch) error {
	pe, err := a.DB.PendingNotificationEmail(ctx, in.OrganizationID, in.RecipientID, in.NotificationIDs)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil // the recipient or the organization is gone
	}
	if err != nil || len(pe.Notifications) == 0 {
		return err
	}
	req := a.notificationEmail(in, pe.RecipientEmail, pe.OrganizationName, pe.Notifications)
	sent := make([]string, len(pe.Notifications))
	for i, n := range pe.Notifications {
		sent[i] = n.ID
	}
	if err := a.SendTemplatedEmail(ctx, req); err != nil {
		var app *temporal.ApplicationError
		if errors.As(err, &app) && app.NonRetryable() {
			if merr := a.DB.MarkNotificationDeliveries(ctx, in.OrganizationID, domain.ChannelEmail, sent, "failed", err.Error()); merr != nil {
				return merr
			}
		}
		return err
	}
	return a.DB.MarkNotificationDeliveries(ctx, in.OrganizationID, domain.ChannelEmail, sent, "sent", "")
}

// notificationEmail builds the request for notifications ns (at least one) of one recipient.
func (a *Activities) notificationEmail(in domain.NotificationEmailBatch, to, orgName string, ns []*domain.Notification) domain.EmailRequest {
	first := ns[0]
	actor := first.ActorName
	if actor == "" {
		actor = "Someone"
	}
	req := domain.EmailRequest{Key: "notify-email/" + first.ID, To: to, Template: domain.NotifyEmailTemplate(first.Type),
		Data: map[string]string{"title": first.Title, "body": first.Body, "link": a.absolute(first.Link), "actor": actor,
			"organization": orgName, "unsubscribe_url": email.UnsubscribeURL(a.AppURL, a.SessionSecret,
				unsubscribe.Target{OrganizationID: in.OrganizationID, UserID: in.RecipientID, Type: first.Type})}}
	if kind, _ := domain.LookupNotificationType(first.Type); kind.Contact {
		req.BrandOrg = in.OrganizationID // a client contact's email carries the agency's branding
	}
	if len(ns) > 1 {
		for _, n := range ns {
			req.Items = append(req.Items, domain.EmailItem{Title: n.Title, Body: n.Body, Link: a.absolute(n.Link)})
		}
	}
	return req
}

// absolute turns an SPA path into the link an email carries.
func (a *Activities) absolute(path string) string {
	return strings.TrimSuffix(a.AppURL, "/") + path
}
