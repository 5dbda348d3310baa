package domain

import (
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Invoice statuses: draft → sent → paid, sent → overdue → paid, and sent or overdue → void.
const (
	InvoiceDraft   = "draft"
	InvoiceSent    = "sent"
	InvoicePaid    = "paid"
	InvoiceOverdue = "overdue"
	InvoiceVoid    = "void"
)

// Invoice events.
const (
	EventInvoiceCreated         = "invoice.created"
	EventInvoiceUpdated         = "invoice.updated"
	EventInvoiceDeleted         = "invoice.deleted"
	EventInvoiceSent            = "invoice.sent"
	EventInvoiceLinkReplaced    = "invoice.link_replaced"
	EventInvoicePaymentRecorded = "invoice.payment_recorded"
	EventInvoicePaid            = "invoice.paid"
	EventInvoiceOverdue         = "invoice.overdue"
	EventInvoiceVoided          = "invoice.voided"
)

// Payment methods an invoice payment may record.
var PaymentMethods = []string{"bank_transfer", "card", "cash", "check", "other"}

// Bounds that keep every intermediate product of the rounding rule inside 64 bits and the totals inside
// what a bigint column and the browser's exact integers can hold.
const (
	MaxInvoiceLines = 200
	// MaxQuantityMilli is 1,000,000 units.
	MaxQuantityMilli = 1_000_000_000
	// MaxUnitPrice and MaxInvoiceAmount are minor units: 10 billion and 10 trillion major units.
	MaxUnitPrice     = 1_000_000_000_000
	MaxInvoiceAmount = 1_000_000_000_000_000
	// BasisPoints is 100 %: discounts and tax rates are in hundredths of a percent.
	BasisPoints = 10_000
)

// Invoice is a bill the agency sends one of its clients. Money is in minor units of Currency.
type Invoice struct {
	ID             string
	OrganizationID string
	Number         int
	ClientID       string
	ProjectID      string
	Status         string
	Currency       string
	IssueDate      time.Time
	DueDate        time.Time
	// DiscountBP is a discount on the subtotal in basis points (1000 = 10 %).
	DiscountBP int
	Notes      string
	Lines      []InvoiceLine
	InvoiceTotals
	AmountPaid int64
	SentAt     *time.Time
	PaidAt     *time.Time
	VoidedAt   *time.Time
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// ClientName, ClientEmail and ProjectName are read-only labels joined in for display.
	ClientName, ClientEmail, ProjectName string
	Payments                             []InvoicePayment
}

// InvoiceLine is one row of an invoice. QuantityMilli is in thousandths (1.5 hours = 1500).
type InvoiceLine struct {
	ID            string
	Description   string
	QuantityMilli int64
	UnitPrice     int64
	TaxRateBP     int
	// TaskID is the task whose logged time the line bills, when it came from time entries.
	TaskID string
	// Amount, Discount and Tax are what ComputeInvoiceTotals assigned the line.
	Amount, Discount, Tax int64
}

// InvoiceTotals are an invoice's stored sums in minor units.
type InvoiceTotals struct {
	Subtotal int64
	Discount int64
	Tax      int64
	Total    int64
}

// InvoicePayment is money received against an invoice.
type InvoicePayment struct {
	ID        string
	InvoiceID string
	Amount    int64
	PaidOn    time.Time
	Method    string
	Note      string
	CreatedAt time.Time
}

// InvoiceFilter narrows an invoice list. Cursor is the last ID of the previous page.
type InvoiceFilter struct {
	Status   string
	ClientID string
	Limit    int
	Cursor   string
}

// InvoiceUpdate holds the fields a PATCH of a draft changes; nil means "leave as is". Lines, when set,
// replace every line. ProjectID "" clears the project.
type InvoiceUpdate struct {
	ClientID, ProjectID, Currency, Notes *string
	IssueDate, DueDate                   *time.Time
	DiscountBP                           *int
	Lines                                *[]InvoiceLine
}

// Apply copies the set fields onto inv.
func (u InvoiceUpdate) Apply(inv *Invoice) {
	setStr := func(dst, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	setStr(&inv.ClientID, u.ClientID)
	setStr(&inv.ProjectID, u.ProjectID)
	setStr(&inv.Currency, u.Currency)
	setStr(&inv.Notes, u.Notes)
	if u.IssueDate != nil {
		inv.IssueDate = *u.IssueDate
	}
	if u.DueDate != nil {
		inv.DueDate = *u.DueDate
	}
	if u.DiscountBP != nil {
		inv.DiscountBP = *u.DiscountBP
	}
	if u.Lines != nil {
		inv.Lines = *u.Lines
	}
}

// Balance is what the client still owes.
func (inv *Invoice) Balance() int64 { return inv.Total - inv.AmountPaid }

// Editable reports whether the invoice's content may still change: only drafts may.
func (inv *Invoice) Editable() bool { return inv.Status == InvoiceDraft }

// Payable reports whether a payment may be recorded: the invoice went out and is not settled or void.
func (inv *Invoice) Payable() bool { return inv.Status == InvoiceSent || inv.Status == InvoiceOverdue }

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Normalize trims text and puts dates and the currency in canonical form.
func (inv *Invoice) Normalize() {
	inv.Currency = strings.ToUpper(strings.TrimSpace(inv.Currency))
	inv.Notes = strings.TrimSpace(inv.Notes)
	inv.IssueDate, inv.DueDate = DateOnly(inv.IssueDate), DateOnly(inv.DueDate)
	for i := range inv.Lines {
		inv.Lines[i].Description = strings.TrimSpace(inv.Lines[i].Description)
	}
}

// DateOnly drops the time of day, keeping the calendar date as written (UTC midnight).
func DateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Validate checks an invoice before it is written and, when it is valid, fills its totals by
// ComputeInvoiceTotals. Field names are the API's body paths.
func (inv *Invoice) Validate() error {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if inv.ClientID == "" {
		add("body.client_id", "is required")
	}
	if !currencyCode.MatchString(inv.Currency) {
		add("body.currency", "must be a three-letter ISO 4217 code")
	}
	if inv.IssueDate.IsZero() {
		add("body.issue_date", "is required")
	}
	if inv.DueDate.IsZero() {
		add("body.due_date", "is required")
	} else if inv.DueDate.Before(inv.IssueDate) {
		add("body.due_date", "must be on or after the issue date")
	}
	if inv.DiscountBP < 0 || inv.DiscountBP > BasisPoints {
		add("body.discount_bp", "must be between 0 and 10000 (100 %)")
	}
	if utf8.RuneCountInString(inv.Notes) > 10000 {
		add("body.notes", "must be at most 10000 characters")
	}
	if len(inv.Lines) > MaxInvoiceLines {
		add("body.lines", fmt.Sprintf("must have at most %d lines", MaxInvoiceLines))
	}
	for i, l := range inv.Lines {
		fields = append(fields, l.validate(fmt.Sprintf("body.lines[%d]", i))...)
	}
	if len(fields) == 0 {
		totals, err := ComputeInvoiceTotals(inv.Lines, inv.DiscountBP)
		if err != nil {
			return err
		}
		inv.InvoiceTotals = totals
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The invoice is invalid.", Fields: fields}
	}
	return nil
}

func (l InvoiceLine) validate(path string) []FieldError {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: path + "." + field, Message: msg}) }
	if l.Description == "" {
		add("description", "is required")
	} else if utf8.RuneCountInString(l.Description) > 1000 {
		add("description", "must be at most 1000 characters")
	}
	if l.QuantityMilli <= 0 || l.QuantityMilli > MaxQuantityMilli {
		add("quantity_milli", "must be between 1 (0.001) and 1000000000 (1,000,000)")
	}
	if l.UnitPrice < 0 || l.UnitPrice > MaxUnitPrice {
		add("unit_price", "must be between 0 and 1000000000000 minor units")
	}
	if l.TaxRateBP < 0 || l.TaxRateBP > BasisPoints {
		add("tax_rate_bp", "must be between 0 and 10000 (100 %)")
	}
	return fields
}

