package api

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// The client portal: what a client's contacts see of their agency's work, under
// /api/v1/orgs/{org_id}/portal. A contact sees their own client's portal; a staff member holding
// clients.read previews a client's portal with ?client_id=. Every route is x-portal (contacts may call it)
// and needs the client_portal plan feature. The portal rule itself lives in the store (store/portal.go):
// another client's, an unshared or a missing record all answer 404 alike.

// PortalQuery is the portal's scope: the organization and, for a staff preview, the client.
type PortalQuery struct {
	OrgID    string `path:"org_id" format:"uuid" doc:"Organization ID."`
	ClientID string `query:"client_id" format:"uuid" doc:"Staff only (needs clients.read): the client whose portal to preview. Ignored for client contacts."`
}

// PortalProjectPath addresses a portal project.
type PortalProjectPath struct {
	PortalQuery
	ProjectID string `path:"project_id" format:"uuid" doc:"Project ID."`
}

// PortalTaskPath addresses a task of a portal project.
type PortalTaskPath struct {
	PortalProjectPath
	TaskID string `path:"task_id" format:"uuid" doc:"Task ID."`
}

// PortalClientRef names the client whose portal this is.
type PortalClientRef struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name"`
}

// PortalProgress counts a project's tasks and those done.
type PortalProgress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// PortalProject is a project as its client sees it.
type PortalProject struct {
	ID            string         `json:"id" format:"uuid"`
	Name          string         `json:"name"`
	Description   string         `json:"description"`
	Status        string         `json:"status" enum:"planning,active,on_hold,completed,cancelled"`
	StartDate     *string        `json:"start_date" format:"date" nullable:"true"`
	DueDate       *string        `json:"due_date" format:"date" nullable:"true"`
	Progress      PortalProgress `json:"progress"`
	AllowComments bool           `json:"allow_comments" doc:"Contacts may comment on this project's tasks."`
}

func portalProjectFrom(p domain.PortalProject) PortalProject {
	return PortalProject{ID: p.ID, Name: p.Name, Description: p.Description, Status: p.Status,
		StartDate: dateString(p.StartDate), DueDate: dateString(p.DueDate),
		Progress: PortalProgress{Done: p.Done, Total: p.Total}, AllowComments: p.AllowComments}
}

// PortalMilestone is a stage of the project (a board column) with its number of tasks.
type PortalMilestone struct {
	ID        string `json:"id" format:"uuid"`
	Name      string `json:"name"`
	TaskCount int    `json:"task_count"`
	Position  int    `json:"position" doc:"Order on the board, from 0."`
}

// PortalProjectDetail is a portal project with its milestones.
type PortalProjectDetail struct {
	PortalProject
	Milestones []PortalMilestone `json:"milestones"`
}

// PortalTask is a task of a portal project; status is its column's name.
type PortalTask struct {
	ID            string    `json:"id" format:"uuid"`
	ProjectID     string    `json:"project_id" format:"uuid"`
	Number        int       `json:"number"`
	Title         string    `json:"title"`
	Status        string    `json:"status" doc:"The name of the task's column."`
	ColumnID      string    `json:"column_id" format:"uuid"`
	Priority      string    `json:"priority" enum:"low,medium,high,urgent"`
	DueDate       *string   `json:"due_date" format:"date" nullable:"true"`
	CompletedAt   *string   `json:"completed_at" format:"date-time" nullable:"true"`
	RequestedByMe bool      `json:"requested_by_me"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func portalTaskFrom(t domain.PortalTask) PortalTask {
	out := PortalTask{ID: t.ID, ProjectID: t.ProjectID, Number: t.Number, Title: t.Title, Status: t.Status,
		ColumnID: t.ColumnID, Priority: t.Priority, DueDate: dateString(t.DueDate), RequestedByMe: t.RequestedByMe,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	if t.CompletedAt != nil {
		s := t.CompletedAt.UTC().Format(time.RFC3339)
		out.CompletedAt = &s
	}
	return out
}

// PortalAuthor is who wrote a comment.
type PortalAuthor struct {
	ID   string `json:"id" doc:"Empty when the author's account was deleted."`
	Name string `json:"name"`
}

// PortalComment is a comment a contact may read (never an internal one). body_html is sanitised.
type PortalComment struct {
	ID         string       `json:"id" format:"uuid"`
	Author     PortalAuthor `json:"author"`
	BodyHTML   string       `json:"body_html"`
	CreatedAt  time.Time    `json:"created_at"`
	FromClient bool         `json:"from_client" doc:"Written by a client contact."`
}

func portalCommentFrom(c domain.PortalComment) PortalComment {
	return PortalComment{ID: c.ID, Author: PortalAuthor{ID: c.AuthorID, Name: c.AuthorName}, BodyHTML: c.BodyHTML,
		CreatedAt: c.CreatedAt, FromClient: c.FromClient}
}

// PortalFile is a file shared with the client; download it through download-portal-file.
type PortalFile struct {
	ID          string    `json:"id" format:"uuid"`
	ProjectID   string    `json:"project_id" format:"uuid"`
	ProjectName string    `json:"project_name"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	CreatedAt   time.Time `json:"created_at"`
}

