package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/clientflow/clientflow/store"
)

// Task part: one organization gets 50 projects × 2,000 tasks plus the measured board project with 500,
// each task with an assignee and two subtasks, spread over the four default columns; each task of the
// board project has 20 comments.
const (
	taskComments    = 20
	taskProjects    = 50
	tasksPerProject = 2000
	boardTasks      = 500
)

// taskFixture is what the task scenarios aim at.
type taskFixture struct {
	projectID string
	columns   []string
	tasks     []string
}

// seedTasks bulk-loads the projects, columns, tasks, assignees and subtasks into orgID with SQL.
func seedTasks(ctx context.Context, dsn, orgID string) (taskFixture, error) {
	db, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 2})
	if err != nil {
		return taskFixture{}, err
	}
	defer db.Close()
	b := db.Bun()
	_, err = b.ExecContext(ctx, `
		INSERT INTO projects (id, organization_id, name, status)
			SELECT gen_random_uuid(), ?0, 'Project ' || p, 'active' FROM generate_series(0, ?1) p;
		INSERT INTO project_members (organization_id, project_id, user_id)
			SELECT ?0, p.id, m.user_id FROM projects p, organization_memberships m
			WHERE p.organization_id = ?0 AND m.organization_id = ?0;
		INSERT INTO task_board_columns (id, organization_id, project_id, name, position, is_done)
			SELECT gen_random_uuid(), ?0, p.id, c.name, c.pos, c.name = 'Done'
			FROM projects p, (VALUES ('To do', 'a'), ('In progress', 'b'), ('Review', 'c'), ('Done', 'd')) c(name, pos)
			WHERE p.organization_id = ?0;
		INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position, priority, due_date)
			SELECT gen_random_uuid(), ?0, p.id, c.id, n, 'Task ' || n || ' of ' || p.name,
				'i' || lpad(n::text, 5, '0') || 'i',
				(ARRAY['low','medium','high','urgent'])[1 + n % 4], date '2026-12-01' + n % 90
			FROM projects p CROSS JOIN generate_series(1, CASE WHEN p.name = 'Project 0' THEN ?3 ELSE ?2 END) n
			JOIN task_board_columns c ON c.organization_id = p.organization_id AND c.project_id = p.id
				AND c.position = (ARRAY['a','b','c','d'])[1 + n % 4]
			WHERE p.organization_id = ?0;
		INSERT INTO project_task_counters (organization_id, project_id, last_number)
			SELECT ?0, project_id, max(number) FROM tasks WHERE organization_id = ?0 GROUP BY project_id;
		INSERT INTO task_assignees (organization_id, task_id, user_id)
			SELECT ?0, t.id, m.user_id FROM tasks t, organization_memberships m
			WHERE t.organization_id = ?0 AND m.organization_id = ?0;
		INSERT INTO subtasks (id, organization_id, task_id, title, done, position)
			SELECT gen_random_uuid(), ?0, t.id, 'Step ' || s, s = 1, 'i' || s
			FROM tasks t, generate_series(1, 2) s WHERE t.organization_id = ?0;
		INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html, created_at)
			SELECT gen_random_uuid(), ?0, t.id, m.user_id, '{"type":"doc"}',
				'<p>Comment ' || c || ': the client asked for a second pass on the copy.</p>', now() - c * interval '1 hour'
			FROM tasks t JOIN projects p ON p.organization_id = t.organization_id AND p.id = t.project_id
			CROSS JOIN generate_series(1, ?4) c
			CROSS JOIN LATERAL (SELECT user_id FROM organization_memberships WHERE organization_id = ?0 LIMIT 1) m
			WHERE t.organization_id = ?0 AND p.name = 'Project 0';
		ANALYZE`, orgID, taskProjects, tasksPerProject, boardTasks, taskComments)
	if err != nil {
		return taskFixture{}, err
	}
	var f taskFixture
	if err := b.NewRaw("SELECT id FROM projects WHERE organization_id = ? AND name = 'Project 0'", orgID).Scan(ctx, &f.projectID); err != nil {
		return f, err
	}
	if err := b.NewRaw("SELECT id FROM task_board_columns WHERE organization_id = ? AND project_id = ? ORDER BY position",
		orgID, f.projectID).Scan(ctx, &f.columns); err != nil {
		return f, err
	}
	err = b.NewRaw("SELECT id FROM tasks WHERE organization_id = ? AND project_id = ?",
		orgID, f.projectID).Scan(ctx, &f.tasks)
	return f, err
}

// taskScenarios are the task part's requests: board, a filtered list page, a move and a task detail.
func taskScenarios(base, orgID string, f taskFixture) []scenario {
	project := base + "/api/v1/orgs/" + orgID + "/projects/" + f.projectID
	get := func(url string) func() *http.Request {
		return func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			return req
		}
	}
	move := func() *http.Request {
		// Each move sends a random card to the end of a random column: concurrent moves race for the same
		// last place, which the store resolves by retrying with fresh neighbours.
		task := f.tasks[rand.IntN(len(f.tasks))]
		body := fmt.Sprintf(`{"column_id":%q}`, f.columns[rand.IntN(len(f.columns))])
		req, _ := http.NewRequest(http.MethodPost, project+"/tasks/"+task+"/move", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", base)
		return req
	}
	detail := func() *http.Request {
		return get(project + "/tasks/" + f.tasks[rand.IntN(len(f.tasks))])()
	}
	comments := func() *http.Request {
		return get(project + "/tasks/" + f.tasks[rand.IntN(len(f.tasks))] + "/comments")()
	}
	return []scenario{
		{"GET board (500 tasks)", get(project + "/board")},
		{"GET tasks?priority&sort=due_date", get(project + "/tasks?priority=high&sort=due_date&limit=50")},
		{"POST tasks/{id}/move", move},
		{"GET tasks/{id}", detail},
		{"GET tasks/{id}/comments (20)", comments},
	}
}

// taskDuration keeps the whole bench within a few minutes.
const taskDuration = 8 * time.Second
