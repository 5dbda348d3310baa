package domain

import (
	"fmt"
	"time"
)

// Billing error codes: both answer 402 Payment Required.
const (
	// EPLANLIMIT refuses a create that would take a usage metric over the plan's limit.
	EPLANLIMIT = "plan_limit_reached"
	// ERESTRICTED refuses every write of an organization whose trial ended unpaid or whose payment failed
	// past the grace period; it stays readable.
	ERESTRICTED = "subscription_restricted"
)

// ESUBSCRIPTIONEXISTS refuses a checkout for an organization that already has a live Stripe subscription:
// a second checkout would bill it twice, so plan changes go through the Customer Portal (409).
const ESUBSCRIPTIONEXISTS = "subscription_exists"

// Plan ids, seeded by the plans migration.
const (
	PlanStarter      = "starter"
	PlanProfessional = "professional"
)

// Subscription statuses.
const (
	SubscriptionTrialing   = "trialing"
	SubscriptionActive     = "active"
	SubscriptionPastDue    = "past_due"
	SubscriptionCanceled   = "canceled"
	SubscriptionRestricted = "restricted"
)

// DefaultTrial is how long a new organization's trial lasts unless TRIAL_DAYS says otherwise.
const DefaultTrial = 14 * 24 * time.Hour

// Limit metrics: what a plan caps. Members, projects, clients and storage count what exists now; tasks and
// comments count what was created this calendar month (UTC).
const (
	LimitMembers  = "members"
	LimitProjects = "projects"
	LimitClients  = "clients"
	LimitTasks    = "tasks_per_month"
	LimitComments = "comments_per_month"
	LimitStorage  = "storage_bytes"
)

// LimitMetrics lists every limit in display order.
var LimitMetrics = []string{LimitMembers, LimitProjects, LimitClients, LimitTasks, LimitComments, LimitStorage}

// LimitForUsage names the limit a usage counter's metric is checked against ("" when none).
func LimitForUsage(usageMetric string) string {
	switch usageMetric {
	case UsageMembers:
		return LimitMembers
	case UsageProjects:
		return LimitProjects
	case UsageClients:
		return LimitClients
	case UsageTasks:
		return LimitTasks
	case UsageComments:
		return LimitComments
	case UsageFiles:
		return LimitStorage
	}
	return ""
}

// Plan is one of the plans an organization can subscribe to.
type Plan struct {
	ID   string
	Name string
	// PriceMonthly is in minor units of Currency (shown to users; Stripe's price is what is charged).
	PriceMonthly int64
	Currency     string
	Features     []string
	// Limits by limit metric; a missing metric is unlimited.
	Limits map[string]int64
}

// Subscription is an organization's plan and billing state.
type Subscription struct {
	OrganizationID       string
	PlanID               string
	Status               string
	TrialEndsAt          *time.Time
	CurrentPeriodEnd     *time.Time
	CancelAtPeriodEnd    bool
	StripeCustomerID     string
	StripeSubscriptionID string
	UpdatedAt            time.Time
}

// Writable reports whether the organization may change anything at now: a live trial, an active
// subscription, or one whose payment failed but is still in its grace period.
func (s Subscription) Writable(now time.Time) bool {
	switch s.Status {
	case SubscriptionActive, SubscriptionPastDue:
		return true
	case SubscriptionTrialing:
		return s.TrialEndsAt != nil && now.Before(*s.TrialEndsAt)
	}
	return false
}

// HasLiveStripeSubscription reports whether Stripe still bills the organization: a Stripe subscription that
// is active, past due, trialing, or restricted by the dunning (still unpaid at Stripe, not canceled).
func (s Subscription) HasLiveStripeSubscription() bool {
	if s.StripeSubscriptionID == "" {
		return false
	}
	switch s.Status {
	case SubscriptionActive, SubscriptionPastDue, SubscriptionTrialing, SubscriptionRestricted:
		return true
	}
	return false
}

// SubscriptionExists returns the subscription_exists error.
func SubscriptionExists() *Error {
	return Errorf(ESUBSCRIPTIONEXISTS, "This organization already has a subscription; change the plan, payment method or cancellation in the billing portal.")
}

