package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/clientflow/clientflow/domain"
)

// planColumns reads a plans row in the order scanPlan expects.
const planColumns = `id, name, price_monthly, currency, features, members, projects, clients, tasks_per_month,
	comments_per_month, storage_bytes`

func scanPlan(r rowScanner) (*domain.Plan, error) {
	var p domain.Plan
	var limits [6]sql.NullInt64
	err := r.Scan(&p.ID, &p.Name, &p.PriceMonthly, &p.Currency, pgdialect.Array(&p.Features),
		&limits[0], &limits[1], &limits[2], &limits[3], &limits[4], &limits[5])
	p.Limits = map[string]int64{}
	for i, l := range limits {
		if l.Valid {
			p.Limits[domain.LimitMetrics[i]] = l.Int64
		}
	}
	return &p, err
}

// Plans lists every plan, cheapest first. Plans are a global catalogue, readable without a tenant.
func (db *DB) Plans(ctx context.Context) ([]*domain.Plan, error) {
	rows, err := db.bun.QueryContext(ctx, "SELECT "+planColumns+" FROM plans ORDER BY sort_order")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*domain.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// subscriptionColumns reads a subscriptions row in the order scanSubscription expects.
const subscriptionColumns = `organization_id, plan_id, status, trial_ends_at, current_period_end, cancel_at_period_end,
	coalesce(stripe_customer_id, ''), coalesce(stripe_subscription_id, ''), updated_at`

func scanSubscription(r rowScanner) (*domain.Subscription, error) {
	var s domain.Subscription
	err := r.Scan(&s.OrganizationID, &s.PlanID, &s.Status, &s.TrialEndsAt, &s.CurrentPeriodEnd, &s.CancelAtPeriodEnd,
		&s.StripeCustomerID, &s.StripeSubscriptionID, &s.UpdatedAt)
	return &s, err
}

// createSubscription starts orgID's trial of Professional inside the transaction creating the organization.
func createSubscription(ctx context.Context, tx bun.Tx, orgID string, now time.Time) error {
	_, err := tx.NewRaw(`INSERT INTO subscriptions (organization_id, plan_id, status, trial_ends_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, orgID, domain.PlanProfessional, domain.SubscriptionTrialing,
		now.Add(domain.DefaultTrial), now, now).Exec(ctx)
	return err
}

// Billing is an organization's subscription, its plan and its current usage per limit metric.
type Billing struct {
	Subscription domain.Subscription
	Plan         domain.Plan
	Usage        map[string]int64
}

// Billing returns orgID's subscription, plan and usage. Errors: ENOTFOUND.
func (db *DB) Billing(ctx context.Context, orgID string) (*Billing, error) {
	var out Billing
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		s, err := scanSubscription(tx.QueryRowContext(ctx,
			"SELECT "+subscriptionColumns+" FROM subscriptions WHERE organization_id = ?", orgID))
		if err != nil {
			return err
		}
		p, err := scanPlan(tx.QueryRowContext(ctx, "SELECT "+planColumns+" FROM plans WHERE id = ?", s.PlanID))
		if err != nil {
			return err
		}
		out.Subscription, out.Plan, out.Usage = *s, *p, map[string]int64{}
		for _, metric := range domain.LimitMetrics {
			if out.Usage[metric], err = currentUsage(ctx, tx, orgID, metric); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	return &out, nil
}

// Subscription returns orgID's subscription. Errors: ENOTFOUND.
func (db *DB) Subscription(ctx context.Context, orgID string) (*domain.Subscription, error) {
	// One pipelined round trip: every write request asks (see CheckWritable).
	var out *domain.Subscription
	err := db.tenantQuery(ctx, orgID, "", "SELECT "+subscriptionColumns+" FROM subscriptions WHERE organization_id = $1",
		[]any{orgID}, func(r pgx.Rows) error {
			for r.Next() {
				s, err := scanSubscription(r)
				if err != nil {
					return err
				}
				out = s
			}
			return nil
		})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	if out == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "Organization not found.")
	}
	return out, nil
}

// CheckWritable answers ERESTRICTED when orgID's subscription no longer allows changes.
func (db *DB) CheckWritable(ctx context.Context, orgID string) error {
	s, err := db.Subscription(ctx, orgID)
	if err != nil {
		return err
	}
	if !s.Writable(time.Now()) {
		return domain.Restricted()
	}
	return nil
}

// ChangePlan puts orgID on planID and makes its subscription active, for self-hosted installs where no
// payment provider decides. Errors: ENOTFOUND, EINVALID (unknown plan).
func (db *DB) ChangePlan(ctx context.Context, orgID, planID string) (*domain.Subscription, error) {
	var out *domain.Subscription
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		var exists bool
		if err := tx.NewRaw("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?)", planID).Scan(ctx, &exists); err != nil {
			return err
		}
		if !exists {
			return domain.Invalid("body.plan_id", "No such plan.")
		}
		before, err := auditSubscription(ctx, tx, orgID)
		if err != nil {
			return err
		}
		s, err := scanSubscription(tx.QueryRowContext(ctx, `UPDATE subscriptions SET plan_id = ?, status = ?,
			cancel_at_period_end = false, updated_at = now() WHERE organization_id = ? RETURNING `+subscriptionColumns,
			planID, domain.SubscriptionActive, orgID))
		if err != nil {
			return err
		}
		out = s
		return auditSubscriptionChange(ctx, tx, orgID, before, "plan_change")
	})
	if err != nil {
		return nil, mapError(err, "Organization not found.")
	}
	return out, nil
}

// auditSubscription reads orgID's plan, status and pending cancellation for the audit log, locking the row.
func auditSubscription(ctx context.Context, tx bun.Tx, orgID string) (map[string]any, error) {
	var planID, status string
	var cancel bool
	err := tx.QueryRowContext(ctx, `SELECT plan_id, status, cancel_at_period_end FROM subscriptions
		WHERE organization_id = ? FOR UPDATE`, orgID).Scan(&planID, &status, &cancel)
	return map[string]any{"plan_id": planID, "status": status, "cancel_at_period_end": cancel}, err
}

// auditSubscriptionChange records what a change did to orgID's subscription since before (nothing when
// it did nothing): billing.subscription_canceled when it ends or is set to end, else billing.plan_changed.
// source says who asked: "plan_change" (an admin, self-hosted) or "stripe" (an event from Stripe).
func auditSubscriptionChange(ctx context.Context, tx bun.Tx, orgID string, before map[string]any, source string) error {
	after, err := auditSubscription(ctx, tx, orgID)
	if err != nil {
		return err
	}
	change := domain.AuditChange(before, after)
	if len(change["after"].(map[string]any)) == 0 {
		return nil
	}
	action := domain.AuditBillingPlanChanged
	if (after["status"] == domain.SubscriptionCanceled && before["status"] != domain.SubscriptionCanceled) ||
		(after["cancel_at_period_end"] == true && before["cancel_at_period_end"] == false) {
		action = domain.AuditBillingSubscriptionCanceled
	}
	change["source"] = source
	return recordAudit(ctx, tx, orgID, domain.AuditEntry{Action: action, EntityType: "subscription", EntityID: orgID,
		Metadata: change})
}

// usageQueries measure each limit metric now; tasks and comments read this month's counter.
var usageQueries = map[string]string{
	// Seats are the team's: a client contact uses the portal, not a seat.
	domain.LimitMembers:  "SELECT count(*) FROM organization_memberships WHERE organization_id = ? AND role <> 'client'",
	domain.LimitProjects: "SELECT count(*) FROM projects WHERE organization_id = ?",
	domain.LimitClients:  "SELECT count(*) FROM clients WHERE organization_id = ?",
	domain.LimitStorage:  "SELECT coalesce(sum(size_bytes), 0)::bigint FROM files WHERE organization_id = ?",
	domain.LimitTasks: `SELECT coalesce(sum(value), 0)::bigint FROM usage_counters
		WHERE organization_id = ? AND metric = 'tasks' AND period = date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
	domain.LimitComments: `SELECT coalesce(sum(value), 0)::bigint FROM usage_counters
		WHERE organization_id = ? AND metric = 'comments' AND period = date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
}

func currentUsage(ctx context.Context, tx bun.Tx, orgID, metric string) (int64, error) {
	var n int64
	err := tx.NewRaw(usageQueries[metric], orgID).Scan(ctx, &n)
	return n, err
}

// planLock is an organization's plan limit for one metric, read under a lock on its subscription row.
type planLock struct {
	orgID, metric, planID string
	limit                 sql.NullInt64
	// none is set when the organization has no subscription row (mid-creation or mid-deletion).
	none bool
}

// lockPlan locks orgID's subscription row and reads the limit for metric, refusing with ERESTRICTED when
// the organization may not write. Every counted write takes this lock before touching a usage counter, so
// locks are always taken in one order (subscription, then counters) and concurrent creates serialize on
// the check: under READ COMMITTED each statement after the lock sees what earlier holders committed, so
// with n slots left exactly n of many parallel creates pass.
func lockPlan(ctx context.Context, tx bun.Tx, orgID, metric string) (*planLock, error) {
	l := &planLock{orgID: orgID, metric: metric}
	limitColumn := "NULL"
	if metric != "" {
		limitColumn = "p." + metric
	}
	var status string
	var trialEnds *time.Time
	err := tx.QueryRowContext(ctx, `SELECT s.plan_id, s.status, s.trial_ends_at, `+limitColumn+`::bigint
		FROM subscriptions s JOIN plans p ON p.id = s.plan_id WHERE s.organization_id = ? FOR UPDATE OF s`, orgID).
		Scan(&l.planID, &status, &trialEnds, &l.limit)
	if errors.Is(err, sql.ErrNoRows) {
		l.none = true
		return l, nil
	} else if err != nil {
		return nil, err
	}
	if !(domain.Subscription{Status: status, TrialEndsAt: trialEnds}).Writable(time.Now()) {
		return nil, domain.Restricted()
	}
	return l, nil
}

// enforce checks, after the write of delta units, that the metric's usage (plus pending units not in the
// tables, e.g. open invitations) is within the plan. Errors: EPLANLIMIT.
func (l *planLock) enforce(ctx context.Context, tx bun.Tx, delta, pending int64) error {
	if l.none || !l.limit.Valid {
		return nil
	}
	usage, err := currentUsage(ctx, tx, l.orgID, l.metric)
	if err != nil {
		return err
	}
	q := domain.Quota{Metric: l.metric, Limit: l.limit.Int64, Usage: usage + pending, Plan: l.planID}
	if q.Usage > q.Limit {
		// Report what was in use before this write, which the client can compare with the limit.
		q.Usage -= delta
		if l.metric == domain.LimitStorage {
			q.Usage, err = storageBeforeThisWrite(ctx, tx, l.orgID)
		}
		if err != nil {
			return err
		}
		return domain.LimitReached(q)
	}
	return recordUsageAlert(ctx, tx, l.orgID, q)
}

// enforceLimit locks the plan and checks metric after a write of delta units (see lockPlan, enforce).
func enforceLimit(ctx context.Context, tx bun.Tx, orgID, metric string, delta, pending int64) error {
	l, err := lockPlan(ctx, tx, orgID, metric)
	if err != nil {
		return err
	}
	return l.enforce(ctx, tx, delta, pending)
}

// enforceSeats checks, after an invitation was written, that members plus open invitations fit the plan:
// an invitation promises a seat, so the plan is checked when it is sent as well as when it is accepted.
func enforceSeats(ctx context.Context, tx bun.Tx, orgID string) error {
	l, err := lockPlan(ctx, tx, orgID, domain.LimitMembers)
	if err != nil {
		return err
	}
	var pending int64
	if err := tx.NewRaw(`SELECT count(*) FROM organization_invitations
		WHERE organization_id = ? AND status = 'pending' AND expires_at > now() AND role <> 'client'`, orgID).Scan(ctx, &pending); err != nil {
		return err
	}
	return l.enforce(ctx, tx, 1, pending)
}

// storageBeforeThisWrite sums the organization's files other than those this transaction inserted.
func storageBeforeThisWrite(ctx context.Context, tx bun.Tx, orgID string) (int64, error) {
	var n int64
	err := tx.NewRaw(`SELECT coalesce(sum(size_bytes), 0)::bigint FROM files
		WHERE organization_id = ? AND xmin::text <> (pg_current_xact_id()::xid)::text`, orgID).Scan(ctx, &n)
	return n, err
}

// recordUsageAlert writes the once-per-period marker when usage crossed 80 or 100 per cent of its limit,
// and hands the alert to the request's collector (see WithUsageAlerts) to email once the write commits.
// A write without a collector (one no request emails for) writes no marker either: the marker would
// silence the alert for the rest of the period without anyone being told, so the next write made with a
// collector raises it instead.
func recordUsageAlert(ctx context.Context, tx bun.Tx, orgID string, q domain.Quota) error {
	sink, ok := ctx.Value(usageAlertsKey{}).(*UsageAlerts)
	if !ok {
		return nil
	}
	threshold := 0
	switch {
	case q.Usage >= q.Limit:
		threshold = 100
	case q.Usage*5 >= q.Limit*4:
		threshold = 80
	default:
		return nil
	}
	now := time.Now().UTC()
	period := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	res, err := tx.NewRaw(`INSERT INTO usage_alerts (organization_id, metric, period, threshold) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, orgID, q.Metric, period, threshold).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		sink.add(domain.UsageAlert{OrganizationID: orgID, Metric: q.Metric, Period: period, Threshold: threshold, Quota: q})
	}
	return nil
}

