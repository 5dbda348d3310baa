package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// boardJSON, columnJSON, cardJSON, taskJSON and taskDetailJSON are the work API's bodies as a client
// decodes them.
type columnJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Color    string `json:"color"`
	Position string `json:"position"`
	IsDone   bool   `json:"is_done"`
}

type cardJSON struct {
	ID        string `json:"id"`
	ColumnID  string `json:"column_id"`
	Number    int    `json:"number"`
	Title     string `json:"title"`
	Position  string `json:"position"`
	Assignees []struct {
		UserID   string `json:"user_id"`
		Initials string `json:"initials"`
	} `json:"assignees"`
	SubtasksDone  int `json:"subtasks_done"`
	SubtasksTotal int `json:"subtasks_total"`
}

type boardJSON struct {
	Columns []struct {
		columnJSON
		Tasks []cardJSON `json:"tasks"`
	} `json:"columns"`
}

type taskJSON struct {
	ID          string   `json:"id"`
	ColumnID    string   `json:"column_id"`
	Number      int      `json:"number"`
	Title       string   `json:"title"`
	Position    string   `json:"position"`
	Priority    string   `json:"priority"`
	DueDate     *string  `json:"due_date"`
	CompletedAt *string  `json:"completed_at"`
	AssigneeIDs []string `json:"assignee_ids"`
	Description struct {
		JSON map[string]any `json:"json"`
		HTML string         `json:"html"`
	} `json:"description"`
}

type taskDetailJSON struct {
	taskJSON
	Subtasks []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Done  bool   `json:"done"`
	} `json:"subtasks"`
	AuditLog []struct {
		ActorID   *string        `json:"actor_id"`
		ActorName string         `json:"actor_name"`
		Action    string         `json:"action"`
		OldValues map[string]any `json:"old_values"`
		NewValues map[string]any `json:"new_values"`
	} `json:"audit_log"`
}

// workFixture is an organization with one project whose board has the default columns.
type workFixture struct {
	owner   *browser
	orgID   string
	project string
	columns []columnJSON
}

func (f workFixture) path(rest string) string {
	return "/api/v1/orgs/" + f.orgID + "/projects/" + f.project + rest
}

// column returns the fixture's column with name.
func (f workFixture) column(t *testing.T, name string) columnJSON {
	t.Helper()
	for _, c := range f.columns {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no column %q", name)
	return columnJSON{}
}

// mustWorkFixture signs up an owner, creates an organization and a project through the API.
func mustWorkFixture(t *testing.T, srv *testServer) workFixture {
	t.Helper()
	owner := srv.MustSignUp(t, "Dana Owner")
	org := owner.MustCreateOrg(uniqueName("Work Agency"))
	f := workFixture{owner: owner, orgID: org.ID}
	f.project = mustCreateProject(t, owner, org.ID, "Website")
	res := owner.Do(http.MethodGet, f.path("/columns"), nil)
	MustStatus(t, res, http.StatusOK)
	var cols struct{ Data []columnJSON }
	res.MustJSON(t, &cols)
	f.columns = cols.Data
	return f
}

// mustCreateProject creates a project in orgID and returns its ID.
func mustCreateProject(t *testing.T, b *browser, orgID, name string) string {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/projects", map[string]any{"name": name})
	MustStatus(t, res, http.StatusCreated)
	var p struct{ ID string }
	res.MustJSON(t, &p)
	return p.ID
}

// mustCreateTask creates a task from body in the fixture's project.
func (f workFixture) mustCreateTask(t *testing.T, body map[string]any) taskJSON {
	t.Helper()
	res := f.owner.Do(http.MethodPost, f.path("/tasks"), body)
	MustStatus(t, res, http.StatusCreated)
	var task taskJSON
	res.MustJSON(t, &task)
	return task
}

func (f workFixture) mustTask(t *testing.T, id string) taskDetailJSON {
	t.Helper()
	res := f.owner.Do(http.MethodGet, f.path("/tasks/"+id), nil)
	MustStatus(t, res, http.StatusOK)
	var d taskDetailJSON
	res.MustJSON(t, &d)
	return d
}

func (f workFixture) mustBoard(t *testing.T, b *browser) boardJSON {
	t.Helper()
	res := b.Do(http.MethodGet, f.path("/board"), nil)
	MustStatus(t, res, http.StatusOK)
	var board boardJSON
	res.MustJSON(t, &board)
	return board
}

// mustAddToProject puts b's user on projectID, as the project members screen would.
func mustAddToProject(t *testing.T, db *storetest.DB, orgID, projectID string, b *browser) {
	t.Helper()
	_, err := db.Owner.Bun().ExecContext(context.Background(),
		"INSERT INTO project_members (organization_id, project_id, user_id) VALUES (?, ?, ?)", orgID, projectID, b.User.ID)
	require.NoError(t, err)
}

// mustSnapshotWork renders every work row of an organization (tasks, columns, assignees, subtasks, audit
// log, events, counters) as text, so a refused request can be shown to have written nothing.
func mustSnapshotWork(t *testing.T, db *storetest.DB, orgID string) string {
	t.Helper()
	var rows []string
	err := db.Owner.Bun().NewRaw(`
		SELECT 'task ' || row_to_json(x)::text FROM tasks x WHERE x.organization_id = ?0
		UNION ALL SELECT 'column ' || row_to_json(x)::text FROM task_board_columns x WHERE x.organization_id = ?0
		UNION ALL SELECT 'assignee ' || row_to_json(x)::text FROM task_assignees x WHERE x.organization_id = ?0
		UNION ALL SELECT 'subtask ' || row_to_json(x)::text FROM subtasks x WHERE x.organization_id = ?0
		UNION ALL SELECT 'audit ' || row_to_json(x)::text FROM task_audit_logs x WHERE x.organization_id = ?0
		UNION ALL SELECT 'event ' || row_to_json(x)::text FROM domain_events x WHERE x.organization_id = ?0
		UNION ALL SELECT 'counter ' || row_to_json(x)::text FROM project_task_counters x WHERE x.organization_id = ?0
		UNION ALL SELECT 'usage ' || row_to_json(x)::text FROM usage_counters x WHERE x.organization_id = ?0
		ORDER BY 1`, orgID).Scan(context.Background(), &rows)
	require.NoError(t, err)
	return strings.Join(rows, "\n")
}

// boardIDs are a column, a task in it and a subtask of the task, written straight into a project.
type boardIDs struct{ Column, Task, Subtask string }

// mustInsertBoard writes a board column "Victim column" with one task and one subtask into projectID.
func mustInsertBoard(t *testing.T, db *storetest.DB, orgID, projectID string) boardIDs {
	t.Helper()
	ids := boardIDs{Column: uuid.NewString(), Task: uuid.NewString(), Subtask: uuid.NewString()}
	_, err := db.Owner.Bun().ExecContext(context.Background(), `
		WITH c AS (INSERT INTO task_board_columns (id, organization_id, project_id, name, position)
			VALUES (?0, ?3, ?4, 'Victim column', 'v') RETURNING id),
		t AS (INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position)
			SELECT ?1, ?3, ?4, c.id, 9001, 'Victim task', 'v' FROM c RETURNING id)
		INSERT INTO subtasks (id, organization_id, task_id, title, position) SELECT ?2, ?3, t.id, 'Victim step', 'v' FROM t`,
		ids.Column, ids.Task, ids.Subtask, orgID, projectID)
	require.NoError(t, err)
	return ids
}
