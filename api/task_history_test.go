package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

type historyPageJSON struct {
	Data []struct {
		ID     string         `json:"id"`
		Action string         `json:"action"`
		New    map[string]any `json:"new_values"`
	} `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// TestTaskHistoryIsPaged: a task with 45 changes opens with the latest 20 and a cursor; the earlier ones
// come a page at a time, oldest first, each once, until the cursor runs out. A forged cursor is a 422.
func TestTaskHistoryIsPaged(t *testing.T) {
	t.Parallel()
	srv := MustStart(t, storetest.MustOpen(t))
	f := mustWorkFixture(t, srv)
	task := f.mustCreateTask(t, map[string]any{"title": "Title 0"})
	for i := 1; i <= 44; i++ { // with the creation: 45 changes
		MustStatus(t, f.owner.Do(http.MethodPatch, f.path("/tasks/"+task.ID), map[string]any{"title": fmt.Sprintf("Title %d", i)}),
			http.StatusOK)
	}

	var detail struct {
		AuditLog []struct {
			Action string         `json:"action"`
			New    map[string]any `json:"new_values"`
		} `json:"audit_log"`
		AuditLogBefore *string `json:"audit_log_before"`
	}
	f.owner.Do(http.MethodGet, f.path("/tasks/"+task.ID), nil).MustJSON(t, &detail)
	require.Len(t, detail.AuditLog, 20)
	assert.Equal(t, "Title 25", detail.AuditLog[0].New["title"], "the latest 20, oldest first")
	assert.Equal(t, "Title 44", detail.AuditLog[19].New["title"])
	require.NotNil(t, detail.AuditLogBefore)

	var titles []any
	cursor := *detail.AuditLogBefore
	for pages := 0; cursor != ""; pages++ {
		require.Less(t, pages, 3, "the pages end")
		var page historyPageJSON
		res := f.owner.Do(http.MethodGet, f.path("/tasks/"+task.ID+"/history?limit=20&cursor="+url.QueryEscape(cursor)), nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &page)
		var these []any
		for _, e := range page.Data {
			these = append(these, e.New["title"])
		}
		titles = append(these, titles...) // each page is older than the one before
		cursor = ""
		if page.NextCursor != nil {
			cursor = *page.NextCursor
		}
	}
	require.Len(t, titles, 25)
	assert.Equal(t, "Title 0", titles[0], "the creation comes last, as the oldest")
	for i := 1; i < 25; i++ {
		assert.Equal(t, fmt.Sprintf("Title %d", i), titles[i])
	}

	MustProblem(t, f.owner.Do(http.MethodGet, f.path("/tasks/"+task.ID+"/history?cursor=bm90LWEtY3Vyc29y"), nil),
		http.StatusUnprocessableEntity, "validation_failed")
	MustProblem(t, f.owner.Do(http.MethodGet, f.path("/tasks/"+task.ID+"/history?limit=0"), nil),
		http.StatusUnprocessableEntity, "validation_failed")
	other := mustWorkFixture(t, srv) // another organization's owner, asking through their own organization
	MustProblem(t, other.owner.Do(http.MethodGet, "/api/v1/orgs/"+other.orgID+"/projects/"+other.project+"/tasks/"+task.ID+"/history", nil),
		http.StatusNotFound, "not_found")

	var small struct {
		AuditLog       []any   `json:"audit_log"`
		AuditLogBefore *string `json:"audit_log_before"`
	}
	fresh := f.mustCreateTask(t, map[string]any{"title": "Fresh"})
	f.owner.Do(http.MethodGet, f.path("/tasks/"+fresh.ID), nil).MustJSON(t, &small)
	assert.Len(t, small.AuditLog, 1)
	assert.Nil(t, small.AuditLogBefore, "no cursor when the task's history fits")
}
