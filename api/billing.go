package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// Billing modes the API reports to the browser app.
const (
	billingModeStripe     = "stripe"
	billingModeSelfHosted = "self_hosted"
)

// PlanLimits are a plan's caps; null means unlimited.
type PlanLimits struct {
	Members          *int64 `json:"members" doc:"Members and open invitations at once."`
	Projects         *int64 `json:"projects"`
	Clients          *int64 `json:"clients"`
	TasksPerMonth    *int64 `json:"tasks_per_month"`
	CommentsPerMonth *int64 `json:"comments_per_month"`
	StorageBytes     *int64 `json:"storage_bytes"`
}

// Plan is a plan an organization can subscribe to.
type Plan struct {
	ID           string     `json:"id" enum:"starter,professional"`
	Name         string     `json:"name"`
	PriceMonthly int64      `json:"price_monthly" doc:"Monthly price in minor units of currency."`
	Currency     string     `json:"currency"`
	Features     []string   `json:"features"`
	Limits       PlanLimits `json:"limits"`
}

func limitOf(p *domain.Plan, metric string) *int64 {
	if v, ok := p.Limits[metric]; ok {
		return &v
	}
	return nil
}

func planFrom(p *domain.Plan) Plan {
	return Plan{ID: p.ID, Name: p.Name, PriceMonthly: p.PriceMonthly, Currency: p.Currency, Features: p.Features,
		Limits: PlanLimits{Members: limitOf(p, domain.LimitMembers), Projects: limitOf(p, domain.LimitProjects),
			Clients: limitOf(p, domain.LimitClients), TasksPerMonth: limitOf(p, domain.LimitTasks),
			CommentsPerMonth: limitOf(p, domain.LimitComments), StorageBytes: limitOf(p, domain.LimitStorage)}}
}

// UsageMeter is one limited metric's current usage.
type UsageMeter struct {
	Metric string `json:"metric" enum:"members,projects,clients,tasks_per_month,comments_per_month,storage_bytes"`
	Usage  int64  `json:"usage"`
	Limit  *int64 `json:"limit" doc:"Null when the plan has no limit."`
}

// Billing is an organization's plan, subscription state and usage.
type Billing struct {
	Mode              string       `json:"mode" enum:"stripe,self_hosted" doc:"self_hosted: no payment provider; an owner changes plan directly."`
	Plan              Plan         `json:"plan"`
	Status            string       `json:"status" enum:"trialing,active,past_due,canceled,restricted"`
	Writable          bool         `json:"writable" doc:"False when the organization is read-only until it pays."`
	TrialEndsAt       *time.Time   `json:"trial_ends_at"`
	CurrentPeriodEnd  *time.Time   `json:"current_period_end"`
	CancelAtPeriodEnd bool         `json:"cancel_at_period_end"`
	HasPaymentAccount bool         `json:"has_payment_account" doc:"Whether a Stripe customer exists (the portal needs one)."`
	HasSubscription   bool         `json:"has_subscription" doc:"Whether a live Stripe subscription exists; plan changes then go through the portal, not checkout."`
	Usage             []UsageMeter `json:"usage"`
}

func (s *Server) billingMode() string {
	if s.cfg.UsesStripe() {
		return billingModeStripe
	}
	return billingModeSelfHosted
}

func (s *Server) billingFrom(b *store.Billing) Billing {
	sub := b.Subscription
	out := Billing{Mode: s.billingMode(), Plan: planFrom(&b.Plan), Status: sub.Status, Writable: sub.Writable(time.Now()),
		TrialEndsAt: sub.TrialEndsAt, CurrentPeriodEnd: sub.CurrentPeriodEnd, CancelAtPeriodEnd: sub.CancelAtPeriodEnd,
		HasPaymentAccount: sub.StripeCustomerID != "", HasSubscription: sub.HasLiveStripeSubscription(), Usage: make([]UsageMeter, 0, len(domain.LimitMetrics))}
	if !out.Writable && sub.Status == domain.SubscriptionTrialing {
		out.Status = domain.SubscriptionRestricted // the trial ran out before the workflow marked it
	}
	for _, m := range domain.LimitMetrics {
		out.Usage = append(out.Usage, UsageMeter{Metric: m, Usage: b.Usage[m], Limit: limitOf(&b.Plan, m)})
	}
	return out
}

