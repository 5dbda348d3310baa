package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
)

// invoiceBrand is the organization's side of an invoice document.
type invoiceBrand struct {
	OrgName    string
	BrandColor string
	// Logo is PNG or JPEG bytes and LogoType "PNG" or "JPG"; empty when no logo could be loaded locally.
	Logo     []byte
	LogoType string
}

// maxLogoBytes caps what a logo may weigh inside a PDF.
const maxLogoBytes = 1 << 20

// loadInvoiceLogo returns the organization's logo when it is available without the network: a data: URL
// (PNG or JPEG), or "file:<storage key>" naming a file of this organization in the file store. Remote URLs
// are never fetched: rendering a PDF must not make the server call out to an address a tenant chose.
func loadInvoiceLogo(ctx context.Context, files filestore.Store, orgID, logoURL string) ([]byte, string) {
	switch {
	case strings.HasPrefix(logoURL, "data:image/png;base64,"), strings.HasPrefix(logoURL, "data:image/jpeg;base64,"):
		head, data, _ := strings.Cut(logoURL, ",")
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil || len(b) > maxLogoBytes {
			return nil, ""
		}
		if strings.Contains(head, "png") {
			return b, "PNG"
		}
		return b, "JPG"
	case strings.HasPrefix(logoURL, "file:") && files != nil:
		key := strings.TrimPrefix(logoURL, "file:")
		// Only this organization's files: their keys start with its ID.
		if !strings.HasPrefix(key, orgID+"/") || strings.Contains(key, "..") {
			return nil, ""
		}
		typ := imageTypeFor(key)
		if typ == "" {
			return nil, ""
		}
		r, err := files.Open(ctx, key)
		if err != nil {
			return nil, ""
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, maxLogoBytes+1))
		if err != nil || len(b) > maxLogoBytes {
			return nil, ""
		}
		return b, typ
	}
	return nil, ""
}

func imageTypeFor(key string) string {
	k := strings.ToLower(key)
	switch {
	case strings.HasSuffix(k, ".png"):
		return "PNG"
	case strings.HasSuffix(k, ".jpg"), strings.HasSuffix(k, ".jpeg"):
		return "JPG"
	}
	return ""
}

// hexRGB reads "#rrggbb"; anything else is the default indigo.
func hexRGB(s string) (int, int, int) {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff)
		}
	}
	return 0x4f, 0x46, 0xe5
}

// invoiceStatusLabel is what the document says about payment.
func invoiceStatusLabel(inv *domain.Invoice) string {
	switch inv.Status {
	case domain.InvoicePaid:
		return "PAID"
	case domain.InvoiceOverdue:
		return "OVERDUE"
	case domain.InvoiceVoid:
		return "VOID"
	case domain.InvoiceDraft:
		return "DRAFT"
	}
	if inv.AmountPaid > 0 {
		return "PARTIALLY PAID"
	}
	return "UNPAID"
}

