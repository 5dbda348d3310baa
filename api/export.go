package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
)

// recentExports is how many exports the list shows.
const recentExports = 20

// ExportCreate asks for a CSV export of one list with its current filters.
type ExportCreate struct {
	Kind    string            `json:"kind" enum:"audit_log,activity,time_entries,tasks,clients,invoices"`
	Filters map[string]string `json:"filters,omitempty" maxProperties:"12" doc:"The list's query parameters, e.g. {\"from\": \"2026-01-01\", \"type\": \"task.created\"} for activity; tasks need project_id."`
}

// Export is a CSV export and how far it got.
type Export struct {
	ID      string            `json:"id" format:"uuid"`
	Kind    string            `json:"kind" enum:"audit_log,activity,time_entries,tasks,clients,invoices"`
	Filters map[string]string `json:"filters"`
	Status  string            `json:"status" enum:"pending,running,ready,failed"`
	// Progress is from the row the export's activity updates after every batch.
	RowsDone    int64      `json:"rows_done" doc:"Rows written so far (all rows once ready)."`
	RowsTotal   *int64     `json:"rows_total" nullable:"true" doc:"Estimate (an upper bound) while running; exact once ready."`
	Percent     int        `json:"percent" minimum:"0" maximum:"100" doc:"Progress for a progress bar; 100 only when ready."`
	Bytes       *int64     `json:"bytes" nullable:"true"`
	Error       *string    `json:"error" nullable:"true" doc:"Why a failed export failed."`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at" nullable:"true"`
	ExpiresAt   *time.Time `json:"expires_at" nullable:"true" doc:"Downloads work until then (24 hours after it was ready)."`
	DownloadURL *string    `json:"download_url" nullable:"true" doc:"Signed link, for the requester signed in; null unless ready and unexpired."`
}

// ExportList is the requester's recent exports, newest first.
type ExportList struct {
	Data []Export `json:"data"`
}

// ExportPath names one export.
type ExportPath struct {
	OrgPath
	ExportID string `path:"export_id" format:"uuid" doc:"Export ID."`
}

func (s *Server) exportFrom(e *domain.Export) Export {
	out := Export{ID: e.ID, Kind: e.Kind, Filters: e.Filters.Query, Status: e.Status, RowsDone: e.RowsDone,
		RowsTotal: e.RowsTotal, Bytes: e.Bytes, CreatedAt: e.CreatedAt, FinishedAt: e.FinishedAt, ExpiresAt: e.ExpiresAt}
	if out.Filters == nil {
		out.Filters = map[string]string{}
	}
	switch {
	case e.Status == domain.ExportReady:
		out.Percent = 100
	case e.RowsTotal != nil && *e.RowsTotal > 0:
		out.Percent = min(99, int(e.RowsDone*100 / *e.RowsTotal))
	}
	if e.Error != "" {
		out.Error = &e.Error
	}
	if e.Status == domain.ExportReady && e.ExpiresAt != nil && !e.Expired(time.Now()) {
		u := domain.ExportDownloadPath(s.cfg.SessionSecret, e.OrganizationID, e.ID, e.RequestedBy, *e.ExpiresAt)
		out.DownloadURL = &u
	}
	return out
}

