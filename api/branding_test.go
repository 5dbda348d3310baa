package api_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// brandingJSON is GET /branding as a client decodes it.
type brandingJSON struct {
	Name       string `json:"name"`
	SenderName string `json:"sender_name"`
	LogoURL    string `json:"logo_url"`
	BrandColor string `json:"brand_color"`
	Palette    struct {
		Brand     string `json:"brand"`
		OnBrand   string `json:"on_brand"`
		BrandText string `json:"brand_text"`
		BrandSoft string `json:"brand_soft"`
	} `json:"palette"`
	CustomBranding bool `json:"custom_branding"`
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func uploadLogo(b *browser, orgID, name string, content []byte) *response {
	return upload(b, "/api/v1/orgs/"+orgID+"/settings/logo", name, "image/png", content, "")
}

// mustUploadLogo uploads content as the logo and returns the settings' logo_url.
func mustUploadLogo(t *testing.T, b *browser, orgID, name string, content []byte) string {
	t.Helper()
	res := uploadLogo(b, orgID, name, content)
	MustStatus(t, res, http.StatusOK)
	var s settingsJSON
	res.MustJSON(t, &s)
	require.NotEmpty(t, s.LogoURL)
	return s.LogoURL
}

// logoPath is the path part of an absolute logo URL on the test server.
func logoPath(t *testing.T, srv *testServer, u string) string {
	t.Helper()
	require.True(t, strings.HasPrefix(u, srv.URL+"/api/v1/public/logos/"), u)
	return strings.TrimPrefix(u, srv.URL)
}

func setPlan(t *testing.T, owner *browser, orgID, plan string) {
	t.Helper()
	MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/billing/plan", map[string]any{"plan_id": plan}), http.StatusOK)
}

func TestBranding(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("png_logo_is_served_publicly_and_immutably", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Logo"))
		logo := pngOf(t, 40, 20)

		u := mustUploadLogo(t, owner, org.ID, "logo.png", logo)

		res := srv.NewBrowser(t).Do(http.MethodGet, logoPath(t, srv, u), nil)
		MustStatus(t, res, http.StatusOK)
		assert.Equal(t, logo, res.Body)
		assert.Equal(t, "image/png", res.Header.Get("Content-Type"))
		assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
		assert.Contains(t, res.Header.Get("Cache-Control"), "immutable")
		assert.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'none'")
		var s settingsJSON
		owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/settings", nil).MustJSON(t, &s)
		assert.Equal(t, u, s.LogoURL, "settings show the public URL")
	})

	t.Run("svg_logo_is_sanitised", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Svg"))
		svg := `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <style>@import url(https://evil.test/x.css);</style>
  <a href="https://evil.test"><rect width="5" height="5"/></a>
  <image href="https://evil.test/track.png" width="1" height="1"/>
  <use xlink:href="https://evil.test/sprite.svg#a"/>
  <rect id="r" width="10" height="10" fill="url(https://evil.test/p)" onclick="alert(3)"/>
  <circle cx="5" cy="5" r="4" fill="#4f46e5" style="fill:url(#g)"/>
  <use href="#r"/>
</svg>`
		u := mustUploadLogo(t, owner, org.ID, "logo.svg", []byte(svg))

		res := srv.NewBrowser(t).Do(http.MethodGet, logoPath(t, srv, u), nil)
		MustStatus(t, res, http.StatusOK)
		assert.Equal(t, "image/svg+xml", res.Header.Get("Content-Type"))
		assert.Equal(t, "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
			res.Header.Get("Content-Security-Policy"))
		body := string(res.Body)
		for _, gone := range []string{"script", "alert", "onload", "onclick", "foreignObject", "evil.test", "<style", "<a ", "<image"} {
			assert.NotContains(t, body, gone)
		}
		for _, kept := range []string{`<circle cx="5" cy="5" r="4" fill="#4f46e5" style="fill:url(#g)">`, `<use href="#r">`,
			`viewBox="0 0 10 10"`} {
			assert.Contains(t, body, kept)
		}
	})

	t.Run("bad_logos_are_refused_and_nothing_changes", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Bad"))
		for _, tc := range []struct {
			name    string
			content []byte
			status  int
		}{
			{"html", []byte("<!doctype html><html><body><script>alert(1)</script></body></html>"), 422},
			{"html_without_doctype", []byte("<html><svg><rect/></svg></html>"), 422},
			{"svg_that_is_only_script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 422},
			{"svg_with_entities", []byte(`<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>`), 422},
			{"plain_text", []byte("just a logo"), 422},
			{"pdf", []byte("%PDF-1.4\n%âãÏÓ\n"), 422},
			{"truncated_png", pngOf(t, 10, 10)[:30], 422},
			{"png_too_wide", pngOf(t, 4097, 1), 422},
			{"over_one_mib", append([]byte("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/>"),
				bytes.Repeat([]byte(" "), 1<<20)...), 413},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, org.ID)
				res := uploadLogo(owner, org.ID, "logo", tc.content)
				if tc.status == 422 {
					p := MustProblem(t, res, 422, "validation_failed")
					assert.Contains(t, p.Locations(), "body.file")
				} else {
					MustStatus(t, res, tc.status)
				}
				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID), "nothing is written")
			})
		}
		assert.Empty(t, storedFiles(t, srv.FilesDir), "nothing is stored")
	})

	t.Run("replacing_and_removing_the_logo_retires_the_old_url_and_bytes", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Replace"))
		first := mustUploadLogo(t, owner, org.ID, "a.png", pngOf(t, 2, 2))
		second := mustUploadLogo(t, owner, org.ID, "b.png", pngOf(t, 3, 3))
		require.NotEqual(t, first, second, "a new logo is a new URL")
		anon := srv.NewBrowser(t)
		MustProblem(t, anon.Do(http.MethodGet, logoPath(t, srv, first), nil), http.StatusNotFound, "not_found")
		MustStatus(t, anon.Do(http.MethodGet, logoPath(t, srv, second), nil), http.StatusOK)
		assert.Len(t, mustQueuedPurges(t, db, org.ID), 1, "the first logo's bytes are queued for the purge")

		res := owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/settings/logo", nil)
		MustStatus(t, res, http.StatusOK)
		var s settingsJSON
		res.MustJSON(t, &s)
		assert.Empty(t, s.LogoURL)
		MustProblem(t, anon.Do(http.MethodGet, logoPath(t, srv, second), nil), http.StatusNotFound, "not_found")
		assert.Len(t, mustQueuedPurges(t, db, org.ID), 2)
		assert.Contains(t, srv.Workflows.PurgesStarted(), org.ID)
	})

	t.Run("branding_for_members_and_contacts_only_settings_managers_change_the_logo", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner, member, contact, stranger := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Member"),
			srv.MustSignUp(t, "Contact"), srv.MustSignUp(t, "Stranger")
		org := owner.MustCreateOrg(uniqueName("Brand"))
		mustJoin(t, db, org.ID, member, "member")
		mustJoin(t, db, org.ID, contact, "client")
		MustStatus(t, owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings",
			map[string]any{"brand_color": "#ffdd00", "sender_name": "Brand Studio"}), http.StatusOK)
		u := mustUploadLogo(t, owner, org.ID, "logo.png", pngOf(t, 4, 4))

		for _, b := range []*browser{owner, member, contact} {
			res := b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/branding", nil)
			MustStatus(t, res, http.StatusOK)
			var got brandingJSON
			res.MustJSON(t, &got)
			assert.Equal(t, org.Name, got.Name)
			assert.Equal(t, "Brand Studio", got.SenderName)
			assert.Equal(t, u, got.LogoURL)
			assert.True(t, got.CustomBranding)
			p := domain.DerivePalette("#ffdd00")
			assert.Equal(t, p.Brand, got.Palette.Brand)
			assert.Equal(t, p.OnBrand, got.Palette.OnBrand)
			assert.Equal(t, p.BrandText, got.Palette.BrandText)
			assert.Equal(t, p.BrandSoft, got.Palette.BrandSoft)
		}
		MustProblem(t, stranger.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/branding", nil), http.StatusNotFound, "not_found")
		for _, b := range []*browser{member, contact} {
			MustProblem(t, uploadLogo(b, org.ID, "x.png", pngOf(t, 2, 2)), http.StatusForbidden, "forbidden")
			MustProblem(t, b.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/settings/logo", nil), http.StatusForbidden, "forbidden")
		}
		MustProblem(t, uploadLogo(stranger, org.ID, "x.png", pngOf(t, 2, 2)), http.StatusNotFound, "not_found")
		// Another organization's id with this logo's hash finds nothing.
		other := owner.MustCreateOrg(uniqueName("Other"))
		MustProblem(t, srv.NewBrowser(t).Do(http.MethodGet, strings.Replace(logoPath(t, srv, u), org.ID, other.ID, 1), nil),
			http.StatusNotFound, "not_found")
	})

	// Downgrade keeps the data but stops the feature; upgrading brings it back as it was.
	t.Run("without_custom_branding_the_default_palette_and_no_logo", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Downgrade"))
		MustStatus(t, owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings", map[string]any{"brand_color": "#0a7f3f"}), http.StatusOK)
		u := mustUploadLogo(t, owner, org.ID, "logo.png", pngOf(t, 4, 4))
		setPlan(t, owner, org.ID, "starter")

		var got brandingJSON
		owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/branding", nil).MustJSON(t, &got)
		assert.False(t, got.CustomBranding)
		assert.Empty(t, got.LogoURL)
		assert.Equal(t, "#0a7f3f", got.BrandColor, "kept")
		assert.Equal(t, domain.DefaultPalette().Brand, got.Palette.Brand)
		anon := srv.NewBrowser(t)
		MustProblem(t, anon.Do(http.MethodGet, logoPath(t, srv, u), nil), http.StatusNotFound, "not_found")
		for _, res := range []*response{uploadLogo(owner, org.ID, "x.png", pngOf(t, 2, 2)),
			owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/settings/logo", nil)} {
			MustProblem(t, res, http.StatusPaymentRequired, "plan_feature_unavailable")
		}

		setPlan(t, owner, org.ID, "professional")
		owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/branding", nil).MustJSON(t, &got)
		assert.Equal(t, u, got.LogoURL)
		assert.Equal(t, "#0a7f3f", got.Palette.Brand)
		MustStatus(t, anon.Do(http.MethodGet, logoPath(t, srv, u), nil), http.StatusOK)
	})

	t.Run("the_invoice_pdf_draws_the_logo", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Pdf"))
		client := owner.MustCreateClient(org.ID, map[string]any{"name": "Client"})
		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invoices", map[string]any{"client_id": client.ID, "issue_date": "2026-12-01", "due_date": "2026-12-31",
			"lines": []map[string]any{{"description": "Work", "quantity_milli": 1000, "unit_price": 100}}})
		MustStatus(t, res, http.StatusCreated)
		var inv struct{ ID string }
		res.MustJSON(t, &inv)
		pdf := func() []byte {
			res := owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/invoices/"+inv.ID+"/pdf", nil)
			MustStatus(t, res, http.StatusOK)
			return res.Body
		}
		assert.False(t, bytes.Contains(pdf(), []byte("/Subtype /Image")), "no logo yet")
		mustUploadLogo(t, owner, org.ID, "logo.png", pngOf(t, 8, 8))
		assert.True(t, bytes.Contains(pdf(), []byte("/Subtype /Image")), "the logo is an image object")

		// The client's invoice page and PDF follow the plan: branded while it has custom_branding.
		MustStatus(t, owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings", map[string]any{"brand_color": "#0a7f3f"}), http.StatusOK)
		res = owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invoices/"+inv.ID+"/send", nil)
		MustStatus(t, res, http.StatusOK)
		var sent struct {
			PublicURL string `json:"public_url"`
		}
		res.MustJSON(t, &sent)
		token := sent.PublicURL[strings.LastIndex(sent.PublicURL, "/")+1:]
		anon := srv.NewBrowser(t)
		public := func() (string, []byte) {
			var p struct {
				BrandColor string `json:"brand_color"`
			}
			anon.Do(http.MethodGet, "/api/v1/public/invoices/"+token, nil).MustJSON(t, &p)
			res := anon.Do(http.MethodGet, "/api/v1/public/invoices/"+token+"/pdf", nil)
			MustStatus(t, res, http.StatusOK)
			return p.BrandColor, res.Body
		}
		color, doc := public()
		assert.Equal(t, "#0a7f3f", color)
		assert.True(t, bytes.Contains(doc, []byte("/Subtype /Image")))
		setPlan(t, owner, org.ID, "starter")
		color, doc = public()
		assert.Equal(t, domain.DefaultBrandColor, color)
		assert.False(t, bytes.Contains(doc, []byte("/Subtype /Image")), "no logo without custom_branding")
	})
}

