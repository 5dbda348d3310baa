package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
)

// webhookTolerance is how old a signed webhook may be; older ones are refused as possible replays.
const webhookTolerance = 5 * time.Minute

// NewStripeClient returns the Stripe client for cfg, or nil in self-hosted mode. STRIPE_API_BASE points
// every backend at another server (stripe-mock in tests).
func NewStripeClient(cfg config.Config) *stripe.Client {
	if !cfg.UsesStripe() {
		return nil
	}
	if cfg.StripeAPIBase == "" {
		return stripe.NewClient(cfg.StripeSecretKey)
	}
	backends := stripe.NewBackendsWithConfig(&stripe.BackendConfig{URL: stripe.String(cfg.StripeAPIBase),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelError}})
	return stripe.NewClient(cfg.StripeSecretKey, stripe.WithBackends(backends))
}

// stripePrice is the Stripe price id of planID, and planForPrice the reverse.
func (s *Server) stripePrice(planID string) string {
	switch planID {
	case domain.PlanStarter:
		return s.cfg.StripePriceIDStarter
	case domain.PlanProfessional:
		return s.cfg.StripePriceIDProfessional
	}
	return ""
}

func (s *Server) planForPrice(priceID string) string {
	switch {
	case priceID == "":
		return ""
	case priceID == s.cfg.StripePriceIDStarter:
		return domain.PlanStarter
	case priceID == s.cfg.StripePriceIDProfessional:
		return domain.PlanProfessional
	}
	return ""
}

// RedirectURL is where the browser goes next (Stripe Checkout or the Customer Portal).
type RedirectURL struct {
	URL string `json:"url" format:"uri"`
}

// StripeInvoice is one of Stripe's invoices for the organization's subscription.
type StripeInvoice struct {
	ID               string    `json:"id"`
	Number           string    `json:"number"`
	Status           string    `json:"status" doc:"draft, open, paid, uncollectible or void."`
	AmountDue        int64     `json:"amount_due" doc:"Minor units of currency."`
	AmountPaid       int64     `json:"amount_paid" doc:"Minor units of currency."`
	Currency         string    `json:"currency"`
	Created          time.Time `json:"created"`
	HostedInvoiceURL string    `json:"hosted_invoice_url"`
	InvoicePDF       string    `json:"invoice_pdf"`
}

// StripeWebhookInput is a webhook delivery: the raw body, verified against its signature header.
type StripeWebhookInput struct {
	Signature string `header:"Stripe-Signature"`
	RawBody   []byte
}

func (s *Server) registerStripe() {
	tags := []string{"Billing"}
	base := "/api/v1/orgs/{org_id}/billing"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict}
	huma.Register(s.api, huma.Operation{
		OperationID: "create-checkout-session", Method: http.MethodPost, Path: base + "/checkout", Tags: tags,
		Security: security, Extensions: evenWhenRestricted(requires(domain.PermBillingManage)),
		Summary: "Start a Stripe Checkout session to subscribe to a plan (Stripe mode only)",
		Description: "Answers 409 subscription_exists when the organization already has a live Stripe subscription " +
			"(active, past due, trialing or restricted): plan changes then go through the Customer Portal.",
		Errors: append(errs, http.StatusUnprocessableEntity, http.StatusBadGateway),
	}, s.createCheckoutSession)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-portal-session", Method: http.MethodPost, Path: base + "/portal", Tags: tags,
		Security: security, Extensions: evenWhenRestricted(requires(domain.PermBillingManage)),
		Summary: "Open the Stripe Customer Portal (payment methods, cancel, resume; Stripe mode only)",
		Errors:  append(errs, http.StatusBadGateway),
	}, s.createPortalSession)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-stripe-invoices", Method: http.MethodGet, Path: base + "/invoices", Tags: tags,
		Security: security, Extensions: requires(domain.PermBillingManage),
		Summary: "List Stripe's invoices for the subscription, newest first (empty without Stripe)",
		Errors:  append(errs, http.StatusBadGateway),
	}, s.listStripeInvoices)
	huma.Register(s.api, huma.Operation{
		OperationID: "stripe-webhook", Method: http.MethodPost, Path: "/api/v1/webhooks/stripe", Tags: tags,
		Summary: "Receive a Stripe webhook event (signed with STRIPE_WEBHOOK_SECRET)",
		Description: "The event is verified (5-minute tolerance), stored under its unique id, and handed to the " +
			"organization's Subscription workflow before the 2xx answer; a duplicate answers 2xx and does nothing.",
		Errors: []int{http.StatusBadRequest, http.StatusServiceUnavailable},
	}, s.stripeWebhook)
}

