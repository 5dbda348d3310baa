package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// The portal's bodies as a client decodes them.
type portalProjectJSON struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Status        string  `json:"status"`
	DueDate       *string `json:"due_date"`
	AllowComments bool    `json:"allow_comments"`
	Progress      struct {
		Done  int `json:"done"`
		Total int `json:"total"`
	} `json:"progress"`
	Milestones []struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		TaskCount int    `json:"task_count"`
		Position  int    `json:"position"`
	} `json:"milestones"`
}

type portalTaskJSON struct {
	ID            string  `json:"id"`
	ProjectID     string  `json:"project_id"`
	Number        int     `json:"number"`
	Title         string  `json:"title"`
	Status        string  `json:"status"`
	ColumnID      string  `json:"column_id"`
	DueDate       *string `json:"due_date"`
	RequestedByMe bool    `json:"requested_by_me"`
	// Detail only.
	DescriptionHTML string `json:"description_html"`
	CanComment      bool   `json:"can_comment"`
	Comments        []struct {
		ID     string `json:"id"`
		Author struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"author"`
		BodyHTML   string `json:"body_html"`
		FromClient bool   `json:"from_client"`
	} `json:"comments"`
	Attachments []portalFileJSON `json:"attachments"`
}

type portalFileJSON struct {
	ID          string `json:"id"`
	ProjectID   string `json:"project_id"`
	ProjectName string `json:"project_name"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	SizeBytes   int64  `json:"size_bytes"`
}

type portalInvoiceJSON struct {
	ID         string `json:"id"`
	Number     int    `json:"number"`
	Status     string `json:"status"`
	Currency   string `json:"currency"`
	Total      int64  `json:"total"`
	AmountPaid int64  `json:"amount_paid"`
	AmountDue  int64  `json:"amount_due"`
	IssueDate  string `json:"issue_date"`
	DueDate    string `json:"due_date"`
}

type portalSummaryJSON struct {
	Client struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"client"`
	Projects     []portalProjectJSON `json:"projects"`
	RecentFiles  []portalFileJSON    `json:"recent_files"`
	OpenInvoices []portalInvoiceJSON `json:"open_invoices"`
	TotalsDue    []struct {
		Currency string `json:"currency"`
		Amount   int64  `json:"amount"`
	} `json:"totals_due"`
	NextDue []struct {
		TaskID    string `json:"task_id"`
		ProjectID string `json:"project_id"`
		Title     string `json:"title"`
		DueDate   string `json:"due_date"`
	} `json:"next_due"`
}

// portalFixture is an organization with two clients, Acme (A) and Bravo (B), whose portals are enabled:
// a contact of each; Acme's shared project (with a task, a normal and an internal comment, a shared and an
// unshared file), Acme's unshared project, Bravo's shared project (task, comment, shared file); a sent and
// a draft invoice to Acme and a sent invoice to Bravo.
type portalFixture struct {
	srv                           *testServer
	db                            *storetest.DB
	owner, contactA, contactB     *browser
	orgID, clientA, clientB       string
	projectA, hiddenA, projectB   string
	taskA, hiddenTaskA, taskB     string
	commentA, internalA, commentB string
	fileA, unsharedFileA, fileB   string
	hiddenFileA                   string
	invoiceA, draftA, invoiceB    string
}

func (f portalFixture) portal(rest string) string {
	return "/api/v1/orgs/" + f.orgID + "/portal" + rest
}

// mustJoinContact makes b a contact of clientID in orgID (role client), as accepting a contact invitation does.
func mustJoinContact(t *testing.T, db *storetest.DB, orgID string, b *browser, clientID string) {
	t.Helper()
	mustExec(t, db, "INSERT INTO organization_memberships (id, organization_id, user_id, role, client_id) VALUES (?, ?, ?, 'client', ?)",
		uuid.NewString(), orgID, b.User.ID, clientID)
}

func mustPortalFixture(t *testing.T, srv *testServer) portalFixture {
	t.Helper()
	db := srv.DB
	f := portalFixture{srv: srv, db: db, owner: srv.MustSignUp(t, "Olivia Owner")}
	f.orgID = f.owner.MustCreateOrg(uniqueName("Portal Agency")).ID
	f.clientA = f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Acme", "email": "ap@acme.example"}).ID
	f.clientB = f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Bravo Secret", "email": "ap@bravo.example"}).ID
	mustExec(t, db, "UPDATE clients SET portal_enabled = true, portal_enabled_at = now() WHERE organization_id = ?", f.orgID)
	f.contactA, f.contactB = srv.MustSignUp(t, "Alan Acme"), srv.MustSignUp(t, "Bea Bravo")
	mustJoinContact(t, db, f.orgID, f.contactA, f.clientA)
	mustJoinContact(t, db, f.orgID, f.contactB, f.clientB)

	f.projectA = f.owner.MustCreateProject(f.orgID, map[string]any{"name": "Acme website", "client_id": f.clientA,
		"status": "active", "hourly_rate": 98765}).ID
	f.hiddenA = f.owner.MustCreateProject(f.orgID, map[string]any{"name": "Acme internal Secret", "client_id": f.clientA}).ID
	mustExec(t, db, "UPDATE projects SET portal_shared = false WHERE id = ?", f.hiddenA)
	f.projectB = f.owner.MustCreateProject(f.orgID, map[string]any{"name": "Bravo Secret launch", "client_id": f.clientB}).ID

	f.taskA = f.mustStaffTask(t, f.projectA, map[string]any{"title": "Design homepage", "due_date": "2030-01-15"})
	f.hiddenTaskA = f.mustStaffTask(t, f.hiddenA, map[string]any{"title": "Secret margin review"})
	f.taskB = f.mustStaffTask(t, f.projectB, map[string]any{"title": "Bravo Secret task"})
	f.commentA = f.mustStaffComment(t, f.projectA, f.taskA, "Mock-ups are ready")
	f.internalA = f.mustStaffComment(t, f.projectA, f.taskA, "Secret: they pay late")
	mustExec(t, db, "UPDATE task_comments SET internal = true WHERE id = ?", f.internalA)
	f.commentB = f.mustStaffComment(t, f.projectB, f.taskB, "Bravo Secret comment")

	f.fileA = f.mustStaffFile(t, f.projectA, "", "brief.txt", "Acme brief", true)
	f.unsharedFileA = f.mustStaffFile(t, f.projectA, "", "Secret notes.txt", "Secret notes", false)
	f.hiddenFileA = f.mustStaffFile(t, f.hiddenA, "", "Secret plan.txt", "Secret plan", true)
	f.fileB = f.mustStaffFile(t, f.projectB, f.taskB, "Secret bravo.txt", "Bravo Secret", true)

	f.invoiceA = f.mustInvoice(t, f.clientA, f.projectA, "sent")
	f.draftA = f.mustInvoice(t, f.clientA, "", "draft")
	f.invoiceB = f.mustInvoice(t, f.clientB, "", "sent")
	return f
}

func (f portalFixture) staffPath(projectID, rest string) string {
	return "/api/v1/orgs/" + f.orgID + "/projects/" + projectID + rest
}

func (f portalFixture) mustStaffTask(t *testing.T, projectID string, body map[string]any) string {
	t.Helper()
	res := f.owner.Do(http.MethodPost, f.staffPath(projectID, "/tasks"), body)
	MustStatus(t, res, http.StatusCreated)
	var task taskJSON
	res.MustJSON(t, &task)
	return task.ID
}

func (f portalFixture) mustStaffComment(t *testing.T, projectID, taskID, text string) string {
	t.Helper()
	res := f.owner.Do(http.MethodPost, f.staffPath(projectID, "/tasks/"+taskID+"/comments"), commentBody(text, "<p>"+text+"</p>"))
	MustStatus(t, res, http.StatusCreated)
	var c struct{ ID string }
	res.MustJSON(t, &c)
	return c.ID
}

func (f portalFixture) mustStaffFile(t *testing.T, projectID, taskID, name, content string, shared bool) string {
	t.Helper()
	file := mustUpload(t, f.owner, f.staffPath(projectID, "/files"), name, []byte(content), taskID)
	mustExec(t, f.db, "UPDATE files SET shared_with_client = ? WHERE id = ?", shared, file.ID)
	return file.ID
}

// mustInvoice creates an invoice of 100.00 to clientID and puts it in status.
func (f portalFixture) mustInvoice(t *testing.T, clientID, projectID, status string) string {
	t.Helper()
	body := crossTenantInvoice(clientID)
	body["lines"] = []map[string]any{{"description": "Design work", "quantity_milli": 1000, "unit_price": 10000}}
	if projectID != "" {
		body["project_id"] = projectID
	}
	res := f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/invoices", body)
	MustStatus(t, res, http.StatusCreated)
	var inv invoiceJSON
	res.MustJSON(t, &inv)
	if status != "draft" {
		mustExec(t, f.db, `UPDATE invoices SET status = ?, sent_at = now(), public_token_hash = decode(md5(random()::text), 'hex')
			WHERE id = ?`, status, inv.ID)
	}
	return inv.ID
}

// uploadAttachment posts content as the multipart file part of a portal attachment.
func uploadAttachment(b *browser, path, name string, content []byte) *response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", name)
	require.NoError(b.t, err)
	_, err = part.Write(content)
	require.NoError(b.t, err)
	require.NoError(b.t, w.Close())
	return b.Do(http.MethodPost, path, body.Bytes(), header{"Content-Type", w.FormDataContentType()})
}

func mustGetJSON(t *testing.T, b *browser, path string, v any) {
	t.Helper()
	res := b.Do(http.MethodGet, path, nil)
	MustStatus(t, res, http.StatusOK)
	res.MustJSON(t, v)
}

// mustEventCount counts orgID's domain events of type typ about entityID.
func mustEventCount(t *testing.T, db *storetest.DB, orgID, typ, entityID string) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT count(*) FROM domain_events
		WHERE organization_id = ? AND type = ? AND entity_id = ?`, orgID, typ, entityID).Scan(context.Background(), &n))
	return n
}