// Organization pages open in the organization's colours: index.html carries its palette for a member's
// session while the plan has custom_branding, and nobody else's page changes.
func TestBrandedIndex(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	spa := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><html><head><title>ClientFlow</title></head><body></body></html>")}}
	srv := MustStart(t, db, func(d *api.Deps) { d.SPA = spa })
	owner, contact, stranger := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Contact"), srv.MustSignUp(t, "Stranger")
	org := owner.MustCreateOrg(uniqueName("Paint"))
	mustJoin(t, db, org.ID, contact, "client")
	MustStatus(t, owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings", map[string]any{"brand_color": "#ffdd00"}), http.StatusOK)
	p := domain.DerivePalette("#ffdd00")
	style := `<style id="brand">:root{--brand:#ffdd00;--on-brand:` + p.OnBrand + `;--brand-text:` + p.BrandText +
		`;--brand-soft:` + p.BrandSoft + `;`

	for _, tc := range []struct {
		name    string
		b       *browser
		path    string
		branded bool
	}{
		{"workspace", owner, "/orgs/" + org.ID + "/projects", true},
		{"workspace_root", owner, "/orgs/" + org.ID, true},
		{"portal", contact, "/client-portal/" + org.ID + "/invoices", true},
		{"not_a_member", stranger, "/client-portal/" + org.ID, false},
		{"signed_out", srv.NewBrowser(t), "/orgs/" + org.ID, false},
		{"not_an_org_page", owner, "/settings/profile", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.b.Do(http.MethodGet, tc.path, nil, header{"Accept-Encoding", "identity"})
			MustStatus(t, res, http.StatusOK)
			assert.Equal(t, tc.branded, strings.Contains(string(res.Body), style), string(res.Body))
			assert.Contains(t, string(res.Body), "<title>ClientFlow</title>")
			if tc.branded {
				assert.Contains(t, string(res.Body), "</style></head>", "in the head, before first paint")
				assert.Contains(t, res.Header.Get("Cache-Control"), "private")
			}
		})
	}

	setPlan(t, owner, org.ID, "starter")
	res := owner.Do(http.MethodGet, "/orgs/"+org.ID+"/projects", nil)
	MustStatus(t, res, http.StatusOK)
	assert.NotContains(t, string(res.Body), `id="brand"`, "no custom palette without custom_branding")
}