func portalFileFrom(f domain.PortalFile) PortalFile {
	return PortalFile{ID: f.ID, ProjectID: f.ProjectID, ProjectName: f.ProjectName, Name: f.Name,
		ContentType: f.ContentType, SizeBytes: f.SizeBytes, CreatedAt: f.CreatedAt}
}

// PortalTaskDetail is a portal task with its description, comments and attachments.
type PortalTaskDetail struct {
	PortalTask
	DescriptionHTML string          `json:"description_html" doc:"Sanitised HTML."`
	Comments        []PortalComment `json:"comments"`
	Attachments     []PortalFile    `json:"attachments"`
	CanComment      bool            `json:"can_comment"`
}

// PortalInvoice is an invoice sent to the client; amounts are in minor units of currency.
type PortalInvoice struct {
	ID         string `json:"id" format:"uuid"`
	Number     int    `json:"number"`
	Status     string `json:"status" enum:"sent,paid,overdue"`
	Currency   string `json:"currency"`
	Total      int64  `json:"total"`
	AmountPaid int64  `json:"amount_paid"`
	AmountDue  int64  `json:"amount_due"`
	IssueDate  string `json:"issue_date" format:"date"`
	DueDate    string `json:"due_date" format:"date"`
}

func portalInvoiceFrom(i domain.PortalInvoice) PortalInvoice {
	return PortalInvoice{ID: i.ID, Number: i.Number, Status: i.Status, Currency: i.Currency, Total: i.Total,
		AmountPaid: i.AmountPaid, AmountDue: i.AmountDue(), IssueDate: i.IssueDate.Format(time.DateOnly),
		DueDate: i.DueDate.Format(time.DateOnly)}
}

// PortalAmount is an amount in minor units of a currency.
type PortalAmount struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
}

// PortalDue is an open task with a due date.
type PortalDue struct {
	TaskID    string `json:"task_id" format:"uuid"`
	ProjectID string `json:"project_id" format:"uuid"`
	Title     string `json:"title"`
	DueDate   string `json:"due_date" format:"date"`
}

// PortalSummary is the portal's home page.
type PortalSummary struct {
	Client       PortalClientRef `json:"client"`
	Projects     []PortalProject `json:"projects" doc:"Open projects (not completed or cancelled) with their progress."`
	RecentFiles  []PortalFile    `json:"recent_files" doc:"The latest files shared with the client (at most 5)."`
	OpenInvoices []PortalInvoice `json:"open_invoices" doc:"Sent or overdue invoices with a balance."`
	TotalsDue    []PortalAmount  `json:"totals_due" doc:"What the open invoices leave to pay, per currency."`
	NextDue      []PortalDue     `json:"next_due" doc:"The next open tasks by due date (at most 5)."`
}

// PortalProjectList is the portal's projects, by name.
type PortalProjectList struct {
	Data []PortalProject `json:"data"`
}