func (s *Server) registerExports() {
	tags := []string{"Exports"}
	base := "/api/v1/orgs/{org_id}/exports"
	errs := []int{http.StatusUnauthorized, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{OperationID: "create-export", Method: http.MethodPost, Path: base, Tags: tags,
		Security: security, Summary: "Export a list as CSV", DefaultStatus: http.StatusAccepted,
		Description: "Starts a background export of the list of `kind` with its filters (the list's query parameters). " +
			"It needs the list's read permission (audit_log: audit.read, activity: projects.read, time_entries: time.read, " +
			"tasks: tasks.read, clients: clients.read, invoices: invoices.read) and holds what the list shows you. Poll " +
			"get-export for progress; once ready, you get an email with a link valid for 24 hours, for you only.",
		Errors: append(errs, http.StatusForbidden, http.StatusUnprocessableEntity)}, s.createExport)
	huma.Register(s.api, huma.Operation{OperationID: "list-exports", Method: http.MethodGet, Path: base, Tags: tags,
		Security: security, Summary: "List your recent exports", Errors: errs}, s.listExports)
	huma.Register(s.api, huma.Operation{OperationID: "get-export", Method: http.MethodGet, Path: base + "/{export_id}",
		Tags: tags, Security: security, Summary: "See an export's progress",
		Description: "Only your own exports; another member's answers 404.", Errors: errs}, s.getExport)
	huma.Register(s.api, huma.Operation{OperationID: "download-export", Method: http.MethodGet,
		Path: base + "/{export_id}/download", Tags: tags, Security: security, Summary: "Download a finished export",
		Description: "Needs both the signed link (download_url, or the email's) and your session: the link alone is not " +
			"enough, and nobody else, whatever their role, can use it. Expired exports answer 404.",
		Errors: append(errs, http.StatusForbidden),
		Responses: map[string]*huma.Response{"200": {Description: "The CSV (UTF-8 with BOM), as an attachment.",
			Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}}},
	}, s.downloadExport)
}

func (s *Server) createExport(ctx context.Context, in *struct {
	OrgPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes the create safe to retry."`
	Body           ExportCreate
}) (*struct{ Body Export }, error) {
	p := principalFrom(ctx)
	need := domain.ExportPermission(in.Body.Kind)
	if !p.can(need) {
		return nil, problem(ctx, s.refusal(ctx, p, need))
	}
	filters, err := exportFilters(in.Body.Kind, in.Body.Filters)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if filters.Tasks != nil {
		// The project must be one the requester sees (404 otherwise, like the task list).
		if _, _, err := s.db.Tasks(ctx, in.OrgID, viewerFrom(ctx), filters.Tasks.ProjectID, domain.TaskFilter{Sort: "position", Limit: 1}); err != nil {
			return nil, problem(ctx, err)
		}
	}
	var ref domain.ExportRef
	var start domain.WorkflowStart
	// The row, its audit entry and its workflow start commit together (the workflow outbox).
	create := func(ctx context.Context) (int, any, error) {
		e := &domain.Export{Kind: in.Body.Kind, Filters: filters}
		err := s.db.Atomically(ctx, in.OrgID, p.User.ID, func(ctx context.Context) error {
			if err := s.db.CreateExport(ctx, in.OrgID, p.User.ID, e); err != nil {
				return err
			}
			if err := s.db.RecordAudit(ctx, in.OrgID, domain.AuditEntry{Action: domain.AuditExportRequested, EntityType: "export",
				EntityID: e.ID, Metadata: map[string]any{"kind": e.Kind, "filters": filters.Query}}); err != nil {
				return err
			}
			ref = domain.ExportRef{OrganizationID: in.OrgID, ExportID: e.ID}
			start = domain.ExportStart(ref)
			return s.db.EnqueueStarts(ctx, &start)
		})
		if err != nil {
			return 0, nil, err
		}
		return http.StatusAccepted, s.exportFrom(e), nil
	}
	var out Export
	if in.IdempotencyKey == "" {
		_, body, err := create(ctx)
		if err != nil {
			return nil, problem(ctx, err)
		}
		out = body.(Export)
	} else {
		reqJSON, _ := json.Marshal(in.Body)
		hash := sha256.Sum256(reqJSON)
		res, err := s.db.Idempotent(ctx, in.OrgID, p.User.ID, in.IdempotencyKey, "create-export", hash[:], create)
		if err != nil {
			return nil, problem(ctx, err)
		}
		if err := json.Unmarshal(res.Body, &out); err != nil {
			return nil, problem(ctx, err)
		}
	}
	if start.ID != "" {
		s.startNow(ctx, start, func(ctx context.Context) error { return s.Workflows.StartExport(ctx, ref) })
	}
	return &struct{ Body Export }{Body: out}, nil
}

