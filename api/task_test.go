package api_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

func TestTasks(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("create_numbers_tasks_and_appends_them_to_the_column", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		todo := f.column(t, "To do")

		a := f.mustCreateTask(t, map[string]any{"title": "Brief", "priority": "high", "due_date": "2026-12-01",
			"assignee_ids": []string{f.owner.User.ID}})
		b := f.mustCreateTask(t, map[string]any{"title": "Wireframes", "column_id": todo.ID})

		assert.Equal(t, []int{1, 2}, []int{a.Number, b.Number})
		assert.Equal(t, todo.ID, a.ColumnID, "the first column is the default")
		assert.Less(t, a.Position, b.Position)
		assert.Equal(t, "2026-12-01", *a.DueDate)
		assert.Equal(t, []string{f.owner.User.ID}, a.AssigneeIDs)
		var events, usage int
		require.NoError(t, db.Owner.Bun().NewRaw(`SELECT count(*) FROM domain_events
			WHERE organization_id = ? AND type = 'task.created'`, f.orgID).Scan(context.Background(), &events))
		require.NoError(t, db.Owner.Bun().NewRaw(`SELECT coalesce(sum(value), 0) FROM usage_counters
			WHERE organization_id = ? AND metric = 'tasks'`, f.orgID).Scan(context.Background(), &usage))
		assert.Equal(t, 2, events)
		assert.Equal(t, 2, usage)
	})

	t.Run("eight_clients_creating_at_once_all_succeed_with_distinct_numbers_and_positions", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		statuses := make([]int, 8)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() {
				statuses[i] = f.owner.Do(http.MethodPost, f.path("/tasks"), map[string]any{"title": "Parallel"}).Status
			})
		}
		wg.Wait()

		assert.Equal(t, []int{201, 201, 201, 201, 201, 201, 201, 201}, statuses)
		board := f.mustBoard(t, f.owner)
		numbers, positions := map[int]bool{}, map[string]bool{}
		for _, c := range board.Columns[0].Tasks {
			numbers[c.Number], positions[c.Position] = true, true
		}
		assert.Len(t, numbers, 8, "numbers must be distinct")
		assert.Len(t, positions, 8, "positions must be distinct")
		for n := 1; n <= 8; n++ {
			assert.True(t, numbers[n], "number %d handed out", n)
		}
	})

	t.Run("two_concurrent_moves_to_the_same_place_leave_a_strict_order", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		first := f.mustCreateTask(t, map[string]any{"title": "First"})
		x := f.mustCreateTask(t, map[string]any{"title": "X"})
		y := f.mustCreateTask(t, map[string]any{"title": "Y"})
		last := f.mustCreateTask(t, map[string]any{"title": "Last"})
		_ = last

		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i, id := range []string{x.ID, y.ID} {
			wg.Go(func() {
				statuses[i] = f.owner.Do(http.MethodPost, f.path("/tasks/"+id+"/move"),
					map[string]any{"after_id": first.ID}).Status
			})
		}
		wg.Wait()

		assert.Equal(t, []int{200, 200}, statuses)
		cards := f.mustBoard(t, f.owner).Columns[0].Tasks
		require.Len(t, cards, 4)
		assert.Equal(t, "First", cards[0].Title)
		assert.Equal(t, "Last", cards[3].Title)
		assert.ElementsMatch(t, []string{"X", "Y"}, []string{cards[1].Title, cards[2].Title})
		assert.True(t, sort.SliceIsSorted(cards, func(i, j int) bool { return cards[i].Position < cards[j].Position }))
		assert.Less(t, cards[1].Position, cards[2].Position, "positions strictly increase")
	})

	t.Run("move_into_a_done_column_completes_the_task_and_the_audit_log_says_so", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		task := f.mustCreateTask(t, map[string]any{"title": "Ship it"})
		done := f.column(t, "Done")
		require.True(t, done.IsDone)

		res := f.owner.Do(http.MethodPost, f.path("/tasks/"+task.ID+"/move"), map[string]any{"column_id": done.ID})

		MustStatus(t, res, http.StatusOK)
		d := f.mustTask(t, task.ID)
		assert.Equal(t, done.ID, d.ColumnID)
		assert.NotNil(t, d.CompletedAt)
		var actions []string
		for _, e := range d.AuditLog {
			actions = append(actions, e.Action)
		}
		assert.Equal(t, []string{"task.created", "task.moved", "task.completed"}, actions)
		moved := d.AuditLog[1]
		assert.Equal(t, "To do", moved.OldValues["column"])
		assert.Equal(t, "Done", moved.NewValues["column"])
		assert.Equal(t, "Dana Owner", moved.ActorName)
		var completed int
		require.NoError(t, db.Owner.Bun().NewRaw(`SELECT count(*) FROM domain_events
			WHERE organization_id = ? AND type = 'task.completed' AND entity_id = ?`, f.orgID, task.ID).
			Scan(context.Background(), &completed))
		assert.Equal(t, 1, completed)

		res = f.owner.Do(http.MethodPost, f.path("/tasks/"+task.ID+"/move"), map[string]any{"column_id": f.column(t, "Review").ID})
		MustStatus(t, res, http.StatusOK)
		assert.Nil(t, f.mustTask(t, task.ID).CompletedAt, "leaving the done column reopens the task")
	})

	t.Run("update_records_every_changed_field_with_old_and_new_values", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		task := f.mustCreateTask(t, map[string]any{"title": "Old title", "priority": "low"})

		res := f.owner.Do(http.MethodPatch, f.path("/tasks/"+task.ID), map[string]any{
			"title": "New title", "priority": "urgent", "due_date": "2027-01-15", "estimate_minutes": 90,
			"assignee_ids": []string{f.owner.User.ID}, "column_id": f.column(t, "In progress").ID})

		MustStatus(t, res, http.StatusOK)
		d := f.mustTask(t, task.ID)
		require.Len(t, d.AuditLog, 2)
		e := d.AuditLog[1]
		assert.Equal(t, "task.updated", e.Action)
		assert.Equal(t, map[string]any{"title": "Old title", "priority": "low", "due_date": nil, "estimate_minutes": nil,
			"assignee_ids": []any{}, "column": "To do", "column_id": f.column(t, "To do").ID}, e.OldValues)
		assert.Equal(t, map[string]any{"title": "New title", "priority": "urgent", "due_date": "2027-01-15",
			"estimate_minutes": float64(90), "assignee_ids": []any{f.owner.User.ID}, "column": "In progress",
			"column_id": f.column(t, "In progress").ID}, e.NewValues)
		require.NotNil(t, e.ActorID)
		assert.Equal(t, f.owner.User.ID, *e.ActorID)

		res = f.owner.Do(http.MethodPatch, f.path("/tasks/"+task.ID), map[string]any{"due_date": "", "clear_estimate": true})
		MustStatus(t, res, http.StatusOK)
		d = f.mustTask(t, task.ID)
		assert.Nil(t, d.DueDate)
		assert.Equal(t, map[string]any{"due_date": nil, "estimate_minutes": nil}, d.AuditLog[2].NewValues)
	})

	t.Run("description_html_is_stored_sanitised", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		doc := map[string]any{"type": "doc", "content": []any{}}

		task := f.mustCreateTask(t, map[string]any{"title": "XSS", "description": map[string]any{"json": doc,
			"html": `<p onclick="steal()">Hi <b>there</b><script>alert(1)</script><a href="javascript:alert(2)">x</a><style>p{}</style></p>`}})

		html := f.mustTask(t, task.ID).Description.HTML
		assert.Contains(t, html, "<b>there</b>")
		for _, bad := range []string{"<script", "alert(1)", "onclick", "javascript:", "<style"} {
			assert.NotContains(t, html, bad)
		}
		assert.Equal(t, "doc", f.mustTask(t, task.ID).Description.JSON["type"])
	})

	t.Run("subtasks_are_added_ticked_reordered_and_deleted_with_audit_entries", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		task := f.mustCreateTask(t, map[string]any{"title": "Checklist"})
		base := f.path("/tasks/" + task.ID + "/subtasks")
		var a, b struct{ ID string }
		res := f.owner.Do(http.MethodPost, base, map[string]any{"title": "Draft"})
		MustStatus(t, res, http.StatusCreated)
		res.MustJSON(t, &a)
		res = f.owner.Do(http.MethodPost, base, map[string]any{"title": "Review"})
		MustStatus(t, res, http.StatusCreated)
		res.MustJSON(t, &b)

		MustStatus(t, f.owner.Do(http.MethodPatch, base+"/"+a.ID, map[string]any{"done": true}), http.StatusOK)
		MustStatus(t, f.owner.Do(http.MethodPatch, base+"/"+b.ID, map[string]any{"move": map[string]any{"before_id": a.ID}}), http.StatusOK)

		d := f.mustTask(t, task.ID)
		require.Len(t, d.Subtasks, 2)
		assert.Equal(t, []string{"Review", "Draft"}, []string{d.Subtasks[0].Title, d.Subtasks[1].Title})
		assert.True(t, d.Subtasks[1].Done)
		card := f.mustBoard(t, f.owner).Columns[0].Tasks[0]
		assert.Equal(t, [2]int{1, 2}, [2]int{card.SubtasksDone, card.SubtasksTotal})

		MustStatus(t, f.owner.Do(http.MethodDelete, base+"/"+b.ID, nil), http.StatusNoContent)
		d = f.mustTask(t, task.ID)
		assert.Len(t, d.Subtasks, 1)
		var actions []string
		for _, e := range d.AuditLog {
			actions = append(actions, e.Action)
		}
		assert.Equal(t, []string{"task.created", "subtask.created", "subtask.created", "subtask.updated",
			"subtask.updated", "subtask.deleted"}, actions)
		assert.Equal(t, map[string]any{"subtask": "Draft", "done": true}, d.AuditLog[3].NewValues)
		MustProblem(t, f.owner.Do(http.MethodPatch, base+"/"+b.ID, map[string]any{"done": true}), http.StatusNotFound, "not_found")
	})

	t.Run("delete_removes_the_task", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		task := f.mustCreateTask(t, map[string]any{"title": "Gone"})

		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/tasks/"+task.ID), nil), http.StatusNoContent)

		MustProblem(t, f.owner.Do(http.MethodGet, f.path("/tasks/"+task.ID), nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodDelete, f.path("/tasks/"+task.ID), nil), http.StatusNotFound, "not_found")
	})
}