// PortalTaskList is a portal project's tasks in board order, or the contact's requests newest first.
type PortalTaskList struct {
	Data []PortalTask `json:"data"`
}

// PortalFileList is the files shared with the client, newest first.
type PortalFileList struct {
	Data []PortalFile `json:"data"`
}

// PortalInvoiceList is the invoices sent to the client, newest first.
type PortalInvoiceList struct {
	Data []PortalInvoice `json:"data"`
}

// PortalCommentWrite is a contact's comment: plain text, shown as paragraphs.
type PortalCommentWrite struct {
	Body string `json:"body" minLength:"1" maxLength:"10000" doc:"Plain text; blank lines separate paragraphs."`
}

// PortalRequestWrite is a contact's request: it becomes a task in the project's intake column.
type PortalRequestWrite struct {
	ProjectID   string `json:"project_id" format:"uuid" doc:"A project of the portal."`
	Title       string `json:"title" minLength:"1" maxLength:"300"`
	Description string `json:"description,omitempty" maxLength:"10000" doc:"Plain text; blank lines separate paragraphs."`
}

// PortalFilesQuery narrows the portal's files to one project.
type PortalFilesQuery struct {
	PortalQuery
	ProjectID string `query:"project_id" format:"uuid" doc:"Only this project's files."`
}

// PortalFilePath addresses a shared file.
type PortalFilePath struct {
	PortalQuery
	FileID string `path:"file_id" format:"uuid" doc:"File ID."`
}

// PortalInvoicePath addresses an invoice of the client.
type PortalInvoicePath struct {
	PortalQuery
	InvoiceID string `path:"invoice_id" format:"uuid" doc:"Invoice ID."`
}

// PortalRequestPath addresses a contact's own request.
type PortalRequestPath struct {
	PortalQuery
	TaskID string `path:"task_id" format:"uuid" doc:"The request's task ID."`
}

// portalDownload redirects to the file's short-lived signed link.
type portalDownload struct {
	Status       int
	Location     string `header:"Location"`
	CacheControl string `header:"Cache-Control"`
}

