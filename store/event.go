package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// recordEvent writes e for orgID inside tx, so the event exists exactly when the change does, and collects
// its live message, which the transaction publishes once it commits (see changes).
func recordEvent(ctx context.Context, tx bun.Tx, orgID string, e domain.Event) error {
	payload := e.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	id := newID()
	_, err := tx.NewRaw(`INSERT INTO domain_events
		(id, organization_id, type, entity_type, entity_id, actor_id, project_id, payload)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, orgID, e.Type, e.EntityType, e.EntityID, nullable(e.ActorID), nullable(e.ProjectID), payload).Exec(ctx)
	if err == nil {
		collectChange(ctx, changeMessage(id, orgID, e))
	}
	return err
}

// bumpUsage adds delta to this month's counter for metric inside tx (creates count +1; deletes do not
// subtract: the counters measure activity in the period, as plan quotas do), then enforces the plan's
// limit for the metric. Errors: EPLANLIMIT, ERESTRICTED.
func bumpUsage(ctx context.Context, tx bun.Tx, orgID, metric string, delta int) error {
	// Every write that counts passes here after its insert, so this is where the plan is enforced: in
	// the same transaction, which a refusal rolls back whole.
	plan, err := lockPlan(ctx, tx, orgID, domain.LimitForUsage(metric))
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	period := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	_, err = tx.NewRaw(`INSERT INTO usage_counters (organization_id, metric, period, value) VALUES (?, ?, ?, ?)
		ON CONFLICT (organization_id, metric, period)
		DO UPDATE SET value = usage_counters.value + EXCLUDED.value, updated_at = now()`,
		orgID, metric, period, delta).Exec(ctx)
	if err != nil {
		return err
	}
	return plan.enforce(ctx, tx, int64(delta), 0)
}

// nullable turns "" into SQL NULL for optional UUID columns.
func nullable(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}
