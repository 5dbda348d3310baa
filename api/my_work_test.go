package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// myWorkJSON is the home page as the SPA decodes it.
type myWorkJSON struct {
	Tasks []struct {
		ID          string  `json:"id"`
		ProjectName string  `json:"project_name"`
		Title       string  `json:"title"`
		Status      string  `json:"status"`
		DueDate     *string `json:"due_date"`
	} `json:"tasks"`
	TasksTruncated bool           `json:"tasks_truncated"`
	TodayMinutes   *int           `json:"today_minutes"`
	Timer          *timeEntryJSON `json:"timer"`
	Mentions       []struct {
		Title string `json:"title"`
		Link  string `json:"link"`
	} `json:"mentions"`
}

// mustAssign assigns taskID to b's user and sets its due date ("" for none).
func mustAssign(t *testing.T, db *storetest.DB, orgID, taskID string, b *browser, due string) {
	t.Helper()
	mustExec(t, db, "INSERT INTO task_assignees (organization_id, task_id, user_id) VALUES (?, ?, ?)", orgID, taskID, b.User.ID)
	if due != "" {
		mustExec(t, db, "UPDATE tasks SET due_date = ? WHERE id = ?", due, taskID)
	}
}

// mustNotify gives b's user a notification of type typ in orgID.
func mustNotify(t *testing.T, db *storetest.DB, orgID string, b *browser, typ, title string) {
	t.Helper()
	mustExec(t, db, `INSERT INTO notifications (organization_id, id, recipient_id, type, title, link, source_key)
		VALUES (?, ?, ?, ?, ?, '/somewhere', ?)`, orgID, uuid.Must(uuid.NewV7()).String(), b.User.ID, typ, title, uuid.NewString())
}

func mustMyWork(t *testing.T, b *browser, orgID string) myWorkJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/me/work", nil)
	MustStatus(t, res, http.StatusOK)
	var w myWorkJSON
	res.MustJSON(t, &w)
	return w
}

