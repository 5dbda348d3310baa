package activities

import (
	"context"
	"errors"
	"net/http"

	"github.com/stripe/stripe-go/v82"
	"go.temporal.io/sdk/temporal"
)

// CancelStripeSubscription cancels the organization's Stripe subscription at once (no proration, no
// period-end wait) so a deleted organization is never billed again. It does nothing without Stripe or
// without a subscription; the idempotency key per organization makes a retried cancel the same request,
// and a subscription Stripe no longer knows counts as canceled.
func (a *Activities) CancelStripeSubscription(ctx context.Context, orgID string) error {
	if a.Stripe == nil {
		return nil
	}
	sub, err := a.DB.Subscription(ctx, orgID)
	if err != nil {
		return err
	}
	if sub.StripeSubscriptionID == "" {
		return nil
	}
	params := &stripe.SubscriptionCancelParams{}
	params.SetIdempotencyKey("cancel-subscription-" + orgID)
	_, err = a.Stripe.V1Subscriptions.Cancel(ctx, sub.StripeSubscriptionID, params)
	var se *stripe.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se) && se.Code == stripe.ErrorCodeResourceMissing:
		return nil
	case errors.As(err, &se) && se.HTTPStatusCode >= 400 && se.HTTPStatusCode < 500 && se.HTTPStatusCode != http.StatusTooManyRequests:
		// The request itself is wrong (a retry cannot help); the workflow logs it and deletes anyway.
		return temporal.NewNonRetryableApplicationError("stripe refused the cancellation", "StripeRequest", err)
	}
	return err
}