type usageAlertsKey struct{}

// UsageAlerts collects the usage alerts a request's writes raised, for the caller to email after commit.
type UsageAlerts struct {
	mu     sync.Mutex
	alerts []domain.UsageAlert
}

func (u *UsageAlerts) add(a domain.UsageAlert) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.alerts = append(u.alerts, a)
}

// Alerts returns what was collected.
func (u *UsageAlerts) Alerts() []domain.UsageAlert {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]domain.UsageAlert(nil), u.alerts...)
}

// WithUsageAlerts returns a context whose writes report crossed usage thresholds into the returned
// collector. An alert is collected only when its marker row was written; the caller must check that the
// write succeeded (the marker rolls back with a failed transaction).
func WithUsageAlerts(ctx context.Context) (context.Context, *UsageAlerts) {
	u := &UsageAlerts{}
	return context.WithValue(ctx, usageAlertsKey{}, u), u
}

// BillingContacts returns the active owners of orgID: who billing emails go to.
func (db *DB) BillingContacts(ctx context.Context, orgID string) ([]*domain.User, error) {
	var out []*domain.User
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT u.id, u.name, u.email FROM organization_memberships m
			JOIN users u ON u.id = m.user_id
			WHERE m.organization_id = ? AND m.role = ? AND m.status = 'active' ORDER BY m.created_at`, orgID, domain.RoleOwner)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u domain.User
			if err := rows.Scan(&u.ID, &u.Name, &u.Email); err != nil {
				return err
			}
			out = append(out, &u)
		}
		return rows.Err()
	})
	return out, mapError(err, "Organization not found.")
}
