package api_test

import (
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/storetest"
)

// exportJSON is an export as the API shows it.
type exportJSON struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	Filters     map[string]string `json:"filters"`
	Status      string            `json:"status"`
	RowsDone    int64             `json:"rows_done"`
	Percent     int               `json:"percent"`
	Error       *string           `json:"error"`
	DownloadURL *string           `json:"download_url"`
}

// exportFixture is an organization with two projects: the member is on Shared only, the owner logs time on
// Private, where a task's title is a spreadsheet formula.
type exportFixture struct {
	teamFixture
	db              *storetest.DB
	shared, private projectJSON
	client          clientJSON
	acts            *activities.Activities
}

func mustExportFixture(t *testing.T) exportFixture {
	t.Helper()
	db := storetest.MustOpen(t)
	f := exportFixture{teamFixture: newTeam(t, db), db: db}
	org := f.org.ID
	f.client = f.owner.MustCreateClient(org, map[string]any{"name": "Acme", "email": "ops@acme.example"})
	f.shared = f.owner.MustCreateProject(org, map[string]any{"name": "Shared", "client_id": f.client.ID})
	f.private = f.owner.MustCreateProject(org, map[string]any{"name": "Private"})
	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+org+"/projects/"+f.shared.ID+"/members",
		map[string]any{"user_id": f.member.User.ID}), http.StatusCreated)
	for _, title := range []string{`=HYPERLINK("http://x")`, "Plain task", "@mention me"} {
		MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+org+"/projects/"+f.private.ID+"/tasks",
			map[string]any{"title": title}), http.StatusCreated)
	}
	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+org+"/projects/"+f.shared.ID+"/tasks",
		map[string]any{"title": "Shared task"}), http.StatusCreated)
	logTime := func(b *browser, projectID, date, note string) {
		MustStatus(t, b.Do(http.MethodPost, "/api/v1/orgs/"+org+"/time/entries", map[string]any{"project_id": projectID,
			"date": date, "minutes": 30, "note": note}), http.StatusCreated)
	}
	logTime(f.owner, f.private.ID, "2026-03-02", "+private work")
	logTime(f.owner, f.shared.ID, "2026-03-03", "owner on shared")
	logTime(f.member, f.shared.ID, "2026-03-04", "member on shared")
	logTime(f.member, f.shared.ID, "2026-04-01", "member in april")
	files, err := filestore.NewLocal(f.srv.FilesDir)
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.acts = &activities.Activities{DB: db.App, Files: files, AppURL: f.srv.URL, SessionSecret: "test-session-secret",
		Email: email.NewSender(email.NewProvider(email.Config{}, nil, logger), activities.Outbox{DB: db.App}, logger)}
	return f
}

// mustExport requests an export as b and runs its activity as the worker would, returning the finished
// export and the CSV's rows.
func (f exportFixture) mustExport(t *testing.T, b *browser, kind string, filters map[string]string) (exportJSON, []byte) {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports", map[string]any{"kind": kind, "filters": filters})
	MustStatus(t, res, http.StatusAccepted)
	var e exportJSON
	res.MustJSON(t, &e)
	assert.Equal(t, "pending", e.Status)
	_, err := f.acts.RunExport(context.Background(), domain.ExportRef{OrganizationID: f.org.ID, ExportID: e.ID})
	require.NoError(t, err)
	mustGetJSON(t, b, "/api/v1/orgs/"+f.org.ID+"/exports/"+e.ID, &e)
	require.Equal(t, "ready", e.Status)
	require.NotNil(t, e.DownloadURL)
	dl := b.Do(http.MethodGet, *e.DownloadURL, nil)
	MustStatus(t, dl, http.StatusOK)
	assert.Equal(t, "text/csv; charset=utf-8", dl.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment"), dl.Header.Get("Content-Disposition"))
	return e, dl.Body
}

// mustParseCSV checks the BOM and returns the header and the rows.
func mustParseCSV(t *testing.T, body []byte) ([]string, [][]string) {
	t.Helper()
	require.True(t, strings.HasPrefix(string(body), "\uFEFF"), "UTF-8 BOM first")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs, "a header row")
	return recs[0], recs[1:]
}