// renderInvoicePDF draws the invoice as an A4 PDF. compress is false in tests so they can read its text.
func renderInvoicePDF(inv *domain.Invoice, brand invoiceBrand, compress bool) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	pdf.SetTitle(fmt.Sprintf("Invoice %d", inv.Number), true)
	pdf.SetAuthor(brand.OrgName, true)
	pdf.SetMargins(18, 18, 18)
	pdf.AddPage()
	// The core fonts speak cp1252; the translator maps names like "Müller" instead of printing mojibake.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	r, g, b := hexRGB(brand.BrandColor)
	money := func(v int64) string { return tr(domain.FormatMoney(v, inv.Currency)) }

	pdf.SetFillColor(r, g, b)
	pdf.Rect(0, 0, 210, 8, "F")
	if len(brand.Logo) > 0 {
		opt := fpdf.ImageOptions{ImageType: brand.LogoType}
		pdf.RegisterImageOptionsReader("logo", opt, bytes.NewReader(brand.Logo))
		if pdf.Ok() {
			pdf.ImageOptions("logo", 152, 14, 40, 0, false, opt, 0, "")
		}
		// A logo fpdf cannot read is left out rather than failing the whole document.
		pdf.ClearError()
	}
	pdf.SetXY(18, 16)
	pdf.SetFont("Helvetica", "B", 18)
	pdf.SetTextColor(r, g, b)
	pdf.CellFormat(130, 9, tr(brand.OrgName), "", 1, "L", false, 0, "")
	pdf.SetTextColor(24, 24, 27)
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(130, 8, fmt.Sprintf("Invoice %d", inv.Number), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(130, 6, "Status: "+invoiceStatusLabel(inv), "", 1, "L", false, 0, "")
	pdf.CellFormat(130, 6, "Issue date: "+inv.IssueDate.Format(time.DateOnly), "", 1, "L", false, 0, "")
	pdf.CellFormat(130, 6, "Due date: "+inv.DueDate.Format(time.DateOnly), "", 1, "L", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 10)
	pdf.CellFormat(130, 6, "Bill to", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(130, 6, tr(inv.ClientName), "", 1, "L", false, 0, "")
	if inv.ClientEmail != "" {
		pdf.CellFormat(130, 6, tr(inv.ClientEmail), "", 1, "L", false, 0, "")
	}
	if inv.ProjectName != "" {
		pdf.CellFormat(130, 6, tr("Project: "+inv.ProjectName), "", 1, "L", false, 0, "")
	}
	pdf.Ln(6)
	drawInvoiceLines(pdf, inv, tr, r, g, b)
	drawInvoiceTotals(pdf, inv, money)
	if inv.Notes != "" {
		pdf.Ln(6)
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(174, 5, tr(inv.Notes), "", "L", false)
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// invoiceColumns are the line table's widths in mm: description, quantity, unit price, tax, amount.
var invoiceColumns = [5]float64{80, 20, 28, 16, 30}

func drawInvoiceLines(pdf *fpdf.Fpdf, inv *domain.Invoice, tr func(string) string, r, g, b int) {
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetFillColor(r, g, b)
	pdf.SetTextColor(255, 255, 255)
	for i, h := range []string{"Description", "Qty", "Unit price", "Tax", "Amount"} {
		align := "R"
		if i == 0 {
			align = "L"
		}
		pdf.CellFormat(invoiceColumns[i], 7, h, "", 0, align, true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetTextColor(24, 24, 27)
	pdf.SetFont("Helvetica", "", 9)
	for _, l := range inv.Lines {
		cells := []string{tr(l.Description), domain.FormatQuantity(l.QuantityMilli),
			tr(domain.FormatMoney(l.UnitPrice, inv.Currency)), domain.FormatBasisPoints(l.TaxRateBP),
			tr(domain.FormatMoney(l.Amount, inv.Currency))}
		// Long descriptions wrap; the row is as tall as its description.
		lines := pdf.SplitLines([]byte(cells[0]), invoiceColumns[0]-2)
		h := float64(max(len(lines), 1)) * 5
		x, y := pdf.GetXY()
		pdf.MultiCell(invoiceColumns[0], 5, cells[0], "B", "L", false)
		pdf.SetXY(x+invoiceColumns[0], y)
		for i := 1; i < len(cells); i++ {
			pdf.CellFormat(invoiceColumns[i], h, cells[i], "B", 0, "R", false, 0, "")
		}
		pdf.SetXY(x, y+h)
	}
	pdf.Ln(3)
}

func drawInvoiceTotals(pdf *fpdf.Fpdf, inv *domain.Invoice, money func(int64) string) {
	row := func(label, value string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 10)
		pdf.CellFormat(124, 6, label, "", 0, "R", false, 0, "")
		pdf.CellFormat(50, 6, value, "", 1, "R", false, 0, "")
	}
	row("Subtotal", money(inv.Subtotal), false)
	if inv.Discount > 0 {
		row("Discount ("+domain.FormatBasisPoints(inv.DiscountBP)+")", "-"+money(inv.Discount), false)
	}
	row("Tax", money(inv.Tax), false)
	row("Total", money(inv.Total), true)
	if inv.AmountPaid > 0 {
		row("Paid", money(inv.AmountPaid), false)
	}
	row("Balance due", money(inv.Balance()), true)
}
