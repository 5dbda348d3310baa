package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// workflowStartRow is the workflow_starts table: the transactional outbox of workflow starts.
type workflowStartRow struct {
	bun.BaseModel `bun:"table:workflow_starts"`

	ID          string          `bun:"id,pk"`
	Kind        string          `bun:"kind"`
	BusinessKey string          `bun:"business_key"`
	Input       json.RawMessage `bun:"input,type:jsonb,nullzero"`
	CreatedAt   time.Time       `bun:"created_at"`
}

func (r workflowStartRow) domain() domain.WorkflowStart {
	return domain.WorkflowStart{ID: r.ID, Kind: r.Kind, Key: r.BusinessKey, Input: r.Input, CreatedAt: r.CreatedAt}
}

// errNoTransaction guards EnqueueStarts: a start written outside the business change's transaction is
// exactly the lost-work bug the outbox exists to prevent.
var errNoTransaction = errors.New("store: EnqueueStarts needs the business change's transaction (see Atomically)")

// Atomically runs fn in one transaction: every store call made with fn's ctx joins it, so a business change
// and the workflow starts it needs (EnqueueStarts) commit together or not at all. orgID scopes the
// transaction for row-level security; "" leaves it unscoped until the first tenant call inside it (a new
// organization), or for changes outside any organization (sign-up, password reset).
func (db *DB) Atomically(ctx context.Context, orgID, userID string, fn func(ctx context.Context) error) error {
	if orgID != "" {
		return db.inTenant(ctx, orgID, userID, func(ctx context.Context, _ bun.Tx) error { return fn(ctx) })
	}
	c := &changes{}
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(context.WithValue(ctx, tenantTxKey{}, tenantTx{tx: tx, changes: c}))
	})
	if err == nil {
		db.publish(c)
	}
	return err
}

// idb is the transaction ctx carries (see Atomically), else the pool, so that writes outside any
// organization (a new user, a reset token) can join a caller's transaction.
func (db *DB) idb(ctx context.Context) bun.IDB {
	if t, ok := ctx.Value(tenantTxKey{}).(tenantTx); ok {
		return t.tx
	}
	return db.bun
}

// EnqueueStarts writes starts to the workflow outbox in the transaction ctx carries (from Atomically or a
// store callback that runs inside one), in one statement, and fills in each start's ID and CreatedAt.
func (db *DB) EnqueueStarts(ctx context.Context, starts ...*domain.WorkflowStart) error {
	t, ok := ctx.Value(tenantTxKey{}).(tenantTx)
	if !ok {
		return errNoTransaction
	}
	if len(starts) == 0 {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	rows := make([]workflowStartRow, len(starts))
	for i, ws := range starts {
		ws.ID, ws.CreatedAt = newID(), now
		rows[i] = workflowStartRow{ID: ws.ID, Kind: ws.Kind, BusinessKey: ws.Key, Input: ws.Input, CreatedAt: now}
	}
	_, err := t.tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// MarkWorkflowStarted records that the start with this outbox ID reached Temporal (the API's fast path),
// so the relay leaves it alone.
func (db *DB) MarkWorkflowStarted(ctx context.Context, id string) error {
	_, err := db.bun.NewRaw("UPDATE workflow_starts SET started_at = now(), attempts = attempts + 1 WHERE id = ? AND started_at IS NULL",
		id).Exec(ctx)
	return err
}

// RelayWorkflowStarts hands up to limit pending starts, enqueued at least minAge ago and due for an attempt,
// to start, marking each one started or scheduling its next attempt with exponential backoff (1 s doubling,
// at most 5 min). Rows are claimed with FOR UPDATE SKIP LOCKED, so several relays share the backlog
// without taking the same row. The pass stops at the first failure: while Temporal is down one probe per
// pass is enough, and the remaining rows keep their turn. It returns how many starts succeeded.
func (db *DB) RelayWorkflowStarts(ctx context.Context, minAge time.Duration, limit int,
	start func(context.Context, domain.WorkflowStart) error) (int, error) {
	started := 0
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var rows []workflowStartRow
		err := tx.NewRaw(`SELECT id, kind, business_key, input, created_at FROM workflow_starts
			WHERE started_at IS NULL AND next_attempt_at <= now() AND created_at <= now() - ? * interval '1 millisecond'
			ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`, minAge.Milliseconds(), limit).Scan(ctx, &rows)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if serr := start(ctx, r.domain()); serr != nil {
				return scheduleRetry(ctx, tx, r.ID, serr)
			}
			if _, err := tx.NewRaw("UPDATE workflow_starts SET started_at = now(), attempts = attempts + 1 WHERE id = ?",
				r.ID).Exec(ctx); err != nil {
				return err
			}
			started++
		}
		return nil
	})
	return started, err
}

// scheduleRetry records a failed attempt and when to try again.
func scheduleRetry(ctx context.Context, tx bun.Tx, id string, cause error) error {
	_, err := tx.NewRaw(`UPDATE workflow_starts SET attempts = attempts + 1, last_error = left(?, 1000),
		next_attempt_at = now() + least(interval '1 second' * power(2, least(attempts, 9)), interval '5 minutes')
		WHERE id = ?`, cause.Error(), id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: schedule workflow start retry: %w", err)
	}
	return nil
}

// PruneWorkflowStarts deletes starts that reached Temporal more than olderThan ago (kept that long so ops
// can see what was started when).
func (db *DB) PruneWorkflowStarts(ctx context.Context, olderThan time.Duration) error {
	_, err := db.bun.NewRaw("DELETE FROM workflow_starts WHERE started_at < now() - ? * interval '1 millisecond'",
		olderThan.Milliseconds()).Exec(ctx)
	return err
}

// WorkflowBacklogAge is how long the oldest start still waiting for Temporal has waited; zero when none.
func (db *DB) WorkflowBacklogAge(ctx context.Context) (time.Duration, error) {
	var secs float64
	err := db.bun.NewRaw(`SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
		FROM workflow_starts WHERE started_at IS NULL`).Scan(ctx, &secs)
	return time.Duration(secs * float64(time.Second)), err
}
