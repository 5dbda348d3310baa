package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
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

// The PDF's logo comes only from places that need no network; anything else is left out, never fetched.
func TestInvoiceLogo(t *testing.T) {
	ctx := context.Background()
	logo := tinyPNG(t)
	files, err := filestore.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const org = "0190d6a4-0000-7000-8000-000000000001"
	for _, key := range []string{org + "/logo.png", "0190d6a4-0000-7000-8000-000000000002/logo.png"} {
		if _, err := files.Put(ctx, key, "image/png", bytes.NewReader(logo), 1<<20); err != nil {
			t.Fatal(err)
		}
	}
	var fetched atomic.Int32
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetched.Add(1)
		_, _ = w.Write(logo)
	}))
	defer remote.Close()

	for _, tc := range []struct {
		name, url string
		want      bool
	}{
		{"data_url", "data:image/png;base64," + base64.StdEncoding.EncodeToString(logo), true},
		{"own_file", "file:" + org + "/logo.png", true},
		{"another_orgs_file", "file:0190d6a4-0000-7000-8000-000000000002/logo.png", false},
		{"path_escape", "file:" + org + "/../0190d6a4-0000-7000-8000-000000000002/logo.png", false},
		{"remote_url", remote.URL + "/logo.png", false},
		{"broken_data_url", "data:image/png;base64,not base64!", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, typ := loadInvoiceLogo(ctx, files, org, tc.url)
			if got := len(b) > 0; got != tc.want {
				t.Fatalf("loaded = %v, want %v", got, tc.want)
			}
			doc, err := renderInvoicePDF(pdfInvoice(), invoiceBrand{OrgName: "Ägency", BrandColor: "#112233", Logo: b, LogoType: typ}, false)
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
	if fetched.Load() != 0 {
		t.Fatalf("the remote logo was fetched %d times", fetched.Load())
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
