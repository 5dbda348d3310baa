package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/stream"
)

// recordingPublisher remembers what the store published.
type recordingPublisher struct {
	mu   sync.Mutex
	msgs []stream.Message
}

func (r *recordingPublisher) Publish(_ context.Context, msgs ...stream.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, msgs...)
	return nil
}

// take returns what was published since the last take.
func (r *recordingPublisher) take() []stream.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}

func TestChangesArePublishedAfterCommit(t *testing.T) {
	sdb := storetest.MustOpen(t)
	db := sdb.App
	ctx := context.Background()
	orgID, v, projectID, task := mustProjectWithTask(t, db, "live@example.com")
	pub := &recordingPublisher{}
	db.SetPublisher(pub)
	title := func(s string) domain.TaskUpdate { return domain.TaskUpdate{Title: &s} }

	t.Run("a_write_publishes_its_event_with_the_event_id", func(t *testing.T) {
		_, err := db.UpdateTask(ctx, orgID, v, projectID, task.ID, title("Renamed"))
		require.NoError(t, err)
		var eventID string
		require.NoError(t, sdb.Owner.Bun().NewRaw(`SELECT id::text FROM domain_events WHERE organization_id = ?
			ORDER BY id DESC LIMIT 1`, orgID).Scan(ctx, &eventID))
		assert.Equal(t, []stream.Message{{ID: eventID, Kind: stream.KindChange, OrganizationID: orgID, ProjectID: projectID,
			Type: domain.EventTaskUpdated, EntityType: "task", EntityID: task.ID, ActorID: v.UserID}}, pub.take())
	})

	t.Run("nothing_is_published_before_the_commit_then_all_together", func(t *testing.T) {
		err := db.Atomically(ctx, orgID, v.UserID, func(ctx context.Context) error {
			if _, err := db.UpdateTask(ctx, orgID, v, projectID, task.ID, title("One")); err != nil {
				return err
			}
			if _, err := db.UpdateTask(ctx, orgID, v, projectID, task.ID, title("Two")); err != nil {
				return err
			}
			assert.Empty(t, pub.take(), "published inside the transaction")
			return nil
		})
		require.NoError(t, err)
		assert.Len(t, pub.take(), 2)
	})

	t.Run("a_rolled_back_transaction_publishes_nothing", func(t *testing.T) {
		abort := errors.New("abort")
		err := db.Atomically(ctx, orgID, v.UserID, func(ctx context.Context) error {
			if _, err := db.UpdateTask(ctx, orgID, v, projectID, task.ID, title("Never")); err != nil {
				return err
			}
			return abort
		})
		require.ErrorIs(t, err, abort)
		assert.Empty(t, pub.take())
	})

	t.Run("an_unscoped_transaction_publishes_its_tenant_calls", func(t *testing.T) {
		err := db.Atomically(ctx, "", "", func(ctx context.Context) error {
			_, err := db.UpdateTask(ctx, orgID, v, projectID, task.ID, title("Unscoped"))
			return err
		})
		require.NoError(t, err)
		msgs := pub.take()
		require.Len(t, msgs, 1)
		assert.Equal(t, task.ID, msgs[0].EntityID)
	})

	t.Run("a_refused_write_publishes_nothing", func(t *testing.T) {
		_, err := db.UpdateTask(ctx, orgID, v, projectID, task.ID, title(""))
		require.Error(t, err)
		assert.Empty(t, pub.take())
	})
}

func TestStreamBacklog(t *testing.T) {
	sdb := storetest.MustOpen(t)
	db := sdb.App
	ctx := context.Background()
	orgID, owner, projectID, task := mustProjectWithTask(t, db, "backlog@example.com")
	member := &domain.User{Name: "Member", Email: "backlog-member@example.com", PasswordHash: "x"}
	require.NoError(t, db.CreateUser(ctx, member))
	_, err := sdb.Owner.Bun().ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
		VALUES (gen_random_uuid(), ?, ?, 'member')`, orgID, member.ID)
	require.NoError(t, err)
	mv := domain.Viewer{UserID: member.ID, Role: domain.RoleMember}
	start := "00000000-0000-7000-8000-000000000000"

	all, err := db.StreamBacklog(ctx, orgID, store.StreamMember{Viewer: owner}, start, 100)
	require.NoError(t, err)
	require.NotEmpty(t, all)
	assert.Contains(t, backlogEntities(all), task.ID)

	hidden, err := db.StreamBacklog(ctx, orgID, store.StreamMember{Viewer: mv}, start, 100)
	require.NoError(t, err)
	assert.NotContains(t, backlogEntities(hidden), task.ID, "a member not on the project sees none of its events")

	seesAll, ids, err := db.VisibleProjects(ctx, orgID, mv)
	require.NoError(t, err)
	assert.False(t, seesAll)
	assert.Empty(t, ids)
	seesAll, _, err = db.VisibleProjects(ctx, orgID, owner)
	require.NoError(t, err)
	assert.True(t, seesAll)

	after, err := db.StreamBacklog(ctx, orgID, store.StreamMember{Viewer: owner}, all[len(all)-1].ID, 100)
	require.NoError(t, err)
	assert.Empty(t, after, "nothing after the last id")
	assert.Equal(t, projectID, all[len(all)-1].ProjectID)
}

func backlogEntities(msgs []stream.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.EntityID)
	}
	return out
}