// ComputeInvoiceTotals is ClientFlow's one rounding rule for invoices, in integer minor units; the browser
// mirrors it exactly (web/src/features/invoices/totals.ts). Half-up rounding throughout:
//
//  1. line amount   = round(quantity_milli × unit_price / 1000)
//  2. subtotal      = Σ line amounts
//  3. discount      = round(subtotal × discount_bp / 10000)
//  4. the discount is allocated to the lines before tax, in proportion to their amounts: each line gets
//     floor(amount × discount / subtotal), and the cents left over go one each to the lines with the largest
//     remainders (the earlier line on a tie), so the line shares add up to the discount exactly
//  5. line tax      = round((amount − line discount) × tax_rate_bp / 10000)
//  6. tax           = Σ line taxes;  total = subtotal − discount + tax
//
// It fills each line's Amount, Discount and Tax. Errors: EINVALID when the totals exceed MaxInvoiceAmount.
func ComputeInvoiceTotals(lines []InvoiceLine, discountBP int) (InvoiceTotals, error) {
	tooLarge := Invalid("body.lines", "the invoice total must be at most 10000000000000 major units")
	var t InvoiceTotals
	for i := range lines {
		l := &lines[i]
		l.Amount = int64(mulDivHalfUp(uint64(l.QuantityMilli), uint64(l.UnitPrice), 1000))
		t.Subtotal += l.Amount
		if l.Amount > MaxInvoiceAmount || t.Subtotal > MaxInvoiceAmount {
			return InvoiceTotals{}, tooLarge
		}
	}
	t.Discount = int64(mulDivHalfUp(uint64(t.Subtotal), uint64(discountBP), BasisPoints))
	allocateDiscount(lines, t.Subtotal, t.Discount)
	for i := range lines {
		l := &lines[i]
		l.Tax = int64(mulDivHalfUp(uint64(l.Amount-l.Discount), uint64(l.TaxRateBP), BasisPoints))
		t.Tax += l.Tax
	}
	t.Total = t.Subtotal - t.Discount + t.Tax
	if t.Total > MaxInvoiceAmount {
		return InvoiceTotals{}, tooLarge
	}
	return t, nil
}

