package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// TestUploadHardening: markup never becomes a stored file, a form field behind the file is refused rather
// than silently dropped, and a hostile file name cannot break the download's Content-Disposition (CR, LF
// and other control characters cannot arrive in a multipart name; FuzzContentDisposition covers them).
func TestUploadHardening(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	f := mustWorkFixture(t, srv)
	task := f.mustCreateTask(t, map[string]any{"title": "Attach here"}).ID

	t.Run("markup_sniffed_as_text_is_415", func(t *testing.T) {
		for name, content := range map[string]string{
			"svg_without_prolog":      `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
			"svg_after_white_space":   "\r\n\t <svg onload=alert(1)/>",
			"svg_after_a_comment":     `<!-- logo --><svg><script>alert(1)</script></svg>`,
			"svg_after_a_bom":         "\xef\xbb\xbf<svg/>",
			"html_fragment_with_text": "Notes\n<script>alert(1)</script>",
		} {
			t.Run(name, func(t *testing.T) {
				MustProblem(t, upload(f.owner, f.path("/files"), "notes.txt", "text/plain", []byte(content), ""),
					http.StatusUnsupportedMediaType, "unsupported_media_type")
			})
		}
		assert.Empty(t, storedFiles(t, srv.FilesDir))
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM files WHERE organization_id = ?", f.orgID))
	})

	t.Run("task_id_after_the_file_is_400_and_nothing_is_kept", func(t *testing.T) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		part, err := w.CreateFormFile("file", "late.png")
		require.NoError(t, err)
		_, err = part.Write(pngBytes)
		require.NoError(t, err)
		require.NoError(t, w.WriteField("task_id", task))
		require.NoError(t, w.Close())
		res := f.owner.Do(http.MethodPost, f.path("/files"), body.Bytes(), header{"Content-Type", w.FormDataContentType()})
		MustProblem(t, res, http.StatusBadRequest, "bad_request")
		assert.Empty(t, storedFiles(t, srv.FilesDir), "the streamed bytes were removed")
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM files WHERE organization_id = ?", f.orgID))
	})

	t.Run("file_names_are_safe_in_content_disposition", func(t *testing.T) {
		for name, tc := range map[string]struct{ upload, header string }{
			"quotes":           {`a"b c.png`, `attachment; filename="ab c.png"; filename*=UTF-8''ab%20c.png`},
			"path":             {`..\..\secret.png`, `attachment; filename="secret.png"; filename*=UTF-8''secret.png`},
			"non_ascii":        {"résumé.png", `attachment; filename="r_sum_.png"; filename*=UTF-8''r%C3%A9sum%C3%A9.png`},
			"semicolon_equals": {"a;filename=b.png", `attachment; filename="a_filename=b.png"; filename*=UTF-8''a%3Bfilename%3Db.png`},
		} {
			t.Run(name, func(t *testing.T) {
				up := mustUpload(t, f.owner, f.path("/files"), tc.upload, pngBytes, task)
				res := srv.NewBrowser(t).Do(http.MethodGet, mustFileURL(t, f.owner, f.path("/files/"+up.ID)), nil)
				MustStatus(t, res, http.StatusOK)
				assert.Equal(t, tc.header, res.Header.Get("Content-Disposition"))
			})
		}
	})
}