// Quota is the detail of a plan_limit_reached error.
type Quota struct {
	Metric string
	Limit  int64
	Usage  int64
	Plan   string
}

// LimitReached returns the plan_limit_reached error for q.
func LimitReached(q Quota) *Error {
	return &Error{Code: EPLANLIMIT, Quota: &q,
		Message: fmt.Sprintf("Your %s plan allows %d %s; upgrade to add more.", q.Plan, q.Limit, limitNoun(q.Metric))}
}

// Restricted returns the subscription_restricted error.
func Restricted() *Error {
	return Errorf(ERESTRICTED, "This organization is read-only until its subscription is paid. An owner can pick a plan on the billing page.")
}

func limitNoun(metric string) string {
	switch metric {
	case LimitTasks:
		return "tasks a month"
	case LimitComments:
		return "comments a month"
	case LimitStorage:
		return "bytes of file storage"
	}
	return metric
}

// UsageAlert is a usage metric crossing 80 or 100 per cent of its limit, reported once per period.
type UsageAlert struct {
	OrganizationID string
	Metric         string
	Period         time.Time
	Threshold      int
	Quota          Quota
}

// StripeEvent is what ClientFlow keeps of a verified Stripe webhook event: enough for the organization's
// Subscription workflow (and an invoice's Dunning workflow) to act without calling Stripe back.
type StripeEvent struct {
	ID      string
	Type    string
	Created time.Time
	// OrganizationID is resolved from the event's metadata or its customer.
	OrganizationID string
	CustomerID     string
	SubscriptionID string
	// SubscriptionStatus is Stripe's (trialing, active, past_due, canceled, unpaid, incomplete, …).
	SubscriptionStatus string
	// PlanID is our plan for the subscription's price ("" when the price is not one of ours).
	PlanID            string
	CurrentPeriodEnd  *time.Time
	CancelAtPeriodEnd bool
	InvoiceID         string
	InvoiceURL        string
	AmountDue         int64
	Currency          string
	// CardBrand, CardLast4 and CardExpires describe a payment method that changed or is expiring.
	CardBrand   string
	CardLast4   string
	CardExpires string
}

// Stripe event types ClientFlow acts on.
const (
	StripeCheckoutCompleted    = "checkout.session.completed"
	StripeSubscriptionCreated  = "customer.subscription.created"
	StripeSubscriptionUpdated  = "customer.subscription.updated"
	StripeSubscriptionDeleted  = "customer.subscription.deleted"
	StripeInvoicePaid          = "invoice.paid"
	StripeInvoicePaymentFailed = "invoice.payment_failed"
	StripeInvoiceUpcoming      = "invoice.upcoming"
	// StripeInvoiceVoided and StripeInvoiceUncollectible settle an invoice without a payment: it is no
	// longer chased.
	StripeInvoiceVoided         = "invoice.voided"
	StripeInvoiceUncollectible  = "invoice.marked_uncollectible"
	StripePaymentMethodAttached = "payment_method.attached"
	StripePaymentMethodUpdated  = "payment_method.updated"
	StripePaymentMethodDetached = "payment_method.detached"
	StripeSourceExpiring        = "customer.source.expiring"
)

// SubscriptionStatusFromStripe maps Stripe's subscription status to ours; "" means no change. An incomplete
// subscription (its first payment still needs the customer, or it expired without one) says nothing about
// the organization's plan, so the local state (a trial, say) stays as it is.
func SubscriptionStatusFromStripe(s string) string {
	switch s {
	case "trialing":
		return SubscriptionTrialing
	case "active":
		return SubscriptionActive
	case "past_due":
		return SubscriptionPastDue
	case "unpaid":
		return SubscriptionRestricted
	case "incomplete", "incomplete_expired":
		return ""
	}
	return SubscriptionCanceled
}

// SubscriptionStatusRank orders statuses for Stripe events stamped with the same second, whose delivery
// order says nothing: canceled (final) > active > past_due > anything else. The store keeps the higher one.
func SubscriptionStatusRank(status string) int {
	switch status {
	case SubscriptionCanceled:
		return 3
	case SubscriptionActive:
		return 2
	case SubscriptionPastDue:
		return 1
	}
	return 0
}