// allocateDiscount splits discount over the lines in proportion to their amounts (largest remainder).
func allocateDiscount(lines []InvoiceLine, subtotal, discount int64) {
	if subtotal == 0 {
		for i := range lines {
			lines[i].Discount = 0
		}
		return
	}
	rems := make([]uint64, len(lines))
	left := discount
	for i := range lines {
		hi, lo := bits.Mul64(uint64(lines[i].Amount), uint64(discount))
		q, r := bits.Div64(hi, lo, uint64(subtotal))
		lines[i].Discount, rems[i] = int64(q), r
		left -= int64(q)
	}
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rems[a] > rems[b]:
			return -1
		case rems[a] < rems[b]:
			return 1
		}
		return 0
	})
	for _, i := range order {
		if left == 0 {
			break
		}
		lines[i].Discount++
		left--
	}
}

// mulDivHalfUp returns round-half-up(a × b / d) with a 128-bit intermediate, so no product overflows. The
// callers' bounds keep the quotient inside 64 bits.
func mulDivHalfUp(a, b, d uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	lo, carry := bits.Add64(lo, d/2, 0)
	hi += carry
	q, _ := bits.Div64(hi, lo, d)
	return q
}

// QuantityForMinutes is the quantity, in thousandths of an hour, that minutes of work bill
// (rounded half up: 20 minutes = 0.333 h).
func QuantityForMinutes(minutes int64) int64 {
	return int64(mulDivHalfUp(uint64(minutes), 1000, 60))
}

