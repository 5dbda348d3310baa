package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// invoiceRow is the invoices table; the label fields are joined in by invoiceSelect.
type invoiceRow struct {
	bun.BaseModel `bun:"table:invoices"`

	ID              string     `bun:"id,pk"`
	OrganizationID  string     `bun:"organization_id"`
	Number          int        `bun:"number"`
	ClientID        string     `bun:"client_id"`
	ProjectID       *string    `bun:"project_id"`
	Status          string     `bun:"status"`
	Currency        string     `bun:"currency"`
	IssueDate       time.Time  `bun:"issue_date,type:date"`
	DueDate         time.Time  `bun:"due_date,type:date"`
	DiscountBP      int        `bun:"discount_bp"`
	Notes           string     `bun:"notes"`
	Subtotal        int64      `bun:"subtotal"`
	Discount        int64      `bun:"discount"`
	Tax             int64      `bun:"tax"`
	Total           int64      `bun:"total"`
	AmountPaid      int64      `bun:"amount_paid"`
	PublicTokenHash []byte     `bun:"public_token_hash"`
	SentAt          *time.Time `bun:"sent_at"`
	PaidAt          *time.Time `bun:"paid_at"`
	VoidedAt        *time.Time `bun:"voided_at"`
	CreatedBy       *string    `bun:"created_by"`
	CreatedAt       time.Time  `bun:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at"`
	ClientName      string     `bun:"client_name,scanonly"`
	ClientEmail     string     `bun:"client_email,scanonly"`
	ProjectName     string     `bun:"project_name,scanonly"`
}

func (r *invoiceRow) domain() *domain.Invoice {
	inv := &domain.Invoice{ID: r.ID, OrganizationID: r.OrganizationID, Number: r.Number, ClientID: r.ClientID,
		Status: r.Status, Currency: r.Currency, IssueDate: domain.DateOnly(r.IssueDate), DueDate: domain.DateOnly(r.DueDate),
		DiscountBP: r.DiscountBP, Notes: r.Notes, AmountPaid: r.AmountPaid, SentAt: r.SentAt, PaidAt: r.PaidAt,
		VoidedAt: r.VoidedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ClientName: r.ClientName,
		ClientEmail: r.ClientEmail, ProjectName: r.ProjectName, Lines: []domain.InvoiceLine{}, Payments: []domain.InvoicePayment{},
		InvoiceTotals: domain.InvoiceTotals{Subtotal: r.Subtotal, Discount: r.Discount, Tax: r.Tax, Total: r.Total}}
	if r.ProjectID != nil {
		inv.ProjectID = *r.ProjectID
	}
	if r.CreatedBy != nil {
		inv.CreatedBy = *r.CreatedBy
	}
	return inv
}

// invoiceLineRow is the invoice_lines table.
type invoiceLineRow struct {
	bun.BaseModel `bun:"table:invoice_lines"`

	ID             string  `bun:"id,pk"`
	OrganizationID string  `bun:"organization_id"`
	InvoiceID      string  `bun:"invoice_id"`
	Position       int     `bun:"position"`
	Description    string  `bun:"description"`
	QuantityMilli  int64   `bun:"quantity_milli"`
	UnitPrice      int64   `bun:"unit_price"`
	TaxRateBP      int     `bun:"tax_rate_bp"`
	Amount         int64   `bun:"amount"`
	Discount       int64   `bun:"discount"`
	Tax            int64   `bun:"tax"`
	TaskID         *string `bun:"task_id"`
}

// invoicePaymentRow is the invoice_payments table.
type invoicePaymentRow struct {
	bun.BaseModel `bun:"table:invoice_payments"`

	ID             string    `bun:"id,pk"`
	OrganizationID string    `bun:"organization_id"`
	InvoiceID      string    `bun:"invoice_id"`
	Amount         int64     `bun:"amount"`
	PaidOn         time.Time `bun:"paid_on,type:date"`
	Method         string    `bun:"method"`
	Note           string    `bun:"note"`
	CreatedBy      *string   `bun:"created_by"`
	CreatedAt      time.Time `bun:"created_at"`
}

const invoiceNotFound = "Invoice not found."

// invoiceSelect reads an organization's invoices with their labels; bind the org ID, then invoiceVisibleArgs.
const invoiceSelect = `SELECT i.*, c.name AS client_name, c.email AS client_email, coalesce(p.name, '') AS project_name
	FROM invoices i
	JOIN clients c ON c.organization_id = i.organization_id AND c.id = i.client_id
	LEFT JOIN projects p ON p.organization_id = i.organization_id AND p.id = i.project_id
	WHERE i.organization_id = ? AND ` + invoiceVisibleSQL

