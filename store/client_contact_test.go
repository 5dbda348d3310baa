package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// mustContactOf makes a new user a contact (role client) of clientID in orgID and returns them.
func mustContactOf(t *testing.T, d *storetest.DB, orgID, clientID, email string) *domain.User {
	t.Helper()
	ctx := context.Background()
	u := &domain.User{Name: "Contact " + email, Email: email, PasswordHash: "x"}
	require.NoError(t, d.App.CreateUser(ctx, u))
	_, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role, client_id)
		VALUES (?, ?, ?, 'client', ?)`, uuid.NewString(), orgID, u.ID, clientID)
	require.NoError(t, err)
	return u
}

func TestClientContactsStore(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	owner, org := mustUserAndOrg(t, d.App, "contacts-owner@example.com")
	_, other := mustUserAndOrg(t, d.App, "contacts-other@example.com")
	acme, globex := &domain.Client{Name: "Acme"}, &domain.Client{Name: "Globex"}
	require.NoError(t, d.App.CreateClient(ctx, org.ID, owner.ID, acme))
	require.NoError(t, d.App.CreateClient(ctx, org.ID, owner.ID, globex))
	ana := mustContactOf(t, d, org.ID, acme.ID, "ana@acme.example")
	abe := mustContactOf(t, d, org.ID, acme.ID, "abe@acme.example")
	gus := mustContactOf(t, d, org.ID, globex.ID, "gus@globex.example")

	t.Run("contacts_are_listed_and_counted_per_client", func(t *testing.T) {
		contacts, pending, err := d.App.ClientContacts(ctx, org.ID, acme.ID)
		require.NoError(t, err)
		assert.Empty(t, pending)
		var ids []string
		for _, c := range contacts {
			ids = append(ids, c.UserID)
		}
		assert.Equal(t, []string{ana.ID, abe.ID}, ids, "longest-standing first, only Acme's")

		list, _, err := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 10})
		require.NoError(t, err)
		counts := map[string]int{}
		for _, c := range list {
			counts[c.Name] = c.ContactCount
		}
		assert.Equal(t, map[string]int{"Acme": 2, "Globex": 1}, counts)
		one, err := d.App.Client(ctx, org.ID, globex.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, one.ContactCount)
	})

	t.Run("another_tenant_or_client_answers_not_found", func(t *testing.T) {
		_, _, err := d.App.ClientContacts(ctx, other.ID, acme.ID)
		assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(err))
		assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(d.App.RemoveClientContact(ctx, other.ID, owner.ID, acme.ID, ana.ID)))
		assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(d.App.RemoveClientContact(ctx, org.ID, owner.ID, globex.ID, ana.ID)))
		assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(d.App.RemoveClientContact(ctx, org.ID, owner.ID, acme.ID, owner.ID)),
			"staff are not removed through a client")
		contacts, _, err := d.App.ClientContacts(ctx, org.ID, acme.ID)
		require.NoError(t, err)
		assert.Len(t, contacts, 2)
	})

	t.Run("removing_a_contact_deletes_the_membership", func(t *testing.T) {
		require.NoError(t, d.App.RemoveClientContact(ctx, org.ID, owner.ID, globex.ID, gus.ID))
		contacts, _, err := d.App.ClientContacts(ctx, org.ID, globex.ID)
		require.NoError(t, err)
		assert.Empty(t, contacts)
		var n int
		require.NoError(t, d.Owner.Bun().NewRaw("SELECT count(*) FROM organization_memberships WHERE user_id = ?", gus.ID).Scan(ctx, &n))
		assert.Zero(t, n)
	})

	t.Run("memberships_carry_the_client_and_the_plan_features", func(t *testing.T) {
		ms, err := d.App.Memberships(ctx, ana.ID)
		require.NoError(t, err)
		require.Len(t, ms, 1)
		assert.Equal(t, acme.ID, ms[0].ClientID)
		assert.Contains(t, ms[0].Features, domain.FeatureClientPortal)
		ms, err = d.App.Memberships(ctx, owner.ID)
		require.NoError(t, err)
		require.Len(t, ms, 1)
		assert.Empty(t, ms[0].ClientID)
		assert.NotEmpty(t, ms[0].Permissions)
	})
}

// TestStreamBacklogLeavesContactsOnlyTheirNotifications: a client contact's resumed stream replays none of
// the organization's changes (not even organization-wide ones), only the notifications addressed to them.
func TestStreamBacklogLeavesContactsOnlyTheirNotifications(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	owner, org := mustUserAndOrg(t, d.App, "stream-contact-owner@example.com")
	acme := &domain.Client{Name: "Acme"}
	require.NoError(t, d.App.CreateClient(ctx, org.ID, owner.ID, acme))
	contact := mustContactOf(t, d, org.ID, acme.ID, "stream-contact@acme.example")
	note := uuid.Must(uuid.NewV7()).String()
	_, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO notifications (organization_id, id, recipient_id, type, title, source_key)
		VALUES (?, ?, ?, 'portal_enabled', 'Your portal is open', 'test/portal')`, org.ID, note, contact.ID)
	require.NoError(t, err)
	start := "00000000-0000-7000-8000-000000000000"

	staff, err := d.App.StreamBacklog(ctx, org.ID, store.StreamMember{Viewer: domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}}, start, 100)
	require.NoError(t, err)
	require.NotEmpty(t, staff, "the owner replays the client's creation")

	msgs, err := d.App.StreamBacklog(ctx, org.ID, store.StreamMember{Viewer: domain.Viewer{UserID: contact.ID, Role: domain.RoleClient}}, start, 100)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, note, msgs[0].ID)
	assert.Equal(t, contact.ID, msgs[0].RecipientID)
}
