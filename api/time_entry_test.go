package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// timeEntryJSON is a time entry as a client decodes it.
type timeEntryJSON struct {
	ID          string     `json:"id"`
	ProjectID   string     `json:"project_id"`
	ProjectName string     `json:"project_name"`
	TaskID      *string    `json:"task_id"`
	UserID      string     `json:"user_id"`
	StartedAt   time.Time  `json:"started_at"`
	EndedAt     *time.Time `json:"ended_at"`
	Minutes     *int       `json:"minutes"`
	Note        string     `json:"note"`
	Billable    bool       `json:"billable"`
}

// projectRow is what mustInsertProject writes: a project with an optional budget and rate.
type projectRow struct {
	BudgetAmount  *int64
	BudgetMinutes *int64
	HourlyRate    *int64
}

// mustInsertProject writes a project into orgID as the schema owner (tests of time do not depend on the
// projects API) and returns its ID.
func mustInsertProject(t *testing.T, db *storetest.DB, orgID, name string, p projectRow) string {
	t.Helper()
	id := uuid.NewString()
	var currency *string
	if p.BudgetAmount != nil {
		c := "EUR"
		currency = &c
	}
	_, err := db.Owner.Bun().ExecContext(context.Background(), `INSERT INTO projects
		(id, organization_id, name, budget_amount, budget_currency, budget_minutes, hourly_rate)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, orgID, name, p.BudgetAmount, currency, p.BudgetMinutes, p.HourlyRate)
	require.NoError(t, err)
	return id
}

// mustInsertTask writes a task (and a board column for it) into projectID and returns the task ID.
func mustInsertTask(t *testing.T, db *storetest.DB, orgID, projectID, title string) string {
	t.Helper()
	ctx, colID, taskID := context.Background(), uuid.NewString(), uuid.NewString()
	_, err := db.Owner.Bun().ExecContext(ctx, `INSERT INTO task_board_columns (id, organization_id, project_id, name, position)
		VALUES (?, ?, ?, 'To do', ?)`, colID, orgID, projectID, "a"+colID[:8])
	require.NoError(t, err)
	_, err = db.Owner.Bun().ExecContext(ctx, `INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position)
		VALUES (?, ?, ?, ?, (SELECT count(*) + 1 FROM tasks WHERE project_id = ?), ?, 'a')`,
		taskID, orgID, projectID, colID, projectID, title)
	require.NoError(t, err)
	return taskID
}

// mustLogTime creates a manual entry and returns it.
func mustLogTime(t *testing.T, b *browser, orgID string, body map[string]any) timeEntryJSON {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/time/entries", body)
	MustStatus(t, res, http.StatusCreated)
	var e timeEntryJSON
	res.MustJSON(t, &e)
	return e
}

// mustStartTimer starts b's timer on projectID and returns the new entry and the stopped one.
func mustStartTimer(t *testing.T, b *browser, orgID, projectID string) (timeEntryJSON, *timeEntryJSON) {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/time/timer/start", map[string]any{"project_id": projectID})
	MustStatus(t, res, http.StatusCreated)
	var out struct {
		Entry   timeEntryJSON  `json:"entry"`
		Stopped *timeEntryJSON `json:"stopped"`
	}
	res.MustJSON(t, &out)
	return out.Entry, out.Stopped
}

// mustCountRows counts rows of a query as the schema owner.
func mustCountRows(t *testing.T, db *storetest.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw(query, args...).Scan(context.Background(), &n))
	return n
}

// mustBackdate moves an entry's start back by d, as if the timer had been running that long.
func mustBackdate(t *testing.T, db *storetest.DB, entryID string, d time.Duration) {
	t.Helper()
	_, err := db.Owner.Bun().ExecContext(context.Background(),
		"UPDATE time_entries SET started_at = started_at - ?::interval WHERE id = ?", d.String(), entryID)
	require.NoError(t, err)
}

func int64p(n int64) *int64 { return &n }

func TestTimer(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("second_start_stops_the_running_timer_first", func(t *testing.T) {
		owner := MustStart(t, db).MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Timer"))
		p1 := mustInsertProject(t, db, org.ID, "Website", projectRow{})
		p2 := mustInsertProject(t, db, org.ID, "App", projectRow{})

		first, stopped := mustStartTimer(t, owner, org.ID, p1)
		assert.Nil(t, stopped)
		second, stopped := mustStartTimer(t, owner, org.ID, p2)

		require.NotNil(t, stopped)
		assert.Equal(t, first.ID, stopped.ID)
		require.NotNil(t, stopped.Minutes)
		assert.Equal(t, 1, *stopped.Minutes, "a timer stopped within seconds records one minute")
		var state struct{ Entry *timeEntryJSON }
		owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/time/timer", nil).MustJSON(t, &state)
		require.NotNil(t, state.Entry)
		assert.Equal(t, second.ID, state.Entry.ID)
		assert.Equal(t, "App", state.Entry.ProjectName)
		assert.Equal(t, 1, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE organization_id = ? AND ended_at IS NULL", org.ID))
	})

	t.Run("concurrent_starts_leave_exactly_one_running", func(t *testing.T) {
		owner := MustStart(t, db).MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Race"))
		p := mustInsertProject(t, db, org.ID, "Race", projectRow{})
		var wg sync.WaitGroup
		statuses := make([]int, 8)
		for i := range statuses {
			wg.Go(func() {
				statuses[i] = owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/time/timer/start",
					map[string]any{"project_id": p}).Status
			})
		}
		wg.Wait()

		for _, s := range statuses {
			assert.Equal(t, http.StatusCreated, s)
		}
		assert.Equal(t, 1, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE organization_id = ? AND ended_at IS NULL", org.ID))
		assert.Equal(t, 8, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE organization_id = ?", org.ID))
	})

	t.Run("stop_computes_minutes_and_a_second_stop_conflicts", func(t *testing.T) {
		owner := MustStart(t, db).MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Stop"))
		p := mustInsertProject(t, db, org.ID, "Stop", projectRow{})
		started, _ := mustStartTimer(t, owner, org.ID, p)
		assert.Nil(t, started.Minutes)
		assert.Nil(t, started.EndedAt)
		mustBackdate(t, db, started.ID, 90*time.Minute)

		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/time/timer/stop", nil)

		MustStatus(t, res, http.StatusOK)
		var e timeEntryJSON
		res.MustJSON(t, &e)
		assert.Equal(t, started.ID, e.ID)
		require.NotNil(t, e.Minutes)
		assert.Equal(t, 90, *e.Minutes)
		require.NotNil(t, e.EndedAt)
		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/time/timer/stop", nil), http.StatusConflict, "conflict")
		var state struct{ Entry *timeEntryJSON }
		owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/time/timer", nil).MustJSON(t, &state)
		assert.Nil(t, state.Entry)
		assert.Equal(t, 2, mustCountRows(t, db, "SELECT count(*) FROM domain_events WHERE organization_id = ? AND entity_id = ?", org.ID, e.ID),
			"created and updated events")
	})

	t.Run("timers_are_per_user", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, member := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Member")
		org := owner.MustCreateOrg(uniqueName("Per user"))
		mustJoin(t, db, org.ID, member, "member")
		p := mustInsertProject(t, db, org.ID, "Shared", projectRow{})
		mustAddToProject(t, db, org.ID, p, member)
		mustStartTimer(t, owner, org.ID, p)

		_, stopped := mustStartTimer(t, member, org.ID, p)

		assert.Nil(t, stopped, "another user's timer keeps running")
		assert.Equal(t, 2, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE organization_id = ? AND ended_at IS NULL", org.ID))
	})
}

func TestManualTimeEntryValidation(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner, other := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Other tenant")
	org, otherOrg := owner.MustCreateOrg(uniqueName("Manual")), other.MustCreateOrg(uniqueName("Elsewhere"))
	p := mustInsertProject(t, db, org.ID, "Main", projectRow{})
	p2 := mustInsertProject(t, db, org.ID, "Second", projectRow{})
	taskOfP2 := mustInsertTask(t, db, org.ID, p2, "Elsewhere task")
	foreignProject := mustInsertProject(t, db, otherOrg.ID, "Victim project", projectRow{})
	today := time.Now().UTC().Format(time.DateOnly)
	inTwoDays := time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly)

	for _, tc := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"zero_minutes", map[string]any{"project_id": p, "date": today, "minutes": 0}, 422, "body.minutes"},
		{"2000_minutes", map[string]any{"project_id": p, "date": today, "minutes": 2000}, 422, "body.minutes"},
		{"task_of_another_project", map[string]any{"project_id": p, "task_id": taskOfP2, "date": today, "minutes": 30}, 422, "body.task_id"},
		{"date_after_tomorrow", map[string]any{"project_id": p, "date": inTwoDays, "minutes": 30}, 422, "body.date"},
		{"start_after_tomorrow", map[string]any{"project_id": p, "started_at": time.Now().UTC().AddDate(0, 0, 3), "minutes": 30}, 422, "body.started_at"},
		{"no_day", map[string]any{"project_id": p, "minutes": 30}, 422, "body.date"},
		{"another_tenants_project", map[string]any{"project_id": foreignProject, "date": today, "minutes": 30}, 404, ""},
		{"missing_project", map[string]any{"project_id": uuid.NewString(), "date": today, "minutes": 30}, 404, ""},
	} {
		t.Run(tc.name+"_writes_nothing", func(t *testing.T) {
			res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/time/entries", tc.body)

			if tc.status == 404 {
				MustProblem(t, res, http.StatusNotFound, "not_found")
			} else {
				pr := MustProblem(t, res, tc.status, "validation_failed")
				assert.Contains(t, pr.Locations(), tc.field)
			}
			assert.Zero(t, mustCountRows(t, db, "SELECT count(*) FROM time_entries"))
			assert.Zero(t, mustCountRows(t, db, "SELECT count(*) FROM domain_events WHERE type LIKE 'time_entry.%'"))
		})
	}

	t.Run("tomorrow_is_accepted_with_its_event", func(t *testing.T) {
		tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
		task := mustInsertTask(t, db, org.ID, p, "Design")

		e := mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "task_id": task, "date": tomorrow,
			"minutes": 1440, "note": "Late shift", "billable": false})

		require.NotNil(t, e.Minutes)
		assert.Equal(t, 1440, *e.Minutes)
		assert.Equal(t, tomorrow, e.StartedAt.Format(time.DateOnly))
		assert.False(t, e.Billable)
		assert.Equal(t, task, *e.TaskID)
		assert.Equal(t, 1, mustCountRows(t, db, "SELECT count(*) FROM domain_events WHERE type = 'time_entry.created' AND entity_id = ?", e.ID))
	})
}

func TestTimeEntryEditsByRole(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner := srv.MustSignUp(t, "Owner")
	org := owner.MustCreateOrg(uniqueName("Roles"))
	p := mustInsertProject(t, db, org.ID, "Shared", projectRow{})
	today := time.Now().UTC().Format(time.DateOnly)
	join := func(t *testing.T, name, role string) *browser {
		b := MustStart(t, db).MustSignUp(t, name)
		mustJoin(t, db, org.ID, b, role)
		mustAddToProject(t, db, org.ID, p, b)
		return b
	}

	t.Run("member_edits_and_deletes_own_but_not_others", func(t *testing.T) {
		author, peer := join(t, "Author", "member"), join(t, "Peer", "member")
		e := mustLogTime(t, author, org.ID, map[string]any{"project_id": p, "date": today, "minutes": 30})
		path := "/api/v1/orgs/" + org.ID + "/time/entries/" + e.ID

		MustProblem(t, peer.Do(http.MethodPatch, path, map[string]any{"minutes": 5}), http.StatusNotFound, "not_found")
		MustProblem(t, peer.Do(http.MethodDelete, path, nil), http.StatusNotFound, "not_found")
		var list struct{ Data []timeEntryJSON }
		peer.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/time/entries", nil).MustJSON(t, &list)
		assert.Empty(t, list.Data, "members see only their own entries")

		res := author.Do(http.MethodPatch, path, map[string]any{"minutes": 45, "note": "Fixed"})
		MustStatus(t, res, http.StatusOK)
		var got timeEntryJSON
		res.MustJSON(t, &got)
		assert.Equal(t, 45, *got.Minutes)
		assert.Equal(t, got.StartedAt.Add(45*time.Minute), *got.EndedAt)
		MustStatus(t, author.Do(http.MethodDelete, path, nil), http.StatusNoContent)
		assert.Zero(t, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE id = ?", e.ID))
		assert.Equal(t, 1, mustCountRows(t, db, "SELECT count(*) FROM domain_events WHERE type = 'time_entry.deleted' AND entity_id = ?", e.ID))
	})

	t.Run("manager_edits_and_deletes_everyones", func(t *testing.T) {
		author, manager := join(t, "Author", "member"), join(t, "Manager", "manager")
		e := mustLogTime(t, author, org.ID, map[string]any{"project_id": p, "date": today, "minutes": 30})
		path := "/api/v1/orgs/" + org.ID + "/time/entries/" + e.ID

		MustStatus(t, manager.Do(http.MethodPatch, path, map[string]any{"billable": false}), http.StatusOK)
		assert.Equal(t, 0, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE id = ? AND billable", e.ID))
		MustStatus(t, manager.Do(http.MethodDelete, path, nil), http.StatusNoContent)
		assert.Zero(t, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE id = ?", e.ID))
	})

	t.Run("invalid_edit_changes_nothing", func(t *testing.T) {
		author := join(t, "Author", "member")
		e := mustLogTime(t, author, org.ID, map[string]any{"project_id": p, "date": today, "minutes": 30})
		path := "/api/v1/orgs/" + org.ID + "/time/entries/" + e.ID
		other := mustInsertProject(t, db, org.ID, "Not theirs", projectRow{})
		task := mustInsertTask(t, db, org.ID, other, "Not theirs")

		MustProblem(t, author.Do(http.MethodPatch, path, map[string]any{"minutes": 0}), 422, "validation_failed")
		MustProblem(t, author.Do(http.MethodPatch, path, map[string]any{"task_id": task}), 422, "validation_failed")
		MustProblem(t, author.Do(http.MethodPatch, path, map[string]any{"project_id": other}), 404, "not_found")

		assert.Equal(t, 1, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE id = ? AND minutes = 30 AND task_id IS NULL AND project_id = ?", e.ID, p))
	})

	t.Run("billed_entry_is_frozen", func(t *testing.T) {
		e := mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "date": today, "minutes": 30})
		_, err := db.Owner.Bun().ExecContext(context.Background(), "UPDATE time_entries SET billed_at = now() WHERE id = ?", e.ID)
		require.NoError(t, err)
		path := "/api/v1/orgs/" + org.ID + "/time/entries/" + e.ID

		MustProblem(t, owner.Do(http.MethodPatch, path, map[string]any{"minutes": 5}), http.StatusConflict, "conflict")
		MustProblem(t, owner.Do(http.MethodDelete, path, nil), http.StatusConflict, "conflict")
	})

	t.Run("client_role_cannot_log_time", func(t *testing.T) {
		client := join(t, "Client", "client")
		MustProblem(t, client.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/time/timer/start", map[string]any{"project_id": p}),
			http.StatusForbidden, "forbidden")
		MustProblem(t, client.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/time/entries", nil), http.StatusForbidden, "forbidden")
	})
}

func TestTimeVisibility(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner, outsider := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Outsider")
	org := owner.MustCreateOrg(uniqueName("Visibility"))
	mustJoin(t, db, org.ID, outsider, "member")
	p := mustInsertProject(t, db, org.ID, "Secret project", projectRow{BudgetMinutes: int64p(60)})
	e := mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "date": time.Now().UTC().Format(time.DateOnly), "minutes": 30})
	base := "/api/v1/orgs/" + org.ID

	day := time.Now().UTC().Format(time.DateOnly)
	for _, tc := range []struct {
		name, method, path string
		body               any
	}{
		{"start_timer", http.MethodPost, base + "/time/timer/start", map[string]any{"project_id": p}},
		{"log_time", http.MethodPost, base + "/time/entries", map[string]any{"project_id": p, "minutes": 30, "date": day}},
		{"budget", http.MethodGet, base + "/projects/" + p + "/budget", nil},
		{"summary_of_project", http.MethodGet, base + "/time/summary?group_by=user&project_id=" + p, nil},
		{"edit_entry", http.MethodPatch, base + "/time/entries/" + e.ID, map[string]any{"note": "mine now"}},
		{"delete_entry", http.MethodDelete, base + "/time/entries/" + e.ID, nil},
	} {
		t.Run("member_not_on_project_gets_404_for_"+tc.name, func(t *testing.T) {
			res := outsider.Do(tc.method, tc.path, tc.body)
			MustProblem(t, res, http.StatusNotFound, "not_found")
			assert.NotContains(t, string(res.Body), "Secret")
		})
	}
	assert.Equal(t, 1, mustCountRows(t, db, "SELECT count(*) FROM time_entries WHERE organization_id = ?", org.ID))

	t.Run("member_added_to_project_can_log_time", func(t *testing.T) {
		mustAddToProject(t, db, org.ID, p, outsider)
		_, stopped := mustStartTimer(t, outsider, org.ID, p)
		assert.Nil(t, stopped)
	})
}

func TestTimeSummary(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner, member := srv.MustSignUp(t, "Olivia Owner"), srv.MustSignUp(t, "Max Member")
	org := owner.MustCreateOrg(uniqueName("Totals"))
	mustJoin(t, db, org.ID, member, "member")
	web := mustInsertProject(t, db, org.ID, "Website", projectRow{})
	app := mustInsertProject(t, db, org.ID, "App", projectRow{})
	mustAddToProject(t, db, org.ID, web, member)
	task := mustInsertTask(t, db, org.ID, web, "Homepage")
	// Monday 2026-11-16 and Wednesday 2026-11-18 are in one week; Monday 2026-11-23 starts the next.
	log := func(b *browser, project, day string, minutes int, billable bool, taskID string) {
		body := map[string]any{"project_id": project, "date": day, "minutes": minutes, "billable": billable}
		if taskID != "" {
			body["task_id"] = taskID
		}
		mustLogTime(t, b, org.ID, body)
	}
	log(owner, web, "2026-11-16", 60, true, task)
	log(owner, web, "2026-11-18", 30, false, "")
	log(owner, app, "2026-11-23", 45, true, "")
	log(member, web, "2026-11-23", 15, true, task)
	running, _ := mustStartTimer(t, owner, org.ID, app)
	mustBackdate(t, db, running.ID, time.Hour)
	type total struct {
		Key, Label      string
		Minutes         int64
		BillableMinutes int64 `json:"billable_minutes"`
	}
	summary := func(t *testing.T, b *browser, query string) ([]total, int64) {
		t.Helper()
		res := b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/time/summary?"+query, nil)
		MustStatus(t, res, http.StatusOK)
		var out struct {
			Data         []total
			TotalMinutes int64 `json:"total_minutes"`
		}
		res.MustJSON(t, &out)
		return out.Data, out.TotalMinutes
	}

	t.Run("per_project", func(t *testing.T) {
		got, sum := summary(t, owner, "group_by=project")
		assert.ElementsMatch(t, []total{{web, "Website", 105, 75}, {app, "App", 45, 45}}, got)
		assert.Equal(t, int64(150), sum, "the running timer does not count yet")
	})
	t.Run("per_task", func(t *testing.T) {
		got, _ := summary(t, owner, "group_by=task")
		assert.ElementsMatch(t, []total{{"", "", 75, 45}, {task, "Homepage", 75, 75}}, got)
	})
	t.Run("per_user", func(t *testing.T) {
		got, _ := summary(t, owner, "group_by=user")
		assert.ElementsMatch(t, []total{{owner.User.ID, "Olivia Owner", 135, 105}, {member.User.ID, "Max Member", 15, 15}}, got)
	})
	t.Run("per_day_in_range", func(t *testing.T) {
		got, _ := summary(t, owner, "group_by=day&from=2026-11-17&to=2026-11-23")
		assert.Equal(t, []total{{"2026-11-18", "2026-11-18", 30, 0}, {"2026-11-23", "2026-11-23", 60, 60}}, got)
	})
	t.Run("per_week_starting_monday", func(t *testing.T) {
		got, _ := summary(t, owner, "group_by=week&project_id="+web)
		assert.Equal(t, []total{{"2026-11-16", "2026-11-16", 90, 60}, {"2026-11-23", "2026-11-23", 15, 15}}, got)
	})
	t.Run("member_sees_only_own_time", func(t *testing.T) {
		got, sum := summary(t, member, "group_by=project")
		assert.Equal(t, []total{{web, "Website", 15, 15}}, got)
		assert.Equal(t, int64(15), sum)
	})
	t.Run("unknown_grouping_is_invalid", func(t *testing.T) {
		MustProblem(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/time/summary?group_by=month", nil), 422, "validation_failed")
	})
}

func TestProjectBudgetBurn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner := srv.MustSignUp(t, "Owner")
	org := owner.MustCreateOrg(uniqueName("Budget"))
	day := time.Now().UTC().Format(time.DateOnly)
	type burn struct {
		BudgetAmount       *int64   `json:"budget_amount"`
		BudgetCurrency     *string  `json:"budget_currency"`
		LoggedMinutes      int64    `json:"logged_minutes"`
		BillableMinutes    int64    `json:"billable_minutes"`
		BillableAmount     *int64   `json:"billable_amount"`
		PercentMinutesUsed *float64 `json:"percent_minutes_used"`
		PercentAmountUsed  *float64 `json:"percent_amount_used"`
	}
	get := func(t *testing.T, projectID string) burn {
		t.Helper()
		res := owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects/"+projectID+"/budget", nil)
		MustStatus(t, res, http.StatusOK)
		var b burn
		res.MustJSON(t, &b)
		return b
	}

	t.Run("amount_rounds_half_up_to_a_minor_unit", func(t *testing.T) {
		// 123.90 an hour: 61 billable minutes are 12596.5 cents, billed as 12597 (floor would say 12596).
		p := mustInsertProject(t, db, org.ID, "Rated", projectRow{BudgetAmount: int64p(50000), BudgetMinutes: int64p(200), HourlyRate: int64p(12390)})
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "date": day, "minutes": 60})
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "date": day, "minutes": 1})
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "date": day, "minutes": 30, "billable": false})

		b := get(t, p)

		assert.Equal(t, int64(91), b.LoggedMinutes)
		assert.Equal(t, int64(61), b.BillableMinutes)
		require.NotNil(t, b.BillableAmount)
		assert.Equal(t, int64(12597), *b.BillableAmount)
		assert.Equal(t, "EUR", *b.BudgetCurrency)
		require.NotNil(t, b.PercentMinutesUsed)
		assert.InDelta(t, 45.5, *b.PercentMinutesUsed, 1e-9)
		require.NotNil(t, b.PercentAmountUsed)
		assert.InDelta(t, 25.2, *b.PercentAmountUsed, 1e-9)
	})

	t.Run("no_budget_and_no_time", func(t *testing.T) {
		p := mustInsertProject(t, db, org.ID, "Bare", projectRow{})
		b := get(t, p)
		assert.Equal(t, burn{}, b)
	})

	t.Run("missing_project_is_404", func(t *testing.T) {
		MustProblem(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects/"+uuid.NewString()+"/budget", nil),
			http.StatusNotFound, "not_found")
	})
}

func TestTimeEntryListAndBadInput(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner := srv.MustSignUp(t, "Owner")
	org := owner.MustCreateOrg(uniqueName("Lists"))
	p := mustInsertProject(t, db, org.ID, "Paged", projectRow{})
	other := mustInsertProject(t, db, org.ID, "Other", projectRow{})
	for _, day := range []string{"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"} {
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "date": day, "minutes": 10, "billable": day != "2026-11-04"})
	}
	mustLogTime(t, owner, org.ID, map[string]any{"project_id": other, "date": "2026-11-03", "minutes": 10})
	entries := "/api/v1/orgs/" + org.ID + "/time/entries"
	list := func(t *testing.T, query string) ([]timeEntryJSON, *string) {
		t.Helper()
		res := owner.Do(http.MethodGet, entries+"?"+query, nil)
		MustStatus(t, res, http.StatusOK)
		var page struct {
			Data       []timeEntryJSON
			NextCursor *string `json:"next_cursor"`
		}
		res.MustJSON(t, &page)
		return page.Data, page.NextCursor
	}
	days := func(es []timeEntryJSON) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.StartedAt.Format(time.DateOnly))
		}
		return out
	}

	t.Run("pages_latest_first_without_gaps", func(t *testing.T) {
		first, cursor := list(t, "project_id="+p+"&limit=2")
		require.NotNil(t, cursor)
		second, cursor := list(t, "project_id="+p+"&limit=2&cursor="+*cursor)
		require.NotNil(t, cursor)
		third, cursor := list(t, "project_id="+p+"&limit=2&cursor="+*cursor)
		assert.Nil(t, cursor)
		assert.Equal(t, []string{"2026-11-06", "2026-11-05", "2026-11-04", "2026-11-03", "2026-11-02"},
			days(append(append(first, second...), third...)))
	})
	t.Run("filters_by_range_and_billable", func(t *testing.T) {
		got, _ := list(t, "project_id="+p+"&from=2026-11-03&to=2026-11-05&billable=false")
		assert.Equal(t, []string{"2026-11-04"}, days(got))
		got, _ = list(t, "from=2026-11-03&to=2026-11-03")
		assert.Len(t, got, 2, "both projects on that day")
	})

	running, _ := mustStartTimer(t, owner, org.ID, p)
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		location           string
	}{
		{"bad_cursor", http.MethodGet, entries + "?cursor=not-a-cursor", nil, 422, "query.cursor"},
		{"bad_from_date", http.MethodGet, entries + "?from=27-11-2026", nil, 422, "query.from"},
		{"project_filter_not_a_uuid", http.MethodGet, entries + "?project_id=nope", nil, 422, "query.project_id"},
		{"unknown_field_on_start", http.MethodPost, "/api/v1/orgs/" + org.ID + "/time/timer/start",
			map[string]any{"project_id": p, "user_id": uuid.NewString()}, 422, "body.user_id"},
		{"minutes_on_a_running_timer", http.MethodPatch, entries + "/" + running.ID, map[string]any{"minutes": 30}, 422, "body.minutes"},
		{"task_id_not_a_uuid", http.MethodPatch, entries + "/" + running.ID, map[string]any{"task_id": "nope"}, 422, "body.task_id"},
		{"note_too_long", http.MethodPost, entries,
			map[string]any{"project_id": p, "date": "2026-11-02", "minutes": 5, "note": strings.Repeat("n", 2001)}, 422, "body.note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := mustCountRows(t, db, "SELECT count(*) FROM domain_events WHERE organization_id = ?", org.ID)
			p := MustProblem(t, owner.Do(tc.method, tc.path, tc.body), tc.status, "validation_failed")
			assert.Contains(t, p.Locations(), tc.location)
			assert.Equal(t, before, mustCountRows(t, db, "SELECT count(*) FROM domain_events WHERE organization_id = ?", org.ID))
		})
	}
}