// invoiceVisibleSQL is who reads which invoices: owners, admins and managers every one; anyone else (a
// client contact holding invoices.read) only invoices that went out, of projects they are a member of.
const invoiceVisibleSQL = `(? OR (i.status <> 'draft' AND EXISTS (SELECT 1 FROM project_members pm
	WHERE pm.organization_id = i.organization_id AND pm.project_id = i.project_id AND pm.user_id = ?)))`

func invoiceVisibleArgs(v domain.Viewer) []any { return []any{v.SeesAllProjects(), nullable(v.UserID)} }

// systemViewer reads every invoice: the workflows act for the organization, not a member.
var systemViewer = domain.Viewer{Role: domain.RoleOwner}

// CreateInvoice validates inv and inserts it as a draft with the organization's next number, on behalf of
// v. An empty currency takes the organization's. Errors: EINVALID (fields, a client that is not the
// organization's, a project that is not the organization's, not v's to see, or of another client).
func (db *DB) CreateInvoice(ctx context.Context, orgID string, v domain.Viewer, inv *domain.Invoice) error {
	return db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		if strings.TrimSpace(inv.Currency) == "" {
			if err := tx.NewRaw("SELECT currency FROM organization_settings WHERE organization_id = ?", orgID).
				Scan(ctx, &inv.Currency); err != nil {
				return mapError(err, "Organization not found.")
			}
		}
		inv.Status = domain.InvoiceDraft
		inv.Normalize()
		if err := inv.Validate(); err != nil {
			return err
		}
		if err := checkInvoiceRefs(ctx, tx, orgID, v, inv); err != nil {
			return err
		}
		return insertInvoice(ctx, tx, orgID, v.UserID, inv, map[string]any{"source": "manual"})
	})
}

// checkInvoiceRefs answers EINVALID unless the client (and project, when set) belong to orgID, v may see
// the project, and the project, when it has a client, belongs to the invoice's client. A hidden project
// answers exactly like a missing one.
func checkInvoiceRefs(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, inv *domain.Invoice) error {
	if !validUUID(inv.ClientID) {
		return domain.Invalid("body.client_id", "must be a client of this organization")
	}
	ok, err := tx.NewSelect().TableExpr("clients").Where("organization_id = ? AND id = ?", orgID, inv.ClientID).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Invalid("body.client_id", "must be a client of this organization")
	}
	if inv.ProjectID == "" {
		return nil
	}
	// A project of another client would show this invoice to that client's contacts on the project.
	_, err = enterProjectIf(ctx, tx, orgID, v, inv.ProjectID, "p.client_id IS NULL OR p.client_id = ?", inv.ClientID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.Invalid("body.project_id", "must be a project of this organization and of the invoice's client")
	}
	return err
}

// insertInvoice numbers inv, writes it with its lines and records invoice.created.
func insertInvoice(ctx context.Context, tx bun.Tx, orgID, actorID string, inv *domain.Invoice, payload map[string]any) error {
	// The counter row lock hands out numbers one at a time, so concurrent creates get consecutive numbers.
	if err := tx.NewRaw(`INSERT INTO invoice_counters (organization_id, last_number) VALUES (?, 1)
		ON CONFLICT (organization_id) DO UPDATE SET last_number = invoice_counters.last_number + 1
		RETURNING last_number`, orgID).Scan(ctx, &inv.Number); err != nil {
		return err
	}
	t := now()
	inv.ID, inv.OrganizationID, inv.CreatedAt, inv.UpdatedAt, inv.CreatedBy = newID(), orgID, t, t, actorID
	row := invoiceRowFrom(inv)
	if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
		return err
	}
	if err := writeInvoiceLines(ctx, tx, orgID, inv); err != nil {
		return err
	}
	payload["number"] = inv.Number
	payload["total"] = inv.Total
	return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoiceCreated, inv, actorID, payload))
}

func invoiceRowFrom(inv *domain.Invoice) invoiceRow {
	return invoiceRow{ID: inv.ID, OrganizationID: inv.OrganizationID, Number: inv.Number, ClientID: inv.ClientID,
		ProjectID: nullable(inv.ProjectID), Status: inv.Status, Currency: inv.Currency, IssueDate: inv.IssueDate,
		DueDate: inv.DueDate, DiscountBP: inv.DiscountBP, Notes: inv.Notes, Subtotal: inv.Subtotal, Discount: inv.Discount,
		Tax: inv.Tax, Total: inv.Total, AmountPaid: inv.AmountPaid, SentAt: inv.SentAt, PaidAt: inv.PaidAt,
		VoidedAt: inv.VoidedAt, CreatedBy: nullable(inv.CreatedBy), CreatedAt: inv.CreatedAt, UpdatedAt: inv.UpdatedAt}
}

