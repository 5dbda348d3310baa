package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// SSODiscoverRequest asks whether an email signs in through an organization's IdP.
type SSODiscoverRequest struct {
	Email string `json:"email" maxLength:"254"`
}

// SSODiscovery is where "Continue with SSO" goes for an email at a claimed domain.
type SSODiscovery struct {
	OrganizationID string `json:"organization_id" format:"uuid"`
	// StartURL is the browser route that redirects to the organization's IdP.
	StartURL string `json:"start_url"`
}

// AuthProviders says which external sign-ins this deployment offers.
type AuthProviders struct {
	Google bool `json:"google" doc:"Whether \"Sign in with Google\" is configured (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)."`
}

func (s *Server) registerSSODiscovery() {
	huma.Register(s.api, huma.Operation{
		OperationID: "sso-discover", Method: http.MethodPost, Path: "/api/v1/auth/sso/discover", Tags: []string{"Auth"},
		Summary: "Find the SSO sign-in for an email address",
		Description: "An email at a domain an organization has verified signs in through that organization's identity " +
			"provider: the answer's start_url begins it. Other addresses answer 404.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.ssoDiscover)
	huma.Register(s.api, huma.Operation{
		OperationID: "auth-providers", Method: http.MethodGet, Path: "/api/v1/auth/providers", Tags: []string{"Auth"},
		Summary: "The external sign-ins this deployment offers",
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body AuthProviders }, error) {
		return &struct{ Body AuthProviders }{Body: AuthProviders{Google: s.googleConfigured()}}, nil
	})
}

func (s *Server) ssoDiscover(ctx context.Context, in *struct{ Body SSODiscoverRequest }) (*struct{ Body SSODiscovery }, error) {
	email := domain.NormalizeEmail(in.Body.Email)
	if err := domain.ValidateEmail("body.email", email); err != nil {
		return nil, problem(ctx, err)
	}
	orgID, err := s.db.SSODomainOrganization(ctx, domain.EmailDomain(email))
	if err != nil {
		return nil, problem(ctx, err)
	}
	if orgID == "" {
		return nil, problem(ctx, domain.Errorf(domain.ENOTFOUND, "No organization signs in %s through SSO.", domain.EmailDomain(email)))
	}
	if _, err := s.db.SSOConnection(ctx, orgID); err != nil {
		return nil, problem(ctx, domain.Errorf(domain.ENOTFOUND, "No organization signs in %s through SSO.", domain.EmailDomain(email)))
	}
	return &struct{ Body SSODiscovery }{Body: SSODiscovery{OrganizationID: orgID, StartURL: ssoBase + orgID + "/start"}}, nil
}
