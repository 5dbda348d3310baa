package email

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
	texttemplate "text/template"

	"github.com/clientflow/clientflow/domain"
)

// VerifyData fills the welcome and verify_reminder templates.
type VerifyData struct {
	// Name is the user's display name, as they typed it.
	Name string
	// AppURL is where the user signs in.
	AppURL string
	// VerifyURL confirms the user's address when opened.
	VerifyURL string
}

// DefaultBrandColor is used when Brand.Color is empty or not a hex colour.
const DefaultBrandColor = domain.DefaultBrandColor

// Brand is what the shared layout shows: the product's (or an org's) name, logo and colours.
type Brand struct {
	// AppName defaults to "ClientFlow".
	AppName string
	// LogoURL is an absolute https URL; otherwise the layout shows AppName instead.
	LogoURL string
	// Color is a #rgb or #rrggbb hex colour; anything else falls back to DefaultBrandColor.
	Color string
	// OnColor (text on Color) and TextColor (brand-coloured text on white) are derived from Color
	// (domain.DerivePalette), so every pairing keeps a 4.5:1 contrast; callers leave them empty.
	OnColor, TextColor string
}

// ForOrganization is the renderer of a client-facing email of organization b: its name always (a
// client should see who writes), its palette and logo only while the plan includes custom_branding
// (ClientFlow's colours otherwise). logoURL is the logo's public absolute URL.
func (r Renderer) ForOrganization(b *domain.Branding, logoURL string) Renderer {
	out := Renderer{Brand: Brand{AppName: b.Name}}
	if b.CustomBranding {
		out.Brand.Color = b.BrandColor
	}
	if b.HasLogo() {
		out.Brand.LogoURL = logoURL
	}
	return out
}

// Renderer renders the embedded templates under one brand; the zero value uses ClientFlow's brand.
type Renderer struct {
	Brand Brand
}

//go:embed templates
var templateFS embed.FS

// emailTemplate is one email: its HTML content and its plain-text part, each
// parsed together with the shared layout of its kind.
type emailTemplate struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// templates is parsed once at start-up; a broken template is a build defect
// and every test that renders it panics loudly.
var templates = mustParseTemplates()

// view is what the layouts see. Subject, Preheader and Reason come from the
// text template, so each is written once and escaped again for HTML.
type view struct {
	Brand     Brand
	Data      any
	Subject   string
	Preheader string
	Reason    string
}

// Render returns the subject, HTML and plain-text parts of template name filled with data.
func (r Renderer) Render(name string, data any) (subject, html, text string, err error) {
	t, ok := templates[name]
	if !ok {
		return "", "", "", fmt.Errorf("email: unknown template %q", name)
	}
	v := view{Brand: r.Brand.withDefaults(), Data: data}
	if err := v.fillHeaders(t.text); err != nil {
		return "", "", "", fmt.Errorf("email: template %q: %w", name, err)
	}
	var htmlOut, textOut bytes.Buffer
	if err := t.html.ExecuteTemplate(&htmlOut, "layout.html", v); err != nil {
		return "", "", "", fmt.Errorf("email: template %q html: %w", name, err)
	}
	if err := t.text.ExecuteTemplate(&textOut, "layout.txt", v); err != nil {
		return "", "", "", fmt.Errorf("email: template %q text: %w", name, err)
	}
	return v.Subject, htmlOut.String(), textOut.String(), nil
}

// fillHeaders renders the one-line parts; whitespace is collapsed so a subject can never span lines.
func (v *view) fillHeaders(t *texttemplate.Template) error {
	for block, dst := range map[string]*string{"subject": &v.Subject, "preheader": &v.Preheader, "reason": &v.Reason} {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, block, v); err != nil {
			return err
		}
		*dst = strings.Join(strings.Fields(b.String()), " ")
	}
	if v.Subject == "" {
		return fmt.Errorf("empty subject")
	}
	return nil
}

// hexColor matches the colours we let into inline styles.
var hexColor = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// withDefaults fills gaps and drops values that would render broken: html/template
// turns an unsafe colour into "ZgotmplZ", which mail clients show as no colour.
func (b Brand) withDefaults() Brand {
	if b.AppName == "" {
		b.AppName = "ClientFlow"
	}
	if !hexColor.MatchString(b.Color) {
		b.Color = DefaultBrandColor
	}
	b.Color = strings.ToLower(b.Color)
	if len(b.Color) == 4 {
		b.Color = string([]byte{'#', b.Color[1], b.Color[1], b.Color[2], b.Color[2], b.Color[3], b.Color[3]})
	}
	p := domain.DerivePalette(b.Color)
	b.OnColor, b.TextColor = p.OnBrand, p.BrandText
	// html/template would neutralise a javascript: URL to "#ZgotmplZ", leaving a
	// broken image; plain http logos get blocked or flagged by mail clients.
	if !strings.HasPrefix(b.LogoURL, "https://") {
		b.LogoURL = ""
	}
	return b
}

// button is what the layout's "button" block needs; templates build it with the button func from the
// brand colour, and its label and link colours come from that colour's palette.
type button struct{ URL, Label, Color, OnColor, TextColor string }

func newButton(url, label, color string) button {
	b := Brand{Color: color}.withDefaults()
	return button{URL: url, Label: label, Color: b.Color, OnColor: b.OnColor, TextColor: b.TextColor}
}

// mustParseTemplates pairs every templates/<name>.html with templates/<name>.txt.
func mustParseTemplates() map[string]emailTemplate {
	funcs := htmltemplate.FuncMap{"button": newButton}
	htmlLayout := htmltemplate.Must(htmltemplate.New("layout.html").Funcs(funcs).
		Option("missingkey=error").ParseFS(templateFS, "templates/layout.html"))
	textLayout := texttemplate.Must(texttemplate.New("layout.txt").
		Option("missingkey=error").ParseFS(templateFS, "templates/layout.txt"))

	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	parsed := make(map[string]emailTemplate)
	for _, page := range pages {
		name := strings.TrimSuffix(path.Base(page), ".html")
		if name == "layout" {
			continue
		}
		parsed[name] = emailTemplate{
			html: htmltemplate.Must(htmltemplate.Must(htmlLayout.Clone()).ParseFS(templateFS, page)),
			text: texttemplate.Must(texttemplate.Must(textLayout.Clone()).ParseFS(templateFS, "templates/"+name+".txt")),
		}
	}
	return parsed
}