// writeInvoiceLines replaces the invoice's lines with inv.Lines (IDs filled here).
func writeInvoiceLines(ctx context.Context, tx bun.Tx, orgID string, inv *domain.Invoice) error {
	if _, err := tx.NewDelete().Model((*invoiceLineRow)(nil)).
		Where("organization_id = ? AND invoice_id = ?", orgID, inv.ID).Exec(ctx); err != nil {
		return err
	}
	if len(inv.Lines) == 0 {
		return nil
	}
	rows := make([]invoiceLineRow, len(inv.Lines))
	for i := range inv.Lines {
		l := &inv.Lines[i]
		l.ID = newID()
		rows[i] = invoiceLineRow{ID: l.ID, OrganizationID: orgID, InvoiceID: inv.ID, Position: i, Description: l.Description,
			QuantityMilli: l.QuantityMilli, UnitPrice: l.UnitPrice, TaxRateBP: l.TaxRateBP, Amount: l.Amount,
			Discount: l.Discount, Tax: l.Tax, TaskID: nullable(l.TaskID)}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// invoiceEvent is typ with the invoice's documented payload (domain.InvoiceEventPayload) as inv stands, plus
// extra keys for the events that stay inside the product (invoice.paid and invoice.overdue, delivered by
// webhooks, take none, so their payload is exactly the documented one).
func invoiceEvent(typ string, inv *domain.Invoice, actorID string, extra map[string]any) domain.Event {
	payload := domain.EventPayloadMap(invoicePayload(inv))
	for k, v := range extra {
		payload[k] = v
	}
	return domain.Event{Type: typ, EntityType: "invoice", EntityID: inv.ID, ActorID: actorID, ProjectID: inv.ProjectID,
		Payload: payload}
}

func invoicePayload(inv *domain.Invoice) domain.InvoiceEventPayload {
	return domain.InvoiceEventPayload{InvoiceID: inv.ID, Number: inv.Number, ClientID: inv.ClientID,
		ClientName: inv.ClientName, ProjectID: domain.OptionalID(inv.ProjectID), Status: inv.Status,
		Currency: inv.Currency, Total: inv.Total, AmountPaid: inv.AmountPaid, Balance: inv.Balance(),
		IssueDate: inv.IssueDate.Format(time.DateOnly), DueDate: inv.DueDate.Format(time.DateOnly), PaidAt: inv.PaidAt}
}

// Invoice returns one invoice of orgID that v may see, with its lines and payments. Errors: ENOTFOUND
// (also for another tenant's ID).
func (db *DB) Invoice(ctx context.Context, orgID string, v domain.Viewer, id string) (*domain.Invoice, error) {
	var out *domain.Invoice
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = loadInvoice(ctx, tx, orgID, v, id, false)
		return err
	})
	return out, err
}