func (s *Server) registerPortal() {
	tags := []string{"Client portal"}
	base := "/api/v1/orgs/{org_id}/portal"
	errs := []int{http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound,
		http.StatusUnprocessableEntity}
	ext := withExtensions(requires(domain.PermProjectsRead), portalRoute(), needsFeature(domain.FeatureClientPortal))
	op := func(id, method, path, summary string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: base + path, Tags: tags, Security: security,
			Extensions: ext, Summary: summary, Errors: errs,
			Description: "A client contact sees their own client's portal; a staff member holding clients.read " +
				"previews a client's portal with ?client_id=. Records of another client, or not shared with the " +
				"portal, answer 404 like missing ones."}
	}
	created := func(o huma.Operation) huma.Operation { o.DefaultStatus = http.StatusCreated; return o }
	// Task and file routes also need the role's tasks.read / files.read, so an organization that takes one
	// from the client role (or a member) takes it from the portal and the preview too.
	needing := func(perm domain.Permission, o huma.Operation) huma.Operation {
		o.Extensions = withExtensions(ext, requires(perm))
		return o
	}
	huma.Register(s.api, op("get-portal", http.MethodGet, "", "The portal's summary"), s.portalSummary)
	huma.Register(s.api, op("list-portal-projects", http.MethodGet, "/projects", "List the portal's projects"), s.portalProjects)
	huma.Register(s.api, op("get-portal-project", http.MethodGet, "/projects/{project_id}",
		"Get a portal project with its milestones"), s.portalProject)
	huma.Register(s.api, needing(domain.PermTasksRead, op("list-portal-tasks", http.MethodGet, "/projects/{project_id}/tasks",
		"List a portal project's tasks")), s.portalTasks)
	huma.Register(s.api, needing(domain.PermTasksRead, op("get-portal-task", http.MethodGet, "/projects/{project_id}/tasks/{task_id}",
		"Get a portal task with its comments and attachments")), s.portalTask)
	huma.Register(s.api, needing(domain.PermTasksRead, created(op("create-portal-comment", http.MethodPost, "/projects/{project_id}/tasks/{task_id}/comments",
		"Comment on a task as a client contact"))), s.createPortalComment)
	huma.Register(s.api, needing(domain.PermFilesRead, op("list-portal-files", http.MethodGet, "/files",
		"List the files shared with the client")), s.portalFiles)
	download := needing(domain.PermFilesRead, op("download-portal-file", http.MethodGet, "/files/{file_id}/download", "Download a shared file"))
	download.DefaultStatus = http.StatusFound
	download.Responses = map[string]*huma.Response{"302": {Description: "Redirect to a signed download link valid for 5 minutes."}}
	huma.Register(s.api, download, s.downloadPortalFile)
	huma.Register(s.api, op("list-portal-invoices", http.MethodGet, "/invoices",
		"List the invoices sent to the client"), s.portalInvoices)
	pdf := op("get-portal-invoice-pdf", http.MethodGet, "/invoices/{invoice_id}/pdf", "Download an invoice as PDF")
	pdf.Responses = pdfResponses()
	huma.Register(s.api, pdf, s.portalInvoicePDF)
	huma.Register(s.api, needing(domain.PermTasksRead, created(op("create-portal-request", http.MethodPost, "/requests",
		"Send a request: it becomes a task in the project's intake column"))), s.createPortalRequest)
	huma.Register(s.api, needing(domain.PermTasksRead, op("list-portal-requests", http.MethodGet, "/requests",
		"List your requests, newest first")), s.portalRequests)
	attach := needing(domain.PermFilesRead, created(op("upload-portal-attachment", http.MethodPost, "/requests/{task_id}/attachments",
		"Attach a file to your request")))
	attach.Errors = append(errs, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	huma.Register(s.api, attach, s.uploadPortalAttachment)
	// Documented after registration: declaring it on the operation would make Huma buffer the body.
	s.api.OpenAPI().Paths[base+"/requests/{task_id}/attachments"].Post.RequestBody = &huma.RequestBody{Required: true,
		Content: map[string]*huma.MediaType{"multipart/form-data": {Schema: &huma.Schema{Type: "object",
			Required: []string{"file"}, Properties: map[string]*huma.Schema{"file": {Type: "string", Format: "binary"}}}}}}
}

// portalViewer is who reads the portal: a contact (their client from their membership; a client_id in the
// query is ignored) or a staff member previewing ?client_id=, which needs clients.read.
// Errors: EFORBIDDEN, EINVALID (a staff call without client_id).
func portalViewer(ctx context.Context, q PortalQuery) (domain.PortalViewer, error) {
	p := principalFrom(ctx)
	if p.Role == domain.RoleClient {
		return domain.PortalViewer{UserID: p.User.ID, ClientID: p.ClientID, Role: p.Role}, nil
	}
	if !p.can(domain.PermClientsRead) {
		return domain.PortalViewer{}, domain.Errorf(domain.EFORBIDDEN, "Previewing the client portal needs clients.read.")
	}
	if q.ClientID == "" {
		return domain.PortalViewer{}, domain.Invalid("query.client_id", "Choose the client whose portal to preview.")
	}
	return domain.PortalViewer{UserID: p.User.ID, ClientID: q.ClientID, Role: p.Role}, nil
}

// canReadInvoices reports whether the caller's role lets them see invoices in the portal.
func canReadInvoices(ctx context.Context) bool {
	return principalFrom(ctx).can(domain.PermInvoicesRead)
}