// PlanChange picks a plan.
type PlanChange struct {
	PlanID string `json:"plan_id" enum:"starter,professional"`
}

// UpgradeRequest is a member asking the owners for a bigger plan.
type UpgradeRequest struct {
	Message string `json:"message,omitempty" maxLength:"1000" doc:"Optional note for the owners."`
}

type billingOutput struct{ Body Billing }

// allowedWhenRestricted marks operations a read-only organization may still call (paying, leaving).
const allowedWhenRestricted = "x-allowed-when-restricted"

// evenWhenRestricted marks an operation's extensions so a read-only organization may still call it.
func evenWhenRestricted(ext map[string]any) map[string]any {
	ext[allowedWhenRestricted] = true
	return ext
}

func (s *Server) registerBilling() {
	tags := []string{"Billing"}
	base := "/api/v1/orgs/{org_id}/billing"
	errs := []int{http.StatusUnauthorized, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-plans", Method: http.MethodGet, Path: "/api/v1/plans", Tags: tags,
		Summary: "List the plans, cheapest first",
	}, s.listPlans)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-billing", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Summary: "Get the organization's plan, subscription state and usage (any member: the read-only banner needs it)",
		Errors:  errs,
	}, s.getBilling)
	huma.Register(s.api, huma.Operation{
		OperationID: "change-plan", Method: http.MethodPost, Path: base + "/plan", Tags: tags, Security: security,
		Extensions: evenWhenRestricted(requires(domain.PermBillingManage)),
		Summary:    "Change plan directly (self-hosted mode only)",
		Description: "Without a payment provider configured, an owner picks the plan and the subscription becomes " +
			"active. With Stripe, plans change through a checkout session instead (409).",
		Errors: append(errs, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity),
	}, s.changePlan)
	huma.Register(s.api, huma.Operation{
		OperationID: "request-upgrade", Method: http.MethodPost, Path: base + "/upgrade-request", Tags: tags,
		Security: security, Extensions: evenWhenRestricted(map[string]any{}), DefaultStatus: http.StatusAccepted,
		Summary: "Ask the organization's owners to upgrade (emails them, at most once a day per member)",
		Errors:  append(errs, http.StatusUnprocessableEntity),
	}, s.requestUpgrade)
}

func (s *Server) listPlans(ctx context.Context, _ *struct{}) (*struct{ Body []Plan }, error) {
	plans, err := s.db.Plans(ctx)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := make([]Plan, len(plans))
	for i, p := range plans {
		out[i] = planFrom(p)
	}
	return &struct{ Body []Plan }{Body: out}, nil
}