// loadInvoice reads one invoice with its lines and payments, optionally locking its row. Errors: ENOTFOUND.
func loadInvoice(ctx context.Context, tx bun.Tx, orgID string, v domain.Viewer, id string, lock bool) (*domain.Invoice, error) {
	if !validUUID(id) {
		return nil, domain.Errorf(domain.ENOTFOUND, invoiceNotFound)
	}
	query := invoiceSelect + " AND i.id = ?"
	if lock {
		query += " FOR UPDATE OF i"
	}
	var row invoiceRow
	args := append([]any{orgID}, invoiceVisibleArgs(v)...)
	if err := tx.NewRaw(query, append(args, id)...).Scan(ctx, &row); err != nil {
		return nil, mapError(err, invoiceNotFound)
	}
	inv := row.domain()
	if err := loadInvoiceDetails(ctx, tx, orgID, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

func loadInvoiceDetails(ctx context.Context, tx bun.Tx, orgID string, inv *domain.Invoice) error {
	var lines []invoiceLineRow
	if err := tx.NewSelect().Model(&lines).Where("organization_id = ? AND invoice_id = ?", orgID, inv.ID).
		Order("position").Scan(ctx); err != nil {
		return err
	}
	for _, l := range lines {
		line := domain.InvoiceLine{ID: l.ID, Description: l.Description, QuantityMilli: l.QuantityMilli, UnitPrice: l.UnitPrice,
			TaxRateBP: l.TaxRateBP, Amount: l.Amount, Discount: l.Discount, Tax: l.Tax}
		if l.TaskID != nil {
			line.TaskID = *l.TaskID
		}
		inv.Lines = append(inv.Lines, line)
	}
	var pays []invoicePaymentRow
	if err := tx.NewSelect().Model(&pays).Where("organization_id = ? AND invoice_id = ?", orgID, inv.ID).
		Order("paid_on", "id").Scan(ctx); err != nil {
		return err
	}
	for _, p := range pays {
		inv.Payments = append(inv.Payments, domain.InvoicePayment{ID: p.ID, InvoiceID: p.InvoiceID, Amount: p.Amount,
			PaidOn: domain.DateOnly(p.PaidOn), Method: p.Method, Note: p.Note, CreatedAt: p.CreatedAt})
	}
	return nil
}

// Invoices lists the invoices v may see, newest first, one page at a time (without lines). The returned
// cursor is empty on the last page. Errors: EINVALID for a malformed cursor or client ID.
func (db *DB) Invoices(ctx context.Context, orgID string, v domain.Viewer, f domain.InvoiceFilter) ([]*domain.Invoice, string, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var b strings.Builder
	b.WriteString(invoiceSelect)
	args := append([]any{orgID}, invoiceVisibleArgs(v)...)
	add := func(cond string, val any) { b.WriteString(" AND " + cond); args = append(args, val) }
	if f.Status != "" {
		add("i.status = ?", f.Status)
	}
	if f.ClientID != "" {
		if !validUUID(f.ClientID) {
			return nil, "", domain.Invalid("query.client_id", "must be a client ID")
		}
		add("i.client_id = ?", f.ClientID)
	}
	if after != "" {
		add("i.id < ?", after)
	}
	b.WriteString(" ORDER BY i.id DESC LIMIT ?")
	args = append(args, f.Limit+1)
	var rows []invoiceRow
	err = db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(b.String(), args...).Scan(ctx, &rows)
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next = encodeCursor(rows[len(rows)-1].ID)
	}
	out := make([]*domain.Invoice, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, next, nil
}

// UpdateInvoice applies upd to a draft invoice v may see, revalidates it and recomputes its totals, on
// behalf of v; a project it names must be one v may see (as in CreateInvoice). Errors: ENOTFOUND, EINVALID,
// ECONFLICT (the invoice is no longer a draft).
func (db *DB) UpdateInvoice(ctx context.Context, orgID string, v domain.Viewer, id string, upd domain.InvoiceUpdate) (*domain.Invoice, error) {
	var out *domain.Invoice
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		inv, err := loadInvoice(ctx, tx, orgID, v, id, true)
		if err != nil {
			return err
		}
		if !inv.Editable() {
			return domain.Errorf(domain.ECONFLICT, "Only a draft invoice can be edited.")
		}
		upd.Apply(inv)
		inv.Normalize()
		if err := inv.Validate(); err != nil {
			return err
		}
		if err := checkInvoiceRefs(ctx, tx, orgID, v, inv); err != nil {
			return err
		}
		inv.UpdatedAt = now()
		row := invoiceRowFrom(inv)
		if _, err := tx.NewUpdate().Model(&row).Column("client_id", "project_id", "currency", "issue_date", "due_date",
			"discount_bp", "notes", "subtotal", "discount", "tax", "total", "updated_at").
			Where("organization_id = ? AND id = ?", orgID, id).Exec(ctx); err != nil {
			return err
		}
		if upd.Lines != nil {
			if err := writeInvoiceLines(ctx, tx, orgID, inv); err != nil {
				return err
			}
		} else if err := saveLineAmounts(ctx, tx, orgID, inv); err != nil {
			return err
		}
		out = inv
		return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoiceUpdated, inv, v.UserID, map[string]any{"total": inv.Total}))
	})
	return out, mapError(err, invoiceNotFound)
}

// saveLineAmounts stores the recomputed amounts of lines that stayed (a discount change moves them).
func saveLineAmounts(ctx context.Context, tx bun.Tx, orgID string, inv *domain.Invoice) error {
	for _, l := range inv.Lines {
		if _, err := tx.NewRaw(`UPDATE invoice_lines SET amount = ?, discount = ?, tax = ?
			WHERE organization_id = ? AND id = ?`, l.Amount, l.Discount, l.Tax, orgID, l.ID).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// DeleteInvoice removes a draft invoice v may see, on behalf of v; the time entries it billed become
// unbilled again. Errors: ENOTFOUND (also for an invoice v may not see), ECONFLICT (sent invoices are
// voided, never deleted).
func (db *DB) DeleteInvoice(ctx context.Context, orgID string, v domain.Viewer, id string) error {
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		inv, err := loadInvoice(ctx, tx, orgID, v, id, true)
		if err != nil {
			return err
		}
		if !inv.Editable() {
			return domain.Errorf(domain.ECONFLICT, "Only a draft invoice can be deleted; void a sent one instead.")
		}
		if err := releaseTimeEntries(ctx, tx, orgID, id); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*invoiceRow)(nil)).Where("organization_id = ? AND id = ?", orgID, id).Exec(ctx); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoiceDeleted, inv, v.UserID, nil))
	})
	return mapError(err, invoiceNotFound)
}