func TestMyWork(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("lists_my_open_tasks_due_first_undated_last", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, other := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Other")
		org := owner.MustCreateOrg(uniqueName("Home"))
		mustJoin(t, db, org.ID, other, "member")
		p := mustInsertProject(t, db, org.ID, "Website", projectRow{})
		undated := mustInsertTask(t, db, org.ID, p, "Undated")
		later := mustInsertTask(t, db, org.ID, p, "Later")
		overdue := mustInsertTask(t, db, org.ID, p, "Overdue")
		done := mustInsertTask(t, db, org.ID, p, "Done")
		theirs := mustInsertTask(t, db, org.ID, p, "Theirs")
		mustAssign(t, db, org.ID, undated, owner, "")
		mustAssign(t, db, org.ID, later, owner, "2099-01-01")
		mustAssign(t, db, org.ID, overdue, owner, "2020-01-01")
		mustAssign(t, db, org.ID, done, owner, "2020-01-01")
		mustExec(t, db, "UPDATE tasks SET completed_at = now() WHERE id = ?", done)
		mustAssign(t, db, org.ID, theirs, other, "2020-01-01")

		w := mustMyWork(t, owner, org.ID)

		var titles []string
		for _, task := range w.Tasks {
			titles = append(titles, task.Title)
		}
		assert.Equal(t, []string{"Overdue", "Later", "Undated"}, titles)
		assert.Equal(t, "Website", w.Tasks[0].ProjectName)
		assert.Equal(t, "To do", w.Tasks[0].Status)
		require.NotNil(t, w.Tasks[0].DueDate)
		assert.Equal(t, "2020-01-01", *w.Tasks[0].DueDate)
		assert.Nil(t, w.Tasks[2].DueDate)
		assert.False(t, w.TasksTruncated)
	})

	t.Run("a_member_sees_no_task_of_a_project_they_are_not_on", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, member := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Member")
		org := owner.MustCreateOrg(uniqueName("Home"))
		mustJoin(t, db, org.ID, member, "member")
		p := mustInsertProject(t, db, org.ID, "Secret", projectRow{})
		mustAssign(t, db, org.ID, mustInsertTask(t, db, org.ID, p, "Hidden"), member, "")

		assert.Empty(t, mustMyWork(t, member, org.ID).Tasks)

		mustAddToProject(t, db, org.ID, p, member)
		assert.Len(t, mustMyWork(t, member, org.ID).Tasks, 1)
	})

	t.Run("today_counts_stopped_time_since_the_day_start_and_returns_the_running_timer", func(t *testing.T) {
		owner := MustStart(t, db).MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Home"))
		p := mustInsertProject(t, db, org.ID, "Website", projectRow{})
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "started_at": time.Now().Add(-2 * time.Hour), "minutes": 45})
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": p, "started_at": time.Now().Add(-40 * time.Hour), "minutes": 30})
		started, _ := mustStartTimer(t, owner, org.ID, p)

		dayStart := url.QueryEscape(time.Now().Add(-3 * time.Hour).Format(time.RFC3339))
		res := owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/me/work?day_start="+dayStart, nil)
		MustStatus(t, res, http.StatusOK)
		var w myWorkJSON
		res.MustJSON(t, &w)

		require.NotNil(t, w.TodayMinutes)
		assert.Equal(t, 45, *w.TodayMinutes, "yesterday's entry and the running timer are not in today's total")
		require.NotNil(t, w.Timer)
		assert.Equal(t, started.ID, w.Timer.ID)
		assert.Equal(t, "Website", w.Timer.ProjectName)
	})

	t.Run("a_day_start_in_the_future_or_long_ago_is_refused", func(t *testing.T) {
		owner := MustStart(t, db).MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Home"))
		for _, at := range []time.Time{time.Now().Add(time.Hour), time.Now().Add(-72 * time.Hour)} {
			MustProblem(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/me/work?day_start="+
				url.QueryEscape(at.Format(time.RFC3339)), nil), http.StatusUnprocessableEntity, "validation_failed")
		}
		MustProblem(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/me/work?day_start=yesterday", nil),
			http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("mentions_are_mine_and_of_the_mention_type_only", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, other := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Other")
		org := owner.MustCreateOrg(uniqueName("Home"))
		mustJoin(t, db, org.ID, other, "member")
		mustNotify(t, db, org.ID, owner, "mentioned", "Mia mentioned you")
		mustNotify(t, db, org.ID, owner, "task_assigned", "Assigned")
		mustNotify(t, db, org.ID, other, "mentioned", "Not for you")

		w := mustMyWork(t, owner, org.ID)

		require.Len(t, w.Mentions, 1)
		assert.Equal(t, "Mia mentioned you", w.Mentions[0].Title)
		assert.Equal(t, "/somewhere", w.Mentions[0].Link)
	})

	t.Run("another_tenant_is_not_found_and_leaks_nothing", func(t *testing.T) {
		srv := MustStart(t, db)
		alice, bob := srv.MustSignUp(t, "Alice"), srv.MustSignUp(t, "Bob")
		orgA, orgB := alice.MustCreateOrg(uniqueName("A")), bob.MustCreateOrg(uniqueName("B"))
		pB := mustInsertProject(t, db, orgB.ID, "B's", projectRow{})
		mustAssign(t, db, orgB.ID, mustInsertTask(t, db, orgB.ID, pB, "B task"), bob, "")

		MustStatus(t, alice.Do(http.MethodGet, "/api/v1/orgs/"+orgB.ID+"/me/work", nil), http.StatusNotFound)
		assert.Empty(t, mustMyWork(t, alice, orgA.ID).Tasks)
		assert.Len(t, mustMyWork(t, bob, orgB.ID).Tasks, 1)
	})

	t.Run("a_client_contact_is_sent_to_the_portal", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, contact := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Contact")
		org := owner.MustCreateOrg(uniqueName("Home"))
		c := owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"})
		mustJoinContact(t, db, org.ID, contact, c.ID)

		MustProblem(t, contact.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/me/work", nil), http.StatusForbidden, "forbidden")
	})
}
