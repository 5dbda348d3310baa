package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/stream"
)

// entityEvent is one organization-wide event of an entity, sent live and recorded for resume.
type entityEvent struct{ typ, entityType, entityID, actorID string }

// TestStreamEntityRules: beyond project visibility, invoices go to invoices.read holders, time entries to
// see-all roles and their author, clients and templates to every staff member; a client contact gets none
// of the organization's changes, only their own notifications; live and on resume alike.
func TestStreamEntityRules(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	broker := stream.NewHub()
	srv := mustStartLive(t, db, broker, api.StreamConfig{})
	f := mustWorkFixture(t, srv)
	member := srv.MustSignUp(t, "Mia Member")
	mustJoin(t, db, f.orgID, member, "member")
	contact := srv.MustSignUp(t, "Cy Contact")
	mustJoinContact(t, db, f.orgID, contact, f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Acme"}).ID)

	invoice, ownEntry, otherEntry, client, template, sentinel :=
		uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
	events := []entityEvent{
		{"invoice.sent", "invoice", invoice, f.owner.User.ID},
		{"time_entry.created", "time_entry", ownEntry, member.User.ID},
		{"time_entry.created", "time_entry", otherEntry, f.owner.User.ID},
		{"client.created", "client", client, f.owner.User.ID},
		{"template.created", "template", template, f.owner.User.ID},
		{"team.member_added", "member", sentinel, f.owner.User.ID},
	}
	want := map[string][]string{
		"owner":   {invoice, ownEntry, otherEntry, client, template, sentinel},
		"member":  {ownEntry, client, template, sentinel},
		"contact": nil,
	}
	viewers := map[string]*browser{"owner": f.owner, "member": member, "contact": contact}
	// The contact's stream is read up to a notification of theirs sent after the changes.
	note := uuid.NewString()
	stop := map[string]func(sseEvent) bool{"owner": changeOf(sentinel), "member": changeOf(sentinel),
		"contact": func(ev sseEvent) bool { return ev.Name == "notification" && ev.Data.EntityID == note }}

	t.Run("live", func(t *testing.T) {
		streams := map[string]*liveStream{}
		for name, b := range viewers {
			streams[name] = openStream(t, srv, b, "")
		}
		for _, e := range events {
			require.NoError(t, broker.Publish(context.Background(), stream.Message{ID: mustUUIDv7At(t, time.Now()),
				Kind: stream.KindChange, OrganizationID: f.orgID, Type: e.typ, EntityType: e.entityType, EntityID: e.entityID, ActorID: e.actorID}))
		}
		require.NoError(t, broker.Publish(context.Background(), stream.Message{ID: mustUUIDv7At(t, time.Now()),
			Kind: stream.KindNotification, OrganizationID: f.orgID, RecipientID: contact.User.ID, Type: "portal_enabled", EntityID: note}))
		for name, s := range streams {
			assert.Equal(t, want[name], entities(s.until(stop[name])), name)
		}
	})

	t.Run("resume", func(t *testing.T) {
		since := mustUUIDv7At(t, time.Now().Add(-time.Minute))
		for _, e := range events {
			_, err := db.Owner.Bun().ExecContext(context.Background(), `INSERT INTO domain_events
				(id, organization_id, type, entity_type, entity_id, actor_id) VALUES (?, ?, ?, ?, ?, ?)`,
				mustUUIDv7At(t, time.Now()), f.orgID, e.typ, e.entityType, e.entityID, e.actorID)
			require.NoError(t, err)
			time.Sleep(2 * time.Millisecond) // one millisecond each: ids in this order
		}
		_, err := db.Owner.Bun().ExecContext(context.Background(), `INSERT INTO notifications
			(organization_id, id, recipient_id, type, title, entity_type, entity_id, source_key) VALUES (?, ?, ?, 'portal_enabled', 'Portal', 'client', ?, ?)`,
			f.orgID, mustUUIDv7At(t, time.Now()), contact.User.ID, note, "test/"+note)
		require.NoError(t, err)
		for name, b := range viewers {
			s := openStream(t, srv, b, "", header{Name: "Last-Event-ID", Value: since})
			got := map[string]bool{}
			for _, id := range entities(s.until(stop[name])) {
				got[id] = true
			}
			for _, e := range events {
				assert.Equal(t, contains(want[name], e.entityID), got[e.entityID], "%s %s", name, e.typ)
			}
		}
	})
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestStreamIdleTimeout: an organization whose idle timeout has passed for the session is left out of the
// stream, at open and at the periodic recheck.
func TestStreamIdleTimeout(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	broker := stream.NewHub()
	srv := mustStartLive(t, db, broker, api.StreamConfig{Refresh: 200 * time.Millisecond})
	strict, lax := mustWorkFixture(t, srv), mustWorkFixture(t, srv)
	user := srv.MustSignUp(t, "Ida Idle")
	mustJoin(t, db, strict.orgID, user, "admin")
	mustJoin(t, db, lax.orgID, user, "admin")
	ctx := context.Background()
	_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE organization_settings SET session_timeout_minutes = 5 WHERE organization_id = ?", strict.orgID)
	require.NoError(t, err)
	idle := func() {
		_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE sessions SET last_seen_at = now() - interval '10 minutes' WHERE user_id = ?", user.User.ID)
		require.NoError(t, err)
	}
	publish := func(orgID, entityID string) {
		require.NoError(t, broker.Publish(ctx, stream.Message{ID: mustUUIDv7At(t, time.Now()), Kind: stream.KindChange,
			OrganizationID: orgID, Type: "client.updated", EntityType: "client", EntityID: entityID}))
	}

	t.Run("at_open", func(t *testing.T) {
		idle()
		s := openStream(t, srv, user, "")
		hidden, shown := uuid.NewString(), uuid.NewString()
		publish(strict.orgID, hidden)
		publish(lax.orgID, shown)
		assert.NotContains(t, entities(s.until(changeOf(shown))), hidden)
	})

	t.Run("at_recheck", func(t *testing.T) {
		_, err := db.Owner.Bun().ExecContext(ctx, "UPDATE sessions SET last_seen_at = now() WHERE user_id = ?", user.User.ID)
		require.NoError(t, err)
		s := openStream(t, srv, user, "")
		seen := uuid.NewString()
		publish(strict.orgID, seen)
		s.until(changeOf(seen))
		idle()
		s.mustEnd(5 * time.Second)
	})
}

// TestStreamEndsOnRemoval: removing the caller from an organization ends their stream at once, not at the
// next recheck.
func TestStreamEndsOnRemoval(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := mustStartLive(t, db, stream.NewHub(), api.StreamConfig{Refresh: time.Hour})
	f := mustWorkFixture(t, srv)
	leaver := srv.MustSignUp(t, "Rae Removed")
	memberID := uuid.NewString()
	_, err := db.Owner.Bun().ExecContext(context.Background(),
		"INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'member')", memberID, f.orgID, leaver.User.ID)
	require.NoError(t, err)
	s := openStream(t, srv, leaver, "")
	MustStatus(t, f.owner.Do(http.MethodDelete, "/api/v1/orgs/"+f.orgID+"/members/"+memberID, nil), http.StatusNoContent)
	s.mustEnd(5 * time.Second)
}

// TestStreamEndsOnShutdown: a graceful shutdown ends open streams instead of waiting its timeout for them.
func TestStreamEndsOnShutdown(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	var deps api.Deps
	srv := MustStart(t, db, func(d *api.Deps) { deps = *d })
	f := mustWorkFixture(t, srv)
	server := api.New(deps)
	ts := httptest.NewUnstartedServer(server.Handler())
	ts.Config.RegisterOnShutdown(server.EndStreams)
	ts.Start()
	t.Cleanup(ts.Close)
	s := openStream(t, &testServer{URL: ts.URL, DB: db}, f.owner, "")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	require.NoError(t, ts.Config.Shutdown(ctx), "shutdown waited for the open stream")
	s.mustEnd(time.Second)
}
