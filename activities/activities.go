// Package activities holds the side effects Temporal workflows run. Each method is one idempotent step:
// its effect carries a key built from business IDs, so a retry never repeats it.
package activities

import (
	"context"
	"errors"
	"github.com/stripe/stripe-go/v82"
	"net/url"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/activities/push"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/stream"
)

// Activities holds what the activities need; the worker registers its methods by name.
type Activities struct {
	DB            *store.DB
	Email         *email.Sender
	Renderer      email.Renderer
	AppURL        string
	SessionSecret string
	// Files is the store uploaded contents live in (the API's); the file purge removes from it.
	Files filestore.Store
	// Now is the clock for token expiry (tests may fix it).
	Now func() time.Time
	// Stripe is the payment provider's client, nil in self-hosted mode.
	Stripe *stripe.Client
	// Push sends Web Push messages; nil when no VAPID keys are configured (push deliveries are then skipped).
	Push *push.Sender
	// Stream carries new notifications to open browsers; nil publishes nothing (the inbox still has them).
	Stream stream.Publisher
	// EmailDigests coalesces notification emails per recipient and entity (worker.Starter).
	EmailDigests EmailDigests
	// Subscriptions starts organizations' Subscription workflows for the backfill (worker.Starter).
	Subscriptions Subscriptions
	// Webhooks starts the WebhookDelivery workflows of the deliveries the fan-out creates (worker.Starter).
	Webhooks WebhookStarter
	// WebhookAllowLoopback lets webhook deliveries reach loopback addresses (WEBHOOK_ALLOW_LOOPBACK, local
	// development and tests only).
	WebhookAllowLoopback bool
}

// SendWelcomeEmail sends the welcome / verify-your-address email once per user.
func (a *Activities) SendWelcomeEmail(ctx context.Context, userID string) error {
	u, err := a.user(ctx, userID)
	if err != nil {
		return err
	}
	return a.sendVerify(ctx, u, domain.EmailWelcome, "welcome/"+u.ID)
}

// SendVerifyReminder reminds a still-unverified user once; it reports whether it sent anything.
func (a *Activities) SendVerifyReminder(ctx context.Context, userID string) (bool, error) {
	u, err := a.user(ctx, userID)
	if err != nil {
		return false, err
	}
	if u.EmailVerifiedAt != nil {
		return false, nil
	}
	return true, a.sendVerify(ctx, u, domain.EmailVerifyReminder, "verify-reminder/"+u.ID)
}

// SendTemplatedEmail renders in.Template with in.Data and sends it once per in.Key.
// A request outside the domain's catalogue (unknown template, missing data) is refused before rendering.
func (a *Activities) SendTemplatedEmail(ctx context.Context, in domain.EmailRequest) error {
	if err := in.Validate(); err != nil {
		return temporal.NewNonRetryableApplicationError("invalid email request", "Template", err)
	}
	// items is read by the notify_<type> templates (a list when a digest coalesced several); like AppURL
	// it is always present, so no template needs to test for it.
	data := map[string]any{"AppURL": a.AppURL, "items": in.Items}
	for k, v := range in.Data {
		data[k] = v
	}
	renderer, fromName, err := a.emailBrand(ctx, in.BrandOrg)
	if err != nil {
		return err
	}
	subject, html, text, err := renderer.Render(in.Template, data)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("render email", "Template", err)
	}
	return a.send(ctx, email.Message{To: in.To, Subject: subject, HTML: html, Text: text, IdempotencyKey: in.Key,
		Tag: in.Template, ListUnsubscribe: email.ListUnsubscribe(in.Template, in.Data), FromName: fromName})
}

// emailBrand resolves a client-facing email's organization at send time: the renderer with its name, logo
// and palette (email.Renderer.ForOrganization) and the From display name "<name> via ClientFlow". No
// organization, or one deleted meanwhile, sends the neutral ClientFlow email.
func (a *Activities) emailBrand(ctx context.Context, orgID string) (email.Renderer, string, error) {
	if orgID == "" {
		return a.Renderer, "", nil
	}
	b, err := a.DB.OrganizationBranding(ctx, orgID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return a.Renderer, "", nil
	} else if err != nil {
		return email.Renderer{}, "", err
	}
	return a.Renderer.ForOrganization(b, b.LogoURL(a.AppURL)), b.FromName(), nil
}

// user loads a user; a deleted user is a permanent failure, not something to retry.
func (a *Activities) user(ctx context.Context, userID string) (*domain.User, error) {
	u, err := a.DB.UserByID(ctx, userID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, temporal.NewNonRetryableApplicationError("user not found", "NotFound", err)
	}
	return u, err
}

func (a *Activities) sendVerify(ctx context.Context, u *domain.User, template, key string) error {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	token := domain.SignVerifyToken(a.SessionSecret, u.ID, u.Email, now().Add(domain.VerifyTokenLifetime))
	data := email.VerifyData{Name: u.Name, AppURL: a.AppURL, VerifyURL: a.AppURL + "/verify-email?token=" + url.QueryEscape(token)}
	subject, html, text, err := a.Renderer.Render(template, data)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("render email", "Template", err)
	}
	return a.send(ctx, email.Message{To: u.Email, Subject: subject, HTML: html, Text: text, IdempotencyKey: key, Tag: template})
}

// send delivers m once; a provider's permanent refusal is non-retryable so Temporal stops trying.
func (a *Activities) send(ctx context.Context, m email.Message) error {
	err := a.Email.SendEmail(ctx, m)
	var perm *email.PermanentError
	if errors.As(err, &perm) {
		return temporal.NewNonRetryableApplicationError("email refused", "EmailRefused", err)
	}
	return err
}

// Outbox adapts the store's email outbox to the email package.
type Outbox struct{ DB *store.DB }

// Claim records m and reports whether its key was already sent.
func (o Outbox) Claim(ctx context.Context, m email.Message, provider string) (bool, error) {
	return o.DB.ClaimEmail(ctx, store.OutboxEmail{IdempotencyKey: m.IdempotencyKey, To: m.To, Subject: m.Subject,
		HTML: m.HTML, Text: m.Text, Tag: m.Tag, Provider: provider})
}

// MarkSent records the provider's message id.
func (o Outbox) MarkSent(ctx context.Context, key, providerID string) error {
	return o.DB.MarkEmailSent(ctx, key, providerID)
}
