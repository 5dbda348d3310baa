package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/filestore"
)

// Branding is how an organization presents itself to its clients: the portal, client emails, invoices.
type Branding struct {
	Name       string  `json:"name"`
	SenderName string  `json:"sender_name" doc:"Client emails come from \"<sender name> via ClientFlow\"; empty means the organization's name."`
	LogoURL    string  `json:"logo_url" doc:"Public absolute URL of the uploaded logo; empty when there is none or the plan lacks custom_branding."`
	BrandColor string  `json:"brand_color" doc:"The stored brand colour (kept when the plan lacks custom_branding)."`
	Palette    Palette `json:"palette"`
	// CustomBranding reports whether the plan includes custom_branding.
	CustomBranding bool `json:"custom_branding" doc:"Whether the plan includes custom_branding; when false the palette is ClientFlow's and no logo is shown."`
}

// Palette is the accessible palette derived from the brand colour (each #rrggbb): on_brand is text on
// brand, brand_text is brand-coloured text on white or brand_soft, brand_soft a light tint for backgrounds.
// Every text/background pair has a contrast of at least 4.5:1.
type Palette struct {
	Brand     string `json:"brand"`
	OnBrand   string `json:"on_brand"`
	BrandText string `json:"brand_text"`
	BrandSoft string `json:"brand_soft"`
}

func paletteFrom(p domain.Palette) Palette {
	return Palette{Brand: p.Brand, OnBrand: p.OnBrand, BrandText: p.BrandText, BrandSoft: p.BrandSoft}
}

// LogoUploadInput is a multipart logo upload, read from the raw body (see uploadLogo).
type LogoUploadInput struct {
	OrgPath
	body        io.Reader
	contentType string
}

// Resolve keeps the raw body and its content type.
func (in *LogoUploadInput) Resolve(ctx huma.Context) []error {
	in.body, in.contentType = ctx.BodyReader(), ctx.Header("Content-Type")
	return nil
}

// PublicLogoPath names a logo by organization and content hash: a new logo is a new URL, so each may be
// cached for good.
type PublicLogoPath struct {
	OrgID string `path:"org_id" format:"uuid" doc:"Organization ID."`
	Hash  string `path:"hash" doc:"The logo's content hash, as in logo_url."`
}

func (s *Server) registerBranding() {
	tags := []string{"Organizations"}
	huma.Register(s.api, huma.Operation{
		OperationID: "get-organization-branding", Method: http.MethodGet, Path: "/api/v1/orgs/{org_id}/branding",
		Tags: tags, Security: security, Extensions: portalRoute(),
		Summary:     "Get the organization's branding (any member, client contacts included)",
		Description: "Name, sender name, logo URL and the accessible palette derived from the brand colour.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.getBranding)
	logo := "/api/v1/orgs/{org_id}/settings/logo"
	ext := withExtensions(requires(domain.PermSettingsManage), needsFeature(domain.FeatureCustomBranding))
	huma.Register(s.api, huma.Operation{
		OperationID: "upload-organization-logo", Method: http.MethodPost, Path: logo, Tags: tags, Security: security,
		Extensions: ext, Summary: "Upload the organization's logo",
		Description: "multipart/form-data with one part named file, at most 1 MiB: PNG, JPEG or WebP (at most " +
			"4096×4096 pixels), or SVG, which is rebuilt from an allowlist (scripts, event handlers, " +
			"foreignObject and external references removed). HTML, or an SVG with nothing left to draw, is " +
			"refused with 422. Answers the settings, whose logo_url is the new logo's public URL.",
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden,
			http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType,
			http.StatusUnprocessableEntity},
	}, s.uploadLogo)
	s.api.OpenAPI().Paths[logo].Post.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{Type: "object", Required: []string{"file"},
			Properties: map[string]*huma.Schema{"file": {Type: "string", Format: "binary"}}}},
	}}
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-organization-logo", Method: http.MethodDelete, Path: logo, Tags: tags, Security: security,
		Extensions: ext, Summary: "Remove the organization's logo",
		Errors: []int{http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound},
	}, s.deleteLogo)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-public-logo", Method: http.MethodGet, Path: "/api/v1/public/logos/{org_id}/{hash}", Tags: tags,
		Summary:     "An organization's logo",
		Description: "Needs no session (emails and the portal's sign-in show it). Immutable: a new logo has a new URL.",
		Errors:      []int{http.StatusNotFound},
		Responses: map[string]*huma.Response{"200": {Description: "The logo.", Content: map[string]*huma.MediaType{
			"image/png": {Schema: &huma.Schema{Type: "string", Format: "binary"}}, "image/jpeg": {},
			"image/webp": {}, "image/svg+xml": {}}}},
	}, s.publicLogo)
}

// logoURL is the public, absolute URL of a stored logo ("" for none), as domain.Branding.LogoURL builds it
// (the settings show it whatever the plan; the URL answers only while the plan has custom_branding).
func (s *Server) logoURL(orgID, hash string) string {
	if hash == "" {
		return ""
	}
	return s.cfg.AppURL + "/api/v1/public/logos/" + orgID + "/" + hash
}

