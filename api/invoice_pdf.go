package api

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/webp"

	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
)

// invoiceBrand is the organization's side of an invoice document.
type invoiceBrand struct {
	OrgName string
	// Palette colours the accents: ClientFlow's when the plan lacks custom_branding.
	Palette domain.Palette
	// Logo is PNG or JPEG bytes and LogoType "PNG" or "JPG"; empty when there is no logo to draw (none,
	// the plan lacks custom_branding, or an SVG logo: the name in the brand colour stands in for it).
	Logo     []byte
	LogoType string
}

// pdfResponse answers the invoice as a PDF drawn with its organization's branding.
func (s *Server) pdfResponse(ctx context.Context, inv *domain.Invoice) (*huma.StreamResponse, error) {
	b, err := s.db.OrganizationBranding(ctx, inv.OrganizationID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	brand := invoiceBrand{OrgName: b.Name, Palette: b.Palette()}
	if b.HasLogo() {
		brand.Logo, brand.LogoType = s.invoiceLogo(ctx, b)
	}
	doc, err := renderInvoicePDF(inv, brand, s.cfg.Env != config.EnvTest)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "application/pdf")
		hc.SetHeader("Content-Length", strconv.Itoa(len(doc)))
		hc.SetHeader("Content-Disposition", fmt.Sprintf(`inline; filename="invoice-%d.pdf"`, inv.Number))
		hc.SetHeader("Cache-Control", "private, no-store")
		// The app previews the PDF in a frame of its own pages, so this response may be framed by them.
		hc.SetHeader("X-Frame-Options", "SAMEORIGIN")
		hc.SetHeader("Content-Security-Policy", "frame-ancestors 'self'")
		hc.SetStatus(http.StatusOK)
		if _, err := hc.BodyWriter().Write(doc); err != nil {
			s.logger.WarnContext(ctx, "invoices: pdf interrupted", "invoice", inv.ID, "err", err)
		}
	}}, nil
}

// invoiceLogo reads the organization's uploaded logo from its file store and returns it in a form the PDF
// can embed: PNG and JPEG as they are, WebP decoded and re-encoded as PNG. An SVG logo is not rasterised
// (no maintained pure-Go rasteriser is available to us), so it returns nothing; so does a logo that
// cannot be read, which is logged: the invoice is still worth sending without it.
func (s *Server) invoiceLogo(ctx context.Context, b *domain.Branding) ([]byte, string) {
	if b.LogoType == domain.LogoSVG {
		return nil, ""
	}
	r, err := s.Files.Open(ctx, b.LogoKey)
	if err != nil {
		s.logger.WarnContext(ctx, "invoices: read the logo", "org_id", b.OrganizationID, "err", err)
		return nil, ""
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxLogoUpload+1))
	if err != nil || len(data) > maxLogoUpload {
		s.logger.WarnContext(ctx, "invoices: read the logo", "org_id", b.OrganizationID, "err", err, "bytes", len(data))
		return nil, ""
	}
	logo, typ, err := pdfImage(data, b.LogoType)
	if err != nil {
		s.logger.WarnContext(ctx, "invoices: convert the logo", "org_id", b.OrganizationID, "err", err)
	}
	return logo, typ
}

// pdfImage turns a stored logo into bytes fpdf embeds: PNG and JPEG directly, WebP through PNG.
func pdfImage(data []byte, contentType string) ([]byte, string, error) {
	switch contentType {
	case domain.LogoPNG:
		return data, "PNG", nil
	case domain.LogoJPEG:
		return data, "JPG", nil
	case domain.LogoWebP:
		img, err := webp.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, "", err
		}
		var out bytes.Buffer
		if err := png.Encode(&out, img); err != nil {
			return nil, "", err
		}
		return out.Bytes(), "PNG", nil
	}
	return nil, "", fmt.Errorf("no PDF image for %q", contentType)
}

// hexRGB reads "#rrggbb"; anything else is ClientFlow's colour.
func hexRGB(s string) (int, int, int) {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff)
		}
	}
	return hexRGB(domain.DefaultBrandColor)
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
	r, g, b := hexRGB(brand.Palette.Brand)
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
	// The name is text on white: the palette's brand_text keeps it readable whatever the brand colour.
	pdf.SetTextColor(hexRGB(brand.Palette.BrandText))
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
	drawInvoiceLines(pdf, inv, tr, brand.Palette)
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

func drawInvoiceLines(pdf *fpdf.Fpdf, inv *domain.Invoice, tr func(string) string, p domain.Palette) {
	pdf.SetFont("Helvetica", "B", 9)
	pdf.SetFillColor(hexRGB(p.Brand))
	pdf.SetTextColor(hexRGB(p.OnBrand))
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
