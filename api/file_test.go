package api_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

type fileJSON struct {
	ID          string  `json:"id"`
	ProjectID   string  `json:"project_id"`
	TaskID      *string `json:"task_id"`
	Name        string  `json:"name"`
	ContentType string  `json:"content_type"`
	SizeBytes   int64   `json:"size_bytes"`
}

// pngBytes is a PNG signature followed by padding: enough for content sniffing.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 100)...)

// upload posts content as a multipart file named name, with the declared part type, and taskID first.
func upload(b *browser, path, name, declared string, content []byte, taskID string) *response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if taskID != "" {
		require.NoError(b.t, w.WriteField("task_id", taskID))
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="file"; filename=%q`, name)}
	h["Content-Type"] = []string{declared}
	part, err := w.CreatePart(h)
	require.NoError(b.t, err)
	_, err = part.Write(content)
	require.NoError(b.t, err)
	require.NoError(b.t, w.Close())
	return b.Do(http.MethodPost, path, body.Bytes(), header{"Content-Type", w.FormDataContentType()})
}

func mustUpload(t *testing.T, b *browser, path, name string, content []byte, taskID string) fileJSON {
	t.Helper()
	res := upload(b, path, name, "application/octet-stream", content, taskID)
	MustStatus(t, res, http.StatusCreated)
	var f fileJSON
	res.MustJSON(t, &f)
	return f
}

// storedFiles lists what the local file store holds.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	}))
	return out
}

func mustFileURL(t *testing.T, b *browser, path string) string {
	t.Helper()
	res := b.Do(http.MethodGet, path+"/url", nil)
	MustStatus(t, res, http.StatusOK)
	var u struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	res.MustJSON(t, &u)
	assert.WithinDuration(t, time.Now().Add(5*time.Minute), u.ExpiresAt, 5*time.Second)
	return u.URL
}

// signedURL signs a download link the way the server does, with the test server's secret.
func signedURL(orgID, fileID string, exp int64) string {
	m := hmac.New(sha256.New, []byte("test-session-secret"))
	fmt.Fprintf(m, "file-download\n%s\n%s\n%d", orgID, fileID, exp)
	q := url.Values{"org": {orgID}, "exp": {strconv.FormatInt(exp, 10)}, "sig": {base64.RawURLEncoding.EncodeToString(m.Sum(nil))}}
	return "/api/v1/files/" + fileID + "?" + q.Encode()
}

func withFilesMaxBytes(n int64) option { return func(d *api.Deps) { d.Config.FilesMaxBytes = n } }

func TestFiles(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("upload_list_download_delete_a_task_attachment", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		task := f.mustCreateTask(t, map[string]any{"title": "Logo"}).ID
		up := mustUpload(t, f.owner, f.path("/files"), "../../logo.png", pngBytes, task)
		assert.Equal(t, "logo.png", up.Name)
		assert.Equal(t, "image/png", up.ContentType)
		assert.Equal(t, int64(len(pngBytes)), up.SizeBytes)
		require.NotNil(t, up.TaskID)
		assert.Equal(t, task, *up.TaskID)
		mustUpload(t, f.owner, f.path("/files"), "notes.csv", []byte("a,b\n1,2\n"), "")

		var list struct{ Data []fileJSON }
		res := f.owner.Do(http.MethodGet, f.path("/tasks/"+task+"/files"), nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 1)
		res = f.owner.Do(http.MethodGet, f.path("/files"), nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 2)
		assert.Equal(t, "text/csv; charset=utf-8", list.Data[0].ContentType)

		link := mustFileURL(t, f.owner, f.path("/files/"+up.ID))
		res = srv.NewBrowser(t).Do(http.MethodGet, link, nil)
		MustStatus(t, res, http.StatusOK)
		assert.Equal(t, pngBytes, res.Body)
		assert.Equal(t, "image/png", res.Header.Get("Content-Type"))
		assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
		assert.Equal(t, `attachment; filename="logo.png"; filename*=UTF-8''logo.png`, res.Header.Get("Content-Disposition"))

		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/files/"+up.ID), nil), http.StatusNoContent)
		MustProblem(t, srv.NewBrowser(t).Do(http.MethodGet, link, nil), http.StatusNotFound, "not_found")
		// The stored bytes are queued for the org's purge workflow, which the delete started.
		assert.Equal(t, []string{f.orgID + "/" + up.ID + ".png"}, mustQueuedPurges(t, db, f.orgID))
		assert.Equal(t, []string{f.orgID}, srv.Workflows.PurgesStarted())
		events := mustEventTypes(t, db, f.orgID)
		assert.Contains(t, events, "file.uploaded")
		assert.Contains(t, events, "file.deleted")
		assert.Equal(t, 2, mustUsage(t, db, f.orgID, "files"))
	})

	t.Run("oversized_upload_is_413_and_nothing_is_kept", func(t *testing.T) {
		srv := MustStart(t, db, withFilesMaxBytes(1000))
		f := mustWorkFixture(t, srv)
		before := mustSnapshotWork(t, db, f.orgID)
		big := append(slicesClone(pngBytes), bytes.Repeat([]byte{1}, 2000)...)
		MustProblem(t, upload(f.owner, f.path("/files"), "big.png", "image/png", big, ""),
			http.StatusRequestEntityTooLarge, "payload_too_large")
		assert.Empty(t, storedFiles(t, srv.FilesDir))
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM files WHERE organization_id = ?", f.orgID))
		assert.Equal(t, before, mustSnapshotWork(t, db, f.orgID))
		mustUpload(t, f.owner, f.path("/files"), "small.png", pngBytes, "")
	})

	t.Run("disguised_types_are_415_and_nothing_is_kept", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		for name, tc := range map[string]struct {
			file    string
			content []byte
		}{
			"exe_renamed_png":       {"setup.png", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 200)...)},
			"html_claiming_png":     {"cat.png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
			"svg_with_script":       {"icon.png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
			"elf_binary_called_pdf": {"report.pdf", append([]byte("\x7fELF\x02\x01\x01"), bytes.Repeat([]byte{0}, 200)...)},
		} {
			t.Run(name, func(t *testing.T) {
				MustProblem(t, upload(f.owner, f.path("/files"), tc.file, "image/png", tc.content, ""),
					http.StatusUnsupportedMediaType, "unsupported_media_type")
			})
		}
		assert.Empty(t, storedFiles(t, srv.FilesDir))
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM files WHERE organization_id = ?", f.orgID))
	})

	t.Run("bad_upload_requests", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		other := mustCreateProject(t, f.owner, f.orgID, "Other")
		otherTask := f.mustCreateTask(t, map[string]any{"title": "Elsewhere"}).ID
		_ = other
		MustProblem(t, upload(f.owner, f.path("/files"), "a.png", "image/png", pngBytes, "not-a-uuid"),
			http.StatusUnprocessableEntity, "validation_failed")
		MustProblem(t, upload(f.owner, "/api/v1/orgs/"+f.orgID+"/projects/"+other+"/files", "a.png", "image/png", pngBytes, otherTask),
			http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodPost, f.path("/files"), map[string]any{"file": "x"}),
			http.StatusUnsupportedMediaType, "unsupported_media_type")
		assert.Empty(t, storedFiles(t, srv.FilesDir))
	})

	t.Run("signed_links_expire_cannot_be_tampered_and_never_cross_tenants", func(t *testing.T) {
		srv := MustStart(t, db)
		a, b := mustWorkFixture(t, srv), mustWorkFixture(t, srv)
		fileA := mustUpload(t, a.owner, a.path("/files"), "secret.txt", []byte("tenant A's secret"), "")
		anon := srv.NewBrowser(t)
		exp := time.Now().Add(time.Minute).Unix()
		MustStatus(t, anon.Do(http.MethodGet, signedURL(a.orgID, fileA.ID, exp), nil), http.StatusOK)

		expired := signedURL(a.orgID, fileA.ID, time.Now().Add(-time.Second).Unix())
		MustProblem(t, anon.Do(http.MethodGet, expired, nil), http.StatusForbidden, "forbidden")

		link := mustFileURL(t, a.owner, a.path("/files/"+fileA.ID))
		tampered := link[:len(link)-2] + "xx"
		MustProblem(t, anon.Do(http.MethodGet, tampered, nil), http.StatusForbidden, "forbidden")
		later := strings.Replace(link, "exp=", "exp=9", 1)
		MustProblem(t, anon.Do(http.MethodGet, later, nil), http.StatusForbidden, "forbidden")
		swapped := strings.Replace(link, "org="+a.orgID, "org="+b.orgID, 1)
		MustProblem(t, anon.Do(http.MethodGet, swapped, nil), http.StatusForbidden, "forbidden")

		// Even a correctly signed link for org B cannot reach org A's file.
		res := anon.Do(http.MethodGet, signedURL(b.orgID, fileA.ID, exp), nil)
		MustProblem(t, res, http.StatusNotFound, "not_found")
		assert.NotContains(t, string(res.Body), "secret")
		// Nor can org B's owner get a link for it.
		MustProblem(t, b.owner.Do(http.MethodGet, "/api/v1/orgs/"+b.orgID+"/projects/"+b.project+"/files/"+fileA.ID+"/url", nil),
			http.StatusNotFound, "not_found")
	})

	t.Run("permissions_members_upload_outsiders_see_nothing", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		member, outsider := srv.MustSignUp(t, "Mia Member"), srv.MustSignUp(t, "Otto Outsider")
		mustJoin(t, db, f.orgID, member, "member")
		mustJoin(t, db, f.orgID, outsider, "member")
		mustAddToProject(t, db, f.orgID, f.project, member)
		up := mustUpload(t, member, f.path("/files"), "brief.txt", []byte("the brief"), "")
		MustProblem(t, outsider.Do(http.MethodGet, f.path("/files"), nil), http.StatusNotFound, "not_found")
		MustProblem(t, outsider.Do(http.MethodGet, f.path("/files/"+up.ID+"/url"), nil), http.StatusNotFound, "not_found")
		MustProblem(t, upload(outsider, f.path("/files"), "x.txt", "text/plain", []byte("x"), ""), http.StatusNotFound, "not_found")
		MustProblem(t, outsider.Do(http.MethodDelete, f.path("/files/"+up.ID), nil), http.StatusNotFound, "not_found")
		_, err := os.Stat(srv.FilesDir)
		require.NoError(t, err)
		assert.Len(t, storedFiles(t, srv.FilesDir), 1)
		assert.Empty(t, mustQueuedPurges(t, db, f.orgID))
	})

	t.Run("members_delete_their_own_uploads_managers_delete_any", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		member, other, manager := srv.MustSignUp(t, "Mia Member"), srv.MustSignUp(t, "Oli Other"), srv.MustSignUp(t, "Max Manager")
		mustJoin(t, db, f.orgID, member, "member")
		mustJoin(t, db, f.orgID, other, "member")
		mustJoin(t, db, f.orgID, manager, "manager")
		mustAddToProject(t, db, f.orgID, f.project, member)
		mustAddToProject(t, db, f.orgID, f.project, other)
		own := mustUpload(t, member, f.path("/files"), "mine.txt", []byte("mine"), "")
		theirs := mustUpload(t, other, f.path("/files"), "theirs.txt", []byte("theirs"), "")
		owners := mustUpload(t, f.owner, f.path("/files"), "owners.txt", []byte("owner's"), "")

		before := mustSnapshotWork(t, db, f.orgID)
		MustProblem(t, member.Do(http.MethodDelete, f.path("/files/"+theirs.ID), nil), http.StatusForbidden, "forbidden")
		MustProblem(t, member.Do(http.MethodDelete, f.path("/files/"+owners.ID), nil), http.StatusForbidden, "forbidden")
		assert.Equal(t, before, mustSnapshotWork(t, db, f.orgID))
		assert.Equal(t, 3, mustCount(t, db, "SELECT count(*) FROM files WHERE organization_id = ?", f.orgID))
		assert.Empty(t, mustQueuedPurges(t, db, f.orgID))
		assert.Empty(t, srv.Workflows.PurgesStarted())

		MustStatus(t, member.Do(http.MethodDelete, f.path("/files/"+own.ID), nil), http.StatusNoContent)
		MustProblem(t, member.Do(http.MethodDelete, f.path("/files/"+own.ID), nil), http.StatusNotFound, "not_found")
		MustStatus(t, manager.Do(http.MethodDelete, f.path("/files/"+theirs.ID), nil), http.StatusNoContent)
		assert.ElementsMatch(t, []string{f.orgID + "/" + own.ID + ".txt", f.orgID + "/" + theirs.ID + ".txt"},
			mustQueuedPurges(t, db, f.orgID))
		assert.Equal(t, []string{f.orgID, f.orgID}, srv.Workflows.PurgesStarted())
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM files WHERE organization_id = ?", f.orgID))
	})

	t.Run("a_file_whose_uploader_left_is_no_members_own", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		member := srv.MustSignUp(t, "Mia Member")
		mustJoin(t, db, f.orgID, member, "member")
		mustAddToProject(t, db, f.orgID, f.project, member)
		up := mustUpload(t, f.owner, f.path("/files"), "orphan.txt", []byte("orphan"), "")
		_, err := db.Owner.Bun().ExecContext(context.Background(), "UPDATE files SET uploader_id = NULL WHERE id = ?", up.ID)
		require.NoError(t, err)
		MustProblem(t, member.Do(http.MethodDelete, f.path("/files/"+up.ID), nil), http.StatusForbidden, "forbidden")
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/files/"+up.ID), nil), http.StatusNoContent)
	})

	t.Run("deleting_a_task_or_project_queues_its_files_and_starts_the_purge", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		bare := f.mustCreateTask(t, map[string]any{"title": "No files"}).ID
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/tasks/"+bare), nil), http.StatusNoContent)
		assert.Empty(t, srv.Workflows.PurgesStarted(), "a delete without files starts no purge")

		task := f.mustCreateTask(t, map[string]any{"title": "Logo"}).ID
		att := mustUpload(t, f.owner, f.path("/files"), "logo.png", pngBytes, task)
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/tasks/"+task), nil), http.StatusNoContent)
		assert.Equal(t, []string{f.orgID + "/" + att.ID + ".png"}, mustQueuedPurges(t, db, f.orgID))
		assert.Equal(t, []string{f.orgID}, srv.Workflows.PurgesStarted())

		doc := mustUpload(t, f.owner, f.path("/files"), "notes.csv", []byte("a,b\n"), "")
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path(""), nil), http.StatusNoContent)
		assert.ElementsMatch(t, []string{f.orgID + "/" + att.ID + ".png", f.orgID + "/" + doc.ID + ".csv"},
			mustQueuedPurges(t, db, f.orgID))
		assert.Equal(t, []string{f.orgID, f.orgID}, srv.Workflows.PurgesStarted())
	})
}

// mustQueuedPurges lists the storage keys queued for the organization's file purge, read as the owner.
func mustQueuedPurges(t *testing.T, db *storetest.DB, orgID string) []string {
	t.Helper()
	var keys []string
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT storage_key FROM file_purges WHERE organization_id = ? ORDER BY storage_key",
		orgID).Scan(context.Background(), &keys))
	return keys
}

func slicesClone(b []byte) []byte { return append([]byte(nil), b...) }