// ValidatePayment checks a payment against the invoice it pays; an amount of 0 is valid only when nothing
// is owed (a zero-total invoice being marked paid). Errors: EINVALID, ECONFLICT (the invoice is not open
// for payments).
func ValidatePayment(inv *Invoice, p *InvoicePayment) error {
	if !inv.Payable() {
		return Errorf(ECONFLICT, "Only a sent or overdue invoice can take a payment.")
	}
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	switch {
	case p.Amount == 0 && inv.Balance() == 0:
		// Marks a zero-total invoice paid: nothing is owed, so there is no money to record.
	case p.Amount <= 0:
		add("body.amount", "must be positive")
	case p.Amount > inv.Balance():
		add("body.amount", fmt.Sprintf("must be at most the balance due (%d)", inv.Balance()))
	}
	if p.PaidOn.IsZero() {
		add("body.paid_on", "is required")
	}
	if !slices.Contains(PaymentMethods, p.Method) {
		add("body.method", "must be one of "+strings.Join(PaymentMethods, ", "))
	}
	if utf8.RuneCountInString(p.Note) > 1000 {
		add("body.note", "must be at most 1000 characters")
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The payment is invalid.", Fields: fields}
	}
	return nil
}

// InvoiceFromTime asks for an invoice billing a project's unbilled, billable time in an inclusive range of
// days. The client is the project's; dates default to today and today + 30 days.
type InvoiceFromTime struct {
	ProjectID string
	From, To  time.Time
	IssueDate *time.Time
	DueDate   *time.Time
	TaxRateBP int
}

// UnbilledTime summarises what a create-from-time would bill.
type UnbilledTime struct {
	Entries int
	Minutes int64
	// HourlyRate is the project's rate in minor units per hour (0 when unset).
	HourlyRate int64
}

// InvoiceDueAt is when an invoice becomes overdue: the start of the day after its due date in loc.
func InvoiceDueAt(due time.Time, loc *time.Location) time.Time {
	d := due.AddDate(0, 0, 1)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).UTC()
}

// CurrencyExponent is how many decimal places a currency's minor unit has (ISO 4217): 2 for most, 0 for
// currencies like JPY, 3 for BHD, KWD and a few others.
func CurrencyExponent(currency string) int {
	switch currency {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// FormatMoney writes minor units as a decimal amount with the currency code, e.g. "1,234.50 EUR".
func FormatMoney(amount int64, currency string) string {
	return formatMinor(amount, currency, groupThousands) + " " + currency
}

// formatMinor writes minor units as a decimal in currency's exponent, the whole part written by whole.
func formatMinor(amount int64, currency string, whole func(int64) string) string {
	neg := amount < 0
	if neg {
		amount = -amount
	}
	exp := CurrencyExponent(currency)
	div := int64(1)
	for range exp {
		div *= 10
	}
	s := whole(amount / div)
	if exp > 0 {
		s += fmt.Sprintf(".%0*d", exp, amount%div)
	}
	if neg {
		s = "-" + s
	}
	return s
}

func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// FormatQuantity writes thousandths as a plain decimal without trailing zeros (1500 → "1.5").
func FormatQuantity(milli int64) string {
	s := fmt.Sprintf("%d.%03d", milli/1000, milli%1000)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// FormatBasisPoints writes a rate as a percentage without trailing zeros (750 → "7.5%").
func FormatBasisPoints(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".") + "%"
}

// InvoiceWatch starts a sent invoice's overdue workflow. PublicURL is the client's link, which only the
// send knows (the database keeps its hash), for the reminders.
type InvoiceWatch struct {
	OrganizationID string
	InvoiceID      string
	DueAt          time.Time
	PublicURL      string
}

// InvoiceEmailInput names the invoice an email activity writes about, and the day after the due date
// (0 for the overdue notice itself).
type InvoiceEmailInput struct {
	OrganizationID string
	InvoiceID      string
	PublicURL      string
	Day            int
}

// InvoiceEmailData fills the invoice emails' templates (invoice_available, invoice_overdue,
// invoice_reminder) for inv of orgName, whose client link is link.
func InvoiceEmailData(inv *Invoice, orgName, link string) map[string]string {
	return map[string]string{"OrgName": orgName, "ClientName": inv.ClientName, "Number": fmt.Sprint(inv.Number),
		"Total": FormatMoney(inv.Total, inv.Currency), "Balance": FormatMoney(inv.Balance(), inv.Currency),
		"DueDate": inv.DueDate.Format(time.DateOnly), "InvoiceURL": link}
}
