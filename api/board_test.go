package api_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// statementCounter is a pgx tracer counting every statement sent to Postgres, alone or in a batch
// (BEGIN, the tenant scope, the auth query and COMMIT included).
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (c *statementCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	c.n.Add(1)
}

func (c *statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// mustSeedTasks inserts n tasks spread over the project's columns, each with an assignee and two
// subtasks, straight into the database.
func mustSeedTasks(t *testing.T, db *storetest.DB, f workFixture, from, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := db.Owner.Bun().ExecContext(ctx, `
		WITH cols AS (SELECT id, row_number() OVER (ORDER BY position) - 1 AS k FROM task_board_columns
			WHERE organization_id = ?0 AND project_id = ?1),
		ins AS (INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, position, due_date)
			SELECT gen_random_uuid(), ?0, ?1, c.id, 1000 + g, 'Seeded ' || g, 'z' || lpad(g::text, 6, '0') || 'i',
				date '2026-12-01' + g % 30
			FROM generate_series(?2::int, ?3::int) g JOIN cols c ON c.k = g % 4
			RETURNING id)
		INSERT INTO task_assignees (organization_id, task_id, user_id) SELECT ?0, id, ?4 FROM ins`,
		f.orgID, f.project, from, from+n-1, f.owner.User.ID)
	require.NoError(t, err)
	_, err = db.Owner.Bun().ExecContext(ctx, `INSERT INTO subtasks (id, organization_id, task_id, title, done, position)
		SELECT gen_random_uuid(), ?0, t.id, 'Step ' || s, s = 1, 'i' || s FROM tasks t, generate_series(1, 2) s
		WHERE t.organization_id = ?0 AND t.project_id = ?1 AND NOT EXISTS (SELECT 1 FROM subtasks x WHERE x.task_id = t.id)`,
		f.orgID, f.project)
	require.NoError(t, err)
}

func TestBoardAndListUseAConstantNumberOfQueries(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	counter := &statementCounter{}
	traced, err := store.Open(context.Background(), db.URL, store.Options{Tracer: counter})
	require.NoError(t, err)
	t.Cleanup(func() { traced.Close() })
	tracedDB := *db
	tracedDB.App = traced
	srv := MustStart(t, &tracedDB)
	f := mustWorkFixture(t, srv)
	queries := func(path string) (int64, int) {
		counter.n.Store(0)
		res := f.owner.Do(http.MethodGet, f.path(path), nil)
		MustStatus(t, res, http.StatusOK)
		return counter.n.Load(), len(res.Body)
	}
	list := "/tasks?sort=due_date&priority=medium&q=seeded&assignee_id=" + f.owner.User.ID

	mustSeedTasks(t, db, f, 1, 10)
	boardSmall, bodySmall := queries("/board")
	listSmall, _ := queries(list)
	mustSeedTasks(t, db, f, 11, 190)
	boardLarge, bodyLarge := queries("/board")
	listLarge, _ := queries(list)

	assert.Greater(t, bodyLarge, bodySmall*10, "the large board really carries 200 tasks")
	t.Logf("statements per request: board %d, list %d", boardLarge, listLarge)
	assert.Positive(t, boardSmall, "the counter sees the board's statements")
	assert.Equal(t, boardSmall, boardLarge, "board statements for 10 and 200 tasks")
	assert.Equal(t, listSmall, listLarge, "list statements for 10 and 200 tasks")
	// Auth (1), the batch (scope, visibility, columns, cards) and the assignee names: 6 statements.
	assert.LessOrEqual(t, boardLarge, int64(6), "board statements")

	var page struct {
		Data       []cardJSON `json:"data"`
		NextCursor *string    `json:"next_cursor"`
	}
	f.owner.Do(http.MethodGet, f.path(list), nil).MustJSON(t, &page)
	require.Len(t, page.Data, 50)
	assert.NotNil(t, page.NextCursor)
	assert.Equal(t, [2]int{1, 2}, [2]int{page.Data[0].SubtasksDone, page.Data[0].SubtasksTotal})
	assert.Equal(t, "DO", page.Data[0].Assignees[0].Initials)
}

// TestBoardRevalidatesWithItsETag: a browser holding the board revalidates it with If-None-Match and gets
// a bodiless 304 while nothing changed, and the new board once a card moved.
func TestBoardRevalidatesWithItsETag(t *testing.T) {
	t.Parallel()
	f := mustWorkFixture(t, MustStart(t, storetest.MustOpen(t)))
	task := f.mustCreateTask(t, map[string]any{"title": "Ship it"})
	first := f.owner.Do(http.MethodGet, f.path("/board"), nil)
	MustStatus(t, first, http.StatusOK)
	tag := first.Header.Get("ETag")
	require.NotEmpty(t, tag)

	again := f.owner.Do(http.MethodGet, f.path("/board"), nil, header{"If-None-Match", tag})
	assert.Equal(t, http.StatusNotModified, again.Status)
	assert.Empty(t, again.Body)

	MustStatus(t, f.owner.Do(http.MethodPost, f.path("/tasks/"+task.ID+"/move"),
		map[string]any{"column_id": f.column(t, "Done").ID}), http.StatusOK)
	moved := f.owner.Do(http.MethodGet, f.path("/board"), nil, header{"If-None-Match", tag})
	MustStatus(t, moved, http.StatusOK)
	assert.NotEqual(t, tag, moved.Header.Get("ETag"))
}
