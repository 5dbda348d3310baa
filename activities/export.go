package activities

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/domain"
)

// exportBatchSize is how many rows one keyset page reads: memory stays at one batch whatever the total.
const exportBatchSize = 1000

// exportMaxBytes bounds a stored export (a million time entries take about 150 MB).
const exportMaxBytes = 2 << 30

// utf8BOM lets spreadsheet programs read the file as UTF-8.
const utf8BOM = "\uFEFF"

// ExportResult is what a finished export holds.
type ExportResult struct {
	Rows  int64
	Bytes int64
}

// RunExport writes one export's CSV and stores it under the export's ID, then marks the row ready. It pages
// through the rows by keyset with the list's own store query (so filters and visibility are the list's,
// for the requester's role and permissions as they are now), streams each batch to a temporary file and
// heartbeats the progress. A retry (after a worker crash, or a heartbeat timeout) starts the file again from
// the first row, so the stored file holds every row exactly once; the object is written once, complete,
// under the export's key. An export already ready or failed is left as it is.
func (a *Activities) RunExport(ctx context.Context, ref domain.ExportRef) (ExportResult, error) {
	e, err := a.DB.ExportForRun(ctx, ref.OrganizationID, ref.ExportID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return ExportResult{}, temporal.NewNonRetryableApplicationError("export not found", "NotFound", err)
	} else if err != nil {
		return ExportResult{}, err
	}
	if e.Status == domain.ExportReady || e.Status == domain.ExportFailed {
		return ExportResult{Rows: e.RowsDone, Bytes: deref(e.Bytes)}, nil
	}
	v, perms, err := a.exportViewer(ctx, e)
	if err != nil {
		return ExportResult{}, err
	}
	total, err := a.DB.ExportRowEstimate(ctx, e.OrganizationID, e)
	if domain.ErrorCode(err) == domain.EINVALID {
		return ExportResult{}, temporal.NewNonRetryableApplicationError(domain.ErrorMessage(err), "Invalid", err)
	} else if err != nil {
		return ExportResult{}, err
	}
	if err := a.DB.StartExportRun(ctx, e.OrganizationID, e.ID, total); err != nil {
		return ExportResult{}, err
	}
	tmp, err := os.CreateTemp("", "clientflow-export-*.csv")
	if err != nil {
		return ExportResult{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	rows, err := a.writeExport(ctx, e, v, perms, total, tmp)
	if err != nil {
		return ExportResult{}, err
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return ExportResult{}, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return ExportResult{}, err
	}
	key := ExportFileKey(e)
	if _, err := a.Files.Put(ctx, key, "text/csv; charset=utf-8", tmp, exportMaxBytes); err != nil {
		return ExportResult{}, fmt.Errorf("store export file: %w", err)
	}
	if err := a.DB.FinishExport(ctx, e.OrganizationID, e.ID, rows, size, key, a.now().Add(domain.ExportLinkTTL)); err != nil {
		return ExportResult{}, err
	}
	return ExportResult{Rows: rows, Bytes: size}, nil
}

// ExportFileKey is where an export's file is stored: under its organization, named by the export's ID.
func ExportFileKey(e *domain.Export) string {
	return e.OrganizationID + "/exports/" + e.ID + ".csv"
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// exportViewer is the requester as they are now: an export by someone who left, became a client contact or
// lost the kind's read permission fails for good instead of exporting what they may no longer read.
func (a *Activities) exportViewer(ctx context.Context, e *domain.Export) (domain.Viewer, []domain.Permission, error) {
	ms, err := a.DB.Memberships(ctx, e.RequestedBy)
	if err != nil {
		return domain.Viewer{}, nil, err
	}
	for _, m := range ms {
		if m.Organization.ID != e.OrganizationID {
			continue
		}
		if m.Role == domain.RoleClient || !slices.Contains(m.Permissions, domain.ExportPermission(e.Kind)) {
			break
		}
		return domain.Viewer{UserID: e.RequestedBy, Role: m.Role}, m.Permissions, nil
	}
	return domain.Viewer{}, nil, temporal.NewNonRetryableApplicationError(
		"You may no longer read what this export holds.", "Forbidden", nil)
}

// ExportFailed records a failed export with a message its requester can read.
func (a *Activities) ExportFailed(ctx context.Context, ref domain.ExportRef, message string) error {
	return a.DB.FailExport(ctx, ref.OrganizationID, ref.ExportID, message)
}

// DeleteExportFile removes an expired export's stored file; the row stays, so the requester's list still
// shows it (expired). A file already gone, or never written, is no error.
func (a *Activities) DeleteExportFile(ctx context.Context, ref domain.ExportRef) error {
	// The key follows from the ref, so the file goes even when its organization (and the row) was deleted
	// meanwhile.
	return a.Files.Delete(ctx, ExportFileKey(&domain.Export{OrganizationID: ref.OrganizationID, ID: ref.ExportID}))
}

// SendExportReady emails the requester the export's download link (signed, valid until the export expires,
// and only for them signed in), once per export.
func (a *Activities) SendExportReady(ctx context.Context, ref domain.ExportRef) error {
	e, err := a.DB.ExportForRun(ctx, ref.OrganizationID, ref.ExportID)
	if err != nil {
		return err
	}
	if e.Status != domain.ExportReady || e.ExpiresAt == nil {
		return nil
	}
	u, err := a.user(ctx, e.RequestedBy)
	if err != nil {
		return err
	}
	org, err := a.DB.Organization(ctx, e.OrganizationID)
	if err != nil {
		return err
	}
	link := a.AppURL + domain.ExportPagePath(a.SessionSecret, e.OrganizationID, e.ID, e.RequestedBy, *e.ExpiresAt)
	return a.SendTemplatedEmail(ctx, domain.EmailRequest{Key: "export-ready/" + e.ID, To: u.Email,
		Template: domain.EmailExportReady, Data: map[string]string{"Name": u.Name, "OrgName": org.Name,
			"Kind": strings.ReplaceAll(e.Kind, "_", " "), "Rows": strconv.FormatInt(e.RowsDone, 10),
			"ExpiresAt": e.ExpiresAt.UTC().Format("2 Jan 2006 15:04 UTC"), "DownloadURL": link}})
}

// exportWriter streams rows to the file and reports progress after every batch.
type exportWriter struct {
	ctx   context.Context
	a     *Activities
	e     *domain.Export
	csv   *csv.Writer
	total int64
	rows  int64
}

func (w *exportWriter) row(cells ...string) error {
	for i, c := range cells {
		cells[i] = NeutraliseCell(c)
	}
	w.rows++
	return w.csv.Write(cells)
}

// batchDone flushes the batch to the file, then heartbeats and records the count.
func (w *exportWriter) batchDone() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	if activity.IsActivity(w.ctx) {
		activity.RecordHeartbeat(w.ctx, domain.ExportProgress{RowsDone: w.rows, RowsTotal: max(w.total, w.rows)})
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	return w.a.DB.ExportProgressed(w.ctx, w.e.OrganizationID, w.e.ID, w.rows)
}

func (a *Activities) writeExport(ctx context.Context, e *domain.Export, v domain.Viewer, perms []domain.Permission,
	total int64, f *os.File) (int64, error) {
	buf := bufio.NewWriterSize(f, 64<<10)
	if _, err := buf.WriteString(utf8BOM); err != nil {
		return 0, err
	}
	w := &exportWriter{ctx: ctx, a: a, e: e, csv: csv.NewWriter(buf), total: total}
	var err error
	switch e.Kind {
	case domain.ExportAuditLog:
		err = a.exportAudit(w, v, e.Filters.AuditLog)
	case domain.ExportActivity:
		err = a.exportActivity(w, v, perms, e.Filters.Activity)
	case domain.ExportTimeEntries:
		err = a.exportTimeEntries(w, v, e.Filters.TimeEntries)
	case domain.ExportTasks:
		err = a.exportTasks(w, v, e.Filters.Tasks)
	case domain.ExportClients:
		err = a.exportClients(w, e.Filters.Clients)
	case domain.ExportInvoices:
		err = a.exportInvoices(w, v, e.Filters.Invoices)
	default:
		err = temporal.NewNonRetryableApplicationError("unknown export kind "+e.Kind, "Invalid", nil)
	}
	if err == nil {
		w.csv.Flush()
		err = w.csv.Error()
	}
	if err == nil {
		err = buf.Flush()
	}
	if code := domain.ErrorCode(err); code == domain.ENOTFOUND || code == domain.EINVALID {
		// The project is gone or hidden from the requester, or the stored filter no longer parses.
		return 0, temporal.NewNonRetryableApplicationError(domain.ErrorMessage(err), "Invalid", err)
	}
	return w.rows, err
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func isoTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return isoTime(*t)
}

func isoDatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func (a *Activities) exportAudit(w *exportWriter, v domain.Viewer, f *domain.AuditFilter) error {
	if f == nil {
		f = &domain.AuditFilter{}
	}
	if err := w.csv.Write([]string{"id", "created_at", "actor_id", "actor_name", "api_key_id", "action", "entity_type",
		"entity_id", "ip", "user_agent", "request_id", "metadata"}); err != nil {
		return err
	}
	after := ""
	for {
		batch, err := w.a.DB.AuditBatch(w.ctx, w.e.OrganizationID, v.UserID, *f, after, exportBatchSize)
		if err != nil {
			return err
		}
		for _, r := range batch {
			if err := w.row(r.ID, isoTime(r.CreatedAt), r.ActorID, r.ActorName, r.APIKeyID, r.Action, r.EntityType,
				r.EntityID, r.IP, r.UserAgent, r.RequestID, jsonText(r.Metadata)); err != nil {
				return err
			}
		}
		if err := w.batchDone(); err != nil || len(batch) < exportBatchSize {
			return err
		}
		after = batch[len(batch)-1].ID
	}
}

func (a *Activities) exportActivity(w *exportWriter, v domain.Viewer, perms []domain.Permission, f *domain.ActivityFilter) error {
	if f == nil {
		f = &domain.ActivityFilter{}
	}
	f.HideInvoices = !slices.Contains(perms, domain.PermInvoicesRead)
	f.HideClients = !slices.Contains(perms, domain.PermClientsRead)
	f.HideMembers = !slices.Contains(perms, domain.PermMembersRead)
	if err := w.csv.Write([]string{"id", "created_at", "type", "entity_type", "entity_id", "project_id", "actor_id",
		"actor_name", "payload"}); err != nil {
		return err
	}
	after := ""
	for {
		batch, err := w.a.DB.ActivityBatch(w.ctx, w.e.OrganizationID, v, *f, after, exportBatchSize)
		if err != nil {
			return err
		}
		for _, r := range batch {
			if err := w.row(r.ID, isoTime(r.CreatedAt), r.Type, r.EntityType, r.EntityID, r.ProjectID, r.ActorID,
				r.ActorName, jsonText(r.Payload)); err != nil {
				return err
			}
		}
		if err := w.batchDone(); err != nil || len(batch) < exportBatchSize {
			return err
		}
		after = batch[len(batch)-1].ID
	}
}

func (a *Activities) exportTimeEntries(w *exportWriter, v domain.Viewer, f *domain.TimeEntryFilter) error {
	if f == nil {
		f = &domain.TimeEntryFilter{}
	}
	if err := w.csv.Write([]string{"id", "started_at", "ended_at", "minutes", "project_id", "project", "task_id", "task",
		"user_id", "user", "billable", "billed_at", "note"}); err != nil {
		return err
	}
	f.Limit, f.Cursor = exportBatchSize, ""
	for {
		batch, next, err := w.a.DB.TimeEntries(w.ctx, w.e.OrganizationID, v, *f)
		if err != nil {
			return err
		}
		for _, r := range batch {
			minutes := ""
			if r.Minutes != nil {
				minutes = strconv.Itoa(*r.Minutes)
			}
			if err := w.row(r.ID, isoTime(r.StartedAt), isoTimePtr(r.EndedAt), minutes, r.ProjectID, r.ProjectName,
				r.TaskID, r.TaskTitle, r.UserID, r.UserName, strconv.FormatBool(r.Billable), isoTimePtr(r.BilledAt),
				r.Note); err != nil {
				return err
			}
		}
		if err := w.batchDone(); err != nil || next == "" {
			return err
		}
		f.Cursor = next
	}
}

func (a *Activities) exportTasks(w *exportWriter, v domain.Viewer, s *domain.TaskExportScope) error {
	if s == nil {
		return temporal.NewNonRetryableApplicationError("a task export needs its project", "Invalid", nil)
	}
	if err := w.csv.Write([]string{"id", "number", "title", "priority", "column_id", "due_date", "completed_at",
		"created_at", "assignees", "subtasks_done", "subtasks_total", "requested_by"}); err != nil {
		return err
	}
	f := s.Filter
	f.Limit, f.Cursor = exportBatchSize, ""
	for {
		batch, next, err := w.a.DB.Tasks(w.ctx, w.e.OrganizationID, v, s.ProjectID, f)
		if err != nil {
			return err
		}
		for _, t := range batch {
			names := make([]string, len(t.Assignees))
			for i, as := range t.Assignees {
				names[i] = as.Name
			}
			requester := ""
			if t.Requester != nil {
				requester = t.Requester.Name
			}
			if err := w.row(t.ID, strconv.Itoa(t.Number), t.Title, t.Priority, t.ColumnID, isoDatePtr(t.DueDate),
				isoTimePtr(t.CompletedAt), isoTime(t.CreatedAt), strings.Join(names, "; "), strconv.Itoa(t.SubtasksDone),
				strconv.Itoa(t.SubtasksAll), requester); err != nil {
				return err
			}
		}
		if err := w.batchDone(); err != nil || next == "" {
			return err
		}
		f.Cursor = next
	}
}

func (a *Activities) exportClients(w *exportWriter, f *domain.ClientFilter) error {
	if f == nil {
		f = &domain.ClientFilter{}
	}
	if err := w.csv.Write([]string{"id", "name", "email", "phone", "company", "website", "status", "portal_enabled",
		"contacts", "created_at", "updated_at", "notes"}); err != nil {
		return err
	}
	f.Limit, f.Cursor = exportBatchSize, ""
	for {
		batch, next, err := w.a.DB.Clients(w.ctx, w.e.OrganizationID, *f)
		if err != nil {
			return err
		}
		for _, c := range batch {
			if err := w.row(c.ID, c.Name, c.Email, c.Phone, c.Company, c.Website, c.Status,
				strconv.FormatBool(c.PortalEnabled), strconv.Itoa(c.ContactCount), isoTime(c.CreatedAt),
				isoTime(c.UpdatedAt), c.Notes); err != nil {
				return err
			}
		}
		if err := w.batchDone(); err != nil || next == "" {
			return err
		}
		f.Cursor = next
	}
}

// exportInvoices writes one row per invoice with its amounts as decimals in its own currency, named in the
// currency column: rows of different currencies are never added up.
func (a *Activities) exportInvoices(w *exportWriter, v domain.Viewer, f *domain.InvoiceFilter) error {
	if f == nil {
		f = &domain.InvoiceFilter{}
	}
	if err := w.csv.Write([]string{"id", "number", "status", "client_id", "client", "project_id", "project",
		"issue_date", "due_date", "currency", "subtotal", "discount", "tax", "total", "amount_paid", "sent_at",
		"paid_at", "voided_at", "created_at"}); err != nil {
		return err
	}
	f.Limit, f.Cursor = exportBatchSize, ""
	for {
		batch, next, err := w.a.DB.Invoices(w.ctx, w.e.OrganizationID, v, *f)
		if err != nil {
			return err
		}
		for _, inv := range batch {
			money := func(n int64) string { return domain.DecimalAmount(n, inv.Currency) }
			if err := w.row(inv.ID, strconv.Itoa(inv.Number), inv.Status, inv.ClientID, inv.ClientName, inv.ProjectID,
				inv.ProjectName, inv.IssueDate.UTC().Format(time.DateOnly), inv.DueDate.UTC().Format(time.DateOnly),
				inv.Currency, money(inv.Subtotal), money(inv.Discount), money(inv.Tax), money(inv.Total),
				money(inv.AmountPaid), isoTimePtr(inv.SentAt), isoTimePtr(inv.PaidAt), isoTimePtr(inv.VoidedAt),
				isoTime(inv.CreatedAt)); err != nil {
				return err
			}
		}
		if err := w.batchDone(); err != nil || next == "" {
			return err
		}
		f.Cursor = next
	}
}

// plainNumber is a cell the export wrote as a number (an amount, a count): a spreadsheet reads "-12.50" as
// minus twelve and a half, never as a formula, so it keeps its sign.
var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// NeutraliseCell defuses CSV injection (OWASP): a cell starting with =, +, -, @, tab or carriage return
// would be read as a formula by spreadsheet programs, so it gets a leading single quote, which they show as
// text. Plain numbers are left as they are.
func NeutraliseCell(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// jsonText writes a payload as compact JSON for a cell.
func jsonText(m map[string]any) string {
	if len(m) == 0 {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	return string(b)
}
