package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

type searchSegmentJSON struct {
	Text  string `json:"text"`
	Match bool   `json:"match"`
}

type searchHitJSON struct {
	ID          string              `json:"id"`
	Type        string              `json:"type"`
	Title       []searchSegmentJSON `json:"title"`
	Snippet     []searchSegmentJSON `json:"snippet"`
	ProjectID   *string             `json:"project_id"`
	ProjectName *string             `json:"project_name"`
	TaskID      *string             `json:"task_id"`
	TaskNumber  *int                `json:"task_number"`
}

type searchJSON struct {
	Query  string `json:"query"`
	Groups []struct {
		Type        string          `json:"type"`
		Count       int             `json:"count"`
		CountCapped bool            `json:"count_capped"`
		Items       []searchHitJSON `json:"items"`
	} `json:"groups"`
}

// text joins segments back into their text.
func text(segs []searchSegmentJSON) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

// titles lists a group's hit titles in order; counts maps each group to its count.
func (r searchJSON) titles(kind string) []string {
	out := []string{}
	for _, g := range r.Groups {
		if g.Type == kind {
			for _, h := range g.Items {
				out = append(out, text(h.Title))
			}
		}
	}
	return out
}

func (r searchJSON) types() []string {
	out := []string{}
	for _, g := range r.Groups {
		out = append(out, g.Type)
	}
	return out
}

func (r searchJSON) count(kind string) int {
	for _, g := range r.Groups {
		if g.Type == kind {
			return g.Count
		}
	}
	return -1
}

// searchFixture is an agency with a client, a visible project (the member is on it) holding tasks, a
// comment and a file about a website, and a hidden project with its own "secret" website task, comment and
// file; plus another organization with a "victim" website task.
type searchFixture struct {
	owner, member         *browser
	orgID, orgB           string
	visible, hidden       string
	exact, prefix, inside string // task IDs
}

func mustSearchFixture(t *testing.T, db *storetest.DB, srv *testServer) searchFixture {
	t.Helper()
	f := searchFixture{owner: srv.MustSignUp(t, "Sam Owner"), member: srv.MustSignUp(t, "Mia Member")}
	f.orgID = f.owner.MustCreateOrg(uniqueName("Search Agency")).ID
	f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Wonder Websites", "company": "Wonder Ltd", "email": "hi@wonder.example"})
	f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Globex"})
	mustJoin(t, db, f.orgID, f.member, "member")
	f.visible = mustInsertProject(t, db, f.orgID, "Website relaunch", projectRow{})
	f.hidden = mustInsertProject(t, db, f.orgID, "Secret audit", projectRow{})
	mustAddToProject(t, db, f.orgID, f.visible, f.member)
	ids := mustInsertTasks(t, db, f.orgID, f.visible, []searchTask{
		{"Fix the footer on our website", ""},
		{"Website", ""},
		{"Newsletter", "<p>Update the <strong>website</strong> copy &amp; images</p>"},
		{"Website redesign homepage", ""},
	})
	f.inside, f.exact, f.prefix = ids[0], ids[1], ids[3]
	mustExec(t, db, `INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html)
		VALUES (?, ?, ?, ?, '{}', '<p>The <b>website</b> hero needs work &amp; polish</p>')`, uuid.NewString(), f.orgID, ids[2], f.owner.User.ID)
	mustExec(t, db, `INSERT INTO files (id, organization_id, project_id, task_id, name, content_type, size_bytes, storage_key)
		VALUES (?, ?, ?, ?, 'website-mockup.png', 'image/png', 1, ?)`, uuid.NewString(), f.orgID, f.visible, ids[1], uuid.NewString())
	secret := mustInsertTasks(t, db, f.orgID, f.hidden, []searchTask{{"Secret website task", "<p>secret website notes</p>"}})
	mustExec(t, db, `INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html)
		VALUES (?, ?, ?, ?, '{}', '<p>secret website comment</p>')`, uuid.NewString(), f.orgID, secret[0], f.owner.User.ID)
	mustExec(t, db, `INSERT INTO files (id, organization_id, project_id, name, content_type, size_bytes, storage_key)
		VALUES (?, ?, ?, 'secret-website.pdf', 'application/pdf', 1, ?)`, uuid.NewString(), f.orgID, f.hidden, uuid.NewString())

	other := srv.MustSignUp(t, "Bob Other")
	f.orgB = other.MustCreateOrg(uniqueName("Other Agency")).ID
	other.MustCreateClient(f.orgB, map[string]any{"name": "Victim Websites"})
	victim := mustInsertProject(t, db, f.orgB, "Victim website project", projectRow{})
	mustInsertTasks(t, db, f.orgB, victim, []searchTask{{"Victim website task", "<p>victim website</p>"}})
	return f
}