func (s *Server) portalSummary(ctx context.Context, in *PortalQuery) (*struct{ Body PortalSummary }, error) {
	pv, err := portalViewer(ctx, *in)
	if err != nil {
		return nil, problem(ctx, err)
	}
	p := principalFrom(ctx)
	include := domain.PortalSections{Files: p.can(domain.PermFilesRead), Tasks: p.can(domain.PermTasksRead),
		Invoices: canReadInvoices(ctx)}
	sum, err := s.db.PortalSummary(ctx, in.OrgID, pv, include)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := PortalSummary{Client: PortalClientRef{ID: sum.Client.ID, Name: sum.Client.Name},
		Projects: mapSlice(sum.Projects, portalProjectFrom), RecentFiles: mapSlice(sum.RecentFiles, portalFileFrom),
		OpenInvoices: mapSlice(sum.OpenInvoices, portalInvoiceFrom), NextDue: []PortalDue{}, TotalsDue: []PortalAmount{}}
	for _, t := range sum.TotalsDue {
		out.TotalsDue = append(out.TotalsDue, PortalAmount{Currency: t.Currency, Amount: t.Amount})
	}
	for _, d := range sum.NextDue {
		out.NextDue = append(out.NextDue, PortalDue{TaskID: d.TaskID, ProjectID: d.ProjectID, Title: d.Title,
			DueDate: d.DueDate.Format(time.DateOnly)})
	}
	return &struct{ Body PortalSummary }{Body: out}, nil
}

// mapSlice converts every element of in with f, answering an empty (not nil) slice for none.
func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func (s *Server) portalProjects(ctx context.Context, in *PortalQuery) (*struct{ Body PortalProjectList }, error) {
	pv, err := portalViewer(ctx, *in)
	if err != nil {
		return nil, problem(ctx, err)
	}
	ps, err := s.db.PortalProjects(ctx, in.OrgID, pv)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body PortalProjectList }{Body: PortalProjectList{Data: mapSlice(ps, portalProjectFrom)}}, nil
}

func (s *Server) portalProject(ctx context.Context, in *PortalProjectPath) (*struct{ Body PortalProjectDetail }, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	p, err := s.db.PortalProject(ctx, in.OrgID, pv, in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := PortalProjectDetail{PortalProject: portalProjectFrom(p.PortalProject),
		Milestones: mapSlice(p.Milestones, func(m domain.PortalMilestone) PortalMilestone {
			return PortalMilestone{ID: m.ID, Name: m.Name, TaskCount: m.TaskCount, Position: m.Position}
		})}
	return &struct{ Body PortalProjectDetail }{Body: out}, nil
}

// portalTaskList is a list of portal tasks.
type portalTaskList struct{ Body PortalTaskList }

func (s *Server) portalTasks(ctx context.Context, in *PortalProjectPath) (*portalTaskList, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	ts, err := s.db.PortalTasks(ctx, in.OrgID, pv, in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &portalTaskList{Body: PortalTaskList{Data: mapSlice(ts, portalTaskFrom)}}, nil
}

func (s *Server) portalTask(ctx context.Context, in *PortalTaskPath) (*struct{ Body PortalTaskDetail }, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	t, err := s.db.PortalTask(ctx, in.OrgID, pv, in.ProjectID, in.TaskID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := PortalTaskDetail{PortalTask: portalTaskFrom(t.PortalTask), DescriptionHTML: t.DescriptionHTML,
		Comments: mapSlice(t.Comments, portalCommentFrom), Attachments: mapSlice(t.Attachments, portalFileFrom),
		CanComment: t.CanComment}
	return &struct{ Body PortalTaskDetail }{Body: out}, nil
}

func (s *Server) createPortalComment(ctx context.Context, in *struct {
	PortalTaskPath
	Body PortalCommentWrite
}) (*struct{ Body PortalComment }, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	body := strings.TrimSpace(in.Body.Body)
	if err := domain.ValidatePortalComment(body); err != nil {
		return nil, problem(ctx, err)
	}
	doc, htmlBody := plainTextDocument(body)
	c := &domain.Comment{BodyJSON: doc, BodyHTML: sanitizeComment(htmlBody)}
	out, err := s.db.CreatePortalComment(ctx, in.OrgID, pv, in.ProjectID, in.TaskID, c)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body PortalComment }{Body: portalCommentFrom(*out)}, nil
}

// plainTextDocument turns a contact's plain text into an editor document and its HTML: one paragraph per
// block separated by a blank line, line breaks kept inside a paragraph, every character escaped.
func plainTextDocument(text string) (json.RawMessage, string) {
	type node struct {
		Type    string `json:"type"`
		Text    string `json:"text,omitempty"`
		Content []node `json:"content,omitempty"`
	}
	doc := node{Type: "doc", Content: []node{}}
	var b strings.Builder
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		p := node{Type: "paragraph"}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				p.Content = append(p.Content, node{Type: "hardBreak"})
				b.WriteString("<br>")
			}
			if line != "" {
				p.Content = append(p.Content, node{Type: "text", Text: line})
				b.WriteString(html.EscapeString(line))
			}
		}
		b.WriteString("</p>")
		doc.Content = append(doc.Content, p)
	}
	raw, _ := json.Marshal(doc)
	return raw, b.String()
}