func (s *Server) listExports(ctx context.Context, in *struct{ OrgPath }) (*struct{ Body ExportList }, error) {
	es, err := s.db.Exports(ctx, in.OrgID, principalFrom(ctx).User.ID, recentExports)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ExportList{Data: make([]Export, len(es))}
	for i, e := range es {
		out.Data[i] = s.exportFrom(e)
	}
	return &struct{ Body ExportList }{Body: out}, nil
}

func (s *Server) getExport(ctx context.Context, in *ExportPath) (*struct{ Body Export }, error) {
	e, err := s.db.Export(ctx, in.OrgID, principalFrom(ctx).User.ID, in.ExportID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Export }{Body: s.exportFrom(e)}, nil
}

// downloadExport serves a ready export to its requester only: the export is looked up as theirs (another
// member gets 404, as for an export that does not exist), the link's signature must match them, and it
// must not have expired. They must still hold the kind's read permission.
func (s *Server) downloadExport(ctx context.Context, in *struct {
	ExportPath
	Exp int64  `query:"exp" minimum:"0" maximum:"253402300799" doc:"Expiry, Unix seconds."`
	Sig string `query:"sig" maxLength:"100" doc:"Signature of the link."`
}) (*huma.StreamResponse, error) {
	p := principalFrom(ctx)
	e, err := s.db.Export(ctx, in.OrgID, p.User.ID, in.ExportID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	want := domain.SignExportLink(s.cfg.SessionSecret, in.OrgID, e.ID, p.User.ID, in.Exp)
	if !hmac.Equal([]byte(want), []byte(in.Sig)) {
		return nil, problem(ctx, domain.Errorf(domain.EFORBIDDEN, "This download link is invalid."))
	}
	if !p.can(domain.ExportPermission(e.Kind)) {
		return nil, problem(ctx, s.refusal(ctx, p, domain.ExportPermission(e.Kind)))
	}
	now := time.Now()
	if e.Status != domain.ExportReady || e.Expired(now) || now.Unix() > in.Exp {
		return nil, problem(ctx, domain.Errorf(domain.ENOTFOUND, "This export is not available: it expired or is not ready."))
	}
	body, err := s.Files.Open(ctx, e.FileKey)
	if errors.Is(err, filestore.ErrNotFound) {
		return nil, problem(ctx, domain.Errorf(domain.ENOTFOUND, "Export not found."))
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	if err := s.db.RecordAudit(ctx, in.OrgID, domain.AuditEntry{Action: domain.AuditExportDownloaded, EntityType: "export",
		EntityID: e.ID, Metadata: map[string]any{"kind": e.Kind}}); err != nil {
		body.Close()
		return nil, problem(ctx, err)
	}
	name := "clientflow-" + strings.ReplaceAll(e.Kind, "_", "-") + "-" + e.CreatedAt.Format("2006-01-02") + ".csv"
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		defer body.Close()
		hc.SetHeader("Content-Type", "text/csv; charset=utf-8")
		if e.Bytes != nil {
			hc.SetHeader("Content-Length", strconv.FormatInt(*e.Bytes, 10))
		}
		hc.SetHeader("Content-Disposition", attachmentDisposition(name))
		hc.SetHeader("X-Content-Type-Options", "nosniff")
		hc.SetHeader("Cache-Control", "private, no-store")
		hc.SetStatus(http.StatusOK)
		if _, err := io.Copy(hc.BodyWriter(), body); err != nil {
			s.logger.WarnContext(ctx, "exports: download interrupted", "export", e.ID, "err", err)
		}
	}}, nil
}

// exportParams are the query parameters each kind's list takes.
var exportParams = map[string][]string{
	domain.ExportAuditLog:    {"from", "to", "actor_id", "action", "entity_type", "entity_id", "q"},
	domain.ExportActivity:    {"from", "to", "project_id", "client_id", "actor_id", "type", "entity_type", "q"},
	domain.ExportTimeEntries: {"from", "to", "project_id", "task_id", "user_id", "billable"},
	domain.ExportTasks:       {"project_id", "assignee_id", "priority", "due_before", "due_after", "column_id", "q", "sort", "order"},
	domain.ExportClients:     {"q", "status"},
	domain.ExportInvoices:    {"status", "client_id"},
}