func column(header []string, rows [][]string, name string) []string {
	i := -1
	for j, h := range header {
		if h == name {
			i = j
		}
	}
	out := []string{}
	for _, r := range rows {
		out = append(out, r[i])
	}
	return out
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	f := mustExportFixture(t)

	t.Run("formula_cells_are_neutralised_with_bom_and_header", func(t *testing.T) {
		_, body := f.mustExport(t, f.owner, "tasks", map[string]string{"project_id": f.private.ID})
		header, rows := mustParseCSV(t, body)
		assert.Equal(t, []string{"id", "number", "title"}, header[:3])
		assert.ElementsMatch(t, []string{`'=HYPERLINK("http://x")`, "Plain task", "'@mention me"}, column(header, rows, "title"))
		assert.NotContains(t, string(body), `,=HYPERLINK`)
	})

	t.Run("filters_of_the_list_are_respected", func(t *testing.T) {
		_, body := f.mustExport(t, f.owner, "tasks", map[string]string{"project_id": f.private.ID, "q": "plain"})
		header, rows := mustParseCSV(t, body)
		assert.Equal(t, []string{"Plain task"}, column(header, rows, "title"))

		_, body = f.mustExport(t, f.owner, "time_entries", map[string]string{"from": "2026-03-01", "to": "2026-03-31"})
		header, rows = mustParseCSV(t, body)
		assert.ElementsMatch(t, []string{"'+private work", "owner on shared", "member on shared"}, column(header, rows, "note"))
	})

	t.Run("a_member_gets_only_what_the_lists_show_them", func(t *testing.T) {
		_, body := f.mustExport(t, f.member, "time_entries", nil)
		header, rows := mustParseCSV(t, body)
		assert.ElementsMatch(t, []string{"member on shared", "member in april"}, column(header, rows, "note"),
			"a member sees their own time on their projects")
		MustProblem(t, f.member.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports",
			map[string]any{"kind": "tasks", "filters": map[string]string{"project_id": f.private.ID}}), http.StatusNotFound, "not_found")
		_, body = f.mustExport(t, f.member, "tasks", map[string]string{"project_id": f.shared.ID})
		header, rows = mustParseCSV(t, body)
		assert.Equal(t, []string{"Shared task"}, column(header, rows, "title"))
		_, body = f.mustExport(t, f.member, "activity", nil)
		header, rows = mustParseCSV(t, body)
		for _, p := range column(header, rows, "project_id") {
			assert.NotEqual(t, f.private.ID, p, "no event of a project the member is not on")
		}
	})

	t.Run("permission_and_bad_filters_are_refused", func(t *testing.T) {
		MustProblem(t, f.member.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports",
			map[string]any{"kind": "audit_log"}), http.StatusForbidden, "forbidden")
		MustProblem(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports",
			map[string]any{"kind": "tasks"}), http.StatusUnprocessableEntity, "validation_failed")
		MustProblem(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports",
			map[string]any{"kind": "clients", "filters": map[string]string{"project_id": f.private.ID}}), http.StatusUnprocessableEntity, "validation_failed")
		MustProblem(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports",
			map[string]any{"kind": "time_entries", "filters": map[string]string{"from": "yesterday"}}), http.StatusUnprocessableEntity, "validation_failed")
		MustProblem(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports",
			map[string]any{"kind": "everything"}), http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("invoices_and_clients_export", func(t *testing.T) {
		_, body := f.mustExport(t, f.owner, "clients", nil)
		header, rows := mustParseCSV(t, body)
		assert.Equal(t, []string{"Acme"}, column(header, rows, "name"))
		_, body = f.mustExport(t, f.owner, "invoices", nil)
		header, _ = mustParseCSV(t, body)
		assert.Contains(t, header, "currency")
	})

	t.Run("audit_rows_for_request_and_download", func(t *testing.T) {
		e, _ := f.mustExport(t, f.owner, "clients", map[string]string{"status": "active"})
		assert.Equal(t, map[string]string{"status": "active"}, e.Filters)
		assert.Equal(t, 1, mustCount(t, f.db, `SELECT count(*) FROM audit_logs WHERE action = 'export.requested'
			AND entity_type = 'export' AND entity_id = ? AND actor_id = ?`, e.ID, f.owner.User.ID))
		assert.Equal(t, 1, mustCount(t, f.db, `SELECT count(*) FROM audit_logs WHERE action = 'export.downloaded'
			AND entity_id = ?`, e.ID))
		assert.Equal(t, 1, mustCount(t, f.db, `SELECT count(*) FROM workflow_starts WHERE kind = 'export' AND business_key = ?`, e.ID),
			"the workflow start was written with the row")
	})
}