// TestPortalContactJourney walks a contact through every portal route.
func TestPortalContactJourney(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	f := mustPortalFixture(t, srv)
	a := f.contactA

	t.Run("summary_shows_the_clients_own_shared_work", func(t *testing.T) {
		var sum portalSummaryJSON
		mustGetJSON(t, a, f.portal(""), &sum)
		assert.Equal(t, f.clientA, sum.Client.ID)
		assert.Equal(t, "Acme", sum.Client.Name)
		require.Len(t, sum.Projects, 1)
		assert.Equal(t, f.projectA, sum.Projects[0].ID)
		assert.Equal(t, 1, sum.Projects[0].Progress.Total)
		require.Len(t, sum.RecentFiles, 1)
		assert.Equal(t, f.fileA, sum.RecentFiles[0].ID)
		require.Len(t, sum.OpenInvoices, 1)
		assert.Equal(t, f.invoiceA, sum.OpenInvoices[0].ID)
		assert.EqualValues(t, 10000, sum.OpenInvoices[0].AmountDue)
		require.Len(t, sum.TotalsDue, 1)
		assert.EqualValues(t, 10000, sum.TotalsDue[0].Amount)
		require.Len(t, sum.NextDue, 1)
		assert.Equal(t, f.taskA, sum.NextDue[0].TaskID)
		assert.Equal(t, "2030-01-15", sum.NextDue[0].DueDate)
		res := a.Do(http.MethodGet, f.portal(""), nil)
		assert.NotContains(t, string(res.Body), "Secret")
		assert.NotContains(t, string(res.Body), "98765", "the hourly rate is internal")
	})

	t.Run("projects_list_and_detail_with_milestones", func(t *testing.T) {
		var list struct{ Data []portalProjectJSON }
		mustGetJSON(t, a, f.portal("/projects"), &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, "Acme website", list.Data[0].Name)
		assert.True(t, list.Data[0].AllowComments)
		var p portalProjectJSON
		mustGetJSON(t, a, f.portal("/projects/"+f.projectA), &p)
		require.NotEmpty(t, p.Milestones)
		assert.Equal(t, 0, p.Milestones[0].Position)
		assert.Equal(t, 1, p.Milestones[0].TaskCount, "the task is in the first column")
	})

	t.Run("task_detail_hides_internal_comments", func(t *testing.T) {
		var list struct{ Data []portalTaskJSON }
		mustGetJSON(t, a, f.portal("/projects/"+f.projectA+"/tasks"), &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, "Design homepage", list.Data[0].Title)
		assert.NotEmpty(t, list.Data[0].Status)
		res := a.Do(http.MethodGet, f.portal("/projects/"+f.projectA+"/tasks/"+f.taskA), nil)
		MustStatus(t, res, http.StatusOK)
		assert.NotContains(t, string(res.Body), "Secret")
		var task portalTaskJSON
		res.MustJSON(t, &task)
		require.Len(t, task.Comments, 1)
		assert.Equal(t, f.commentA, task.Comments[0].ID)
		assert.False(t, task.Comments[0].FromClient)
		assert.Equal(t, "Olivia Owner", task.Comments[0].Author.Name)
		assert.True(t, task.CanComment)
	})

	t.Run("comment_is_stored_as_escaped_paragraphs_and_announced", func(t *testing.T) {
		res := a.Do(http.MethodPost, f.portal("/projects/"+f.projectA+"/tasks/"+f.taskA+"/comments"),
			map[string]any{"body": "Looks great!\n\n<script>alert(1)</script> & more"})
		MustStatus(t, res, http.StatusCreated)
		var c struct {
			ID         string `json:"id"`
			BodyHTML   string `json:"body_html"`
			FromClient bool   `json:"from_client"`
		}
		res.MustJSON(t, &c)
		assert.Equal(t, "<p>Looks great!</p><p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>", c.BodyHTML)
		assert.True(t, c.FromClient)
		assert.Equal(t, 1, mustEventCount(t, db, f.orgID, "comment.created", c.ID))
		var staff struct {
			Data []struct {
				ID       string `json:"id"`
				AuthorID string `json:"author_id"`
			} `json:"data"`
		}
		mustGetJSON(t, f.owner, f.staffPath(f.projectA, "/tasks/"+f.taskA+"/comments"), &staff)
		require.Len(t, staff.Data, 3)
		assert.Equal(t, a.User.ID, staff.Data[2].AuthorID)
	})

	t.Run("files_list_and_download", func(t *testing.T) {
		var list struct{ Data []portalFileJSON }
		mustGetJSON(t, a, f.portal("/files"), &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, f.fileA, list.Data[0].ID)
		assert.Equal(t, "Acme website", list.Data[0].ProjectName)
		mustGetJSON(t, a, f.portal("/files?project_id="+f.projectA), &list)
		require.Len(t, list.Data, 1)
		res := a.Do(http.MethodGet, f.portal("/files/"+f.fileA+"/download"), nil)
		MustStatus(t, res, http.StatusOK)
		assert.Equal(t, "Acme brief", string(res.Body))
	})

	t.Run("invoices_list_sent_ones_and_render_the_pdf", func(t *testing.T) {
		var list struct{ Data []portalInvoiceJSON }
		res := a.Do(http.MethodGet, f.portal("/invoices"), nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 1, "the draft never reaches the portal")
		assert.Equal(t, f.invoiceA, list.Data[0].ID)
		assert.Equal(t, "sent", list.Data[0].Status)
		for _, internal := range []string{"notes", "client_id", "project_id", "lines", "payments", "public"} {
			assert.NotContains(t, string(res.Body), internal)
		}
		pdf := a.Do(http.MethodGet, f.portal("/invoices/"+f.invoiceA+"/pdf"), nil)
		MustStatus(t, pdf, http.StatusOK)
		assert.Equal(t, "application/pdf", pdf.Header.Get("Content-Type"))
		assert.True(t, bytes.HasPrefix(pdf.Body, []byte("%PDF")))
		assert.Contains(t, string(pdf.Body), "Design work")
	})

	var request portalTaskJSON
	t.Run("request_becomes_a_task_in_the_intake_column", func(t *testing.T) {
		res := a.Do(http.MethodPost, f.portal("/requests"), map[string]any{"project_id": f.projectA,
			"title": "  Add a careers page ", "description": "We are hiring.\nTwo roles."})
		MustStatus(t, res, http.StatusCreated)
		res.MustJSON(t, &request)
		assert.Equal(t, "Add a careers page", request.Title)
		assert.True(t, request.RequestedByMe)
		var cols struct{ Data []columnJSON }
		mustGetJSON(t, f.owner, f.staffPath(f.projectA, "/columns"), &cols)
		assert.Equal(t, cols.Data[0].ID, request.ColumnID, "the intake column is the first one")
		staffTask := workFixture{owner: f.owner, orgID: f.orgID, project: f.projectA}.mustTask(t, request.ID)
		assert.Equal(t, "<p>We are hiring.<br>Two roles.</p>", staffTask.Description.HTML)
		assert.Equal(t, 2, staffTask.Number)
		var requester, creator string
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT requester_id::text, created_by::text FROM tasks WHERE id = ?", request.ID).
			Scan(context.Background(), &requester, &creator))
		assert.Equal(t, a.User.ID, requester)
		assert.Equal(t, a.User.ID, creator)
		assert.Equal(t, 1, mustEventCount(t, db, f.orgID, "task.created", request.ID))
		assert.Equal(t, 1, mustEventCount(t, db, f.orgID, "task.requested", request.ID))
	})

	t.Run("attachment_on_own_request_is_shared", func(t *testing.T) {
		res := uploadAttachment(a, f.portal("/requests/"+request.ID+"/attachments"), "logo.png", pngBytes)
		MustStatus(t, res, http.StatusCreated)
		var file portalFileJSON
		res.MustJSON(t, &file)
		assert.Equal(t, "image/png", file.ContentType)
		assert.Equal(t, f.projectA, file.ProjectID)
		var task portalTaskJSON
		mustGetJSON(t, a, f.portal("/projects/"+f.projectA+"/tasks/"+request.ID), &task)
		require.Len(t, task.Attachments, 1)
		assert.Equal(t, file.ID, task.Attachments[0].ID)
		dl := a.Do(http.MethodGet, f.portal("/files/"+file.ID+"/download"), nil)
		MustStatus(t, dl, http.StatusOK)
		assert.Equal(t, pngBytes, dl.Body)
		// Not theirs: the staff task, which they may see but did not request.
		MustProblem(t, uploadAttachment(a, f.portal("/requests/"+f.taskA+"/attachments"), "x.png", pngBytes),
			http.StatusNotFound, "not_found")
		MustProblem(t, uploadAttachment(a, f.portal("/requests/"+request.ID+"/attachments"), "x.html",
			[]byte("<html><script>alert(1)</script></html>")), http.StatusUnsupportedMediaType, "unsupported_media_type")
	})

	t.Run("contact_sees_the_status_change_of_their_request", func(t *testing.T) {
		var cols struct{ Data []columnJSON }
		mustGetJSON(t, f.owner, f.staffPath(f.projectA, "/columns"), &cols)
		last := cols.Data[len(cols.Data)-1]
		MustStatus(t, f.owner.Do(http.MethodPost, f.staffPath(f.projectA, "/tasks/"+request.ID+"/move"),
			map[string]any{"column_id": last.ID}), http.StatusOK)
		var list struct{ Data []portalTaskJSON }
		mustGetJSON(t, a, f.portal("/requests"), &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, request.ID, list.Data[0].ID)
		assert.Equal(t, last.Name, list.Data[0].Status)
		// Bravo's contact has no requests, and never sees Acme's.
		mustGetJSON(t, f.contactB, f.portal("/requests"), &list)
		assert.Empty(t, list.Data)
	})
}

