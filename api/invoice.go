package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// InvoiceLine is one row of an invoice. Quantities are thousandths (1.5 h = 1500); money is minor units.
type InvoiceLine struct {
	ID            string  `json:"id" format:"uuid"`
	Description   string  `json:"description"`
	QuantityMilli int64   `json:"quantity_milli" doc:"Quantity in thousandths: 1500 is 1.5."`
	UnitPrice     int64   `json:"unit_price" doc:"Minor units of the invoice currency."`
	TaxRateBP     int     `json:"tax_rate_bp" doc:"Tax rate in basis points: 750 is 7.5 %."`
	TaskID        *string `json:"task_id" format:"uuid" nullable:"true" doc:"The task whose time the line bills."`
	Amount        int64   `json:"amount" doc:"round(quantity × unit price), before discount and tax."`
	Discount      int64   `json:"discount" doc:"This line's share of the invoice discount."`
	Tax           int64   `json:"tax" doc:"round((amount − discount) × tax rate)."`
}

// InvoicePayment is money received against an invoice.
type InvoicePayment struct {
	ID        string    `json:"id" format:"uuid"`
	Amount    int64     `json:"amount"`
	PaidOn    string    `json:"paid_on" format:"date"`
	Method    string    `json:"method" enum:"bank_transfer,card,cash,check,other"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// InvoiceSummary is an invoice as lists show it.
type InvoiceSummary struct {
	ID          string     `json:"id" format:"uuid"`
	Number      int        `json:"number"`
	ClientID    string     `json:"client_id" format:"uuid"`
	ClientName  string     `json:"client_name"`
	ProjectID   *string    `json:"project_id" format:"uuid" nullable:"true"`
	ProjectName string     `json:"project_name"`
	Status      string     `json:"status" enum:"draft,sent,paid,overdue,void"`
	Currency    string     `json:"currency"`
	IssueDate   string     `json:"issue_date" format:"date"`
	DueDate     string     `json:"due_date" format:"date"`
	Subtotal    int64      `json:"subtotal"`
	Discount    int64      `json:"discount"`
	Tax         int64      `json:"tax"`
	Total       int64      `json:"total"`
	AmountPaid  int64      `json:"amount_paid"`
	Balance     int64      `json:"balance"`
	SentAt      *time.Time `json:"sent_at" nullable:"true"`
	PaidAt      *time.Time `json:"paid_at" nullable:"true"`
	VoidedAt    *time.Time `json:"voided_at" nullable:"true"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Invoice is a bill to one of the agency's clients, with its lines and payments.
type Invoice struct {
	InvoiceSummary
	ClientEmail string           `json:"client_email"`
	DiscountBP  int              `json:"discount_bp" doc:"Discount on the subtotal in basis points."`
	Notes       string           `json:"notes"`
	Lines       []InvoiceLine    `json:"lines"`
	Payments    []InvoicePayment `json:"payments"`
	// PublicURL is the client's link; only the send response carries it (the server keeps only its hash).
	PublicURL *string `json:"public_url,omitempty" doc:"The client-facing link; returned once, by send."`
}

func invoiceSummaryFrom(inv *domain.Invoice) InvoiceSummary {
	var project *string
	if inv.ProjectID != "" {
		project = &inv.ProjectID
	}
	return InvoiceSummary{ID: inv.ID, Number: inv.Number, ClientID: inv.ClientID, ClientName: inv.ClientName,
		ProjectID: project, ProjectName: inv.ProjectName, Status: inv.Status, Currency: inv.Currency,
		IssueDate: inv.IssueDate.Format(time.DateOnly), DueDate: inv.DueDate.Format(time.DateOnly),
		Subtotal: inv.Subtotal, Discount: inv.Discount, Tax: inv.Tax, Total: inv.Total, AmountPaid: inv.AmountPaid,
		Balance: inv.Balance(), SentAt: inv.SentAt, PaidAt: inv.PaidAt, VoidedAt: inv.VoidedAt,
		CreatedAt: inv.CreatedAt, UpdatedAt: inv.UpdatedAt}
}

func invoiceFrom(inv *domain.Invoice) Invoice {
	out := Invoice{InvoiceSummary: invoiceSummaryFrom(inv), ClientEmail: inv.ClientEmail, DiscountBP: inv.DiscountBP,
		Notes: inv.Notes, Lines: make([]InvoiceLine, len(inv.Lines)), Payments: make([]InvoicePayment, len(inv.Payments))}
	for i, l := range inv.Lines {
		out.Lines[i] = InvoiceLine{ID: l.ID, Description: l.Description, QuantityMilli: l.QuantityMilli, UnitPrice: l.UnitPrice,
			TaxRateBP: l.TaxRateBP, Amount: l.Amount, Discount: l.Discount, Tax: l.Tax}
		if l.TaskID != "" {
			out.Lines[i].TaskID = &l.TaskID
		}
	}
	for i, p := range inv.Payments {
		out.Payments[i] = InvoicePayment{ID: p.ID, Amount: p.Amount, PaidOn: p.PaidOn.Format(time.DateOnly),
			Method: p.Method, Note: p.Note, CreatedAt: p.CreatedAt}
	}
	return out
}

// InvoiceList is one page of invoices.
type InvoiceList struct {
	Data       []InvoiceSummary `json:"data"`
	NextCursor *string          `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

// InvoiceLineInput is a line as a client writes it; the server computes its amounts.
type InvoiceLineInput struct {
	Description   string `json:"description" minLength:"1" maxLength:"1000"`
	QuantityMilli int64  `json:"quantity_milli" minimum:"1" maximum:"1000000000" doc:"Thousandths: 1500 is 1.5."`
	UnitPrice     int64  `json:"unit_price" minimum:"0" maximum:"1000000000000" doc:"Minor units."`
	TaxRateBP     int    `json:"tax_rate_bp,omitempty" minimum:"0" maximum:"10000" doc:"Basis points: 750 is 7.5 %."`
}

// InvoiceCreate creates a draft invoice; currency defaults to the organization's.
type InvoiceCreate struct {
	ClientID   string             `json:"client_id" format:"uuid"`
	ProjectID  string             `json:"project_id,omitempty" format:"uuid"`
	Currency   string             `json:"currency,omitempty" pattern:"^[A-Za-z]{3}$"`
	IssueDate  string             `json:"issue_date" format:"date"`
	DueDate    string             `json:"due_date" format:"date" doc:"On or after issue_date."`
	DiscountBP int                `json:"discount_bp,omitempty" minimum:"0" maximum:"10000"`
	Notes      string             `json:"notes,omitempty" maxLength:"10000"`
	Lines      []InvoiceLineInput `json:"lines" maxItems:"200"`
}

// InvoiceUpdate changes a draft; lines, when present, replace every line. An empty project_id clears it.
type InvoiceUpdate struct {
	ClientID   *string             `json:"client_id,omitempty" format:"uuid"`
	ProjectID  *string             `json:"project_id,omitempty" maxLength:"36"`
	Currency   *string             `json:"currency,omitempty" pattern:"^[A-Za-z]{3}$"`
	IssueDate  *string             `json:"issue_date,omitempty" format:"date"`
	DueDate    *string             `json:"due_date,omitempty" format:"date"`
	DiscountBP *int                `json:"discount_bp,omitempty" minimum:"0" maximum:"10000"`
	Notes      *string             `json:"notes,omitempty" maxLength:"10000"`
	Lines      *[]InvoiceLineInput `json:"lines,omitempty" maxItems:"200"`
}

// InvoiceFromTime bills a project's unbilled, billable time logged on the days from..to (inclusive, UTC).
type InvoiceFromTime struct {
	ProjectID string `json:"project_id" format:"uuid"`
	From      string `json:"from" format:"date"`
	To        string `json:"to" format:"date"`
	IssueDate string `json:"issue_date,omitempty" format:"date" doc:"Defaults to today."`
	DueDate   string `json:"due_date,omitempty" format:"date" doc:"Defaults to 30 days after today."`
	TaxRateBP int    `json:"tax_rate_bp,omitempty" minimum:"0" maximum:"10000"`
}

// UnbilledTime is what a create-from-time would bill.
type UnbilledTime struct {
	Entries    int   `json:"entries"`
	Minutes    int64 `json:"minutes"`
	HourlyRate int64 `json:"hourly_rate" doc:"The project's rate in minor units per hour; 0 when unset."`
}

// InvoicePaymentCreate records money received.
type InvoicePaymentCreate struct {
	Amount int64  `json:"amount" minimum:"0" maximum:"1000000000000000" doc:"Minor units; at most the balance due. 0 marks a zero-total invoice paid."`
	PaidOn string `json:"paid_on" format:"date"`
	Method string `json:"method,omitempty" enum:"bank_transfer,card,cash,check,other" doc:"Defaults to bank_transfer."`
	Note   string `json:"note,omitempty" maxLength:"1000"`
}

// PublicInvoice is what the client sees through the invoice's link: the bill and who sent it, nothing the
// agency keeps for itself (its IDs for the invoice, client and project, the tasks lines bill, payment
// records and their notes, who created it and when).
type PublicInvoice struct {
	Number           int                 `json:"number"`
	Status           string              `json:"status" enum:"sent,paid,overdue,void"`
	ClientName       string              `json:"client_name"`
	Currency         string              `json:"currency"`
	IssueDate        string              `json:"issue_date" format:"date"`
	DueDate          string              `json:"due_date" format:"date"`
	Lines            []PublicInvoiceLine `json:"lines"`
	Subtotal         int64               `json:"subtotal"`
	Discount         int64               `json:"discount"`
	Tax              int64               `json:"tax"`
	Total            int64               `json:"total"`
	AmountPaid       int64               `json:"amount_paid"`
	Balance          int64               `json:"balance"`
	Notes            string              `json:"notes" doc:"The invoice's notes to the client."`
	PaidAt           *time.Time          `json:"paid_at" nullable:"true"`
	OrganizationName string              `json:"organization_name"`
	BrandColor       string              `json:"brand_color"`
}

// PublicInvoiceLine is a line as the client sees it.
type PublicInvoiceLine struct {
	ID            string `json:"id" format:"uuid"`
	Description   string `json:"description"`
	QuantityMilli int64  `json:"quantity_milli" doc:"Quantity in thousandths: 1500 is 1.5."`
	UnitPrice     int64  `json:"unit_price"`
	TaxRateBP     int    `json:"tax_rate_bp"`
	Amount        int64  `json:"amount"`
	Discount      int64  `json:"discount"`
	Tax           int64  `json:"tax"`
}

// publicInvoiceFrom copies only the client-facing fields of inv.
func publicInvoiceFrom(inv *domain.Invoice, orgName, brandColor string) PublicInvoice {
	out := PublicInvoice{Number: inv.Number, Status: inv.Status, ClientName: inv.ClientName, Currency: inv.Currency,
		IssueDate: inv.IssueDate.Format(time.DateOnly), DueDate: inv.DueDate.Format(time.DateOnly),
		Lines: make([]PublicInvoiceLine, len(inv.Lines)), Subtotal: inv.Subtotal, Discount: inv.Discount, Tax: inv.Tax,
		Total: inv.Total, AmountPaid: inv.AmountPaid, Balance: inv.Balance(), Notes: inv.Notes, PaidAt: inv.PaidAt,
		OrganizationName: orgName, BrandColor: brandColor}
	for i, l := range inv.Lines {
		out.Lines[i] = PublicInvoiceLine{ID: l.ID, Description: l.Description, QuantityMilli: l.QuantityMilli,
			UnitPrice: l.UnitPrice, TaxRateBP: l.TaxRateBP, Amount: l.Amount, Discount: l.Discount, Tax: l.Tax}
	}
	return out
}

// InvoicePath addresses one invoice of an organization.
type InvoicePath struct {
	OrgID     string `path:"org_id" format:"uuid" doc:"Organization ID."`
	InvoiceID string `path:"invoice_id" format:"uuid" doc:"Invoice ID."`
}

// PublicInvoicePath addresses an invoice by its public link's token.
type PublicInvoicePath struct {
	Token string `path:"token" maxLength:"200"`
}

type invoiceOutput struct{ Body Invoice }

// pdfResponses documents a PDF answer. Huma adds the error responses to the map it is given, so every
// operation gets a fresh one (a shared map raced when two servers registered at once).
func pdfResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "The invoice as a PDF document.",
		Content: map[string]*huma.MediaType{"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
}

// invoiceWriter refuses invoice writes to a member whose role does not see every project. Invoices act for
// the whole organization (its numbering, any project's time, drafts no client sees), so an override
// granting invoices.write alone must not reach them; the store also refuses an invoice, or a project, the
// viewer cannot see. Errors: EFORBIDDEN.
func invoiceWriter(ctx context.Context) error {
	if !viewerFrom(ctx).SeesAllProjects() {
		return domain.Errorf(domain.EFORBIDDEN, "Only owners, admins and managers write invoices.")
	}
	return nil
}

func (s *Server) registerInvoices() {
	tags := []string{"Invoices"}
	base := "/api/v1/orgs/{org_id}/invoices"
	one := base + "/{invoice_id}"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	write := append(errs, http.StatusPaymentRequired, http.StatusConflict, http.StatusUnprocessableEntity)
	// Writes need the invoices feature; reads stay open, so a downgraded organization keeps its invoices.
	invoiceWrite := func() map[string]any {
		return withExtensions(requires(domain.PermInvoicesWrite), needsFeature(domain.FeatureInvoices))
	}
	huma.Register(s.api, huma.Operation{OperationID: "list-invoices", Method: http.MethodGet, Path: base, Tags: tags,
		Security: security, Extensions: requires(domain.PermInvoicesRead), Summary: "List invoices, newest first",
		Errors: append(errs, http.StatusUnprocessableEntity)}, s.listInvoices)
	huma.Register(s.api, huma.Operation{OperationID: "create-invoice", Method: http.MethodPost, Path: base, Tags: tags,
		Security: security, Extensions: invoiceWrite(), Summary: "Create a draft invoice",
		DefaultStatus: http.StatusCreated, Errors: write,
		Description: "Send an Idempotency-Key header to make retries safe: a repeat returns the first response."},
		s.createInvoice)
	huma.Register(s.api, huma.Operation{OperationID: "create-invoice-from-time", Method: http.MethodPost,
		Path: base + "/from-time", Tags: tags, Security: security, Extensions: invoiceWrite(),
		Summary: "Create a draft invoice from a project's unbilled time", DefaultStatus: http.StatusCreated, Errors: write,
		Description: "One line per task at the project's hourly rate; the entries are marked billed. " +
			"Answers 409 when there is nothing to bill. Send an Idempotency-Key header to make retries safe."},
		s.createInvoiceFromTime)
	huma.Register(s.api, huma.Operation{OperationID: "get-unbilled-time", Method: http.MethodGet,
		Path: "/api/v1/orgs/{org_id}/projects/{project_id}/unbilled-time", Tags: tags, Security: security,
		Extensions: requires(domain.PermInvoicesRead), Summary: "See what create-from-time would bill",
		Errors: append(errs, http.StatusUnprocessableEntity)}, s.unbilledTime)
	huma.Register(s.api, huma.Operation{OperationID: "get-invoice", Method: http.MethodGet, Path: one, Tags: tags,
		Security: security, Extensions: requires(domain.PermInvoicesRead), Summary: "Get an invoice", Errors: errs},
		s.getInvoice)
	huma.Register(s.api, huma.Operation{OperationID: "update-invoice", Method: http.MethodPatch, Path: one, Tags: tags,
		Security: security, Extensions: invoiceWrite(), Summary: "Edit a draft invoice", Errors: write},
		s.updateInvoice)
	huma.Register(s.api, huma.Operation{OperationID: "delete-invoice", Method: http.MethodDelete, Path: one, Tags: tags,
		Security: security, Extensions: invoiceWrite(), Summary: "Delete a draft invoice",
		Description:   "Its time entries become unbilled again. Sent invoices are voided instead.",
		DefaultStatus: http.StatusNoContent, Errors: append(errs, http.StatusPaymentRequired, http.StatusConflict)}, s.deleteInvoice)
	huma.Register(s.api, huma.Operation{OperationID: "send-invoice", Method: http.MethodPost, Path: one + "/send", Tags: tags,
		Security: security, Extensions: invoiceWrite(), Summary: "Send a draft invoice",
		Description: "Emails the client a link to the invoice and watches the due date for overdue reminders. " +
			"The response carries the link once.", Errors: write}, s.sendInvoice)
	huma.Register(s.api, huma.Operation{OperationID: "resend-invoice-link", Method: http.MethodPost, Path: one + "/resend-link",
		Tags: tags, Security: security, Extensions: invoiceWrite(), Summary: "Send the client a new link to an invoice",
		Description: "For a sent, overdue or paid invoice: a new link replaces the old one, which stops working at " +
			"once, and is emailed to the client. The response carries the new link once.", Errors: write},
		s.resendInvoiceLink)
	huma.Register(s.api, huma.Operation{OperationID: "record-invoice-payment", Method: http.MethodPost, Path: one + "/payments",
		Tags: tags, Security: security, Extensions: invoiceWrite(), Summary: "Record a payment",
		Description: "The payment that settles the balance marks the invoice paid.", DefaultStatus: http.StatusCreated,
		Errors: write}, s.recordInvoicePayment)
	huma.Register(s.api, huma.Operation{OperationID: "void-invoice", Method: http.MethodPost, Path: one + "/void", Tags: tags,
		Security: security, Extensions: invoiceWrite(), Summary: "Void a sent invoice",
		Description: "Only without payments; its time entries become unbilled again.", Errors: write}, s.voidInvoice)
	huma.Register(s.api, huma.Operation{OperationID: "get-invoice-pdf", Method: http.MethodGet, Path: one + "/pdf", Tags: tags,
		Security: security, Extensions: requires(domain.PermInvoicesRead), Summary: "Download an invoice as PDF",
		Errors: errs, Responses: pdfResponses()}, s.invoicePDF)
	huma.Register(s.api, huma.Operation{OperationID: "get-public-invoice", Method: http.MethodGet,
		Path: "/api/v1/public/invoices/{token}", Tags: tags, Summary: "See an invoice through its client link",
		Description: "Needs no session: the token from the invoice email is the permission.",
		Errors:      []int{http.StatusNotFound}}, s.publicInvoice)
	huma.Register(s.api, huma.Operation{OperationID: "get-public-invoice-pdf", Method: http.MethodGet,
		Path: "/api/v1/public/invoices/{token}/pdf", Tags: tags, Summary: "Download an invoice through its client link",
		Errors: []int{http.StatusNotFound}, Responses: pdfResponses()}, s.publicInvoicePDF)
}

func (s *Server) listInvoices(ctx context.Context, in *struct {
	OrgPath
	Status   string `query:"status" enum:"draft,sent,paid,overdue,void"`
	ClientID string `query:"client_id" format:"uuid"`
	Limit    int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor   string `query:"cursor" maxLength:"200"`
}) (*struct{ Body InvoiceList }, error) {
	invs, next, err := s.db.Invoices(ctx, in.OrgID, viewerFrom(ctx),
		domain.InvoiceFilter{Status: in.Status, ClientID: in.ClientID, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := InvoiceList{Data: make([]InvoiceSummary, len(invs))}
	for i, inv := range invs {
		out.Data[i] = invoiceSummaryFrom(inv)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body InvoiceList }{Body: out}, nil
}

// idempotentInvoice runs create once per Idempotency-Key (when given), replaying the first response.
func (s *Server) idempotentInvoice(ctx context.Context, orgID, key, operation string, body any,
	create func(ctx context.Context) (*domain.Invoice, error)) (*invoiceOutput, error) {
	run := func(ctx context.Context) (int, any, error) {
		inv, err := create(ctx)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, invoiceFrom(inv), nil
	}
	if key == "" {
		_, out, err := run(ctx)
		if err != nil {
			return nil, problem(ctx, err)
		}
		return &invoiceOutput{Body: out.(Invoice)}, nil
	}
	reqJSON, _ := json.Marshal(body)
	hash := sha256.Sum256(reqJSON)
	res, err := s.db.Idempotent(ctx, orgID, principalFrom(ctx).User.ID, key, operation, hash[:], run)
	if err != nil {
		return nil, problem(ctx, err)
	}
	var out invoiceOutput
	if err := json.Unmarshal(res.Body, &out.Body); err != nil {
		return nil, problem(ctx, err)
	}
	return &out, nil
}

func (s *Server) createInvoice(ctx context.Context, in *struct {
	OrgPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes the create safe to retry."`
	Body           InvoiceCreate
}) (*invoiceOutput, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	return s.idempotentInvoice(ctx, in.OrgID, in.IdempotencyKey, "create-invoice", in.Body, func(ctx context.Context) (*domain.Invoice, error) {
		b := in.Body
		inv := &domain.Invoice{ClientID: b.ClientID, ProjectID: b.ProjectID, Currency: b.Currency, DiscountBP: b.DiscountBP,
			Notes: b.Notes, Lines: linesFrom(b.Lines)}
		var err error
		if inv.IssueDate, err = requiredDate("body.issue_date", b.IssueDate); err != nil {
			return nil, err
		}
		if inv.DueDate, err = requiredDate("body.due_date", b.DueDate); err != nil {
			return nil, err
		}
		if err := s.db.CreateInvoice(ctx, in.OrgID, viewerFrom(ctx), inv); err != nil {
			return nil, err
		}
		return s.db.Invoice(ctx, in.OrgID, viewerFrom(ctx), inv.ID)
	})
}

