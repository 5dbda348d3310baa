package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

type commentJSON struct {
	ID         string         `json:"id"`
	TaskID     string         `json:"task_id"`
	AuthorID   string         `json:"author_id"`
	AuthorName string         `json:"author_name"`
	BodyJSON   map[string]any `json:"body_json"`
	BodyHTML   string         `json:"body_html"`
	Mentions   []string       `json:"mentions"`
	EditedAt   *string        `json:"edited_at"`
}

// commentBody is a Tiptap document with text and a mention node per user, and its HTML rendering.
func commentBody(text string, html string, mentioned ...string) map[string]any {
	content := []any{map[string]any{"type": "text", "text": text}}
	for _, id := range mentioned {
		content = append(content, map[string]any{"type": "mention", "attrs": map[string]any{"id": id, "label": "Someone"}})
	}
	return map[string]any{
		"body_json": map[string]any{"type": "doc", "content": []any{map[string]any{"type": "paragraph", "content": content}}},
		"body_html": html,
	}
}

// commentFixture is a work fixture with one task, a project member and a colleague not on the project.
type commentFixture struct {
	workFixture
	task             string
	member, outsider *browser
}

func newCommentFixture(t *testing.T, db *storetest.DB) commentFixture {
	t.Helper()
	srv := MustStart(t, db)
	f := commentFixture{workFixture: mustWorkFixture(t, srv)}
	f.task = f.mustCreateTask(t, map[string]any{"title": "Homepage"}).ID
	f.member, f.outsider = srv.MustSignUp(t, "Mia Member"), srv.MustSignUp(t, "Otto Outsider")
	mustJoin(t, db, f.orgID, f.member, "member")
	mustJoin(t, db, f.orgID, f.outsider, "member")
	mustAddToProject(t, db, f.orgID, f.project, f.member)
	return f
}

func (f commentFixture) comments() string { return f.path("/tasks/" + f.task + "/comments") }

func mustComment(t *testing.T, b *browser, path string, body map[string]any) commentJSON {
	t.Helper()
	res := b.Do(http.MethodPost, path, body)
	MustStatus(t, res, http.StatusCreated)
	var c commentJSON
	res.MustJSON(t, &c)
	return c
}

