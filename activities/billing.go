package activities

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// LoadTrial returns the organization's subscription status and trial end for its Subscription workflow.
func (a *Activities) LoadTrial(ctx context.Context, orgID string) (domain.TrialState, error) {
	s, err := a.DB.Subscription(ctx, orgID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.TrialState{}, temporal.NewNonRetryableApplicationError("organization not found", "NotFound", err)
	} else if err != nil {
		return domain.TrialState{}, err
	}
	out := domain.TrialState{Status: s.Status}
	if s.TrialEndsAt != nil {
		out.TrialEndsAt = *s.TrialEndsAt
	}
	return out, nil
}

// SendTrialReminder tells the owners the trial ends soon, unless the organization already pays.
func (a *Activities) SendTrialReminder(ctx context.Context, orgID string) error {
	s, err := a.DB.Subscription(ctx, orgID)
	if err != nil || s.Status != domain.SubscriptionTrialing || s.TrialEndsAt == nil {
		return err
	}
	ends := s.TrialEndsAt.UTC().Format("2 January 2006")
	if err := a.emailOwners(ctx, orgID, domain.EmailTrialEnding, "trial-ending/"+orgID,
		map[string]string{"TrialEndsAt": ends}); err != nil {
		return err
	}
	return a.notice(ctx, domain.Notice{OrganizationID: orgID, Type: domain.NotifyTrialEnding, Owners: true, OwnEmail: true,
		Title: "Your trial ends on " + ends, Body: "Choose a plan to keep working without interruption.",
		Link: "/orgs/" + orgID + "/billing", SourceKey: "trial-ending/" + orgID})
}

// EndTrial restricts an organization still trialing when its trial ends (one that subscribed meanwhile
// is active and left alone) and tells the owners. It reports whether it restricted.
func (a *Activities) EndTrial(ctx context.Context, orgID string) (bool, error) {
	changed, err := a.DB.SetSubscriptionStatus(ctx, orgID, domain.SubscriptionRestricted, domain.SubscriptionTrialing)
	if err != nil || !changed {
		return false, err
	}
	return true, a.emailOwners(ctx, orgID, domain.EmailSubscriptionRestricted, "restricted/trial/"+orgID,
		map[string]string{"Reason": "its trial ended without a paid plan"})
}

// ApplyStripeEvent applies one verified Stripe event: subscription state (only when newer than what is
// stored) and the owners' emails, each keyed by the event or invoice so a retry sends nothing twice.
func (a *Activities) ApplyStripeEvent(ctx context.Context, ev domain.StripeEvent) error {
	org := ev.OrganizationID
	switch ev.Type {
	case domain.StripeSubscriptionCreated, domain.StripeSubscriptionUpdated, domain.StripeSubscriptionDeleted:
		return a.applySubscription(ctx, ev)
	case domain.StripeCheckoutCompleted:
		if ev.CustomerID != "" {
			_, err := a.DB.SetStripeCustomer(ctx, org, ev.CustomerID)
			return err
		}
	case domain.StripeInvoicePaid:
		return a.emailOwners(ctx, org, domain.EmailSubscriptionInvoiceAvailable, "invoice-available/"+ev.InvoiceID,
			map[string]string{"Amount": formatMoney(ev.AmountDue, ev.Currency), "InvoiceURL": ev.InvoiceURL})
	case domain.StripePaymentMethodAttached, domain.StripePaymentMethodUpdated, domain.StripePaymentMethodDetached:
		change := strings.TrimPrefix(ev.Type, "payment_method.")
		return a.emailOwners(ctx, org, domain.EmailPaymentMethodChanged, "payment-method/"+ev.ID,
			map[string]string{"Change": change, "CardBrand": ev.CardBrand, "CardLast4": ev.CardLast4})
	case domain.StripeSourceExpiring:
		return a.emailOwners(ctx, org, domain.EmailPaymentMethodExpiring, "card-expiring/"+ev.ID,
			map[string]string{"CardBrand": ev.CardBrand, "CardLast4": ev.CardLast4, "CardExpires": ev.CardExpires})
	}
	// invoice.payment_failed and invoice.upcoming change no state here: the Dunning workflow handles the
	// first, and Stripe emails the second itself.
	return nil
}

