package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// OrganizationSettings are an organization's name, address, branding and security defaults.
type OrganizationSettings struct {
	Name       string `json:"name"`
	Slug       string `json:"slug" doc:"Lowercase letters, digits and hyphens; unique across ClientFlow."`
	SenderName string `json:"sender_name" doc:"Client emails come from \"<sender name> via ClientFlow\"; empty means the organization's name."`
	LogoURL    string `json:"logo_url" readOnly:"true" doc:"Public URL of the uploaded logo, or empty; set it with upload-organization-logo."`
	BrandColor string `json:"brand_color" doc:"Hex colour, e.g. #4f46e5."`
	Timezone   string `json:"timezone" doc:"IANA time zone, e.g. Europe/Berlin."`
	Currency   string `json:"currency" doc:"ISO 4217 code, e.g. EUR."`
	// SessionTimeoutMinutes signs members out after this much inactivity in this organization.
	SessionTimeoutMinutes int       `json:"session_timeout_minutes" doc:"Idle timeout in minutes; 0 means off."`
	UpdatedAt             time.Time `json:"updated_at"`
}

func (s *Server) organizationSettingsFrom(o *domain.OrganizationSettings) OrganizationSettings {
	return OrganizationSettings{Name: o.Name, Slug: o.Slug, SenderName: o.SenderName, LogoURL: s.logoURL(o.OrganizationID, o.LogoHash),
		BrandColor: o.BrandColor, Timezone: o.Timezone, Currency: o.Currency, SessionTimeoutMinutes: o.SessionTimeoutMinutes,
		UpdatedAt: o.UpdatedAt}
}

// OrganizationSettingsUpdate changes the settings it carries and leaves the rest.
type OrganizationSettingsUpdate struct {
	Name                  *string `json:"name,omitempty" maxLength:"100"`
	Slug                  *string `json:"slug,omitempty" maxLength:"48"`
	SenderName            *string `json:"sender_name,omitempty" maxLength:"60" doc:"Needs the custom_branding plan feature to change."`
	LogoURL               *string `json:"logo_url,omitempty" maxLength:"2048" doc:"Read-only: refused with 422; upload a logo instead."`
	BrandColor            *string `json:"brand_color,omitempty" maxLength:"7" doc:"Needs the custom_branding plan feature to change."`
	Timezone              *string `json:"timezone,omitempty" maxLength:"64"`
	Currency              *string `json:"currency,omitempty" maxLength:"3"`
	SessionTimeoutMinutes *int    `json:"session_timeout_minutes,omitempty" minimum:"0" maximum:"43200" doc:"0 (off) or 5 to 43200."`
}

type organizationSettingsOutput struct{ Body OrganizationSettings }

func (s *Server) registerOrganizationSettings() {
	tags := []string{"Organizations"}
	path := "/api/v1/orgs/{org_id}/settings"
	huma.Register(s.api, huma.Operation{
		OperationID: "get-organization-settings", Method: http.MethodGet, Path: path, Tags: tags, Security: security,
		Summary: "Get the organization's settings (any member)", Errors: []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.getOrganizationSettings)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-organization-settings", Method: http.MethodPatch, Path: path, Tags: tags, Security: security,
		Extensions: requires(domain.PermSettingsManage),
		Summary:    "Change the organization's settings",
		Description: "Changing brand_color or sender_name needs the custom_branding plan feature (402 " +
			"plan_feature_unavailable otherwise); logo_url is read-only (upload-organization-logo sets it).",
		Errors: []int{http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound,
			http.StatusConflict, http.StatusUnprocessableEntity},
	}, s.updateOrganizationSettings)
	s.registerBranding()
}

func (s *Server) getOrganizationSettings(ctx context.Context, in *OrgPath) (*organizationSettingsOutput, error) {
	settings, err := s.db.OrganizationSettings(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &organizationSettingsOutput{Body: s.organizationSettingsFrom(settings)}, nil
}

func (s *Server) updateOrganizationSettings(ctx context.Context, in *struct {
	OrgPath
	Body OrganizationSettingsUpdate
}) (*organizationSettingsOutput, error) {
	b := in.Body
	if b.LogoURL != nil {
		return nil, problem(ctx, domain.Invalid("body.logo_url", "is read-only: upload a logo instead"))
	}
	upd := domain.OrganizationSettingsUpdate{Name: b.Name, Slug: b.Slug, SenderName: b.SenderName, BrandColor: b.BrandColor,
		Timezone: b.Timezone, Currency: b.Currency, SessionTimeoutMinutes: b.SessionTimeoutMinutes}
	p := principalFrom(ctx)
	settings, err := s.db.UpdateOrganizationSettings(ctx, in.OrgID, p.User.ID, func(o *domain.OrganizationSettings) error {
		color, sender := o.BrandColor, o.SenderName
		upd.Apply(o)
		// Only a change needs the feature: a form sending the stored values back, or a downgraded
		// organization editing its name, is not refused.
		if (o.BrandColor != color || o.SenderName != sender) && !slices.Contains(p.Features, domain.FeatureCustomBranding) {
			return domain.FeatureUnavailable(domain.FeatureCustomBranding)
		}
		return nil
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &organizationSettingsOutput{Body: s.organizationSettingsFrom(settings)}, nil
}
