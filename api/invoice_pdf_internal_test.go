package api

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pdfInvoice() *domain.Invoice {
	return &domain.Invoice{Number: 7, Status: domain.InvoiceSent, Currency: "EUR", ClientName: "Zoë Client",
		IssueDate: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), DueDate: time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC),
		Lines:         []domain.InvoiceLine{{Description: "Work", QuantityMilli: 1000, UnitPrice: 100, Amount: 100}},
		InvoiceTotals: domain.InvoiceTotals{Subtotal: 100, Total: 100}}
}

// tinyWebP is a 1×1 lossless WebP (x/image can decode WebP but not encode it).
const tinyWebP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="

func tinyJPEG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Every raster logo type is drawn in the PDF (WebP through PNG); an SVG logo is not rasterised, and the
// name in the brand colour stands in for it.
func TestInvoicePDFLogo(t *testing.T) {
	webpLogo, err := base64.StdEncoding.DecodeString(tinyWebP)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, contentType string
		data              []byte
		want              bool
	}{
		{"png", domain.LogoPNG, tinyPNG(t), true},
		{"jpeg", domain.LogoJPEG, tinyJPEG(t), true},
		{"webp", domain.LogoWebP, webpLogo, true},
		{"svg", domain.LogoSVG, []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, typ, _ := pdfImage(tc.data, tc.contentType)
			if got := len(b) > 0; got != tc.want {
				t.Fatalf("converted = %v, want %v", got, tc.want)
			}
			brand := invoiceBrand{OrgName: "Ägency", Palette: domain.DerivePalette("#ffdd00"), Logo: b, LogoType: typ}
			doc, err := renderInvoicePDF(pdfInvoice(), brand, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(doc, []byte("/Subtype /Image")); got != tc.want {
				t.Fatalf("PDF has an image = %v, want %v", got, tc.want)
			}
			if !strings.Contains(string(doc), "Invoice 7") {
				t.Fatal("the PDF lacks its title")
			}
		})
	}
}

// A logo fpdf cannot decode is left out; the document still renders.
func TestInvoicePDFSurvivesABrokenLogo(t *testing.T) {
	doc, err := renderInvoicePDF(pdfInvoice(), invoiceBrand{OrgName: "A", Logo: []byte("\x89PNG not really"), LogoType: "PNG"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("Balance due")) || bytes.Contains(doc, []byte("/Subtype /Image")) {
		t.Fatal("want the document without the image")
	}
}