func (s *Server) getBranding(ctx context.Context, in *OrgPath) (*struct{ Body Branding }, error) {
	b, err := s.db.OrganizationBranding(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := Branding{Name: b.Name, BrandColor: b.BrandColor, Palette: paletteFrom(b.Palette()),
		CustomBranding: b.CustomBranding}
	if b.CustomBranding {
		out.SenderName = b.SenderName
	}
	out.LogoURL = b.LogoURL(s.cfg.AppURL)
	return &struct{ Body Branding }{Body: out}, nil
}

// uploadLogo reads the one file part (at most maxLogoUpload bytes), checks it is a logo (checkLogo), stores
// it under a fresh key and records it; the previous logo's bytes are purged in the background.
func (s *Server) uploadLogo(ctx context.Context, in *LogoUploadInput) (*organizationSettingsOutput, error) {
	mediaType, params, err := mime.ParseMediaType(in.contentType)
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, edgeProblem(ctx, http.StatusUnsupportedMediaType, "Send the logo as multipart/form-data.")
	}
	mr := multipart.NewReader(http.MaxBytesReader(nil, io.NopCloser(in.body), maxLogoUpload+64<<10), params["boundary"])
	var data []byte
	for data == nil {
		part, err := mr.NextPart()
		if err != nil {
			return nil, uploadReadProblem(ctx, err, maxLogoUpload)
		}
		if part.FormName() != "file" {
			continue
		}
		data, err = io.ReadAll(io.LimitReader(part, maxLogoUpload+1))
		if err != nil {
			return nil, uploadReadProblem(ctx, err, maxLogoUpload)
		}
		if len(data) > maxLogoUpload {
			return nil, tooLargeProblem(ctx, maxLogoUpload)
		}
	}
	content, contentType, ext, err := checkLogo(data)
	var refusal logoRefusal
	if errors.As(err, &refusal) {
		return nil, problem(ctx, domain.Invalid("body.file", refusal.Error()))
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	key := in.OrgID + "/logo-" + store.NewFileID() + "." + ext
	if _, err := s.Files.Put(ctx, key, contentType, bytes.NewReader(content), maxLogoUpload); err != nil {
		return nil, problem(ctx, err)
	}
	settings, err := s.db.SetOrganizationLogo(ctx, in.OrgID, principalFrom(ctx).User.ID, key, contentType, hash)
	if err != nil {
		s.deleteStored(ctx, key)
		return nil, problem(ctx, err)
	}
	s.startPurgeFiles(ctx, in.OrgID)
	return &organizationSettingsOutput{Body: s.organizationSettingsFrom(settings)}, nil
}

func (s *Server) deleteLogo(ctx context.Context, in *OrgPath) (*organizationSettingsOutput, error) {
	settings, err := s.db.SetOrganizationLogo(ctx, in.OrgID, principalFrom(ctx).User.ID, "", "", "")
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.startPurgeFiles(ctx, in.OrgID)
	return &organizationSettingsOutput{Body: s.organizationSettingsFrom(settings)}, nil
}

var logoHashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// logoCSP keeps an SVG logo opened on its own from running or loading anything: it may only style itself.
const logoCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

// publicLogo serves the organization's current logo under its hash, while the plan includes
// custom_branding; an old hash, another organization's or a stopped feature answers 404.
func (s *Server) publicLogo(ctx context.Context, in *PublicLogoPath) (*huma.StreamResponse, error) {
	notFound := domain.Errorf(domain.ENOTFOUND, "Logo not found.")
	if !validUUID(in.OrgID) || !logoHashPattern.MatchString(in.Hash) {
		return nil, problem(ctx, notFound)
	}
	b, err := s.db.OrganizationBranding(ctx, in.OrgID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && (!b.HasLogo() || b.LogoHash != in.Hash)) {
		return nil, problem(ctx, notFound)
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	body, err := s.Files.Open(ctx, b.LogoKey)
	if errors.Is(err, filestore.ErrNotFound) {
		return nil, problem(ctx, notFound)
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, maxLogoUpload+1))
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", b.LogoType)
		hc.SetHeader("Content-Length", strconv.Itoa(len(data)))
		hc.SetHeader("X-Content-Type-Options", "nosniff")
		hc.SetHeader("Cache-Control", "public, max-age=31536000, immutable")
		hc.SetHeader("Content-Security-Policy", logoCSP)
		// Mail clients and the portal on another origin show it; nothing else of ours is exposed here.
		hc.SetHeader("Cross-Origin-Resource-Policy", "cross-origin")
		hc.SetStatus(http.StatusOK)
		if _, err := hc.BodyWriter().Write(data); err != nil {
			s.logger.WarnContext(ctx, "branding: logo interrupted", "org_id", in.OrgID, "err", err)
		}
	}}, nil
}