func linesFrom(in []InvoiceLineInput) []domain.InvoiceLine {
	out := make([]domain.InvoiceLine, len(in))
	for i, l := range in {
		out[i] = domain.InvoiceLine{Description: l.Description, QuantityMilli: l.QuantityMilli, UnitPrice: l.UnitPrice,
			TaxRateBP: l.TaxRateBP}
	}
	return out
}

func requiredDate(field, s string) (time.Time, error) {
	d, err := domain.ParseDate(field, s)
	if err != nil {
		return time.Time{}, err
	}
	if d == nil {
		return time.Time{}, domain.Invalid(field, "is required")
	}
	return *d, nil
}

func (s *Server) createInvoiceFromTime(ctx context.Context, in *struct {
	OrgPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes the create safe to retry."`
	Body           InvoiceFromTime
}) (*invoiceOutput, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	return s.idempotentInvoice(ctx, in.OrgID, in.IdempotencyKey, "create-invoice-from-time", in.Body, func(ctx context.Context) (*domain.Invoice, error) {
		b := in.Body
		req := domain.InvoiceFromTime{ProjectID: b.ProjectID, TaxRateBP: b.TaxRateBP}
		var err error
		if req.From, err = requiredDate("body.from", b.From); err != nil {
			return nil, err
		}
		if req.To, err = requiredDate("body.to", b.To); err != nil {
			return nil, err
		}
		if req.IssueDate, err = domain.ParseDate("body.issue_date", b.IssueDate); err != nil {
			return nil, err
		}
		if req.DueDate, err = domain.ParseDate("body.due_date", b.DueDate); err != nil {
			return nil, err
		}
		inv, err := s.db.CreateInvoiceFromTime(ctx, in.OrgID, viewerFrom(ctx), req)
		if err != nil {
			return nil, err
		}
		return s.db.Invoice(ctx, in.OrgID, viewerFrom(ctx), inv.ID)
	})
}

