package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// outboxRow is what a test reads back of one workflow_starts row.
type outboxRow struct {
	Attempts    int        `bun:"attempts"`
	LastError   *string    `bun:"last_error"`
	StartedAt   *time.Time `bun:"started_at"`
	NextAttempt time.Time  `bun:"next_attempt_at"`
}

func mustOutboxRow(t *testing.T, d *storetest.DB, id string) outboxRow {
	t.Helper()
	var r outboxRow
	require.NoError(t, d.Owner.Bun().NewRaw(`SELECT attempts, last_error, started_at, next_attempt_at
		FROM workflow_starts WHERE id = ?`, id).Scan(context.Background(), &r))
	return r
}

func countStarts(t *testing.T, d *storetest.DB, kind, key string) int {
	t.Helper()
	var n int
	require.NoError(t, d.Owner.Bun().NewRaw("SELECT count(*) FROM workflow_starts WHERE kind = ? AND business_key = ?",
		kind, key).Scan(context.Background(), &n))
	return n
}

// relayAll runs one relay pass that takes every due start, however young.
func relayAll(t *testing.T, db *store.DB, start func(context.Context, domain.WorkflowStart) error) int {
	t.Helper()
	n, err := db.RelayWorkflowStarts(context.Background(), 0, 100, start)
	require.NoError(t, err)
	return n
}

func TestWorkflowOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("a_start_outside_the_business_transaction_is_refused", func(t *testing.T) {
		d := storetest.MustOpen(t)
		ws := domain.WelcomeStart("00000000-0000-7000-8000-000000000001")
		require.Error(t, d.App.EnqueueStarts(ctx, &ws))
		assert.Zero(t, countStarts(t, d, domain.StartKindWelcome, ws.Key))
	})

	t.Run("the_start_commits_and_rolls_back_with_the_business_change", func(t *testing.T) {
		d := storetest.MustOpen(t)
		u := &domain.User{Name: "Outbox", Email: "outbox@example.com", PasswordHash: "x"}
		var ws domain.WorkflowStart
		require.NoError(t, d.App.Atomically(ctx, "", "", func(ctx context.Context) error {
			if err := d.App.CreateUser(ctx, u); err != nil {
				return err
			}
			ws = domain.WelcomeStart(u.ID)
			return d.App.EnqueueStarts(ctx, &ws)
		}))
		assert.Equal(t, 1, countStarts(t, d, domain.StartKindWelcome, u.ID))

		// A sign-up that fails after enqueuing (here: the same email again) leaves neither user nor start.
		dup := &domain.User{Name: "Dup", Email: u.Email, PasswordHash: "x"}
		err := d.App.Atomically(ctx, "", "", func(ctx context.Context) error {
			early := domain.WelcomeStart("00000000-0000-7000-8000-0000000000aa")
			if err := d.App.EnqueueStarts(ctx, &early); err != nil {
				return err
			}
			return d.App.CreateUser(ctx, dup)
		})
		assert.Equal(t, domain.ECONFLICT, domain.ErrorCode(err))
		assert.Zero(t, countStarts(t, d, domain.StartKindWelcome, "00000000-0000-7000-8000-0000000000aa"))
	})

	t.Run("a_new_organization_and_its_subscription_start_share_one_transaction", func(t *testing.T) {
		d := storetest.MustOpen(t)
		u := &domain.User{Name: "Owner", Email: "org-outbox@example.com", PasswordHash: "x"}
		require.NoError(t, d.App.CreateUser(ctx, u))
		var orgID string
		err := d.App.Atomically(ctx, "", "", func(ctx context.Context) error {
			org, err := d.App.CreateOrganization(ctx, "Rolled Back", u.ID)
			if err != nil {
				return err
			}
			orgID = org.ID
			ws := domain.SubscriptionStart(org.ID)
			if err := d.App.EnqueueStarts(ctx, &ws); err != nil {
				return err
			}
			return errors.New("crash before commit")
		})
		require.Error(t, err)
		assert.Zero(t, countStarts(t, d, domain.StartKindSubscription, orgID))
		var orgs int
		require.NoError(t, d.Owner.Bun().NewRaw("SELECT count(*) FROM organizations WHERE id = ?", orgID).Scan(ctx, &orgs))
		assert.Zero(t, orgs, "the organization rolled back with its start")
	})

	t.Run("relay_marks_started_backs_off_on_failure_and_stops_the_pass", func(t *testing.T) {
		d := storetest.MustOpen(t)
		a, b := mustEnqueue(t, d.App, "a@example.com"), mustEnqueue(t, d.App, "b@example.com")

		var tried []string
		n := relayAll(t, d.App, func(_ context.Context, ws domain.WorkflowStart) error {
			tried = append(tried, ws.ID)
			return errors.New("temporal: connection refused")
		})
		assert.Zero(t, n)
		assert.Equal(t, []string{a.ID}, tried, "the first failure ends the pass; the rest keep their turn")
		ra := mustOutboxRow(t, d, a.ID)
		assert.Equal(t, 1, ra.Attempts)
		require.NotNil(t, ra.LastError)
		assert.Contains(t, *ra.LastError, "connection refused")
		assert.Nil(t, ra.StartedAt)
		assert.True(t, ra.NextAttempt.After(time.Now().Add(500*time.Millisecond)), "backed off: %v", ra.NextAttempt)

		var started []domain.WorkflowStart
		n = relayAll(t, d.App, func(_ context.Context, ws domain.WorkflowStart) error {
			started = append(started, ws)
			return nil
		})
		assert.Equal(t, 1, n, "the backed-off start waits for its next attempt")
		require.Len(t, started, 1)
		assert.Equal(t, b.ID, started[0].ID)
		assert.Equal(t, domain.StartKindEmail, started[0].Kind)
		assert.JSONEq(t, string(b.Input), string(started[0].Input), "the input survives the round trip")
		assert.NotNil(t, mustOutboxRow(t, d, b.ID).StartedAt)
		assert.Zero(t, relayAll(t, d.App, func(context.Context, domain.WorkflowStart) error {
			t.Error("a started row is never handed out again")
			return nil
		}))
	})

	t.Run("relay_leaves_young_starts_to_the_fast_path", func(t *testing.T) {
		d := storetest.MustOpen(t)
		ws := mustEnqueue(t, d.App, "young@example.com")
		n, err := d.App.RelayWorkflowStarts(ctx, time.Minute, 10, func(context.Context, domain.WorkflowStart) error {
			t.Error("a start younger than minAge is not relayed")
			return nil
		})
		require.NoError(t, err)
		assert.Zero(t, n)
		require.NoError(t, d.App.MarkWorkflowStarted(ctx, ws.ID))
		assert.NotNil(t, mustOutboxRow(t, d, ws.ID).StartedAt)
	})

	t.Run("concurrent_relays_never_take_the_same_start", func(t *testing.T) {
		d := storetest.MustOpen(t)
		for range 20 {
			mustEnqueue(t, d.App, "many@example.com")
		}
		var calls atomic.Int32
		seen := sync.Map{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					n, err := d.App.RelayWorkflowStarts(ctx, 0, 3, func(_ context.Context, ws domain.WorkflowStart) error {
						calls.Add(1)
						if _, dup := seen.LoadOrStore(ws.ID, true); dup {
							t.Errorf("start %s handed to two relays", ws.ID)
						}
						time.Sleep(5 * time.Millisecond) // hold the row lock while the others look
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		assert.Equal(t, int32(20), calls.Load())
	})

	t.Run("backlog_age_is_the_oldest_pending_start", func(t *testing.T) {
		d := storetest.MustOpen(t)
		age, err := d.App.WorkflowBacklogAge(ctx)
		require.NoError(t, err)
		assert.Zero(t, age)
		ws := mustEnqueue(t, d.App, "old@example.com")
		_, err = d.Owner.Bun().NewRaw("UPDATE workflow_starts SET created_at = now() - interval '90 seconds' WHERE id = ?", ws.ID).Exec(ctx)
		require.NoError(t, err)
		age, err = d.App.WorkflowBacklogAge(ctx)
		require.NoError(t, err)
		assert.InDelta(t, 90, age.Seconds(), 5)
		require.NoError(t, d.App.MarkWorkflowStarted(ctx, ws.ID))
		age, err = d.App.WorkflowBacklogAge(ctx)
		require.NoError(t, err)
		assert.Zero(t, age)
	})

	t.Run("the_app_role_cannot_rewrite_what_a_start_asks_for", func(t *testing.T) {
		d := storetest.MustOpen(t)
		ws := mustEnqueue(t, d.App, "fixed@example.com")
		_, err := d.App.Bun().NewRaw(`UPDATE workflow_starts SET input = '{"To":"attacker@example.com"}' WHERE id = ?`, ws.ID).Exec(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "permission denied")
	})
}

// mustEnqueue commits one email start on its own, as a business change with nothing else to write would.
func mustEnqueue(t *testing.T, db *store.DB, to string) domain.WorkflowStart {
	t.Helper()
	ws := domain.EmailStart(domain.EmailRequest{Key: "test/" + to, To: to, Template: "welcome",
		Data: map[string]string{"Name": "N"}})
	require.NoError(t, db.Atomically(context.Background(), "", "", func(ctx context.Context) error {
		return db.EnqueueStarts(ctx, &ws)
	}))
	return ws
}
