package api_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// downWorkflows is a Temporal that refuses every welcome start, counting the attempts.
type downWorkflows struct {
	*recordingWorkflows
	attempts atomic.Int32
}

func (w *downWorkflows) StartWelcome(context.Context, string) error {
	w.attempts.Add(1)
	return errors.New("temporal: connection refused")
}

// pendingWelcomes counts the welcome starts in the outbox that have not reached Temporal.
func pendingWelcomes(t *testing.T, db *storetest.DB) (pending, started int) {
	t.Helper()
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT count(*) FILTER (WHERE started_at IS NULL),
		count(*) FILTER (WHERE started_at IS NOT NULL) FROM workflow_starts WHERE kind = ?`, domain.StartKindWelcome).
		Scan(context.Background(), &pending, &started))
	return pending, started
}

func TestWorkflowStartFastPath(t *testing.T) {
	t.Parallel()

	t.Run("a_start_temporal_took_is_marked_so_the_relay_leaves_it", func(t *testing.T) {
		db := storetest.MustOpen(t)
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Fast")
		assert.Equal(t, []string{b.User.ID}, srv.Workflows.Welcomed())
		pending, started := pendingWelcomes(t, db)
		assert.Equal(t, [2]int{0, 1}, [2]int{pending, started})
	})

	t.Run("while_temporal_fails_requests_succeed_and_skip_the_doomed_start", func(t *testing.T) {
		db := storetest.MustOpen(t)
		down := &downWorkflows{recordingWorkflows: &recordingWorkflows{}}
		srv := MustStart(t, db, func(d *api.Deps) { d.Workflows = down })
		for range 3 {
			srv.MustSignUp(t, "Patient")
		}
		assert.Equal(t, int32(1), down.attempts.Load(), "after one failure the next starts go straight to the relay")
		pending, started := pendingWelcomes(t, db)
		assert.Equal(t, [2]int{3, 0}, [2]int{pending, started}, "every start waits in the outbox")
	})
}