func TestComments(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("create_list_edit_delete_with_events_and_usage", func(t *testing.T) {
		f := newCommentFixture(t, db)
		c := mustComment(t, f.member, f.comments(), commentBody("Looks good", "<p>Looks good</p>"))
		assert.Equal(t, "Mia Member", c.AuthorName)
		assert.Equal(t, "<p>Looks good</p>", c.BodyHTML)
		assert.Empty(t, c.Mentions)

		res := f.owner.Do(http.MethodGet, f.comments(), nil)
		MustStatus(t, res, http.StatusOK)
		var list struct{ Data []commentJSON }
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, c.ID, list.Data[0].ID)

		res = f.member.Do(http.MethodPatch, f.comments()+"/"+c.ID, commentBody("Looks great", "<p>Looks great</p>"))
		MustStatus(t, res, http.StatusOK)
		var edited commentJSON
		res.MustJSON(t, &edited)
		assert.Equal(t, "<p>Looks great</p>", edited.BodyHTML)
		assert.NotNil(t, edited.EditedAt)

		MustStatus(t, f.member.Do(http.MethodDelete, f.comments()+"/"+c.ID, nil), http.StatusNoContent)
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM task_comments WHERE task_id = ?", f.task))
		events := mustEventTypes(t, db, f.orgID)
		assert.Contains(t, events, "comment.created")
		assert.Contains(t, events, "comment.updated")
		assert.Contains(t, events, "comment.deleted")
		assert.Equal(t, 1, mustUsage(t, db, f.orgID, "comments"))
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM task_audit_logs WHERE task_id = ? AND action LIKE '%comment%'", f.task))
	})

	t.Run("only_the_author_edits_and_only_author_or_tasks_delete_holders_delete", func(t *testing.T) {
		f := newCommentFixture(t, db)
		c := mustComment(t, f.owner, f.comments(), commentBody("Owner's note", "<p>Owner's note</p>"))
		MustProblem(t, f.member.Do(http.MethodPatch, f.comments()+"/"+c.ID, commentBody("Hijack", "<p>Hijack</p>")),
			http.StatusForbidden, "forbidden")
		MustProblem(t, f.member.Do(http.MethodDelete, f.comments()+"/"+c.ID, nil), http.StatusForbidden, "forbidden")
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM task_comments WHERE id = ?", c.ID))

		mine := mustComment(t, f.member, f.comments(), commentBody("Member's note", "<p>Member's note</p>"))
		MustProblem(t, f.owner.Do(http.MethodPatch, f.comments()+"/"+mine.ID, commentBody("Edited", "<p>Edited</p>")),
			http.StatusForbidden, "forbidden")
		MustStatus(t, f.owner.Do(http.MethodDelete, f.comments()+"/"+mine.ID, nil), http.StatusNoContent)
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM task_comments WHERE id = ?", mine.ID))
	})

	t.Run("mentions_of_project_members_record_events_and_others_are_refused", func(t *testing.T) {
		f := newCommentFixture(t, db)
		c := mustComment(t, f.owner, f.comments(), commentBody("Please check ", "<p>Please check "+
			`<span data-type="mention" data-id="`+f.member.User.ID+`">@Mia</span></p>`, f.member.User.ID))
		assert.Equal(t, []string{f.member.User.ID}, c.Mentions)
		assert.Contains(t, c.BodyHTML, `<span data-type="mention" data-id="`+f.member.User.ID+`">@Mia</span>`)
		assert.Equal(t, 1, mustCount(t, db, `SELECT count(*) FROM domain_events WHERE type = 'task.mentioned'
			AND entity_id = ? AND payload->>'mentioned_user_id' = ?`, f.task, f.member.User.ID))

		// Editing keeps the mention but adds none: nobody hears twice.
		MustStatus(t, f.owner.Do(http.MethodPatch, f.comments()+"/"+c.ID, commentBody("Again ", "<p>Again</p>",
			f.member.User.ID)), http.StatusOK)
		assert.Equal(t, 1, mustCount(t, db,
			"SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'task.mentioned'", f.orgID))

		before := mustSnapshotWork(t, db, f.orgID)
		for name, body := range map[string]map[string]any{
			"not_on_the_project":   commentBody("Hey ", "<p>Hey</p>", f.outsider.User.ID),
			"not_in_the_org":       commentBody("Hey ", "<p>Hey</p>", "0190f0f0-0000-7000-8000-000000000000"),
			"not_a_user_id":        commentBody("Hey ", "<p>Hey</p>", "robert'); DROP TABLE users;--"),
			"not_an_editor_doc":    {"body_json": map[string]any{"type": "paragraph"}, "body_html": "<p>x</p>"},
			"empty_after_sanitise": commentBody("", "<script>alert(1)</script>"),
		} {
			t.Run(name, func(t *testing.T) {
				MustProblem(t, f.owner.Do(http.MethodPost, f.comments(), body), http.StatusUnprocessableEntity, "validation_failed")
			})
		}
		MustProblem(t, f.owner.Do(http.MethodPatch, f.comments()+"/"+c.ID, commentBody("Hey ", "<p>Hey</p>", f.outsider.User.ID)),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, before, mustSnapshotWork(t, db, f.orgID))
	})

	t.Run("html_is_sanitised", func(t *testing.T) {
		f := newCommentFixture(t, db)
		evil := `<p onclick="steal()">Hi <script>alert(document.cookie)</script><img src=x onerror=alert(1)>` +
			`<a href="javascript:alert(1)">link</a><span data-type="mention" data-id="x" style="color:red">@X</span>` +
			`<iframe src="https://evil.example"></iframe><strong>bold</strong></p>`
		c := mustComment(t, f.member, f.comments(), commentBody("Hi", evil))
		for _, bad := range []string{"<script", "onclick", "onerror", "javascript:", "<iframe", "style=", `data-id="x"`} {
			assert.NotContains(t, strings.ToLower(c.BodyHTML), bad)
		}
		assert.Contains(t, c.BodyHTML, "<strong>bold</strong>")
		var stored string
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT body_html FROM task_comments WHERE id = ?", c.ID).Scan(t.Context(), &stored))
		assert.NotContains(t, stored, "<script")
	})

	t.Run("outsiders_and_a_task_through_another_project_answer_404", func(t *testing.T) {
		f := newCommentFixture(t, db)
		mustComment(t, f.owner, f.comments(), commentBody("Note", "<p>Note</p>"))
		MustProblem(t, f.outsider.Do(http.MethodGet, f.comments(), nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.outsider.Do(http.MethodPost, f.comments(), commentBody("x", "<p>x</p>")), http.StatusNotFound, "not_found")
		other := mustCreateProject(t, f.owner, f.orgID, "Other")
		MustProblem(t, f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/projects/"+other+"/tasks/"+f.task+"/comments", nil),
			http.StatusNotFound, "not_found")
	})
}
