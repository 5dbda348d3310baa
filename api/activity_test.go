package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

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

// TestActivityFilters: each filter of the feed narrows it to what it names, and visibility still applies.
func TestActivityFilters(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	org := f.org.ID
	acme := f.owner.MustCreateClient(org, map[string]any{"name": "Acme"})
	other := f.owner.MustCreateClient(org, map[string]any{"name": "Other"})
	acmeSite := f.owner.MustCreateProject(org, map[string]any{"name": "Acme site", "client_id": acme.ID})
	otherSite := f.owner.MustCreateProject(org, map[string]any{"name": "Other site", "client_id": other.ID})
	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+org+"/projects/"+acmeSite.ID+"/members",
		map[string]any{"user_id": f.member.User.ID}), http.StatusCreated)
	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+org+"/projects/"+acmeSite.ID+"/tasks",
		map[string]any{"title": "Launch checklist"}), http.StatusCreated)
	MustStatus(t, f.member.Do(http.MethodPost, "/api/v1/orgs/"+org+"/projects/"+acmeSite.ID+"/tasks",
		map[string]any{"title": "Member's task"}), http.StatusCreated)
	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+org+"/projects/"+otherSite.ID+"/tasks",
		map[string]any{"title": "Other work"}), http.StatusCreated)
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}

	t.Run("client_keeps_its_events_and_its_projects", func(t *testing.T) {
		got := mustActivity(t, f.owner, org, q("client_id", acme.ID))
		require.NotEmpty(t, got)
		for _, a := range got {
			inClient := a.EntityType == "client" && a.EntityID == acme.ID
			inProject := a.ProjectID != nil && *a.ProjectID == acmeSite.ID
			assert.True(t, inClient || inProject, "%s %s is not Acme's", a.Type, a.EntityID)
		}
		assert.True(t, activityTypes(got)["client.created"], "the client's own event")
	})

	t.Run("project_type_entity_actor_and_text", func(t *testing.T) {
		for _, a := range mustActivity(t, f.owner, org, q("project_id", otherSite.ID)) {
			assert.Equal(t, otherSite.ID, *a.ProjectID)
		}
		for _, a := range mustActivity(t, f.owner, org, q("type", "task.created")) {
			assert.Equal(t, "task.created", a.Type)
		}
		got := mustActivity(t, f.owner, org, q("entity_type", "client"))
		assert.Len(t, got, 2)
		got = mustActivity(t, f.owner, org, q("actor_id", f.member.User.ID))
		require.NotEmpty(t, got)
		for _, a := range got {
			assert.Equal(t, f.member.User.ID, a.Actor.ID)
		}
		got = mustActivity(t, f.owner, org, q("q", "LAUNCH"))
		require.Len(t, got, 1)
		assert.Equal(t, "task.created", got[0].Type)
		assert.Empty(t, mustActivity(t, f.owner, org, q("q", "100%_")), "LIKE wildcards match literally")
	})

	t.Run("date_range_is_inclusive_days", func(t *testing.T) {
		today := time.Now().UTC().Format(time.DateOnly)
		assert.NotEmpty(t, mustActivity(t, f.owner, org, q("from", today, "to", today)))
		assert.Empty(t, mustActivity(t, f.owner, org, q("to", "2020-01-01")))
		assert.Empty(t, mustActivity(t, f.owner, org, q("from", "2100-01-01")))
		MustProblem(t, f.owner.Do(http.MethodGet, "/api/v1/orgs/"+org+"/activity?from=yesterday", nil),
			http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("filters_keep_visibility", func(t *testing.T) {
		assert.Empty(t, mustActivity(t, f.member, org, q("project_id", otherSite.ID)), "a project the member is not on")
		for _, a := range mustActivity(t, f.member, org, q("client_id", other.ID)) {
			assert.Nil(t, a.ProjectID, "only the client's own events, none of its project the member is not on: %s", a.Type)
		}
		for _, a := range mustActivity(t, f.member, org, q("entity_type", "task")) {
			assert.Equal(t, acmeSite.ID, *a.ProjectID)
		}
	})
}

// TestActivityNamesWhatItIsAbout: the feed names each event's project, task and column as they are now, so a
// sentence like "moved 'Copy deck' to Review" needs no further request, also for events whose payload holds
// only ids (time entries, comments).
func TestActivityNamesWhatItIsAbout(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := mustWorkFixture(t, MustStart(t, db))
	task := f.mustCreateTask(t, map[string]any{"title": "Copy deck v1"})
	MustStatus(t, f.owner.Do(http.MethodPost, f.path("/tasks/"+task.ID+"/move"),
		map[string]any{"column_id": f.column(t, "Review").ID}), http.StatusOK)
	mustLogTime(t, f.owner, f.orgID, map[string]any{"project_id": f.project, "task_id": task.ID,
		"date": time.Now().UTC().Format(time.DateOnly), "minutes": 90})

	res := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/activity", nil)
	MustStatus(t, res, http.StatusOK)
	var page struct {
		Data []struct {
			Type        string         `json:"type"`
			Payload     map[string]any `json:"payload"`
			ProjectName *string        `json:"project_name"`
			ColumnName  *string        `json:"column_name"`
			Task        *struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			} `json:"task"`
		}
	}
	res.MustJSON(t, &page)
	byType := map[string]int{}
	for i, a := range page.Data {
		if _, seen := byType[a.Type]; !seen {
			byType[a.Type] = i
		}
	}
	require.Contains(t, byType, "task.updated")
	require.Contains(t, byType, "time_entry.created")
	require.Contains(t, byType, "project.created")

	moved := page.Data[byType["task.updated"]]
	require.NotNil(t, moved.ColumnName)
	assert.Equal(t, "Review", *moved.ColumnName)
	require.NotNil(t, moved.Task)
	assert.Equal(t, "Copy deck v1", moved.Task.Title)

	logged := page.Data[byType["time_entry.created"]]
	require.NotNil(t, logged.Task, "a time entry names its task")
	assert.Equal(t, task.ID, logged.Task.ID)
	assert.Equal(t, "Copy deck v1", logged.Task.Title)
	require.NotNil(t, logged.ProjectName)
	assert.Equal(t, "Website", *logged.ProjectName)
	assert.Equal(t, false, logged.Payload["running"])
	assert.Nil(t, logged.ColumnName, "only task events name a column")

	created := page.Data[byType["project.created"]]
	assert.Nil(t, created.Task)
	require.NotNil(t, created.ProjectName)
	assert.Equal(t, "Website", *created.ProjectName)

	t.Run("a_deleted_task_is_named_by_its_payload_only", func(t *testing.T) {
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/tasks/"+task.ID), nil), http.StatusNoContent)
		res := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/activity?type=task.deleted", nil)
		MustStatus(t, res, http.StatusOK)
		var deleted struct {
			Data []struct {
				Payload map[string]any `json:"payload"`
				Task    *struct{}      `json:"task"`
			}
		}
		res.MustJSON(t, &deleted)
		require.Len(t, deleted.Data, 1)
		assert.Nil(t, deleted.Data[0].Task)
		assert.Equal(t, "Copy deck v1", deleted.Data[0].Payload["title"])
	})
}

// TestTimerStopIsRecordedAsStopped: stopping a timer records time_entry.updated marked stopped, so the feed
// says "logged", while an edit is not marked.
func TestTimerStopIsRecordedAsStopped(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	owner := MustStart(t, db).MustSignUp(t, "Owner")
	org := owner.MustCreateOrg(uniqueName("Stopped"))
	p := mustInsertProject(t, db, org.ID, "Website", projectRow{})
	started, _ := mustStartTimer(t, owner, org.ID, p)
	MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/time/timer/stop", nil), http.StatusOK)
	MustStatus(t, owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/time/entries/"+started.ID,
		map[string]any{"minutes": 30}), http.StatusOK)

	as := mustActivity(t, owner, org.ID, url.Values{"entity_type": {"time_entry"}})

	require.Len(t, as, 3)
	assert.Equal(t, "time_entry.updated", as[0].Type)
	assert.Nil(t, as[0].Payload["stopped"], "an edit is no stop")
	assert.Equal(t, "time_entry.updated", as[1].Type)
	assert.Equal(t, true, as[1].Payload["stopped"])
	assert.Equal(t, false, as[1].Payload["running"])
	assert.Equal(t, "time_entry.created", as[2].Type)
	assert.Equal(t, true, as[2].Payload["running"])
}