func (s *Server) portalFiles(ctx context.Context, in *PortalFilesQuery) (*struct{ Body PortalFileList }, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	fs, err := s.db.PortalFiles(ctx, in.OrgID, pv, in.ProjectID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body PortalFileList }{Body: PortalFileList{Data: mapSlice(fs, portalFileFrom)}}, nil
}

// downloadPortalFile redirects to the existing signed download of a file shared with the client.
func (s *Server) downloadPortalFile(ctx context.Context, in *PortalFilePath) (*portalDownload, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	f, err := s.db.PortalFile(ctx, in.OrgID, pv, in.FileID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	u, err := s.signedFileURL(ctx, in.OrgID, f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &portalDownload{Status: http.StatusFound, Location: u.URL, CacheControl: "private, no-store"}, nil
}

func (s *Server) portalInvoices(ctx context.Context, in *PortalQuery) (*struct{ Body PortalInvoiceList }, error) {
	pv, err := s.portalInvoiceViewer(ctx, *in)
	if err != nil {
		return nil, problem(ctx, err)
	}
	invs, err := s.db.PortalInvoices(ctx, in.OrgID, pv)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body PortalInvoiceList }{Body: PortalInvoiceList{Data: mapSlice(invs, portalInvoiceFrom)}}, nil
}

// portalInvoiceViewer is portalViewer for the invoice routes, which also need invoices.read.
func (s *Server) portalInvoiceViewer(ctx context.Context, q PortalQuery) (domain.PortalViewer, error) {
	pv, err := portalViewer(ctx, q)
	if err == nil && !canReadInvoices(ctx) {
		err = s.refusal(ctx, principalFrom(ctx), domain.PermInvoicesRead)
	}
	return pv, err
}

// portalInvoicePDF renders the invoice with the organization's branding, like the staff PDF.
func (s *Server) portalInvoicePDF(ctx context.Context, in *PortalInvoicePath) (*huma.StreamResponse, error) {
	pv, err := s.portalInvoiceViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	inv, err := s.db.PortalInvoiceDocument(ctx, in.OrgID, pv, in.InvoiceID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return s.pdfResponse(ctx, inv)
}

func (s *Server) createPortalRequest(ctx context.Context, in *struct {
	PortalQuery
	Body PortalRequestWrite
}) (*struct{ Body PortalTask }, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	r := domain.PortalRequest{ProjectID: in.Body.ProjectID, Title: in.Body.Title, Description: in.Body.Description}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return nil, problem(ctx, err)
	}
	t := &domain.Task{Title: r.Title, DescriptionJSON: json.RawMessage("{}")}
	if r.Description != "" {
		doc, htmlBody := plainTextDocument(r.Description)
		t.DescriptionJSON, t.DescriptionHTML = doc, richText.Sanitize(htmlBody)
	}
	out, err := s.db.CreatePortalRequest(ctx, in.OrgID, pv, r.ProjectID, t)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body PortalTask }{Body: portalTaskFrom(*out)}, nil
}

func (s *Server) portalRequests(ctx context.Context, in *PortalQuery) (*portalTaskList, error) {
	pv, err := portalViewer(ctx, *in)
	if err != nil {
		return nil, problem(ctx, err)
	}
	ts, err := s.db.PortalRequests(ctx, in.OrgID, pv)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &portalTaskList{Body: PortalTaskList{Data: mapSlice(ts, portalTaskFrom)}}, nil
}