func (s *Server) unbilledTime(ctx context.Context, in *struct {
	OrgPath
	ProjectID string `path:"project_id" format:"uuid" doc:"Project ID."`
	From      string `query:"from" format:"date" required:"true" doc:"First day (UTC), inclusive."`
	To        string `query:"to" format:"date" required:"true" doc:"Last day (UTC), inclusive."`
}) (*struct{ Body UnbilledTime }, error) {
	from, err := requiredDate("query.from", in.From)
	if err != nil {
		return nil, problem(ctx, err)
	}
	to, err := requiredDate("query.to", in.To)
	if err != nil {
		return nil, problem(ctx, err)
	}
	u, err := s.db.UnbilledTime(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, from, to)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body UnbilledTime }{Body: UnbilledTime{Entries: u.Entries, Minutes: u.Minutes, HourlyRate: u.HourlyRate}}, nil
}

func (s *Server) getInvoice(ctx context.Context, in *InvoicePath) (*invoiceOutput, error) {
	inv, err := s.db.Invoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &invoiceOutput{Body: invoiceFrom(inv)}, nil
}

func (s *Server) updateInvoice(ctx context.Context, in *struct {
	InvoicePath
	Body InvoiceUpdate
}) (*invoiceOutput, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	b := in.Body
	upd := domain.InvoiceUpdate{ClientID: b.ClientID, ProjectID: b.ProjectID, Currency: b.Currency, Notes: b.Notes,
		DiscountBP: b.DiscountBP}
	for _, d := range []struct {
		field string
		src   *string
		dst   **time.Time
	}{{"body.issue_date", b.IssueDate, &upd.IssueDate}, {"body.due_date", b.DueDate, &upd.DueDate}} {
		if d.src == nil {
			continue
		}
		t, err := requiredDate(d.field, *d.src)
		if err != nil {
			return nil, problem(ctx, err)
		}
		*d.dst = &t
	}
	if b.Lines != nil {
		lines := linesFrom(*b.Lines)
		upd.Lines = &lines
	}
	if _, err := s.db.UpdateInvoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID, upd); err != nil {
		return nil, problem(ctx, err)
	}
	return s.getInvoice(ctx, &in.InvoicePath)
}

