package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// templateJSON is a template as a client decodes it.
type templateJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Body struct {
		Columns []map[string]any `json:"columns"`
		Tasks   []map[string]any `json:"tasks"`
	} `json:"body"`
}

// templateTask is a tasks row of a project, with its column and subtasks, as the owner reads it in board order.
type templateTask struct {
	Number   int
	Title    string
	Column   string
	Priority string
	DueDate  *time.Time
	Position string
	Subtasks []string `bun:",array"`
}

func mustProjectTasks(t *testing.T, db *storetest.DB, projectID string) []templateTask {
	t.Helper()
	var tasks []templateTask
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT t.number, t.title, c.name AS column, t.priority, t.due_date, t.position,
		coalesce((SELECT array_agg(s.title ORDER BY s.position) FROM subtasks s WHERE s.task_id = t.id), '{}') AS subtasks
		FROM tasks t JOIN task_board_columns c ON c.id = t.column_id
		WHERE t.project_id = ? ORDER BY c.position, t.position`, projectID).Scan(context.Background(), &tasks))
	return tasks
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("save_as_template_then_create_reproduces_board_with_shifted_dates", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/templates", map[string]any{
			"name": "Launch", "body": map[string]any{
				"columns": []map[string]any{{"name": "Backlog"}, {"name": "Doing", "color": "#3B82F6"}, {"name": "Shipped", "is_done": true}},
				"tasks": []map[string]any{
					{"title": "Kick-off", "column": 0, "priority": "high", "due_offset_days": 2, "subtasks": []string{"Agenda", "Invite"}},
					{"title": "Design", "column": 1, "estimate_minutes": 240, "due_offset_days": 10},
					{"title": "Brief", "column": 0},
				},
			}})
		MustStatus(t, res, http.StatusCreated)
		var tpl templateJSON
		res.MustJSON(t, &tpl)
		first := owner.MustCreateProject(org.ID, map[string]any{"name": "Launch A", "start_date": "2026-03-01", "template_id": tpl.ID})

		firstCols, firstTasks := mustColumns(t, db, first.ID), mustProjectTasks(t, db, first.ID)
		require.Len(t, firstCols, 3)
		assert.Equal(t, "#3b82f6", firstCols[1].Color)
		assert.True(t, firstCols[2].IsDone)
		require.Len(t, firstTasks, 3)
		assert.Equal(t, "2026-03-03", firstTasks[0].DueDate.Format(time.DateOnly))
		assert.Equal(t, []string{"Agenda", "Invite"}, firstTasks[0].Subtasks)
		assert.Equal(t, "Brief", firstTasks[1].Title, "template order within a column")
		assert.Less(t, firstTasks[0].Number, firstTasks[1].Number)
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM project_task_counters WHERE project_id = ? AND last_number = 3", first.ID))
		assert.Equal(t, 3, mustUsage(t, db, org.ID, "tasks"))

		res = owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects/"+first.ID+"/save-as-template", map[string]any{"name": "Copy"})
		MustStatus(t, res, http.StatusCreated)
		var saved templateJSON
		res.MustJSON(t, &saved)
		second := owner.MustCreateProject(org.ID, map[string]any{"name": "Launch B", "start_date": "2026-06-10", "template_id": saved.ID})

		secondCols, secondTasks := mustColumns(t, db, second.ID), mustProjectTasks(t, db, second.ID)
		assert.Equal(t, firstCols, secondCols)
		require.Len(t, secondTasks, 3)
		for i := range firstTasks {
			a, b := firstTasks[i], secondTasks[i]
			assert.Equal(t, a.Title, b.Title)
			assert.Equal(t, a.Column, b.Column)
			assert.Equal(t, a.Priority, b.Priority)
			assert.Equal(t, a.Subtasks, b.Subtasks)
			if a.DueDate == nil {
				assert.Nil(t, b.DueDate)
				continue
			}
			require.NotNil(t, b.DueDate)
			assert.Equal(t, a.DueDate.AddDate(0, 3, 9).Format(time.DateOnly), b.DueDate.Format(time.DateOnly), a.Title)
		}
	})

	t.Run("crud_and_strict_validation", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		base := "/api/v1/orgs/" + org.ID + "/templates"
		valid := map[string]any{"columns": []map[string]any{{"name": "Only"}}}

		for _, tc := range []struct {
			name     string
			body     map[string]any
			location string
		}{
			{"no_columns", map[string]any{"columns": []map[string]any{}}, "body.body.columns"},
			{"bad_color", map[string]any{"columns": []map[string]any{{"name": "A", "color": "red"}}}, "body.body.columns[0].color"},
			{"column_out_of_range", map[string]any{"columns": []map[string]any{{"name": "A"}},
				"tasks": []map[string]any{{"title": "T", "column": 1}}}, "body.body.tasks[0].column"},
			{"unknown_priority", map[string]any{"columns": []map[string]any{{"name": "A"}},
				"tasks": []map[string]any{{"title": "T", "column": 0, "priority": "asap"}}}, "body.body.tasks[0].priority"},
			{"blank_subtask", map[string]any{"columns": []map[string]any{{"name": "A"}},
				"tasks": []map[string]any{{"title": "T", "column": 0, "subtasks": []string{" "}}}}, "body.body.tasks[0].subtasks[0]"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, org.ID)
				p := MustProblem(t, owner.Do(http.MethodPost, base, map[string]any{"name": "Bad", "body": tc.body}),
					http.StatusUnprocessableEntity, "validation_failed")
				assert.Contains(t, p.Locations(), tc.location)
				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
			})
		}

		res := owner.Do(http.MethodPost, base, map[string]any{"name": "Simple", "body": valid})
		MustStatus(t, res, http.StatusCreated)
		var tpl templateJSON
		res.MustJSON(t, &tpl)
		res = owner.Do(http.MethodPatch, base+"/"+tpl.ID, map[string]any{"name": "Renamed"})
		MustStatus(t, res, http.StatusOK)
		res = owner.Do(http.MethodGet, base+"/"+tpl.ID, nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &tpl)
		assert.Equal(t, "Renamed", tpl.Name)
		MustProblem(t, owner.Do(http.MethodPatch, base+"/"+tpl.ID, map[string]any{"body": map[string]any{"columns": []any{}}}),
			http.StatusUnprocessableEntity, "validation_failed")
		MustStatus(t, owner.Do(http.MethodDelete, base+"/"+tpl.ID, nil), http.StatusNoContent)
		MustProblem(t, owner.Do(http.MethodGet, base+"/"+tpl.ID, nil), http.StatusNotFound, "not_found")
		assert.Equal(t, []string{"template.created", "template.updated", "template.deleted"}, mustEventTypes(t, db, org.ID))
	})
}