// exportFilters checks q against the list of kind (the same rules as its query parameters) and turns it
// into that list's store filter. Errors: EINVALID naming the field.
func exportFilters(kind string, q map[string]string) (domain.ExportFilters, error) {
	out := domain.ExportFilters{Query: map[string]string{}}
	allowed := exportParams[kind]
	for k, v := range q {
		field := "body.filters." + k
		if !slices.Contains(allowed, k) {
			return out, domain.Invalid(field, "is not a filter of the "+kind+" list")
		}
		if len(v) > 200 {
			return out, domain.Invalid(field, "must be at most 200 characters")
		}
		if v == "" {
			continue
		}
		if strings.HasSuffix(k, "_id") && k != "entity_id" && !validUUID(v) {
			return out, domain.Invalid(field, "must be a UUID")
		}
		out.Query[k] = v
	}
	var err error
	date := func(k string) *time.Time {
		if err != nil {
			return nil
		}
		var d *time.Time
		d, err = domain.ParseDate("body.filters."+k, out.Query[k])
		return d
	}
	oneOf := func(k string, vals ...string) string {
		v := out.Query[k]
		if err == nil && v != "" && !slices.Contains(vals, v) {
			err = domain.Invalid("body.filters."+k, "must be one of "+strings.Join(vals, ", "))
		}
		return v
	}
	g := out.Query
	switch kind {
	case domain.ExportAuditLog:
		f := &domain.AuditFilter{ActorID: g["actor_id"], Action: g["action"], EntityType: g["entity_type"],
			EntityID: g["entity_id"], Text: g["q"]}
		if from := date("from"); from != nil {
			f.From = *from
		}
		if to := date("to"); to != nil {
			f.To = to.AddDate(0, 0, 1)
		}
		out.AuditLog = f
	case domain.ExportActivity:
		// The hide flags are set from the requester's permissions when the export runs (activities.RunExport).
		f := domain.ActivityFilter{ProjectID: g["project_id"], ClientID: g["client_id"], ActorID: g["actor_id"],
			Type: g["type"], EntityType: g["entity_type"], Text: g["q"]}
		if from := date("from"); from != nil {
			f.From = *from
		}
		if to := date("to"); to != nil {
			f.To = to.AddDate(0, 0, 1)
		}
		out.Activity = &f
	case domain.ExportTimeEntries:
		f := &domain.TimeEntryFilter{ProjectID: g["project_id"], TaskID: g["task_id"], UserID: g["user_id"],
			From: date("from"), To: date("to")}
		if b := oneOf("billable", "true", "false"); b != "" {
			v := b == "true"
			f.Billable = &v
		}
		out.TimeEntries = f
	case domain.ExportTasks:
		if g["project_id"] == "" {
			return out, domain.Invalid("body.filters.project_id", "is required: tasks are exported per project")
		}
		f := domain.TaskFilter{AssigneeID: g["assignee_id"], Priority: oneOf("priority", "low", "medium", "high", "urgent"),
			ColumnID: g["column_id"], Query: g["q"], Sort: oneOf("sort", domain.TaskSorts...),
			Desc: oneOf("order", "asc", "desc") == "desc", DueBefore: date("due_before"), DueAfter: date("due_after")}
		if f.Sort == "" {
			f.Sort = "position"
		}
		out.Tasks = &domain.TaskExportScope{ProjectID: g["project_id"], Filter: f}
	case domain.ExportClients:
		out.Clients = &domain.ClientFilter{Query: g["q"], Status: oneOf("status", "active", "archived")}
	case domain.ExportInvoices:
		out.Invoices = &domain.InvoiceFilter{Status: oneOf("status", "draft", "sent", "paid", "overdue", "void"),
			ClientID: g["client_id"]}
	}
	return out, err
}