type searchTask struct{ title, html string }

// mustInsertTasks writes a board column with tasks into projectID and returns their IDs in order.
func mustInsertTasks(t *testing.T, db *storetest.DB, orgID, projectID string, tasks []searchTask) []string {
	t.Helper()
	column := uuid.NewString()
	mustExec(t, db, `INSERT INTO task_board_columns (id, organization_id, project_id, name, position) VALUES (?, ?, ?, 'To do', 'a')`,
		column, orgID, projectID)
	ids := make([]string, len(tasks))
	for i, task := range tasks {
		ids[i] = uuid.NewString()
		mustExec(t, db, `INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, description_html, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ids[i], orgID, projectID, column, i+1, task.title, task.html, "a"+string(rune('a'+i)))
	}
	return ids
}

func (f searchFixture) mustSearch(t *testing.T, b *browser, q string) searchJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/search?q="+url.QueryEscape(q), nil)
	MustStatus(t, res, http.StatusOK)
	var out searchJSON
	res.MustJSON(t, &out)
	return out
}

func TestSearch(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(10000))
	f := mustSearchFixture(t, db, srv)

	t.Run("results_are_grouped_by_type_with_counts", func(t *testing.T) {
		r := f.mustSearch(t, f.owner, "website")
		assert.Equal(t, "website", r.Query)
		assert.Equal(t, []string{"clients", "projects", "tasks", "comments", "files"}, r.types())
		assert.Equal(t, 1, r.count("clients"))
		assert.Equal(t, 1, r.count("projects"), "Website relaunch (the hidden one is not about websites)")
		assert.Equal(t, 5, r.count("tasks"), "four visible tasks and the secret one: the owner sees every project")
		assert.Equal(t, 2, r.count("comments"))
		assert.Equal(t, 2, r.count("files"))
		for _, g := range r.Groups {
			assert.False(t, g.CountCapped)
			assert.Len(t, g.Items, g.Count)
			for _, h := range g.Items {
				assert.Equal(t, g.Type, h.Type)
			}
		}
	})

	t.Run("exact_then_prefix_match_rank_first", func(t *testing.T) {
		titles := f.mustSearch(t, f.member, "website").titles("tasks")
		require.Len(t, titles, 4)
		assert.Equal(t, []string{"Website", "Website redesign homepage"}, titles[:2])
		assert.ElementsMatch(t, []string{"Fix the footer on our website", "Newsletter"}, titles[2:])
		assert.Equal(t, "Fix the footer on our website", titles[2], "a title match ranks before a description match")
	})

	t.Run("misspelt_word_and_three_letter_prefix_find_the_task", func(t *testing.T) {
		for _, q := range []string{"wbesite", "websiet", "web", "WEB", "redes", "website redesign", "homepage redesing"} {
			titles := f.mustSearch(t, f.member, q).titles("tasks")
			assert.Contains(t, titles, "Website redesign homepage", "q=%q", q)
		}
		assert.Empty(t, f.mustSearch(t, f.member, "zebra").titles("tasks"))
	})

	t.Run("match_is_highlighted_as_plain_text_segments", func(t *testing.T) {
		r := f.mustSearch(t, f.member, "web")
		var task, comment *searchHitJSON
		for i, g := range r.Groups {
			for j, h := range g.Items {
				switch {
				case h.Type == "tasks" && h.ID == f.prefix:
					task = &r.Groups[i].Items[j]
				case h.Type == "comments":
					comment = &r.Groups[i].Items[j]
				}
			}
		}
		require.NotNil(t, task)
		assert.Equal(t, []searchSegmentJSON{{"Web", true}, {"site redesign homepage", false}}, task.Title)
		require.NotNil(t, task.ProjectID)
		assert.Equal(t, f.visible, *task.ProjectID)
		assert.Equal(t, "Website relaunch", *task.ProjectName)
		require.NotNil(t, task.TaskID)
		assert.Equal(t, f.prefix, *task.TaskID)
		require.NotNil(t, comment)
		assert.Equal(t, "Newsletter", text(comment.Title), "a comment is titled by its task")
		snippet := text(comment.Snippet)
		assert.Contains(t, snippet, "The website hero needs work & polish", "tags dropped, entities decoded")
		assert.NotContains(t, snippet, "<")
		assert.Contains(t, comment.Snippet, searchSegmentJSON{"web", true})

		desc := f.mustSearch(t, f.member, "copy")
		require.Equal(t, []string{"Newsletter"}, desc.titles("tasks"))
		for _, g := range desc.Groups {
			if g.Type == "tasks" {
				assert.Equal(t, "Update the website copy & images", text(g.Items[0].Snippet))
				assert.Contains(t, g.Items[0].Snippet, searchSegmentJSON{"copy", true})
			}
		}
	})

	t.Run("a_hidden_project_contributes_nothing_to_a_member", func(t *testing.T) {
		r := f.mustSearch(t, f.member, "secret")
		for _, g := range r.Groups {
			assert.Zero(t, g.Count, "%s: %+v", g.Type, g.Items)
		}
		r = f.mustSearch(t, f.member, "website")
		assert.Equal(t, 4, r.count("tasks"))
		assert.Equal(t, 1, r.count("comments"))
		assert.Equal(t, 1, r.count("files"))
		assert.Equal(t, 1, r.count("projects"))
		res := f.member.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/search?q=secret+website", nil)
		assert.NotContains(t, strings.ToLower(string(res.Body)), "secret-website")
		assert.NotContains(t, string(res.Body), "Secret")
		// The owner does see it.
		assert.Equal(t, []string{"Secret website task"}, f.mustSearch(t, f.owner, "secret").titles("tasks"))
	})

	t.Run("another_tenant_never_appears", func(t *testing.T) {
		for _, b := range []*browser{f.owner, f.member} {
			for _, q := range []string{"victim", "vctim"} {
				for _, g := range f.mustSearch(t, b, q).Groups {
					assert.Zero(t, g.Count, "q=%s: %s %+v", q, g.Type, g.Items)
				}
			}
			res := b.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/search?q=website", nil)
			MustStatus(t, res, http.StatusOK)
			assert.NotContains(t, strings.ToLower(string(res.Body)), "victim")
		}
		MustProblem(t, f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgB+"/search?q=victim", nil), http.StatusNotFound, "not_found")
	})

	t.Run("a_missing_permission_hides_its_group", func(t *testing.T) {
		membership := mustMemberID(t, db, f.orgID, f.member)
		for _, p := range []string{"clients.read", "files.read"} {
			mustExec(t, db, `INSERT INTO member_permission_overrides (id, organization_id, membership_id, permission, granted)
				VALUES (?, ?, ?, ?, false)`, uuid.NewString(), f.orgID, membership, p)
		}
		r := f.mustSearch(t, f.member, "website")
		assert.Equal(t, []string{"projects", "tasks", "comments"}, r.types())
		mustExec(t, db, `DELETE FROM member_permission_overrides WHERE membership_id = ?`, membership)
		assert.Equal(t, []string{"clients", "projects", "tasks", "comments", "files"}, f.mustSearch(t, f.member, "website").types())
	})

	t.Run("a_client_contact_is_refused", func(t *testing.T) {
		// The portal is the contacts' view of their client's work (its own scoped routes); search is staff-only.
		contact := srv.MustSignUp(t, "Cara Contact")
		client := f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Contact Co"})
		mustExec(t, db, "UPDATE clients SET portal_enabled = true WHERE id = ?", client.ID)
		mustJoinContact(t, db, f.orgID, contact, client.ID)
		res := contact.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/search?q=website", nil)
		MustProblem(t, res, http.StatusForbidden, "forbidden")
		assert.NotContains(t, strings.ToLower(string(res.Body)), "website")
	})

	t.Run("bad_input_is_a_4xx", func(t *testing.T) {
		for _, q := range []string{"", "?q=", "?q=+++", "?q=" + strings.Repeat("a", 201), "?q=web&limit=0",
			"?q=web&limit=21", "?q=web&limit=x", "?q=" + strings.Repeat("é", 201)} {
			res := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/search"+q, nil)
			MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		}
		// Odd but valid queries are searched, never a 500.
		for _, q := range []string{"%", "_", `\`, "'", "!!!", "a", "web:*", "a & b | !c", "<script>", strings.Repeat("é", 200), "©©©©", "😀😀😀😀",
			"(", "\u0000x"} {
			res := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/search?q="+url.QueryEscape(q), nil)
			assert.Contains(t, []int{http.StatusOK, http.StatusUnprocessableEntity, http.StatusBadRequest}, res.Status, "q=%q: %s", q, res.Body)
		}
		assert.Empty(t, f.mustSearch(t, f.owner, "!!!").titles("tasks"))
		assert.Empty(t, f.mustSearch(t, f.owner, "%").titles("tasks"))
	})
}