// stripeUnavailable is the answer when Stripe is not configured.
func stripeUnavailable() error {
	return domain.Errorf(domain.ECONFLICT, "Payments are not configured on this installation; an owner changes plan directly.")
}

// stripeFailed logs a Stripe API failure and answers 502 without Stripe's details.
func (s *Server) stripeFailed(ctx context.Context, op string, err error) error {
	s.logger.ErrorContext(ctx, "stripe: "+op, "err", err, "request_id", requestIDFrom(ctx))
	p := newProblem(http.StatusBadGateway, "The payment provider did not answer; please try again.").(*ErrorModel)
	p.Code, p.Instance = "payment_provider_error", requestIDFrom(ctx)
	return p
}

// ensureStripeCustomer returns orgID's Stripe customer, creating it once: the idempotency key makes a
// retried or concurrent create return the same customer, and the store keeps the first id recorded.
func (s *Server) ensureStripeCustomer(ctx context.Context, orgID string) (string, error) {
	sub, err := s.db.Subscription(ctx, orgID)
	if err != nil {
		return "", problem(ctx, err)
	}
	if sub.StripeCustomerID != "" {
		return sub.StripeCustomerID, nil
	}
	org, err := s.db.Organization(ctx, orgID)
	if err != nil {
		return "", problem(ctx, err)
	}
	params := &stripe.CustomerCreateParams{Name: stripe.String(org.Name),
		Email: stripe.String(principalFrom(ctx).User.Email)}
	params.AddMetadata("organization_id", orgID)
	params.SetIdempotencyKey("customer-" + orgID)
	c, err := s.stripe.V1Customers.Create(ctx, params)
	if err != nil {
		return "", s.stripeFailed(ctx, "create customer", err)
	}
	id, err := s.db.SetStripeCustomer(ctx, orgID, c.ID)
	if err != nil {
		return "", problem(ctx, err)
	}
	return id, nil
}

func (s *Server) createCheckoutSession(ctx context.Context, in *struct {
	OrgPath
	Body PlanChange
}) (*struct{ Body RedirectURL }, error) {
	if s.stripe == nil {
		return nil, problem(ctx, stripeUnavailable())
	}
	sub, err := s.db.Subscription(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if sub.HasLiveStripeSubscription() {
		return nil, problem(ctx, domain.SubscriptionExists())
	}
	customer, err := s.ensureStripeCustomer(ctx, in.OrgID)
	if err != nil {
		return nil, err
	}
	back := s.cfg.AppURL + "/orgs/" + in.OrgID + "/billing"
	params := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		Customer:          stripe.String(customer),
		ClientReferenceID: stripe.String(in.OrgID),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{
			Price: stripe.String(s.stripePrice(in.Body.PlanID)), Quantity: stripe.Int64(1)}},
		SubscriptionData: &stripe.CheckoutSessionCreateSubscriptionDataParams{
			Metadata: map[string]string{"organization_id": in.OrgID}},
		SuccessURL: stripe.String(back + "?checkout=success"),
		CancelURL:  stripe.String(back + "?checkout=cancel"),
	}
	params.AddMetadata("organization_id", in.OrgID)
	cs, err := s.stripe.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return nil, s.stripeFailed(ctx, "create checkout session", err)
	}
	// The plan changes when Stripe reports the paid subscription (billing.plan_changed then); this records
	// who started it, from where.
	if err := s.db.RecordAudit(ctx, in.OrgID, domain.AuditEntry{Action: domain.AuditBillingCheckoutStarted,
		EntityType: "subscription", EntityID: in.OrgID, Metadata: map[string]any{"plan_id": in.Body.PlanID,
			"before": map[string]any{"plan_id": sub.PlanID, "status": sub.Status}}}); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body RedirectURL }{Body: RedirectURL{URL: cs.URL}}, nil
}

func (s *Server) createPortalSession(ctx context.Context, in *OrgPath) (*struct{ Body RedirectURL }, error) {
	if s.stripe == nil {
		return nil, problem(ctx, stripeUnavailable())
	}
	customer, err := s.ensureStripeCustomer(ctx, in.OrgID)
	if err != nil {
		return nil, err
	}
	ps, err := s.stripe.V1BillingPortalSessions.Create(ctx, &stripe.BillingPortalSessionCreateParams{
		Customer: stripe.String(customer), ReturnURL: stripe.String(s.cfg.AppURL + "/orgs/" + in.OrgID + "/billing")})
	if err != nil {
		return nil, s.stripeFailed(ctx, "create portal session", err)
	}
	// Cancellations and plan changes happen in Stripe's portal and arrive as events (audited then).
	if err := s.db.RecordAudit(ctx, in.OrgID, domain.AuditEntry{Action: domain.AuditBillingPortalOpened,
		EntityType: "subscription", EntityID: in.OrgID}); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body RedirectURL }{Body: RedirectURL{URL: ps.URL}}, nil
}

