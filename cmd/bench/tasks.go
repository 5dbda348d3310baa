package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/clientflow/clientflow/cmd/internal/loadtest"
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

// taskWork is the task part's data: the board project is loadtest.FirstProject, the others come after it.
var taskWork = loadtest.Work{Projects: taskProjects + 1, Tasks: tasksPerProject, FirstTasks: boardTasks, Subtasks: 2,
	Comments: taskComments, CommentsOnFirstOnly: true}

// seedTasks bulk-loads the task part's data into orgID and returns the board project the scenarios aim at.
func seedTasks(ctx context.Context, dsn, orgID string) (loadtest.Project, error) {
	db, err := store.Open(ctx, dsn, store.Options{Owner: true, MaxConns: 2})
	if err != nil {
		return loadtest.Project{}, err
	}
	defer db.Close()
	if err := loadtest.SeedWork(ctx, db, orgID, taskWork); err != nil {
		return loadtest.Project{}, err
	}
	return loadtest.ProjectNamed(ctx, db, orgID, loadtest.FirstProject)
}

// taskScenarios are the task part's requests: board, a filtered list page, a move and a task detail.
func taskScenarios(base, orgID string, f loadtest.Project) []scenario {
	project := base + "/api/v1/orgs/" + orgID + "/projects/" + f.ID
	get := func(url string) func() *http.Request {
		return func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			return req
		}
	}
	move := func() *http.Request {
		// Each move sends a random card to the end of a random column: concurrent moves race for the same
		// last place, which the store resolves by retrying with fresh neighbours.
		task := f.Tasks[rand.IntN(len(f.Tasks))]
		body := fmt.Sprintf(`{"column_id":%q}`, f.Columns[rand.IntN(len(f.Columns))])
		req, _ := http.NewRequest(http.MethodPost, project+"/tasks/"+task+"/move", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", base)
		return req
	}
	detail := func() *http.Request {
		return get(project + "/tasks/" + f.Tasks[rand.IntN(len(f.Tasks))])()
	}
	comments := func() *http.Request {
		return get(project + "/tasks/" + f.Tasks[rand.IntN(len(f.Tasks))] + "/comments")()
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
