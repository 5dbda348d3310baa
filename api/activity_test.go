package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

func activityTypes(as []activityJSON) map[string]bool {
	out := map[string]bool{}
	for _, a := range as {
		out[a.Type] = true
	}
	return out
}

// TestActivityHidesWhatTheViewerMayNotRead: client events carry the client's email and company, team events a
// member's email; the feed (projects.read) shows them only to readers of clients and members.
func TestActivityHidesWhatTheViewerMayNotRead(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	viewer := f.srv.MustSignUp(t, "Vera Viewer")
	mustJoin(t, db, f.org.ID, viewer, "manager") // a manager sees every project's events
	leaving := f.srv.MustSignUp(t, "Lea Leaving")
	mustJoin(t, db, f.org.ID, leaving, "member")

	f.owner.MustCreateClient(f.org.ID, map[string]any{"name": "Secretive Co", "email": "ceo@secretive.example"})
	f.owner.MustCreateProject(f.org.ID, map[string]any{"name": "Open project"})
	MustStatus(t, f.owner.Do(http.MethodDelete, f.path(t, leaving, ""), nil), http.StatusNoContent)

	all := activityTypes(mustActivity(t, f.owner, f.org.ID, nil))
	require.True(t, all["client.created"] && all["team.member_removed"] && all["project.created"], "the owner sees %v", all)

	setOverrides := func(overrides []map[string]any) {
		t.Helper()
		MustStatus(t, f.owner.Do(http.MethodPut, f.path(t, viewer, "/permissions"), map[string]any{"overrides": overrides}),
			http.StatusOK)
	}
	deny := func(perm string) map[string]any { return map[string]any{"permission": perm, "granted": false} }

	t.Run("without_clients_read_no_client_events", func(t *testing.T) {
		setOverrides([]map[string]any{deny("clients.read")})
		got := activityTypes(mustActivity(t, viewer, f.org.ID, nil))
		assert.False(t, got["client.created"], "client events are hidden: %v", got)
		assert.True(t, got["team.member_removed"] && got["project.created"], "the rest stays: %v", got)
		assert.Empty(t, mustActivity(t, viewer, f.org.ID, url.Values{"type": {"client.created"}}),
			"filtering by type finds none either")
	})

	t.Run("without_members_read_no_team_events", func(t *testing.T) {
		setOverrides([]map[string]any{deny("members.read")})
		got := activityTypes(mustActivity(t, viewer, f.org.ID, nil))
		assert.False(t, got["team.member_removed"], "team events are hidden: %v", got)
		assert.True(t, got["client.created"] && got["project.created"], "the rest stays: %v", got)
	})

	t.Run("without_any_of_them_only_the_rest", func(t *testing.T) {
		setOverrides([]map[string]any{deny("clients.read"), deny("members.read"), deny("invoices.read")})
		for _, a := range mustActivity(t, viewer, f.org.ID, nil) {
			assert.NotContains(t, []string{"client", "member", "invoice"}, a.EntityType, "%s leaks", a.Type)
		}
		assert.True(t, activityTypes(mustActivity(t, viewer, f.org.ID, nil))["project.created"])
	})

	t.Run("holding_them_shows_them", func(t *testing.T) {
		setOverrides([]map[string]any{})
		got := activityTypes(mustActivity(t, viewer, f.org.ID, nil))
		assert.True(t, got["client.created"] && got["team.member_removed"] && got["project.created"], "%v", got)
	})
}