func TestTaskBadInput(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	f := mustWorkFixture(t, srv)
	other := mustCreateProject(t, f.owner, f.orgID, "Other project")
	var otherCols struct{ Data []columnJSON }
	f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/projects/"+other+"/columns", nil).MustJSON(t, &otherCols)
	outsider := srv.MustSignUp(t, "Only on the other project")
	mustJoin(t, db, f.orgID, outsider, "member")
	mustAddToProject(t, db, f.orgID, other, outsider)
	stranger := srv.MustSignUp(t, "Another tenant")
	stranger.MustCreateOrg(uniqueName("Stranger Org"))
	task := f.mustCreateTask(t, map[string]any{"title": "Existing"})

	for _, tc := range []struct {
		name, method, path string
		body               map[string]any
		field              string
	}{
		{"unknown_column", http.MethodPost, "/tasks", map[string]any{"title": "x", "column_id": "00000000-0000-7000-8000-000000000001"}, "body.column_id"},
		{"column_of_another_project", http.MethodPost, "/tasks", map[string]any{"title": "x", "column_id": otherCols.Data[0].ID}, "body.column_id"},
		{"assignee_on_another_project_only", http.MethodPost, "/tasks", map[string]any{"title": "x", "assignee_ids": []string{outsider.User.ID}}, "body.assignee_ids"},
		{"assignee_from_another_tenant", http.MethodPost, "/tasks", map[string]any{"title": "x", "assignee_ids": []string{stranger.User.ID}}, "body.assignee_ids"},
		{"invalid_due_date", http.MethodPost, "/tasks", map[string]any{"title": "x", "due_date": "2026-02-30"}, "body.due_date"},
		{"blank_title", http.MethodPost, "/tasks", map[string]any{"title": "   "}, "body.title"},
		{"description_json_not_an_object", http.MethodPost, "/tasks", map[string]any{"title": "x", "description": map[string]any{"json": []int{1}, "html": ""}}, "body.description.json"},
		{"update_to_column_of_another_project", http.MethodPatch, "/tasks/" + task.ID, map[string]any{"column_id": otherCols.Data[0].ID}, "body.column_id"},
		{"update_assignee_from_another_tenant", http.MethodPatch, "/tasks/" + task.ID, map[string]any{"assignee_ids": []string{stranger.User.ID}}, "body.assignee_ids"},
		{"update_invalid_due_date", http.MethodPatch, "/tasks/" + task.ID, map[string]any{"due_date": "tomorrow"}, "body.due_date"},
		{"move_to_column_of_another_project", http.MethodPost, "/tasks/" + task.ID + "/move", map[string]any{"column_id": otherCols.Data[0].ID}, "body.column_id"},
		{"move_after_a_task_of_another_column", http.MethodPost, "/tasks/" + task.ID + "/move", map[string]any{"column_id": f.column(t, "Done").ID, "after_id": task.ID}, "body.after_id"},
		{"column_bad_colour", http.MethodPost, "/columns", map[string]any{"name": "QA", "color": "red"}, "body.color"},
		{"delete_column_with_tasks_without_target", http.MethodDelete, "/columns/" + f.column(t, "To do").ID, nil, "body.move_tasks_to"},
		{"delete_column_moving_tasks_to_another_project", http.MethodDelete, "/columns/" + f.column(t, "To do").ID, map[string]any{"move_tasks_to": otherCols.Data[1].ID}, "body.move_tasks_to"},
		{"subtask_blank_title", http.MethodPost, "/tasks/" + task.ID + "/subtasks", map[string]any{"title": " "}, "body.title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := mustSnapshotWork(t, db, f.orgID)
			var body any
			if tc.body != nil {
				body = tc.body
			}

			p := MustProblem(t, f.owner.Do(tc.method, f.path(tc.path), body), http.StatusUnprocessableEntity, "validation_failed")

			assert.Contains(t, strings.Join(p.Locations(), " "), tc.field)
			assert.Equal(t, before, mustSnapshotWork(t, db, f.orgID), "nothing may be written")
		})
	}
}

