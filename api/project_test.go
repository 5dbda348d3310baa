package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// projectJSON is a project as a client decodes it.
type projectJSON struct {
	ID          string  `json:"id"`
	ClientID    *string `json:"client_id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Status      string  `json:"status"`
	StartDate   *string `json:"start_date"`
	DueDate     *string `json:"due_date"`
	Budget      *struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	} `json:"budget"`
	BudgetMinutes *int   `json:"budget_minutes"`
	HourlyRate    *int64 `json:"hourly_rate"`
	Archived      bool   `json:"archived"`
}

type projectPageJSON struct {
	Data       []projectJSON `json:"data"`
	NextCursor *string       `json:"next_cursor"`
}

type activityJSON struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	EntityType string         `json:"entity_type"`
	EntityID   string         `json:"entity_id"`
	ProjectID  *string        `json:"project_id"`
	Payload    map[string]any `json:"payload"`
	Actor      *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"actor"`
}

// MustCreateProject creates a project in orgID from body.
func (b *browser) MustCreateProject(orgID string, body map[string]any) projectJSON {
	b.t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/projects", body)
	MustStatus(b.t, res, http.StatusCreated)
	var p projectJSON
	res.MustJSON(b.t, &p)
	return p
}

func mustListProjects(t *testing.T, b *browser, orgID string, q url.Values) []projectJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/projects?"+q.Encode(), nil)
	MustStatus(t, res, http.StatusOK)
	var page projectPageJSON
	res.MustJSON(t, &page)
	return page.Data
}

func mustActivity(t *testing.T, b *browser, orgID string, q url.Values) []activityJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/activity?"+q.Encode(), nil)
	MustStatus(t, res, http.StatusOK)
	var page struct{ Data []activityJSON }
	res.MustJSON(t, &page)
	return page.Data
}

// boardColumn is a task_board_columns row as the owner reads it.
type boardColumn struct {
	Name     string
	Color    string
	Position string
	IsDone   bool
}