func (s *Server) listStripeInvoices(ctx context.Context, in *OrgPath) (*struct{ Body []StripeInvoice }, error) {
	out := []StripeInvoice{}
	sub, err := s.db.Subscription(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if s.stripe == nil || sub.StripeCustomerID == "" {
		return &struct{ Body []StripeInvoice }{Body: out}, nil
	}
	params := &stripe.InvoiceListParams{Customer: stripe.String(sub.StripeCustomerID)}
	params.Limit = stripe.Int64(24)
	for inv, err := range s.stripe.V1Invoices.List(ctx, params) {
		if err != nil {
			return nil, s.stripeFailed(ctx, "list invoices", err)
		}
		out = append(out, StripeInvoice{ID: inv.ID, Number: inv.Number, Status: string(inv.Status),
			AmountDue: inv.AmountDue, AmountPaid: inv.AmountPaid, Currency: string(inv.Currency),
			Created: time.Unix(inv.Created, 0).UTC(), HostedInvoiceURL: inv.HostedInvoiceURL, InvoicePDF: inv.InvoicePDF})
		if len(out) == 24 {
			break
		}
	}
	return &struct{ Body []StripeInvoice }{Body: out}, nil
}

func (s *Server) stripeWebhook(ctx context.Context, in *StripeWebhookInput) (*struct{}, error) {
	if s.cfg.StripeWebhookSecret == "" {
		return nil, problem(ctx, stripeUnavailable())
	}
	ev, err := verifyStripeEvent(in.RawBody, in.Signature, s.cfg.StripeWebhookSecret)
	if err != nil {
		return nil, huma.Error400BadRequest("The webhook signature is invalid or too old.")
	}
	dispatched, err := s.db.RecordStripeEvent(ctx, ev.ID, ev.Type, ev.Created, in.RawBody)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if dispatched {
		return nil, nil
	}
	if ev.PlanID == "" {
		ev.PlanID = s.planForPrice(ev.priceID)
	}
	if ev.OrganizationID == "" {
		if ev.OrganizationID, err = s.db.OrganizationForStripeCustomer(ctx, ev.CustomerID); err != nil {
			return nil, problem(ctx, err)
		}
	}
	if ev.OrganizationID != "" && handledStripeEvents[ev.Type] {
		if err := s.Workflows.DeliverStripeEvent(ctx, ev.StripeEvent); err != nil {
			s.logger.ErrorContext(ctx, "stripe: deliver event", "event_id", ev.ID, "err", err)
			return nil, huma.Error503ServiceUnavailable("The event could not be processed yet; Stripe will retry.")
		}
	}
	if err := s.db.MarkStripeEventDispatched(ctx, ev.ID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// handledStripeEvents are the event types the Subscription and Dunning workflows act on; others are
// stored and acknowledged.
var handledStripeEvents = map[string]bool{
	domain.StripeCheckoutCompleted: true, domain.StripeSubscriptionCreated: true, domain.StripeSubscriptionUpdated: true,
	domain.StripeSubscriptionDeleted: true, domain.StripeInvoicePaid: true, domain.StripeInvoicePaymentFailed: true,
	domain.StripeInvoiceUpcoming: true, domain.StripeInvoiceVoided: true, domain.StripeInvoiceUncollectible: true, domain.StripePaymentMethodAttached: true, domain.StripePaymentMethodUpdated: true,
	domain.StripePaymentMethodDetached: true, domain.StripeSourceExpiring: true,
}

// verifiedEvent is a verified event and the price id its plan is looked up by.
type verifiedEvent struct {
	domain.StripeEvent
	priceID string
}

// verifyStripeEvent checks the signature with the SDK and reads what the workflows need from the object.
func verifyStripeEvent(body []byte, signature, secret string) (*verifiedEvent, error) {
	e, err := webhookConstruct(body, signature, secret)
	if err != nil {
		return nil, err
	}
	if e.Data == nil || e.ID == "" {
		return nil, errors.New("stripe: event without data")
	}
	var o stripeObject
	if err := json.Unmarshal(e.Data.Raw, &o); err != nil {
		return nil, err
	}
	ev := &verifiedEvent{StripeEvent: domain.StripeEvent{ID: e.ID, Type: string(e.Type), Created: time.Unix(e.Created, 0).UTC(),
		CustomerID: string(o.Customer)}}
	o.fill(ev)
	return ev, nil
}

// expandable is a Stripe field that is an id or, when expanded, an object with an id.
type expandable string

// UnmarshalJSON accepts both forms.
func (x *expandable) UnmarshalJSON(b []byte) error {
	if id, ok := stripe.ParseID(b); ok {
		*x = expandable(id)
		return nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*x = expandable(obj.ID)
	return nil
}

// card is the card part of a payment method or source.
type card struct {
	Brand    string `json:"brand"`
	Last4    string `json:"last4"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
}

// stripeObject is the union of the event objects ClientFlow reads (checkout session, subscription,
// invoice, payment method, card source), decoded from raw JSON so API-version changes in fields we do not
// read cannot break verification.
type stripeObject struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"`
	Customer          expandable        `json:"customer"`
	Metadata          map[string]string `json:"metadata"`
	ClientReferenceID string            `json:"client_reference_id"`
	Subscription      expandable        `json:"subscription"`
	Status            string            `json:"status"`
	CancelAtPeriodEnd bool              `json:"cancel_at_period_end"`
	CurrentPeriodEnd  int64             `json:"current_period_end"`
	Items             struct {
		Data []struct {
			CurrentPeriodEnd int64 `json:"current_period_end"`
			Price            struct {
				ID string `json:"id"`
			} `json:"price"`
		} `json:"data"`
	} `json:"items"`
	HostedInvoiceURL string `json:"hosted_invoice_url"`
	AmountDue        int64  `json:"amount_due"`
	Currency         string `json:"currency"`
	Parent           struct {
		SubscriptionDetails struct {
			Metadata     map[string]string `json:"metadata"`
			Subscription expandable        `json:"subscription"`
		} `json:"subscription_details"`
	} `json:"parent"`
	Card *card `json:"card"`
	// Brand, Last4, ExpMonth and ExpYear are set on a card source (customer.source.expiring).
	card
}

func (o *stripeObject) fill(ev *verifiedEvent) {
	ev.OrganizationID = firstValid(o.Metadata["organization_id"], o.ClientReferenceID,
		o.Parent.SubscriptionDetails.Metadata["organization_id"])
	switch o.Object {
	case "subscription":
		ev.SubscriptionID, ev.SubscriptionStatus, ev.CancelAtPeriodEnd = o.ID, o.Status, o.CancelAtPeriodEnd
		end := o.CurrentPeriodEnd
		if len(o.Items.Data) > 0 {
			ev.priceID = o.Items.Data[0].Price.ID
			end = max(end, o.Items.Data[0].CurrentPeriodEnd)
		}
		if end > 0 {
			t := time.Unix(end, 0).UTC()
			ev.CurrentPeriodEnd = &t
		}
	case "checkout.session":
		ev.SubscriptionID = string(o.Subscription)
	case "invoice":
		ev.InvoiceID, ev.InvoiceURL, ev.AmountDue, ev.Currency = o.ID, o.HostedInvoiceURL, o.AmountDue, o.Currency
		ev.SubscriptionID = firstValid(string(o.Parent.SubscriptionDetails.Subscription), string(o.Subscription))
	case "payment_method", "card", "source":
		c := o.Card
		if c == nil {
			c = &o.card
		}
		ev.CardBrand, ev.CardLast4 = c.Brand, c.Last4
		if c.ExpYear > 0 {
			ev.CardExpires = strconv.Itoa(c.ExpMonth) + "/" + strconv.Itoa(c.ExpYear)
		}
	}
}

// firstValid returns the first of ids that is a UUID (metadata is ours, but anything unparseable is ignored).
func firstValid(ids ...string) string {
	for _, id := range ids {
		if validOrgID(id) {
			return id
		}
	}
	return ""
}

// webhookConstruct verifies a webhook body with the SDK: HMAC signature under secret and a timestamp within
// webhookTolerance. The API version check is off because the event is decoded field by field (stripeObject).
func webhookConstruct(body []byte, signature, secret string) (stripe.Event, error) {
	return webhook.ConstructEventWithOptions(body, signature, secret,
		webhook.ConstructEventOptions{Tolerance: webhookTolerance, IgnoreAPIVersionMismatch: true})
}

func validOrgID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