// releaseTimeEntries makes the entries an invoice billed billable again.
func releaseTimeEntries(ctx context.Context, tx bun.Tx, orgID, invoiceID string) error {
	_, err := tx.NewRaw(`UPDATE time_entries SET invoice_id = NULL, billed_at = NULL, updated_at = now()
		WHERE organization_id = ? AND invoice_id = ?`, orgID, invoiceID).Exec(ctx)
	return err
}

// unbilledEntry is one time entry create-from-time picks up.
type unbilledEntry struct {
	ID         string  `bun:"id"`
	Minutes    int64   `bun:"minutes"`
	TaskID     *string `bun:"task_id"`
	TaskNumber *int    `bun:"task_number"`
	TaskTitle  *string `bun:"task_title"`
}

// unbilledSQL selects a project's stopped, billable, unbilled entries started on the inclusive UTC days
// [from, to]; bind org, project, from, to + 1 day.
const unbilledSQL = `SELECT te.id, te.minutes, te.task_id, t.number AS task_number, t.title AS task_title
	FROM time_entries te
	LEFT JOIN tasks t ON t.organization_id = te.organization_id AND t.id = te.task_id
	WHERE te.organization_id = ? AND te.project_id = ? AND te.billable AND te.billed_at IS NULL
	  AND te.minutes IS NOT NULL AND te.started_at >= ? AND te.started_at < ?`

func dayRange(from, to time.Time) (time.Time, time.Time) {
	return domain.DateOnly(from), domain.DateOnly(to).AddDate(0, 0, 1)
}

// UnbilledTime summarises the time a create-from-time for a project v may see and the days would bill
// (the dialog's preview). Errors: ENOTFOUND (project, also when v may not see it).
func (db *DB) UnbilledTime(ctx context.Context, orgID string, v domain.Viewer, projectID string, from, to time.Time) (*domain.UnbilledTime, error) {
	out := &domain.UnbilledTime{}
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		p, proj, err := openProject(ctx, tx, orgID, v, projectID, false)
		if err != nil {
			return err
		}
		out.HourlyRate = hourlyRate(proj)
		lo, hi := dayRange(from, to)
		return p.NewRaw(`SELECT count(*), coalesce(sum(minutes), 0) FROM (`+unbilledSQL+`) u`,
			p.orgID, p.projectID, lo, hi).Scan(ctx, &out.Entries, &out.Minutes)
	})
	return out, mapError(err, "Project not found.")
}

// hourlyRate is a project's rate per hour in minor units, 0 when it has none.
func hourlyRate(p *domain.Project) int64 {
	if p.HourlyRate == nil {
		return 0
	}
	return *p.HourlyRate
}