// TestPortalClientIsolation is a security regression suite: keep it forever. A contact of client A aims
// every portal route at client B's records (same organization), at A's own unshared project and at an
// unshared file; each must answer exactly like a missing record and change nothing.
func TestPortalClientIsolation(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	f := mustPortalFixture(t, srv)
	missing := uuid.NewString()

	type route struct {
		name, method, path string
		body               any
		upload             bool
	}
	var routes []route
	for _, target := range []struct{ name, project, task string }{
		{"client_B_project", f.projectB, f.taskB},
		{"unshared_project_of_A", f.hiddenA, f.hiddenTaskA},
	} {
		p := f.portal("/projects/" + target.project)
		routes = append(routes,
			route{"GET_" + target.name, http.MethodGet, p, nil, false},
			route{"GET_tasks_of_" + target.name, http.MethodGet, p + "/tasks", nil, false},
			route{"GET_task_of_" + target.name, http.MethodGet, p + "/tasks/" + target.task, nil, false},
			route{"POST_comment_on_task_of_" + target.name, http.MethodPost, p + "/tasks/" + target.task + "/comments",
				map[string]any{"body": "Planted"}, false},
			route{"GET_task_of_" + target.name + "_through_project_A", http.MethodGet,
				f.portal("/projects/" + f.projectA + "/tasks/" + target.task), nil, false},
			route{"POST_comment_on_task_of_" + target.name + "_through_project_A", http.MethodPost,
				f.portal("/projects/" + f.projectA + "/tasks/" + target.task + "/comments"), map[string]any{"body": "Planted"}, false},
			route{"GET_files_of_" + target.name, http.MethodGet, f.portal("/files?project_id=" + target.project), nil, false},
			route{"POST_request_into_" + target.name, http.MethodPost, f.portal("/requests"),
				map[string]any{"project_id": target.project, "title": "Planted"}, false},
			route{"POST_attachment_on_task_of_" + target.name, http.MethodPost,
				f.portal("/requests/" + target.task + "/attachments"), nil, true},
		)
	}
	for _, file := range []struct{ name, id string }{
		{"client_B_file", f.fileB}, {"unshared_file_of_A", f.unsharedFileA}, {"shared_file_of_unshared_project_of_A", f.hiddenFileA},
	} {
		routes = append(routes, route{"GET_download_of_" + file.name, http.MethodGet, f.portal("/files/" + file.id + "/download"), nil, false})
	}
	for _, inv := range []struct{ name, id string }{{"client_B_invoice", f.invoiceB}, {"draft_invoice_of_A", f.draftA}} {
		routes = append(routes, route{"GET_pdf_of_" + inv.name, http.MethodGet, f.portal("/invoices/" + inv.id + "/pdf"), nil, false})
	}
	// What "missing" looks like: the same route with every foreign ID replaced by one that exists nowhere.
	foreign := []string{f.projectB, f.taskB, f.hiddenA, f.hiddenTaskA, f.fileB, f.unsharedFileA, f.hiddenFileA, f.invoiceB, f.draftA}
	nowhere := func(s string) string {
		for _, id := range foreign {
			s = strings.ReplaceAll(s, id, missing)
		}
		return s
	}
	// send makes the route's call, aimed at nothing when missing.
	send := func(b *browser, r route, missing bool) *response {
		path, body := r.path, r.body
		if missing {
			path = nowhere(path)
			if m, ok := body.(map[string]any); ok && m["project_id"] != nil {
				body = map[string]any{"project_id": nowhere(m["project_id"].(string)), "title": "Planted"}
			}
		}
		if r.upload {
			return uploadAttachment(b, path, "planted.png", pngBytes)
		}
		return b.Do(r.method, path, body)
	}

	for _, r := range routes {
		t.Run("contact_of_A_gets_404_for_"+r.name, func(t *testing.T) {
			before := MustSnapshotOrg(t, db, f.orgID)

			res := send(f.contactA, r, false)

			p := MustProblem(t, res, http.StatusNotFound, "not_found")
			assert.NotContains(t, string(res.Body), "Secret")
			assert.Equal(t, before, MustSnapshotOrg(t, db, f.orgID), "the organization's rows changed")
			gone := MustProblem(t, send(f.contactA, r, true), http.StatusNotFound, "not_found")
			assert.Equal(t, gone.Detail, p.Detail, "another client's record must look exactly like a missing one")
		})
	}

	t.Run("lists_never_show_client_B", func(t *testing.T) {
		for _, path := range []string{"", "/projects", "/files", "/invoices", "/requests"} {
			res := f.contactA.Do(http.MethodGet, f.portal(path), nil)
			MustStatus(t, res, http.StatusOK)
			for _, id := range []string{f.projectB, f.hiddenA, f.taskB, f.fileB, f.unsharedFileA, f.invoiceB, f.draftA, f.clientB} {
				assert.NotContains(t, string(res.Body), id, "GET portal%s", path)
			}
			assert.NotContains(t, string(res.Body), "Secret", "GET portal%s", path)
		}
	})

	t.Run("a_client_id_in_the_query_does_not_switch_a_contacts_client", func(t *testing.T) {
		var sum portalSummaryJSON
		mustGetJSON(t, f.contactA, f.portal("?client_id="+f.clientB), &sum)
		assert.Equal(t, f.clientA, sum.Client.ID)
		MustProblem(t, f.contactA.Do(http.MethodGet, f.portal("/projects/"+f.projectB+"?client_id="+f.clientB), nil),
			http.StatusNotFound, "not_found")
	})

	t.Run("a_membership_without_the_client_shows_nothing", func(t *testing.T) {
		// The store checks the client against the membership itself: a contact moved to client B sees B's
		// portal, never A's any more.
		other := srv.MustSignUp(t, "Moved Contact")
		mustJoinContact(t, db, f.orgID, other, f.clientB)
		MustProblem(t, other.Do(http.MethodGet, f.portal("/projects/"+f.projectA), nil), http.StatusNotFound, "not_found")
	})
}

