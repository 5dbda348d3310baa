package api_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/stream"
)

// The live stream applies an organization's sign-in rules like its routes do: an organization whose IP
// allowlist refuses the stream's address, or that requires SSO of a password session, sends it nothing.
func TestStreamKeepsOutOrganizationsWhoseRulesRefuseTheSession(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	// Behind a trusted proxy on loopback, so the stream can come from another address than the owner's changes.
	handle, err := store.Open(context.Background(), db.URL, store.Options{MaxConns: 5})
	require.NoError(t, err)
	broker := mustRedisBroker(t)
	live := stream.NewAsync(broker, 256, slog.New(slog.NewTextHandler(io.Discard, nil)))
	handle.SetPublisher(live)
	t.Cleanup(func() { live.Close(); handle.Close() })
	srv := MustStart(t, db, func(d *api.Deps) {
		d.DB, d.Stream = handle, api.StreamConfig{Broker: broker, Heartbeat: 100 * time.Millisecond}
		d.TrustedProxies = []string{"127.0.0.1", "::1"}
	})
	outside := header{"X-Forwarded-For", "198.51.100.7"}
	f := mustWorkFixture(t, srv)
	task := f.mustCreateTask(t, map[string]any{"title": "Quiet"})
	member := srv.MustSignUp(t, "Mo Member")
	mustJoin(t, db, f.orgID, member, "manager")

	// quiet asserts that, after a change in the organization, the stream only hears heartbeats for a second.
	quiet := func(t *testing.T, s *liveStream) {
		t.Helper()
		f.mustMove(t, task.ID, f.column(t, "Done").ID)
		f.mustMove(t, task.ID, f.column(t, "To do").ID)
		for end := time.Now().Add(time.Second); time.Now().Before(end); {
			ev := s.next(2 * time.Second)
			assert.Empty(t, ev.Data.OrganizationID, "a refused organization's change reached the stream: %+v", ev)
		}
	}

	t.Run("an_allowlist_that_leaves_out_the_stream_address", func(t *testing.T) {
		mustExec(t, db, "INSERT INTO ip_allowlist_entries (organization_id, id, cidr, label) VALUES (?, ?, '127.0.0.1/32', 'proxy'), (?, ?, '::1/128', 'proxy')",
			f.orgID, uuid.NewString(), f.orgID, uuid.NewString())
		t.Cleanup(func() { mustExec(t, db, "DELETE FROM ip_allowlist_entries WHERE organization_id = ?", f.orgID) })
		quiet(t, openStream(t, srv, member, "", outside))
	})

	t.Run("require_sso_for_a_password_session", func(t *testing.T) {
		mustExec(t, db, "UPDATE organization_settings SET sso_required = true WHERE organization_id = ?", f.orgID)
		t.Cleanup(func() {
			mustExec(t, db, "UPDATE organization_settings SET sso_required = false WHERE organization_id = ?", f.orgID)
		})
		quiet(t, openStream(t, srv, member, ""))
		// The owner's password is the break-glass: their stream still hears the organization.
		s := openStream(t, srv, f.owner, "")
		f.mustMove(t, task.ID, f.column(t, "Done").ID)
		s.until(changeOf(task.ID))
	})
}