func (s *Server) deleteInvoice(ctx context.Context, in *InvoicePath) (*struct{}, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	if err := s.db.DeleteInvoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// sendInvoice marks the draft sent under a fresh random link, emails the client that link, and starts the
// workflow that watches the due date.
func (s *Server) sendInvoice(ctx context.Context, in *InvoicePath) (*invoiceOutput, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	token, err := randomToken()
	if err != nil {
		return nil, problem(ctx, err)
	}
	link := s.invoiceLink(token)
	// The invoice is sent once the row says so, and the email and overdue workflow commit with it (the
	// workflow outbox): a Temporal outage delays them, never loses them, and never fails the send.
	var inv *domain.Invoice
	var watch domain.WorkflowStart
	var due domain.InvoiceWatch
	var mail []queuedEmail
	err = s.db.Atomically(ctx, in.OrgID, principalFrom(ctx).User.ID, func(ctx context.Context) error {
		if _, err := s.db.SendInvoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID, s.tokenHash(token)); err != nil {
			return err
		}
		var err error
		if inv, err = s.db.Invoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID); err != nil {
			return err
		}
		settings, err := s.db.OrganizationSettings(ctx, in.OrgID)
		if err != nil {
			return err
		}
		loc, err := time.LoadLocation(settings.Timezone)
		if err != nil {
			loc = time.UTC
		}
		due = domain.InvoiceWatch{OrganizationID: in.OrgID, InvoiceID: inv.ID, DueAt: domain.InvoiceDueAt(inv.DueDate, loc), PublicURL: link}
		watch = domain.InvoiceOverdueStart(due)
		if err := s.db.EnqueueStarts(ctx, &watch); err != nil || inv.ClientEmail == "" {
			return err
		}
		mail, err = s.queueEmails(ctx, domain.EmailRequest{Key: "invoice-available/" + inv.ID, To: inv.ClientEmail,
			Template: domain.EmailInvoiceAvailable, Data: domain.InvoiceEmailData(inv, settings.Name, link), BrandOrg: in.OrgID})
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.sendQueued(ctx, mail)
	s.startNow(ctx, watch, func(ctx context.Context) error { return s.Workflows.StartInvoiceOverdue(ctx, due) })
	out := invoiceFrom(inv)
	out.PublicURL = &link
	return &invoiceOutput{Body: out}, nil
}

// invoiceLink is the client's link to an invoice for a public token.
func (s *Server) invoiceLink(token string) string {
	return s.cfg.AppURL + "/client-portal/invoices/" + url.PathEscape(token)
}

// resendInvoiceLink replaces a sent invoice's public link (the old one answers 404 from now on), emails the
// client the new one and hands it to the overdue workflow for its reminders.
func (s *Server) resendInvoiceLink(ctx context.Context, in *InvoicePath) (*invoiceOutput, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	token, err := randomToken()
	if err != nil {
		return nil, problem(ctx, err)
	}
	link, hash := s.invoiceLink(token), s.tokenHash(token)
	var inv *domain.Invoice
	var mail []queuedEmail
	err = s.db.Atomically(ctx, in.OrgID, principalFrom(ctx).User.ID, func(ctx context.Context) error {
		if _, err := s.db.ReplaceInvoiceLink(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID, hash); err != nil {
			return err
		}
		var err error
		if inv, err = s.db.Invoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID); err != nil || inv.ClientEmail == "" {
			return err
		}
		settings, err := s.db.OrganizationSettings(ctx, in.OrgID)
		if err != nil {
			return err
		}
		// One email per link: the key names the link's hash, so a retry of this request sends it once.
		mail, err = s.queueEmails(ctx, domain.EmailRequest{Key: "invoice-link/" + inv.ID + "/" + hex.EncodeToString(hash[:8]),
			To: inv.ClientEmail, Template: domain.EmailInvoiceAvailable, Data: domain.InvoiceEmailData(inv, settings.Name, link),
			BrandOrg: in.OrgID})
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.sendQueued(ctx, mail)
	if inv.Status == domain.InvoiceSent || inv.Status == domain.InvoiceOverdue {
		if err := s.Workflows.InvoiceLinkReplaced(ctx, inv.ID, link); err != nil {
			s.logger.WarnContext(ctx, "invoices: new link to overdue workflow", "invoice", inv.ID, "err", err)
		}
	}
	out := invoiceFrom(inv)
	out.PublicURL = &link
	return &invoiceOutput{Body: out}, nil
}

func (s *Server) recordInvoicePayment(ctx context.Context, in *struct {
	InvoicePath
	Body InvoicePaymentCreate
}) (*invoiceOutput, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	b := in.Body
	p := &domain.InvoicePayment{Amount: b.Amount, Method: b.Method, Note: b.Note}
	if p.Method == "" {
		p.Method = "bank_transfer"
	}
	var err error
	if p.PaidOn, err = requiredDate("body.paid_on", b.PaidOn); err != nil {
		return nil, problem(ctx, err)
	}
	inv, err := s.db.RecordInvoicePayment(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID, p)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if inv.Status == domain.InvoicePaid {
		s.endInvoiceWatch(ctx, inv.ID)
	}
	return s.getInvoice(ctx, &in.InvoicePath)
}

func (s *Server) voidInvoice(ctx context.Context, in *InvoicePath) (*invoiceOutput, error) {
	if err := invoiceWriter(ctx); err != nil {
		return nil, problem(ctx, err)
	}
	if _, err := s.db.VoidInvoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID); err != nil {
		return nil, problem(ctx, err)
	}
	s.endInvoiceWatch(ctx, in.InvoiceID)
	return s.getInvoice(ctx, in)
}

// endInvoiceWatch tells the overdue workflow the invoice is settled. A lost signal is harmless: before
// every step the workflow re-reads the invoice and stops once it is paid or void.
func (s *Server) endInvoiceWatch(ctx context.Context, invoiceID string) {
	if err := s.Workflows.InvoiceSettled(ctx, invoiceID); err != nil {
		s.logger.WarnContext(ctx, "invoices: signal overdue workflow", "invoice", invoiceID, "err", err)
	}
}

func (s *Server) invoicePDF(ctx context.Context, in *InvoicePath) (*huma.StreamResponse, error) {
	inv, err := s.db.Invoice(ctx, in.OrgID, viewerFrom(ctx), in.InvoiceID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return s.pdfResponse(ctx, inv)
}

func (s *Server) publicInvoice(ctx context.Context, in *PublicInvoicePath) (*struct{ Body PublicInvoice }, error) {
	pub, err := s.db.InvoiceByPublicToken(ctx, s.tokenHash(in.Token))
	if err != nil {
		return nil, problem(ctx, err)
	}
	// The client's page shows the organization's colour only while its plan has custom_branding.
	b, err := s.db.OrganizationBranding(ctx, pub.Invoice.OrganizationID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body PublicInvoice }{Body: publicInvoiceFrom(pub.Invoice, pub.OrgName, b.Palette().Brand)}, nil
}

func (s *Server) publicInvoicePDF(ctx context.Context, in *PublicInvoicePath) (*huma.StreamResponse, error) {
	pub, err := s.db.InvoiceByPublicToken(ctx, s.tokenHash(in.Token))
	if err != nil {
		return nil, problem(ctx, err)
	}
	return s.pdfResponse(ctx, pub.Invoice)
}