// CreateInvoiceFromTime bills the project's unbilled, billable time in the period: one draft line per task
// (quantity = hours in thousandths, unit price = the project's hourly rate), the entries marked billed by
// this invoice in the same transaction. Concurrent runs for a project take turns on the project's row
// lock, and every entry is re-checked under its own lock, so no entry is ever billed twice.
// The project must be one v may see. Errors: ENOTFOUND (project), EINVALID (no client or rate on the
// project, bad dates), ECONFLICT (nothing to bill).
func (db *DB) CreateInvoiceFromTime(ctx context.Context, orgID string, v domain.Viewer, in domain.InvoiceFromTime) (*domain.Invoice, error) {
	if in.To.Before(in.From) {
		return nil, domain.Invalid("body.to", "must be on or after from")
	}
	actorID := v.UserID
	var inv *domain.Invoice
	err := db.inTenant(ctx, orgID, actorID, func(ctx context.Context, tx bun.Tx) error {
		// The project's row lock makes concurrent runs for one project take turns.
		p, proj, err := openProject(ctx, tx, orgID, v, in.ProjectID, true)
		if err != nil {
			return err
		}
		rate, clientID := hourlyRate(proj), proj.ClientID
		if clientID == "" {
			return domain.Invalid("body.project_id", "must belong to a client to be invoiced")
		}
		if rate <= 0 {
			return domain.Invalid("body.project_id", "needs an hourly rate to bill its time")
		}
		lo, hi := dayRange(in.From, in.To)
		var entries []unbilledEntry
		if err := p.NewRaw(unbilledSQL+" ORDER BY te.started_at, te.id FOR UPDATE OF te", p.orgID, p.projectID, lo, hi).
			Scan(ctx, &entries); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if len(entries) == 0 {
			return domain.Errorf(domain.ECONFLICT, "There is no unbilled billable time on this project in that period.")
		}
		inv = &domain.Invoice{ClientID: clientID, ProjectID: in.ProjectID, Status: domain.InvoiceDraft,
			Lines: timeLines(entries, rate, in.TaxRateBP)}
		if err := tx.NewRaw("SELECT currency FROM organization_settings WHERE organization_id = ?", orgID).
			Scan(ctx, &inv.Currency); err != nil {
			return err
		}
		today := domain.DateOnly(time.Now().UTC())
		inv.IssueDate, inv.DueDate = today, today.AddDate(0, 0, 30)
		if in.IssueDate != nil {
			inv.IssueDate = *in.IssueDate
		}
		if in.DueDate != nil {
			inv.DueDate = *in.DueDate
		}
		inv.Notes = fmt.Sprintf("Time from %s to %s.", lo.Format(time.DateOnly), in.To.Format(time.DateOnly))
		inv.Normalize()
		if err := inv.Validate(); err != nil {
			return err
		}
		if err := insertInvoice(ctx, tx, orgID, actorID, inv, map[string]any{"source": "time", "entries": len(entries)}); err != nil {
			return err
		}
		ids := make([]string, len(entries))
		for i, e := range entries {
			ids[i] = e.ID
		}
		_, err = tx.NewRaw(`UPDATE time_entries SET invoice_id = ?, billed_at = now(), updated_at = now()
			WHERE organization_id = ? AND id IN (?) AND invoice_id IS NULL`, inv.ID, orgID, bun.In(ids)).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, mapError(err, invoiceNotFound)
	}
	return inv, nil
}

// timeLines groups entries per task (time without a task last) into invoice lines.
func timeLines(entries []unbilledEntry, rate int64, taxRateBP int) []domain.InvoiceLine {
	type group struct {
		taskID, label string
		number        int
		minutes       int64
	}
	groups := map[string]*group{}
	for _, e := range entries {
		key, g := "", &group{label: "Time without a task", number: 1 << 30}
		if e.TaskID != nil {
			key = *e.TaskID
			g = &group{taskID: key, label: fmt.Sprintf("#%d %s", *e.TaskNumber, *e.TaskTitle), number: *e.TaskNumber}
		}
		if groups[key] == nil {
			groups[key] = g
		}
		groups[key].minutes += e.Minutes
	}
	sorted := make([]*group, 0, len(groups))
	for _, g := range groups {
		sorted = append(sorted, g)
	}
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].number < sorted[b].number })
	lines := make([]domain.InvoiceLine, len(sorted))
	for i, g := range sorted {
		label := g.label
		if len([]rune(label)) > 1000 {
			label = string([]rune(label)[:1000])
		}
		lines[i] = domain.InvoiceLine{Description: label, QuantityMilli: domain.QuantityForMinutes(g.minutes),
			UnitPrice: rate, TaxRateBP: taxRateBP, TaskID: g.taskID}
	}
	return lines
}

// SendInvoice moves a draft v may see to sent and stores the hash of its public link's token, on behalf
// of v. Errors: ENOTFOUND (also for an invoice v may not see), ECONFLICT (not a draft), EINVALID (no lines).
func (db *DB) SendInvoice(ctx context.Context, orgID string, v domain.Viewer, id string, tokenHash []byte) (*domain.Invoice, error) {
	var out *domain.Invoice
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		inv, err := loadInvoice(ctx, tx, orgID, v, id, true)
		if err != nil {
			return err
		}
		if !inv.Editable() {
			return domain.Errorf(domain.ECONFLICT, "This invoice was already sent.")
		}
		if len(inv.Lines) == 0 {
			return domain.Invalid("body.lines", "an invoice needs at least one line before it is sent")
		}
		t := now()
		if _, err := tx.NewRaw(`UPDATE invoices SET status = 'sent', public_token_hash = ?, sent_at = ?, updated_at = ?
			WHERE organization_id = ? AND id = ?`, tokenHash, t, t, orgID, id).Exec(ctx); err != nil {
			return err
		}
		inv.Status, inv.SentAt, inv.UpdatedAt = domain.InvoiceSent, &t, t
		out = inv
		if err := recordAudit(ctx, tx, orgID, invoiceAudit(domain.AuditInvoiceSent, inv, domain.InvoiceDraft)); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoiceSent, inv, v.UserID, map[string]any{"total": inv.Total}))
	})
	return out, mapError(err, invoiceNotFound)
}