// TestPortalAccess covers who may open the portal and the bad input it refuses.
func TestPortalAccess(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	f := mustPortalFixture(t, srv)

	t.Run("staff_preview_with_client_id", func(t *testing.T) {
		var sum portalSummaryJSON
		mustGetJSON(t, f.owner, f.portal("?client_id="+f.clientA), &sum)
		assert.Equal(t, "Acme", sum.Client.Name)
		require.Len(t, sum.Projects, 1)
		assert.Equal(t, f.projectA, sum.Projects[0].ID)
		var task portalTaskJSON
		mustGetJSON(t, f.owner, f.portal("/projects/"+f.projectA+"/tasks/"+f.taskA+"?client_id="+f.clientA), &task)
		assert.Len(t, task.Comments, 1, "the preview hides internal comments too")
		assert.False(t, task.CanComment, "the preview is read-only")
		MustProblem(t, f.owner.Do(http.MethodGet, f.portal("/projects/"+f.projectB+"?client_id="+f.clientA), nil),
			http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodPost, f.portal("/requests?client_id="+f.clientA),
			map[string]any{"project_id": f.projectA, "title": "From staff"}), http.StatusForbidden, "forbidden")
		MustProblem(t, f.owner.Do(http.MethodGet, f.portal("?client_id="+uuid.NewString()), nil), http.StatusNotFound, "not_found")
		p := MustProblem(t, f.owner.Do(http.MethodGet, f.portal(""), nil), http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Locations(), "query.client_id")
	})

	t.Run("staff_preview_keeps_the_staff_members_project_visibility", func(t *testing.T) {
		member := srv.MustSignUp(t, "Mia Member")
		mustJoin(t, db, f.orgID, member, "member")
		var sum portalSummaryJSON
		mustGetJSON(t, member, f.portal("?client_id="+f.clientA), &sum)
		assert.Empty(t, sum.Projects, "a member not on the project does not see it in the preview either")
		MustProblem(t, member.Do(http.MethodGet, f.portal("/projects/"+f.projectA+"?client_id="+f.clientA), nil),
			http.StatusNotFound, "not_found")
		MustProblem(t, member.Do(http.MethodGet, f.portal("/invoices?client_id="+f.clientA), nil),
			http.StatusForbidden, "forbidden")
	})

	t.Run("staff_without_clients_read_is_refused", func(t *testing.T) {
		member := srv.MustSignUp(t, "No Clients")
		mustJoin(t, db, f.orgID, member, "member")
		MustStatus(t, f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.orgID+"/members/"+mustMemberOf(t, f.owner, f.orgID, member).ID+"/permissions",
			map[string]any{"overrides": []map[string]any{{"permission": "clients.read", "granted": false}}}), http.StatusOK)
		MustProblem(t, member.Do(http.MethodGet, f.portal("?client_id="+f.clientA), nil), http.StatusForbidden, "forbidden")
	})

	t.Run("portal_disabled_is_refused", func(t *testing.T) {
		mustExec(t, db, "UPDATE clients SET portal_enabled = false WHERE id = ?", f.clientB)
		defer mustExec(t, db, "UPDATE clients SET portal_enabled = true WHERE id = ?", f.clientB)
		for _, path := range []string{"", "/projects", "/projects/" + f.projectB, "/files", "/invoices", "/requests"} {
			p := MustProblem(t, f.contactB.Do(http.MethodGet, f.portal(path), nil), http.StatusForbidden, "forbidden")
			assert.Equal(t, "The portal is not enabled for your account yet.", p.Detail)
		}
		MustProblem(t, f.owner.Do(http.MethodGet, f.portal("?client_id="+f.clientB), nil), http.StatusForbidden, "forbidden")
	})

	t.Run("contact_without_a_client_is_refused", func(t *testing.T) {
		legacy := srv.MustSignUp(t, "Legacy Client")
		mustJoin(t, db, f.orgID, legacy, "client")
		p := MustProblem(t, legacy.Do(http.MethodGet, f.portal(""), nil), http.StatusForbidden, "forbidden")
		assert.Equal(t, "The portal is not enabled for your account yet.", p.Detail)
	})

	t.Run("comments_refused_where_the_project_disallows_them", func(t *testing.T) {
		mustExec(t, db, "UPDATE projects SET portal_comments = false WHERE id = ?", f.projectA)
		defer mustExec(t, db, "UPDATE projects SET portal_comments = true WHERE id = ?", f.projectA)
		before := MustSnapshotOrg(t, db, f.orgID)
		MustProblem(t, f.contactA.Do(http.MethodPost, f.portal("/projects/"+f.projectA+"/tasks/"+f.taskA+"/comments"),
			map[string]any{"body": "Hello"}), http.StatusForbidden, "forbidden")
		assert.Equal(t, before, MustSnapshotOrg(t, db, f.orgID))
		var task portalTaskJSON
		mustGetJSON(t, f.contactA, f.portal("/projects/"+f.projectA+"/tasks/"+f.taskA), &task)
		assert.False(t, task.CanComment)
	})

	t.Run("bad_input", func(t *testing.T) {
		requests := f.portal("/requests")
		for _, tc := range []struct {
			name     string
			method   string
			path     string
			body     any
			status   int
			code     string
			location string
		}{
			{"empty_title", http.MethodPost, requests, map[string]any{"project_id": f.projectA, "title": ""},
				http.StatusUnprocessableEntity, "validation_failed", "body.title"},
			{"blank_title", http.MethodPost, requests, map[string]any{"project_id": f.projectA, "title": "   "},
				http.StatusUnprocessableEntity, "validation_failed", "body.title"},
			{"huge_description", http.MethodPost, requests, map[string]any{"project_id": f.projectA, "title": "Big",
				"description": strings.Repeat("x", 10001)}, http.StatusUnprocessableEntity, "validation_failed", "body.description"},
			{"project_id_not_a_uuid", http.MethodPost, requests, map[string]any{"project_id": "nope", "title": "Hi"},
				http.StatusUnprocessableEntity, "validation_failed", "body.project_id"},
			{"project_id_unknown", http.MethodPost, requests, map[string]any{"project_id": uuid.NewString(), "title": "Hi"},
				http.StatusNotFound, "not_found", ""},
			{"empty_comment", http.MethodPost, f.portal("/projects/" + f.projectA + "/tasks/" + f.taskA + "/comments"),
				map[string]any{"body": "  "}, http.StatusUnprocessableEntity, "validation_failed", "body.body"},
			{"huge_comment", http.MethodPost, f.portal("/projects/" + f.projectA + "/tasks/" + f.taskA + "/comments"),
				map[string]any{"body": strings.Repeat("x", 10001)}, http.StatusUnprocessableEntity, "validation_failed", "body.body"},
			{"project_not_a_uuid", http.MethodGet, f.portal("/projects/not-a-uuid"), nil, http.StatusNotFound, "not_found", ""},
			{"task_not_a_uuid", http.MethodGet, f.portal("/projects/" + f.projectA + "/tasks/nope"), nil, http.StatusNotFound, "not_found", ""},
			{"file_not_a_uuid", http.MethodGet, f.portal("/files/nope/download"), nil, http.StatusNotFound, "not_found", ""},
			{"invoice_not_a_uuid", http.MethodGet, f.portal("/invoices/nope/pdf"), nil, http.StatusNotFound, "not_found", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, f.orgID)
				p := MustProblem(t, f.contactA.Do(tc.method, tc.path, tc.body), tc.status, tc.code)
				if tc.location != "" {
					assert.Contains(t, p.Locations(), tc.location)
				}
				assert.Equal(t, before, MustSnapshotOrg(t, db, f.orgID))
			})
		}
	})

	t.Run("contacts_reach_no_staff_route", func(t *testing.T) {
		MustProblem(t, f.contactA.Do(http.MethodGet, f.staffPath(f.projectA, "/tasks"), nil), http.StatusForbidden, "forbidden")
	})

	// Last: it narrows the organization's client role.
	t.Run("the_client_roles_permissions_hold_in_the_portal", func(t *testing.T) {
		roles := "/api/v1/orgs/" + f.orgID + "/roles/client"
		MustStatus(t, f.owner.Do(http.MethodPut, roles, map[string]any{"permissions": []string{"projects.read", "invoices.read"}}),
			http.StatusOK)
		for _, path := range []string{"/projects/" + f.projectA + "/tasks", "/projects/" + f.projectA + "/tasks/" + f.taskA,
			"/files", "/files/" + f.fileA + "/download", "/requests"} {
			MustProblem(t, f.contactA.Do(http.MethodGet, f.portal(path), nil), http.StatusForbidden, "forbidden")
		}
		MustStatus(t, f.contactA.Do(http.MethodGet, f.portal("/projects/"+f.projectA), nil), http.StatusOK)
		var sum portalSummaryJSON
		mustGetJSON(t, f.contactA, f.portal(""), &sum)
		assert.Len(t, sum.Projects, 1)
		assert.Empty(t, sum.RecentFiles, "no files.read: the summary lists no files")
		assert.Empty(t, sum.NextDue, "no tasks.read: the summary lists no tasks")
		assert.NotEmpty(t, sum.OpenInvoices, "invoices.read kept")
	})
}
