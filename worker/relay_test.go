package worker_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/worker"
	"github.com/clientflow/clientflow/workflows"
)

// TestStartRefusesWhatItCannotStart: a row the relay cannot map to a workflow fails (and so backs off, with
// the reason in last_error) instead of being marked started and silently dropped.
func TestStartRefusesWhatItCannotStart(t *testing.T) {
	for _, ws := range []domain.WorkflowStart{
		{ID: "1", Kind: "no_such_kind", Key: "k"},
		{ID: "2", Kind: domain.StartKindEmail, Key: "k", Input: []byte(`{"Key": 7}`)},
		{ID: "3", Kind: domain.StartKindInvitationExpiry, Key: "k", Input: []byte(`not json`)},
		{ID: "4", Kind: domain.StartKindInvoiceOverdue, Key: "k"},
	} {
		if err := (worker.Starter{}).Start(context.Background(), ws); err == nil {
			t.Errorf("start %+v: no error", ws)
		}
	}
}

// TestRelayWaitsOutAnOutage: while Temporal's health check fails the relay leaves the outbox alone (no
// attempt, so no backoff to sit out afterwards); the first pass after it answers starts the workflow.
func TestRelayWaitsOutAnOutage(t *testing.T) {
	dw := mustRunDevWorker(t, "relay-test", time.Hour)
	ctx := context.Background()
	u := &domain.User{Name: "Relayed", Email: "relayed@example.com", PasswordHash: "x"}
	var ws domain.WorkflowStart
	require.NoError(t, dw.DB.App.Atomically(ctx, "", "", func(ctx context.Context) error {
		if err := dw.DB.App.CreateUser(ctx, u); err != nil {
			return err
		}
		ws = domain.WelcomeStart(u.ID)
		return dw.DB.App.EnqueueStarts(ctx, &ws)
	}))
	var health atomic.Pointer[error]
	down := errors.New("connection refused")
	health.Store(&down)
	relay := &worker.Relay{DB: dw.DB.App, Starter: dw.Starter, MinAge: time.Millisecond,
		Healthy: func(context.Context) error { return *health.Load() }}

	assert.Zero(t, relay.Pass(ctx))
	var attempts int
	require.NoError(t, dw.DB.Owner.Bun().NewRaw("SELECT attempts FROM workflow_starts WHERE id = ?", ws.ID).Scan(ctx, &attempts))
	assert.Zero(t, attempts, "no attempt while Temporal is down")

	var up error
	health.Store(&up)
	assert.Equal(t, 1, relay.Pass(ctx))
	desc, err := dw.Srv.Client().DescribeWorkflowExecution(ctx, workflows.WelcomeWorkflowID(u.ID), "")
	require.NoError(t, err)
	assert.Equal(t, "Welcome", desc.WorkflowExecutionInfo.GetType().GetName())
	assert.Zero(t, relay.Pass(ctx), "a started row is not relayed again")
}