func TestExportDownloadOnlyByTheRequester(t *testing.T) {
	t.Parallel()
	f := mustExportFixture(t)
	e, _ := f.mustExport(t, f.admin, "clients", nil)
	link := *e.DownloadURL

	t.Run("another_member_even_the_owner_gets_404", func(t *testing.T) {
		MustProblem(t, f.owner.Do(http.MethodGet, link, nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID+"/exports/"+e.ID, nil), http.StatusNotFound, "not_found")
		var mine struct{ Data []exportJSON }
		mustGetJSON(t, f.owner, "/api/v1/orgs/"+f.org.ID+"/exports", &mine)
		for _, x := range mine.Data {
			assert.NotEqual(t, e.ID, x.ID, "another member's export is not listed")
		}
	})

	t.Run("signed_out_gets_401", func(t *testing.T) {
		MustStatus(t, f.srv.NewBrowser(t).Do(http.MethodGet, link, nil), http.StatusUnauthorized)
	})

	t.Run("a_tampered_link_is_refused", func(t *testing.T) {
		u, err := url.Parse(link)
		require.NoError(t, err)
		q := u.Query()
		q.Set("exp", "253402300799")
		u.RawQuery = q.Encode()
		MustProblem(t, f.admin.Do(http.MethodGet, u.String(), nil), http.StatusForbidden, "forbidden")
	})

	t.Run("the_requester_lists_and_downloads_it", func(t *testing.T) {
		var mine struct{ Data []exportJSON }
		mustGetJSON(t, f.admin, "/api/v1/orgs/"+f.org.ID+"/exports", &mine)
		require.NotEmpty(t, mine.Data)
		assert.Equal(t, e.ID, mine.Data[0].ID)
		assert.Equal(t, 100, mine.Data[0].Percent)
		MustStatus(t, f.admin.Do(http.MethodGet, link, nil), http.StatusOK)
	})

	t.Run("after_24_hours_the_link_is_gone", func(t *testing.T) {
		mustExec(t, f.db, "UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = ?", e.ID)
		MustProblem(t, f.admin.Do(http.MethodGet, link, nil), http.StatusNotFound, "not_found")
		var got exportJSON
		mustGetJSON(t, f.admin, "/api/v1/orgs/"+f.org.ID+"/exports/"+e.ID, &got)
		assert.Nil(t, got.DownloadURL)

		// The workflow's 24-hour timer then removes the stored file (the row stays).
		var key string
		require.NoError(t, f.db.Owner.Bun().NewRaw("SELECT file_key FROM exports WHERE id = ?", e.ID).Scan(context.Background(), &key))
		require.NoError(t, f.acts.DeleteExportFile(context.Background(), domain.ExportRef{OrganizationID: f.org.ID, ExportID: e.ID}))
		_, err := f.acts.Files.Open(context.Background(), key)
		assert.ErrorIs(t, err, filestore.ErrNotFound)
		require.NoError(t, f.acts.DeleteExportFile(context.Background(), domain.ExportRef{OrganizationID: f.org.ID, ExportID: e.ID}),
			"deleting again is harmless")
	})
}

// TestExportOfARequesterWhoLostThePermissionFails: the worker reads as the requester is when it runs.
func TestExportOfARequesterWhoLostThePermissionFails(t *testing.T) {
	t.Parallel()
	f := mustExportFixture(t)
	res := f.admin.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/exports", map[string]any{"kind": "clients"})
	MustStatus(t, res, http.StatusAccepted)
	var e exportJSON
	res.MustJSON(t, &e)
	MustStatus(t, f.owner.Do(http.MethodDelete, f.path(t, f.admin, ""), nil), http.StatusNoContent)
	_, err := f.acts.RunExport(context.Background(), domain.ExportRef{OrganizationID: f.org.ID, ExportID: e.ID})
	require.Error(t, err)
	assert.Equal(t, "pending", mustExportStatus(t, f.db, e.ID), "the workflow records the failure (ExportFailed)")
}

func mustExportStatus(t *testing.T, db *storetest.DB, id string) string {
	t.Helper()
	var s string
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT status FROM exports WHERE id = ?", id).Scan(context.Background(), &s))
	return s
}

// TestExportIdempotencyKey: a retried request with the same key answers the first export, and only one
// export (and one workflow start) exists.
func TestExportIdempotencyKey(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	path := "/api/v1/orgs/" + f.org.ID + "/exports"
	body := map[string]any{"kind": "clients", "filters": map[string]string{"q": "acme"}}
	var first, again exportJSON
	res := f.owner.Do(http.MethodPost, path, body, header{"Idempotency-Key", "export-1"})
	MustStatus(t, res, http.StatusAccepted)
	res.MustJSON(t, &first)
	res = f.owner.Do(http.MethodPost, path, body, header{"Idempotency-Key", "export-1"})
	MustStatus(t, res, http.StatusAccepted)
	res.MustJSON(t, &again)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM exports WHERE organization_id = ?", f.org.ID))
	assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM workflow_starts WHERE kind = 'export' AND business_key = ?", first.ID))
	MustProblem(t, f.owner.Do(http.MethodPost, path, map[string]any{"kind": "clients"}, header{"Idempotency-Key", "export-1"}),
		http.StatusConflict, "conflict")
}