// invoiceAudit is the audit row of inv's move from status before to its current status.
func invoiceAudit(action string, inv *domain.Invoice, before string) domain.AuditEntry {
	return domain.AuditEntry{Action: action, EntityType: "invoice", EntityID: inv.ID, Metadata: map[string]any{
		"number": inv.Number, "client_id": inv.ClientID, "currency": inv.Currency, "total": inv.Total,
		"before": map[string]any{"status": before}, "after": map[string]any{"status": inv.Status}}}
}

// ReplaceInvoiceLink gives a sent, overdue or paid invoice v may see a new public link (the hash of its
// token), so the old link stops working at once, on behalf of v. Errors: ENOTFOUND (also for an invoice v
// may not see), ECONFLICT (a draft has no link yet; a void invoice keeps none).
func (db *DB) ReplaceInvoiceLink(ctx context.Context, orgID string, v domain.Viewer, id string, tokenHash []byte) (*domain.Invoice, error) {
	var out *domain.Invoice
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		inv, err := loadInvoice(ctx, tx, orgID, v, id, true)
		if err != nil {
			return err
		}
		switch inv.Status {
		case domain.InvoiceDraft:
			return domain.Errorf(domain.ECONFLICT, "A draft has no link yet: send it.")
		case domain.InvoiceVoid:
			return domain.Errorf(domain.ECONFLICT, "A void invoice has no link to send.")
		}
		t := now()
		if _, err := tx.NewRaw(`UPDATE invoices SET public_token_hash = ?, updated_at = ? WHERE organization_id = ? AND id = ?`,
			tokenHash, t, orgID, id).Exec(ctx); err != nil {
			return err
		}
		inv.UpdatedAt = t
		out = inv
		return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoiceLinkReplaced, inv, v.UserID, nil))
	})
	return out, mapError(err, invoiceNotFound)
}

// RecordInvoicePayment adds p to a sent or overdue invoice v may see, on behalf of v; the payment that
// settles the balance marks it paid (an amount of 0 marks a zero-total invoice paid). Errors: ENOTFOUND
// (also for an invoice v may not see), EINVALID, ECONFLICT (not open for payments).
func (db *DB) RecordInvoicePayment(ctx context.Context, orgID string, v domain.Viewer, id string, p *domain.InvoicePayment) (*domain.Invoice, error) {
	var out *domain.Invoice
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		inv, err := loadInvoice(ctx, tx, orgID, v, id, true)
		if err != nil {
			return err
		}
		p.PaidOn = domain.DateOnly(p.PaidOn)
		p.Note = strings.TrimSpace(p.Note)
		if err := domain.ValidatePayment(inv, p); err != nil {
			return err
		}
		t := now()
		// A zero-total invoice is marked paid without a payment row: no money changed hands.
		if p.Amount > 0 {
			p.ID, p.InvoiceID, p.CreatedAt = newID(), id, t
			row := invoicePaymentRow{ID: p.ID, OrganizationID: orgID, InvoiceID: id, Amount: p.Amount, PaidOn: p.PaidOn,
				Method: p.Method, Note: p.Note, CreatedBy: nullable(v.UserID), CreatedAt: t}
			if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
			inv.AmountPaid += p.Amount
			inv.Payments = append(inv.Payments, *p)
		}
		inv.UpdatedAt = t
		if inv.AmountPaid == inv.Total {
			inv.Status, inv.PaidAt = domain.InvoicePaid, &t
		}
		if _, err := tx.NewRaw(`UPDATE invoices SET amount_paid = ?, status = ?, paid_at = ?, updated_at = ?
			WHERE organization_id = ? AND id = ?`, inv.AmountPaid, inv.Status, inv.PaidAt, t, orgID, id).Exec(ctx); err != nil {
			return err
		}
		out = inv
		if err := recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoicePaymentRecorded, inv, v.UserID,
			map[string]any{"amount": p.Amount, "amount_paid": inv.AmountPaid})); err != nil {
			return err
		}
		if inv.Status != domain.InvoicePaid {
			return nil
		}
		return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoicePaid, inv, v.UserID, nil))
	})
	return out, mapError(err, invoiceNotFound)
}