func TestTasksOfAProjectTheMemberIsNotOn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	f := mustWorkFixture(t, srv)
	task := f.mustCreateTask(t, map[string]any{"title": "Secret"})
	member := srv.MustSignUp(t, "Mo Member")
	mustJoin(t, db, f.orgID, member, "member")
	todo := f.column(t, "To do")

	for _, r := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/board", nil},
		{http.MethodGet, "/tasks", nil},
		{http.MethodGet, "/columns", nil},
		{http.MethodGet, "/tasks/" + task.ID, nil},
		{http.MethodPost, "/tasks", map[string]any{"title": "Planted"}},
		{http.MethodPatch, "/tasks/" + task.ID, map[string]any{"title": "Hijacked"}},
		{http.MethodPost, "/tasks/" + task.ID + "/move", map[string]any{"column_id": todo.ID}},
		{http.MethodPost, "/tasks/" + task.ID + "/subtasks", map[string]any{"title": "Planted"}},
	} {
		MustProblem(t, member.Do(r.method, f.path(r.path), r.body), http.StatusNotFound, "not_found")
	}

	mustAddToProject(t, db, f.orgID, f.project, member)
	board := f.mustBoard(t, member)
	assert.Equal(t, "Secret", board.Columns[0].Tasks[0].Title, "once on the project the member sees it")
}