func (a *Activities) applySubscription(ctx context.Context, ev domain.StripeEvent) error {
	status := domain.SubscriptionStatusFromStripe(ev.SubscriptionStatus)
	if ev.Type == domain.StripeSubscriptionDeleted {
		status = domain.SubscriptionCanceled
	} else if status == "" {
		return nil // incomplete: nothing to change until Stripe says how the first payment went
	}
	applied, err := a.DB.ApplyStripeSubscription(ctx, ev.OrganizationID, store.StripeSubscriptionState{
		EventAt: ev.Created, CustomerID: ev.CustomerID, SubscriptionID: ev.SubscriptionID, Status: status,
		PlanID: ev.PlanID, CurrentPeriodEnd: ev.CurrentPeriodEnd, CancelAtPeriodEnd: ev.CancelAtPeriodEnd})
	if err != nil || !applied {
		return err
	}
	s, err := a.DB.Subscription(ctx, ev.OrganizationID)
	if err != nil {
		return err
	}
	plan := s.PlanID
	if s.CancelAtPeriodEnd {
		status += " (cancels at the end of the period)"
	}
	return a.emailOwners(ctx, ev.OrganizationID, domain.EmailSubscriptionChanged, "subscription-changed/"+ev.ID,
		map[string]string{"PlanName": strings.ToUpper(plan[:1]) + plan[1:], "Status": status})
}

// SendDunningEmail sends one dunning step (day 0: payment failed; later days: reminders), once per
// invoice and day.
func (a *Activities) SendDunningEmail(ctx context.Context, step domain.DunningStep) error {
	template := domain.EmailPaymentReminder
	if step.Day == 0 {
		template = domain.EmailPaymentFailed
	}
	amount := formatMoney(step.AmountDue, step.Currency)
	if err := a.emailOwners(ctx, step.OrganizationID, template, fmt.Sprintf("dunning/%s/day-%d", step.InvoiceID, step.Day),
		map[string]string{"Amount": amount, "Day": strconv.Itoa(step.Day),
			"GraceEndsAt": step.GraceEndsAt.UTC().Format("2 January 2006")}); err != nil || step.Day != 0 {
		return err
	}
	return a.notice(ctx, domain.Notice{OrganizationID: step.OrganizationID, Type: domain.NotifyPaymentFailed, Owners: true,
		OwnEmail: true, Title: "A payment of " + amount + " failed",
		Body: "Update the payment method before " + step.GraceEndsAt.UTC().Format("2 January 2006") + " to keep full access.",
		Link: "/orgs/" + step.OrganizationID + "/billing", SourceKey: "payment-failed/" + step.InvoiceID})
}

// RestrictForUnpaidInvoice makes the organization read-only after the dunning grace period and tells the
// owners; it reports whether it restricted. Only a subscription still past due is restricted: active means
// a payment (perhaps of a later invoice) brought it back, and trialing or canceled are not this dunning's.
func (a *Activities) RestrictForUnpaidInvoice(ctx context.Context, orgID, invoiceID string) (bool, error) {
	changed, err := a.DB.SetSubscriptionStatus(ctx, orgID, domain.SubscriptionRestricted, domain.SubscriptionPastDue)
	if err != nil || !changed {
		return false, err
	}
	return true, a.emailOwners(ctx, orgID, domain.EmailSubscriptionRestricted, "restricted/invoice/"+invoiceID,
		map[string]string{"Reason": "an invoice stayed unpaid past the grace period"})
}

// emailOwners sends template to each active owner of orgID under key/<owner id>.
func (a *Activities) emailOwners(ctx context.Context, orgID, template, key string, data map[string]string) error {
	owners, err := a.DB.BillingContacts(ctx, orgID)
	if err != nil {
		return err
	}
	org, err := a.DB.Organization(ctx, orgID)
	if err != nil {
		return err
	}
	for _, u := range owners {
		d := map[string]string{"Name": u.Name, "OrgName": org.Name, "BillingURL": a.AppURL + "/orgs/" + orgID + "/billing"}
		for k, v := range data {
			d[k] = v
		}
		if err := a.SendTemplatedEmail(ctx, domain.EmailRequest{Key: key + "/" + u.ID, To: u.Email, Template: template, Data: d}); err != nil {
			return err
		}
	}
	return nil
}

// formatMoney shows minor units of a Stripe currency (lower-case) as e.g. "19.00 USD", "1,900 JPY" or
// "-5.00 USD" for a credit: domain.FormatMoney knows each currency's exponent.
func formatMoney(minor int64, currency string) string {
	return domain.FormatMoney(minor, strings.ToUpper(currency))
}
