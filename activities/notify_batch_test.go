package activities_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
)

// TestNotifyEventsBatch: one batch mixing events that notify (an assignment, a move to another column)
// with events that cannot (a card reordered within its column, a client created) and refs to events that
// are gone or malformed notifies exactly the two people concerned, once each even when the batch runs
// twice, and queues the assignment's email on both runs (it is still pending; the window keeps it once).
func TestNotifyEventsBatch(t *testing.T) {
	f := mustNotifyFixture(t)
	ctx := context.Background()
	task := f.task(t, f.olgaV, f.bea)
	_, err := f.db.App.MoveTask(ctx, f.orgID, f.olgaV, f.projectID, task.ID, domain.TaskMove{ColumnID: task.ColumnID})
	require.NoError(t, err)
	cols, err := f.db.App.Columns(ctx, f.orgID, f.olgaV, f.projectID)
	require.NoError(t, err)
	bea := domain.Viewer{UserID: f.bea, Role: domain.RoleMember}
	_, err = f.db.App.MoveTask(ctx, f.orgID, bea, f.projectID, task.ID, domain.TaskMove{ColumnID: cols[1].ID})
	require.NoError(t, err)
	f.exec(t, `INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, actor_id, payload)
		VALUES (?, ?, 'client.created', 'client', ?, ?, '{"name": "Acme"}')`, uuid.Must(uuid.NewV7()).String(), f.orgID,
		uuid.NewString(), f.olga)
	refs := f.queued(t)
	require.Len(t, refs, 4, "created, reordered, moved, client")
	// The batch opens with events that notify nobody: what the others write must still be delivered.
	refs = append(refs[1:], refs[0], domain.EventRef{OrganizationID: f.orgID, EventID: uuid.Must(uuid.NewV7()).String()},
		domain.EventRef{OrganizationID: f.orgID, EventID: "not-an-id"},
		domain.EventRef{OrganizationID: uuid.NewString(), EventID: refs[0].EventID})

	for run := range 2 {
		res, err := f.acts.NotifyEvents(ctx, refs)
		require.NoError(t, err, "run %d", run)
		assert.Empty(t, res, "run %d: no push subscription, no push for the workflow", run)
	}
	assert.Equal(t, 1, f.inbox(t, f.bea, domain.NotifyTaskAssigned))
	assert.Equal(t, 1, f.inbox(t, f.olga, domain.NotifyTaskStatusChanged), "the creator hears of the move, once")
	assert.Zero(t, f.inbox(t, f.bea, domain.NotifyTaskStatusChanged), "not the mover")
	var total int
	require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT count(*) FROM notifications WHERE organization_id = ?`, f.orgID).Scan(ctx, &total))
	assert.Equal(t, 2, total, "the reorder and the client notify nobody")
	queued := 0
	for _, ref := range f.digests.refs {
		if ref.RecipientID == f.bea && ref.EntityKey == "task-"+task.ID {
			queued++
		}
	}
	assert.Equal(t, 2, queued, "Bea's assignment email went to its window on each run (the window keeps it once)")
}