// VoidInvoice cancels a sent or overdue invoice v may see that took no payment, on behalf of v; the time
// it billed becomes billable again. Errors: ENOTFOUND (also for an invoice v may not see), ECONFLICT.
func (db *DB) VoidInvoice(ctx context.Context, orgID string, v domain.Viewer, id string) (*domain.Invoice, error) {
	var out *domain.Invoice
	err := db.inTenant(ctx, orgID, v.UserID, func(ctx context.Context, tx bun.Tx) error {
		inv, err := loadInvoice(ctx, tx, orgID, v, id, true)
		if err != nil {
			return err
		}
		switch {
		case inv.Status == domain.InvoiceDraft:
			return domain.Errorf(domain.ECONFLICT, "A draft is deleted, not voided.")
		case !inv.Payable():
			return domain.Errorf(domain.ECONFLICT, "Only a sent or overdue invoice can be voided.")
		case inv.AmountPaid > 0:
			return domain.Errorf(domain.ECONFLICT, "An invoice with recorded payments cannot be voided.")
		}
		t := now()
		if _, err := tx.NewRaw(`UPDATE invoices SET status = 'void', voided_at = ?, updated_at = ?
			WHERE organization_id = ? AND id = ?`, t, t, orgID, id).Exec(ctx); err != nil {
			return err
		}
		if err := releaseTimeEntries(ctx, tx, orgID, id); err != nil {
			return err
		}
		before := inv.Status
		inv.Status, inv.VoidedAt, inv.UpdatedAt = domain.InvoiceVoid, &t, t
		out = inv
		if err := recordAudit(ctx, tx, orgID, invoiceAudit(domain.AuditInvoiceVoided, inv, before)); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoiceVoided, inv, v.UserID, nil))
	})
	return out, mapError(err, invoiceNotFound)
}

// MarkInvoiceOverdue moves a sent invoice to overdue and records invoice.overdue; it reports whether this
// call changed it, so a retry or a paid/voided invoice changes nothing. Errors: ENOTFOUND.
func (db *DB) MarkInvoiceOverdue(ctx context.Context, orgID, id string) (*domain.Invoice, bool, error) {
	var out *domain.Invoice
	changed := false
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		inv, err := loadInvoice(ctx, tx, orgID, systemViewer, id, true)
		if err != nil {
			return err
		}
		out = inv
		if inv.Status != domain.InvoiceSent {
			return nil
		}
		t := now()
		if _, err := tx.NewRaw(`UPDATE invoices SET status = 'overdue', updated_at = ? WHERE organization_id = ? AND id = ?`,
			t, orgID, id).Exec(ctx); err != nil {
			return err
		}
		inv.Status, inv.UpdatedAt, changed = domain.InvoiceOverdue, t, true
		return recordEvent(ctx, tx, orgID, invoiceEvent(domain.EventInvoiceOverdue, inv, "", nil))
	})
	return out, changed, mapError(err, invoiceNotFound)
}

// InvoiceAsSystem reads an invoice for a workflow acting on the organization's behalf. Errors: ENOTFOUND.
func (db *DB) InvoiceAsSystem(ctx context.Context, orgID, id string) (*domain.Invoice, error) {
	return db.Invoice(ctx, orgID, systemViewer, id)
}

// PublicInvoice is what the client-facing link shows: the invoice and its organization's name and brand.
type PublicInvoice struct {
	Invoice    *domain.Invoice
	OrgName    string
	BrandColor string
	LogoURL    string
}

// InvoiceByPublicToken returns the sent invoice whose public token hashes to tokenHash, with its
// organization's branding. The token grants reading that one invoice row (a SELECT-only policy); the rest
// is read with the transaction scoped to its organization. Errors: ENOTFOUND (also for drafts, which
// have no token).
func (db *DB) InvoiceByPublicToken(ctx context.Context, tokenHash []byte) (*PublicInvoice, error) {
	out := &PublicInvoice{}
	err := db.bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.invoice_token', ?, true)", hex.EncodeToString(tokenHash)); err != nil {
			return err
		}
		var ref struct {
			OrganizationID string `bun:"organization_id"`
			ID             string `bun:"id"`
		}
		if err := tx.NewRaw("SELECT organization_id, id FROM invoices WHERE public_token_hash = ?", tokenHash).
			Scan(ctx, &ref); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "SELECT set_config('app.org_id', ?, true), set_config('app.invoice_token', '', true)",
			ref.OrganizationID); err != nil {
			return err
		}
		inv, err := loadInvoice(ctx, tx, ref.OrganizationID, systemViewer, ref.ID, false)
		if err != nil {
			return err
		}
		out.Invoice = inv
		return tx.NewRaw(`SELECT o.name, s.brand_color, s.logo_url FROM organizations o
			JOIN organization_settings s ON s.organization_id = o.id WHERE o.id = ?`, ref.OrganizationID).
			Scan(ctx, &out.OrgName, &out.BrandColor, &out.LogoURL)
	})
	if err != nil {
		return nil, mapError(err, invoiceNotFound)
	}
	return out, nil
}
