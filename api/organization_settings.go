package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// OrganizationSettings are an organization's name, address, branding and security defaults.
type OrganizationSettings struct {
	Name       string `json:"name"`
	Slug       string `json:"slug" doc:"Lowercase letters, digits and hyphens; unique across ClientFlow."`
	LogoURL    string `json:"logo_url" doc:"An https URL, or empty for no logo."`
	BrandColor string `json:"brand_color" doc:"Hex colour, e.g. #4f46e5."`
	Timezone   string `json:"timezone" doc:"IANA time zone, e.g. Europe/Berlin."`
	Currency   string `json:"currency" doc:"ISO 4217 code, e.g. EUR."`
	// SessionTimeoutMinutes signs members out after this much inactivity in this organization.
	SessionTimeoutMinutes int       `json:"session_timeout_minutes" doc:"Idle timeout in minutes; 0 means off."`
	UpdatedAt             time.Time `json:"updated_at"`
}

func organizationSettingsFrom(s *domain.OrganizationSettings) OrganizationSettings {
	return OrganizationSettings{Name: s.Name, Slug: s.Slug, LogoURL: s.LogoURL, BrandColor: s.BrandColor,
		Timezone: s.Timezone, Currency: s.Currency, SessionTimeoutMinutes: s.SessionTimeoutMinutes, UpdatedAt: s.UpdatedAt}
}

// OrganizationSettingsUpdate changes the settings it carries and leaves the rest.
type OrganizationSettingsUpdate struct {
	Name                  *string `json:"name,omitempty" maxLength:"100"`
	Slug                  *string `json:"slug,omitempty" maxLength:"48"`
	LogoURL               *string `json:"logo_url,omitempty" maxLength:"2048"`
	BrandColor            *string `json:"brand_color,omitempty" maxLength:"7"`
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
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
			http.StatusUnprocessableEntity},
	}, s.updateOrganizationSettings)
}

func (s *Server) getOrganizationSettings(ctx context.Context, in *OrgPath) (*organizationSettingsOutput, error) {
	settings, err := s.db.OrganizationSettings(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &organizationSettingsOutput{Body: organizationSettingsFrom(settings)}, nil
}

func (s *Server) updateOrganizationSettings(ctx context.Context, in *struct {
	OrgPath
	Body OrganizationSettingsUpdate
}) (*organizationSettingsOutput, error) {
	b := in.Body
	upd := domain.OrganizationSettingsUpdate{Name: b.Name, Slug: b.Slug, LogoURL: b.LogoURL, BrandColor: b.BrandColor,
		Timezone: b.Timezone, Currency: b.Currency, SessionTimeoutMinutes: b.SessionTimeoutMinutes}
	settings, err := s.db.UpdateOrganizationSettings(ctx, in.OrgID, principalFrom(ctx).User.ID, upd.Apply)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &organizationSettingsOutput{Body: organizationSettingsFrom(settings)}, nil
}