func TestColumns(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("create_appends_and_move_reorders_with_one_row", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		res := f.owner.Do(http.MethodPost, f.path("/columns"), map[string]any{"name": "QA", "color": "#FF0000"})
		MustStatus(t, res, http.StatusCreated)
		var qa columnJSON
		res.MustJSON(t, &qa)
		assert.Equal(t, "#ff0000", qa.Color)

		res = f.owner.Do(http.MethodPatch, f.path("/columns/"+qa.ID), map[string]any{"name": "Quality",
			"move": map[string]any{"after_id": f.column(t, "To do").ID}})
		MustStatus(t, res, http.StatusOK)

		var names []string
		for _, c := range f.mustBoard(t, f.owner).Columns {
			names = append(names, c.Name)
		}
		assert.Equal(t, []string{"To do", "Quality", "In progress", "Review", "Done"}, names)
	})

	t.Run("delete_moves_tasks_to_the_end_of_the_target_in_order", func(t *testing.T) {
		f := mustWorkFixture(t, MustStart(t, db))
		review := f.column(t, "Review")
		f.mustCreateTask(t, map[string]any{"title": "Already there", "column_id": review.ID})
		f.mustCreateTask(t, map[string]any{"title": "One"})
		f.mustCreateTask(t, map[string]any{"title": "Two"})

		res := f.owner.Do(http.MethodDelete, f.path("/columns/"+f.column(t, "To do").ID), map[string]any{"move_tasks_to": review.ID})

		MustStatus(t, res, http.StatusNoContent)
		board := f.mustBoard(t, f.owner)
		require.Len(t, board.Columns, 3)
		var titles []string
		for _, c := range board.Columns[1].Tasks {
			titles = append(titles, c.Title)
		}
		assert.Equal(t, []string{"Already there", "One", "Two"}, titles)
	})

	t.Run("a_member_cannot_change_columns", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		member := srv.MustSignUp(t, "Mo Member")
		mustJoin(t, db, f.orgID, member, "member")
		mustAddToProject(t, db, f.orgID, f.project, member)

		MustProblem(t, member.Do(http.MethodPost, f.path("/columns"), map[string]any{"name": "Mine"}), http.StatusForbidden, "forbidden")
		MustStatus(t, member.Do(http.MethodPost, f.path("/tasks"), map[string]any{"title": "Allowed"}), http.StatusCreated)
	})
}