func mustColumns(t *testing.T, db *storetest.DB, projectID string) []boardColumn {
	t.Helper()
	var cols []boardColumn
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT name, color, position, is_done FROM task_board_columns
		WHERE project_id = ? ORDER BY position`, projectID).Scan(context.Background(), &cols))
	return cols
}

func mustCount(t *testing.T, db *storetest.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw(query, args...).Scan(context.Background(), &n))
	return n
}

func mustEventTypes(t *testing.T, db *storetest.DB, orgID string) []string {
	t.Helper()
	var types []string
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT type FROM domain_events WHERE organization_id = ? ORDER BY id",
		orgID).Scan(context.Background(), &types))
	return types
}

func mustUsage(t *testing.T, db *storetest.DB, orgID, metric string) int {
	t.Helper()
	return mustCount(t, db, "SELECT coalesce(sum(value), 0) FROM usage_counters WHERE organization_id = ? AND metric = ?",
		orgID, metric)
}

func TestProjects(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("create_builds_default_board_member_event_and_usage", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		client := owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"})

		p := owner.MustCreateProject(org.ID, map[string]any{"name": "  Website  ", "client_id": client.ID,
			"description": "Relaunch", "status": "active", "start_date": "2026-01-05", "due_date": "2026-03-01",
			"budget": map[string]any{"amount": 1500000, "currency": "eur"}, "budget_minutes": 6000, "hourly_rate": 9000})

		assert.Equal(t, "Website", p.Name)
		assert.Equal(t, client.ID, *p.ClientID)
		assert.Equal(t, "2026-01-05", *p.StartDate)
		assert.Equal(t, "2026-03-01", *p.DueDate)
		require.NotNil(t, p.Budget)
		assert.Equal(t, int64(1500000), p.Budget.Amount)
		assert.Equal(t, "EUR", p.Budget.Currency)
		assert.Equal(t, 6000, *p.BudgetMinutes)
		assert.Equal(t, int64(9000), *p.HourlyRate)
		cols := mustColumns(t, db, p.ID)
		require.Len(t, cols, 4)
		for i, name := range []string{"To do", "In progress", "Review", "Done"} {
			assert.Equal(t, name, cols[i].Name)
			assert.Equal(t, name == "Done", cols[i].IsDone)
		}
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM project_task_counters WHERE project_id = ? AND last_number = 0", p.ID))
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM project_members WHERE project_id = ? AND user_id = ?", p.ID, owner.User.ID))
		assert.Contains(t, mustEventTypes(t, db, org.ID), "project.created")
		assert.Equal(t, 1, mustUsage(t, db, org.ID, "projects"))

		res := owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects/"+p.ID, nil)
		MustStatus(t, res, http.StatusOK)
		var got projectJSON
		res.MustJSON(t, &got)
		assert.Equal(t, p, got)
	})

	t.Run("list_filters_and_pages", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		client := owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"})
		owner.MustCreateProject(org.ID, map[string]any{"name": "Alpha", "status": "active", "client_id": client.ID})
		owner.MustCreateProject(org.ID, map[string]any{"name": "Beta"})
		gamma := owner.MustCreateProject(org.ID, map[string]any{"name": "Gamma site", "status": "active"})

		names := func(ps []projectJSON) []string {
			var out []string
			for _, p := range ps {
				out = append(out, p.Name)
			}
			return out
		}
		assert.Equal(t, []string{"Gamma site", "Beta", "Alpha"}, names(mustListProjects(t, owner, org.ID, nil)))
		assert.Equal(t, []string{"Gamma site", "Alpha"}, names(mustListProjects(t, owner, org.ID, url.Values{"status": {"active"}})))
		assert.Equal(t, []string{"Alpha"}, names(mustListProjects(t, owner, org.ID, url.Values{"client_id": {client.ID}})))
		assert.Equal(t, []string{"Gamma site"}, names(mustListProjects(t, owner, org.ID, url.Values{"q": {"SITE"}})))

		res := owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects?limit=2", nil)
		var page projectPageJSON
		res.MustJSON(t, &page)
		require.NotNil(t, page.NextCursor)
		assert.Equal(t, []string{"Alpha"}, names(mustListProjects(t, owner, org.ID, url.Values{"cursor": {*page.NextCursor}})))

		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects/"+gamma.ID+"/archive", nil), http.StatusOK)
		assert.Equal(t, []string{"Beta", "Alpha"}, names(mustListProjects(t, owner, org.ID, nil)))
		assert.Equal(t, []string{"Gamma site"}, names(mustListProjects(t, owner, org.ID, url.Values{"archived": {"true"}})))
		res = owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects/"+gamma.ID+"/unarchive", nil)
		MustStatus(t, res, http.StatusOK)
		var restored projectJSON
		res.MustJSON(t, &restored)
		assert.False(t, restored.Archived)
		assert.Len(t, mustListProjects(t, owner, org.ID, nil), 3)
	})

	t.Run("update_records_changed_fields_and_delete_removes", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		p := owner.MustCreateProject(org.ID, map[string]any{"name": "Old", "start_date": "2026-01-01",
			"budget": map[string]any{"amount": 100, "currency": "USD"}})
		base := "/api/v1/orgs/" + org.ID + "/projects/" + p.ID

		res := owner.Do(http.MethodPatch, base, map[string]any{"name": "New", "status": "on_hold", "start_date": "",
			"budget": map[string]any{}})
		MustStatus(t, res, http.StatusOK)
		var got projectJSON
		res.MustJSON(t, &got)
		assert.Equal(t, "New", got.Name)
		assert.Equal(t, "on_hold", got.Status)
		assert.Nil(t, got.StartDate)
		assert.Nil(t, got.Budget)
		acts := mustActivity(t, owner, org.ID, url.Values{"type": {"project.updated"}})
		require.Len(t, acts, 1)
		assert.ElementsMatch(t, []any{"name", "status", "start_date", "budget"}, acts[0].Payload["changed"])
		require.NotNil(t, acts[0].Actor)
		assert.Equal(t, "Owner", acts[0].Actor.Name)

		MustStatus(t, owner.Do(http.MethodDelete, base, nil), http.StatusNoContent)
		MustProblem(t, owner.Do(http.MethodGet, base, nil), http.StatusNotFound, "not_found")
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM task_board_columns WHERE project_id = ?", p.ID))
		assert.Equal(t, "project.deleted", mustEventTypes(t, db, org.ID)[len(mustEventTypes(t, db, org.ID))-1])
		MustProblem(t, owner.Do(http.MethodDelete, base, nil), http.StatusNotFound, "not_found")
	})

	t.Run("bad_input_writes_nothing", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, other := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Other")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		otherOrg := other.MustCreateOrg(uniqueName("Elsewhere"))
		foreignClient := other.MustCreateClient(otherOrg.ID, map[string]any{"name": "Not yours"})
		existing := owner.MustCreateProject(org.ID, map[string]any{"name": "Existing", "start_date": "2026-02-01"})

		for _, tc := range []struct {
			name     string
			body     map[string]any
			location string
		}{
			{"due_before_start", map[string]any{"name": "X", "start_date": "2026-02-02", "due_date": "2026-02-01"}, "body.due_date"},
			{"malformed_date", map[string]any{"name": "X", "start_date": "02/02/2026"}, "body.start_date"},
			{"foreign_client", map[string]any{"name": "X", "client_id": foreignClient.ID}, "body.client_id"},
			{"missing_client", map[string]any{"name": "X", "client_id": uuid.NewString()}, "body.client_id"},
			{"unknown_status", map[string]any{"name": "X", "status": "done"}, "body.status"},
			{"negative_budget", map[string]any{"name": "X", "budget": map[string]any{"amount": -1, "currency": "EUR"}}, "body.budget.amount"},
			{"currency_without_amount", map[string]any{"name": "X", "budget": map[string]any{"currency": "EUR"}}, "body.budget.amount"},
			{"amount_without_currency", map[string]any{"name": "X", "budget": map[string]any{"amount": 5}}, "body.budget.currency"},
			{"unknown_currency", map[string]any{"name": "X", "budget": map[string]any{"amount": 5, "currency": "XXQ"}}, "body.budget.currency"},
			{"negative_hourly_rate", map[string]any{"name": "X", "hourly_rate": -5}, "body.hourly_rate"},
			{"blank_name", map[string]any{"name": "   "}, "body.name"},
			{"unknown_template", map[string]any{"name": "X", "template_id": uuid.NewString()}, "body.template_id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, org.ID)
				p := MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects", tc.body),
					http.StatusUnprocessableEntity, "validation_failed")
				assert.Contains(t, p.Locations(), tc.location)
				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
			})
		}
		for _, tc := range []struct {
			name     string
			body     map[string]any
			location string
		}{
			{"due_before_existing_start", map[string]any{"due_date": "2026-01-01"}, "body.due_date"},
			{"foreign_client", map[string]any{"client_id": foreignClient.ID}, "body.client_id"},
			{"unknown_status", map[string]any{"status": "finished"}, "body.status"},
			{"negative_budget_minutes", map[string]any{"budget_minutes": -1}, "body.budget_minutes"},
		} {
			t.Run("patch_"+tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, org.ID)
				p := MustProblem(t, owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/projects/"+existing.ID, tc.body),
					http.StatusUnprocessableEntity, "validation_failed")
				assert.Contains(t, p.Locations(), tc.location)
				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
			})
		}
		assert.Equal(t, 1, mustUsage(t, db, org.ID, "projects"))
	})
}