func (s *Server) getBilling(ctx context.Context, in *OrgPath) (*billingOutput, error) {
	b, err := s.db.Billing(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &billingOutput{Body: s.billingFrom(b)}, nil
}

func (s *Server) changePlan(ctx context.Context, in *struct {
	OrgPath
	Body PlanChange
}) (*billingOutput, error) {
	if s.cfg.UsesStripe() {
		return nil, problem(ctx, domain.Errorf(domain.ECONFLICT, "Plans are changed through Stripe checkout on this installation."))
	}
	before, err := s.db.Subscription(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if _, err := s.db.ChangePlan(ctx, in.OrgID, in.Body.PlanID); err != nil {
		return nil, problem(ctx, err)
	}
	b, err := s.db.Billing(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if before.PlanID != in.Body.PlanID || before.Status != domain.SubscriptionActive {
		s.emailOwners(ctx, in.OrgID, domain.EmailSubscriptionChanged,
			"subscription-changed/"+in.OrgID+"/"+strconv.FormatInt(b.Subscription.UpdatedAt.UnixMicro(), 10),
			map[string]string{"PlanName": b.Plan.Name, "Status": b.Subscription.Status})
	}
	return &billingOutput{Body: s.billingFrom(b)}, nil
}

func (s *Server) requestUpgrade(ctx context.Context, in *struct {
	OrgPath
	Body UpgradeRequest
}) (*struct{}, error) {
	p := principalFrom(ctx)
	b, err := s.db.Billing(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	day := time.Now().UTC().Format("2006-01-02")
	s.emailOwners(ctx, in.OrgID, domain.EmailUpgradeRequest, "upgrade-request/"+in.OrgID+"/"+p.User.ID+"/"+day,
		map[string]string{"RequesterName": p.User.Name, "RequesterEmail": p.User.Email, "PlanName": b.Plan.Name,
			"Message": in.Body.Message})
	return nil, nil
}

// emailOwners sends one templated email to each owner of orgID (key suffixed with the owner's ID) through
// the workflow outbox, so a Temporal outage delays them, never loses them. They follow a change already
// committed (a plan change, a usage threshold) in a transaction of their own. A failure is logged, never
// shown to the user whose action caused it.
func (s *Server) emailOwners(ctx context.Context, orgID, template, key string, data map[string]string) {
	ctx = context.WithoutCancel(ctx)
	var mail []queuedEmail
	err := s.db.Atomically(ctx, orgID, "", func(ctx context.Context) error {
		owners, err := s.db.BillingContacts(ctx, orgID)
		if err != nil {
			return err
		}
		org, err := s.db.Organization(ctx, orgID)
		if err != nil {
			return err
		}
		reqs := make([]domain.EmailRequest, len(owners))
		for i, u := range owners {
			d := map[string]string{"Name": u.Name, "OrgName": org.Name, "BillingURL": s.cfg.AppURL + "/orgs/" + orgID + "/billing"}
			for k, v := range data {
				d[k] = v
			}
			reqs[i] = domain.EmailRequest{Key: key + "/" + u.ID, To: u.Email, Template: template, Data: d}
		}
		mail, err = s.queueEmails(ctx, reqs...)
		return err
	})
	if err != nil {
		s.logger.ErrorContext(ctx, "billing: queue owner emails", "org_id", orgID, "template", template, "err", err)
		return
	}
	s.sendQueued(ctx, mail)
}

// enforceSubscription refuses writes to an organization that is read-only until it pays (402
// subscription_restricted), and emails the owners about usage thresholds the request's writes crossed.
// Creates are also checked inside their transaction (see store.bumpUsage); this covers every other write.
func (s *Server) enforceSubscription(ctx huma.Context, next func(huma.Context)) {
	orgID := ctx.Param("org_id")
	if orgID == "" || principalFrom(ctx.Context()) == nil {
		next(ctx)
		return
	}
	op := ctx.Operation()
	if !slices.Contains([]string{http.MethodGet, http.MethodHead, http.MethodOptions}, op.Method) &&
		op.Extensions[allowedWhenRestricted] != true {
		if err := s.db.CheckWritable(ctx.Context(), orgID); err != nil {
			s.writeProblem(ctx, problem(ctx.Context(), err).(*ErrorModel))
			return
		}
	}
	withAlerts, alerts := store.WithUsageAlerts(ctx.Context())
	next(huma.WithContext(ctx, withAlerts))
	if ctx.Status() < http.StatusBadRequest {
		for _, a := range alerts.Alerts() {
			s.emailUsageAlert(ctx.Context(), a)
		}
	}
}

// emailUsageAlert tells the owners a metric reached 80 or 100 per cent of the plan's limit; the alert's
// marker row makes it once per period, its email key once per owner.
func (s *Server) emailUsageAlert(ctx context.Context, a domain.UsageAlert) {
	template := domain.EmailUsageWarning
	if a.Threshold >= 100 {
		template = domain.EmailQuotaReached
	}
	s.emailOwners(ctx, a.OrganizationID, template,
		"usage/"+a.OrganizationID+"/"+a.Metric+"/"+a.Period.Format("2006-01")+"/"+strconv.Itoa(a.Threshold),
		map[string]string{"Metric": a.Metric, "Usage": strconv.FormatInt(a.Quota.Usage, 10),
			"Limit": strconv.FormatInt(a.Quota.Limit, 10), "Percent": strconv.Itoa(a.Threshold), "Plan": a.Quota.Plan})
}

// writeProblem writes p from inside a Huma middleware, keeping its code and extension fields.
func (s *Server) writeProblem(ctx huma.Context, p *ErrorModel) {
	p.Instance = requestIDFrom(ctx.Context())
	ctx.SetHeader("Content-Type", "application/problem+json")
	ctx.SetStatus(p.Status)
	_ = json.NewEncoder(ctx.BodyWriter()).Encode(p)
}
