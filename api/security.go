package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// SSOConnection is an organization's identity provider as the settings page shows it (no secrets).
type SSOConnection struct {
	Protocol     string `json:"protocol" enum:"oidc,saml"`
	Preset       string `json:"preset" enum:"custom,google_workspace,entra_id,okta"`
	OIDCIssuer   string `json:"oidc_issuer"`
	OIDCClientID string `json:"oidc_client_id"`
	// HasClientSecret says whether an OIDC client secret is stored (it is never shown again).
	HasClientSecret bool   `json:"has_client_secret"`
	SAMLMetadataURL string `json:"saml_metadata_url"`
	SAMLMetadataXML string `json:"saml_metadata_xml"`
	DefaultRole     string `json:"default_role" enum:"admin,manager,member"`
	// LastSuccessAt is the last sign-in or test that completed through the connection; enforcement needs one.
	LastSuccessAt *time.Time `json:"last_success_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

func ssoConnectionFrom(c *domain.SSOConnection) *SSOConnection {
	if c == nil {
		return nil
	}
	return &SSOConnection{Protocol: c.Protocol, Preset: c.Preset, OIDCIssuer: c.OIDCIssuer, OIDCClientID: c.OIDCClientID,
		HasClientSecret: c.HasClientSecret, SAMLMetadataURL: c.SAMLMetadataURL, SAMLMetadataXML: c.SAMLMetadataXML,
		DefaultRole: c.DefaultRole, LastSuccessAt: c.LastSuccessAt, UpdatedAt: c.UpdatedAt}
}

// SSODomain is a claimed email domain with what proves it.
type SSODomain struct {
	Domain   string `json:"domain"`
	Verified bool   `json:"verified"`
	// VerifiedMethod is dns_txt once verified.
	VerifiedMethod string     `json:"verified_method,omitempty"`
	VerifiedAt     *time.Time `json:"verified_at"`
	// TXTName and TXTValue are the DNS record that verifies the claim.
	TXTName  string `json:"txt_name"`
	TXTValue string `json:"txt_value"`
}

func ssoDomainFrom(d *domain.SSODomain) SSODomain {
	return SSODomain{Domain: d.Domain, Verified: d.VerifiedAt != nil, VerifiedMethod: d.VerifiedMethod, VerifiedAt: d.VerifiedAt,
		TXTName: domain.SSODomainTXTName(d.Domain), TXTValue: domain.SSODomainTXTValue(d.VerificationToken)}
}

// AllowlistEntry is one network of the IP allowlist.
type AllowlistEntry struct {
	CIDR  string `json:"cidr" maxLength:"64" doc:"An IPv4 or IPv6 network (203.0.113.0/24, 2001:db8::/32) or one address."`
	Label string `json:"label,omitempty" maxLength:"100"`
}

// ServiceProvider is what the IdP's administrator enters for this organization.
type ServiceProvider struct {
	OIDCRedirectURI string `json:"oidc_redirect_uri"`
	SAMLEntityID    string `json:"saml_entity_id"`
	SAMLMetadataURL string `json:"saml_metadata_url"`
	SAMLACSURL      string `json:"saml_acs_url"`
}

// SecuritySettings is the organization's security tab.
type SecuritySettings struct {
	Connection  *SSOConnection     `json:"connection"`
	Domains     []SSODomain        `json:"domains"`
	SSORequired bool               `json:"sso_required"`
	Allowlist   []AllowlistEntry   `json:"allowlist"`
	CurrentIP   string             `json:"current_ip" doc:"The client IP of this request, as the allowlist sees it."`
	SP          ServiceProvider    `json:"service_provider"`
	Presets     []domain.SSOPreset `json:"presets"`
}

// SSOConnectionRequest saves the connection. An empty oidc_client_secret keeps the stored one.
type SSOConnectionRequest struct {
	Protocol         string `json:"protocol" enum:"oidc,saml"`
	Preset           string `json:"preset,omitempty" enum:"custom,google_workspace,entra_id,okta"`
	OIDCIssuer       string `json:"oidc_issuer,omitempty" maxLength:"2048"`
	OIDCClientID     string `json:"oidc_client_id,omitempty" maxLength:"512"`
	OIDCClientSecret string `json:"oidc_client_secret,omitempty" maxLength:"1024"`
	SAMLMetadataURL  string `json:"saml_metadata_url,omitempty" maxLength:"2048"`
	SAMLMetadataXML  string `json:"saml_metadata_xml,omitempty" maxLength:"200000"`
	DefaultRole      string `json:"default_role,omitempty" enum:"admin,manager,member"`
}

// SSORequiredRequest switches enforcement.
type SSORequiredRequest struct {
	SSORequired bool `json:"sso_required"`
}

// ClaimDomainRequest claims an email domain.
type ClaimDomainRequest struct {
	Domain string `json:"domain" maxLength:"253"`
}

// DomainPath names a claimed domain.
type DomainPath struct {
	OrgPath
	Domain string `path:"domain" maxLength:"253"`
}

// AllowlistRequest replaces the allowlist; an empty list lifts the restriction.
type AllowlistRequest struct {
	Entries []AllowlistEntry `json:"entries" maxItems:"200"`
}

func (s *Server) registerSecurity() {
	tags := []string{"Security"}
	base := "/api/v1/orgs/{org_id}/security"
	ext := requires(domain.PermSSOManage)
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	op := func(id, method, path, summary, desc string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: base + path, Tags: tags, Security: security,
			Extensions: ext, Summary: summary, Description: desc, Errors: errs}
	}
	huma.Register(s.api, op("get-security", http.MethodGet, "", "The organization's SSO, claimed domains and IP allowlist", ""), s.getSecurity)
	huma.Register(s.api, op("save-sso-connection", http.MethodPut, "/sso", "Create or replace the SSO connection",
		"OIDC needs the issuer, client ID and (first time) secret; SAML the IdP's metadata by URL or XML. Pointing "+
			"the connection at another IdP switches enforcement off until a sign-in through it succeeds."), s.saveSSOConnection)
	del := op("delete-sso-connection", http.MethodDelete, "/sso", "Remove the SSO connection (switches enforcement off)", "")
	del.DefaultStatus = http.StatusNoContent
	huma.Register(s.api, del, s.deleteSSOConnection)
	huma.Register(s.api, op("set-sso-required", http.MethodPut, "/sso-required", "Require SSO for the organization",
		"While on, sessions not opened through the organization's IdP answer 403 sso_required on its routes (owners "+
			"excepted: their password is an audited break-glass; API keys excepted). Refused until a sign-in through "+
			"the connection has succeeded."), s.setSSORequired)
	claim := op("claim-sso-domain", http.MethodPost, "/domains", "Claim an email domain",
		"The claim starts unverified: publish the TXT record it shows (txt_name, txt_value) at the domain's DNS "+
			"host and verify. Once verified, the domain's addresses sign in through your IdP.")
	claim.DefaultStatus = http.StatusCreated
	claim.Errors = append(errs, http.StatusConflict)
	huma.Register(s.api, claim, s.claimDomain)
	verify := op("verify-sso-domain", http.MethodPost, "/domains/{domain}/verify", "Verify a claimed domain by its DNS TXT record", "")
	verify.Errors = append(errs, http.StatusConflict)
	huma.Register(s.api, verify, s.verifyDomain)
	rm := op("remove-sso-domain", http.MethodDelete, "/domains/{domain}", "Remove a claimed domain", "")
	rm.DefaultStatus = http.StatusNoContent
	huma.Register(s.api, rm, s.removeDomain)
	huma.Register(s.api, op("save-ip-allowlist", http.MethodPut, "/ip-allowlist", "Replace the IP allowlist",
		"Every organization route then answers 403 ip_not_allowed to requests (sessions and API keys) from other "+
			"addresses. A list that leaves out the address you are saving from is refused."), s.saveAllowlist)
}

func (s *Server) securitySettings(ctx context.Context, orgID string) (*struct{ Body SecuritySettings }, error) {
	sec, err := s.db.OrganizationSecurity(ctx, orgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	base := strings.TrimRight(s.cfg.AppURL, "/") + ssoBase + orgID
	out := SecuritySettings{Connection: ssoConnectionFrom(sec.Connection), Domains: make([]SSODomain, len(sec.Domains)),
		SSORequired: sec.SSORequired, Allowlist: make([]AllowlistEntry, len(sec.Allowlist)), CurrentIP: clientIPFrom(ctx),
		SP: ServiceProvider{OIDCRedirectURI: base + "/oidc/callback", SAMLEntityID: base + "/saml/metadata",
			SAMLMetadataURL: base + "/saml/metadata", SAMLACSURL: base + "/saml/acs"},
		Presets: domain.SSOPresets}
	for i := range sec.Domains {
		out.Domains[i] = ssoDomainFrom(&sec.Domains[i])
	}
	for i, e := range sec.Allowlist {
		out.Allowlist[i] = AllowlistEntry{CIDR: e.CIDR, Label: e.Label}
	}
	return &struct{ Body SecuritySettings }{Body: out}, nil
}

func (s *Server) getSecurity(ctx context.Context, in *OrgPath) (*struct{ Body SecuritySettings }, error) {
	return s.securitySettings(ctx, in.OrgID)
}

func (s *Server) saveSSOConnection(ctx context.Context, in *struct {
	OrgPath
	Body SSOConnectionRequest
}) (*struct{ Body SecuritySettings }, error) {
	p := principalFrom(ctx)
	b := in.Body
	c := domain.SSOConnection{Protocol: b.Protocol, Preset: b.Preset, DefaultRole: b.DefaultRole}
	if c.Preset == "" {
		c.Preset = "custom"
	}
	if c.DefaultRole == "" {
		c.DefaultRole = domain.RoleMember
	}
	old, err := s.db.SSOConnectionSecrets(ctx, in.OrgID)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, problem(ctx, err)
	}
	save := store.SSOConnectionInput{}
	switch b.Protocol {
	case domain.SSOProtocolOIDC:
		c.OIDCIssuer, c.OIDCClientID = strings.TrimRight(strings.TrimSpace(b.OIDCIssuer), "/"), strings.TrimSpace(b.OIDCClientID)
		if err := domain.ValidateIssuer("body.oidc_issuer", c.OIDCIssuer, s.cfg.Env != config.EnvProduction); err != nil {
			return nil, problem(ctx, err)
		}
		if c.OIDCClientID == "" {
			return nil, problem(ctx, domain.Invalid("body.oidc_client_id", "Enter the client ID your IdP gave this application."))
		}
		if b.OIDCClientSecret != "" {
			if save.ClientSecret, err = s.sealSecret(b.OIDCClientSecret); err != nil {
				return nil, problem(ctx, err)
			}
		} else if old == nil || len(old.ClientSecret) == 0 {
			return nil, problem(ctx, domain.Invalid("body.oidc_client_secret", "Enter the client secret your IdP gave this application."))
		}
	case domain.SSOProtocolSAML:
		c.SAMLMetadataURL, c.SAMLMetadataXML = strings.TrimSpace(b.SAMLMetadataURL), strings.TrimSpace(b.SAMLMetadataXML)
		if err := s.checkSAMLMetadata(ctx, c.SAMLMetadataURL, c.SAMLMetadataXML); err != nil {
			return nil, problem(ctx, err)
		}
		if old == nil || len(old.SPKey) == 0 {
			key, cert, err := newSPKeyPair(in.OrgID)
			if err != nil {
				return nil, problem(ctx, err)
			}
			if save.SPKey, err = s.sealSecret(string(key)); err != nil {
				return nil, problem(ctx, err)
			}
			save.SPCert = cert
		}
	}
	save.Connection = c
	if _, err := s.db.SaveSSOConnection(ctx, in.OrgID, p.User.ID, save); err != nil {
		return nil, problem(ctx, err)
	}
	return s.securitySettings(ctx, in.OrgID)
}

func (s *Server) deleteSSOConnection(ctx context.Context, in *OrgPath) (*struct{}, error) {
	if err := s.db.DeleteSSOConnection(ctx, in.OrgID, principalFrom(ctx).User.ID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

func (s *Server) setSSORequired(ctx context.Context, in *struct {
	OrgPath
	Body SSORequiredRequest
}) (*struct{ Body SecuritySettings }, error) {
	if err := s.db.SetSSORequired(ctx, in.OrgID, principalFrom(ctx).User.ID, in.Body.SSORequired); err != nil {
		return nil, problem(ctx, err)
	}
	return s.securitySettings(ctx, in.OrgID)
}

func (s *Server) claimDomain(ctx context.Context, in *struct {
	OrgPath
	Body ClaimDomainRequest
}) (*struct{ Body SSODomain }, error) {
	p := principalFrom(ctx)
	name, err := domain.NormalizeDomain("body.domain", in.Body.Domain)
	if err != nil {
		return nil, problem(ctx, err)
	}
	token, err := randomToken()
	if err != nil {
		return nil, problem(ctx, err)
	}
	d, err := s.db.ClaimSSODomain(ctx, in.OrgID, p.User.ID, name, token)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body SSODomain }{Body: ssoDomainFrom(d)}, nil
}

func (s *Server) verifyDomain(ctx context.Context, in *DomainPath) (*struct{ Body SSODomain }, error) {
	d, err := s.db.SSODomain(ctx, in.OrgID, in.Domain)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if d.VerifiedAt == nil {
		if err := s.checkDomainTXT(ctx, d); err != nil {
			return nil, problem(ctx, err)
		}
		if err := s.db.VerifySSODomain(ctx, in.OrgID, principalFrom(ctx).User.ID, d.Domain, "dns_txt"); err != nil {
			return nil, problem(ctx, err)
		}
		if d, err = s.db.SSODomain(ctx, in.OrgID, in.Domain); err != nil {
			return nil, problem(ctx, err)
		}
	}
	return &struct{ Body SSODomain }{Body: ssoDomainFrom(d)}, nil
}

func (s *Server) removeDomain(ctx context.Context, in *DomainPath) (*struct{}, error) {
	if err := s.db.RemoveSSODomain(ctx, in.OrgID, principalFrom(ctx).User.ID, in.Domain); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

func (s *Server) saveAllowlist(ctx context.Context, in *struct {
	OrgPath
	Body AllowlistRequest
}) (*struct{ Body SecuritySettings }, error) {
	entries := make([]domain.AllowlistEntry, len(in.Body.Entries))
	cidrs := make([]string, len(in.Body.Entries))
	for i, e := range in.Body.Entries {
		cidr, err := domain.ParseCIDR("body.entries["+strconv.Itoa(i)+"].cidr", e.CIDR)
		if err != nil {
			return nil, problem(ctx, err)
		}
		entries[i], cidrs[i] = domain.AllowlistEntry{CIDR: cidr, Label: strings.TrimSpace(e.Label)}, cidr
	}
	if ip := clientIPFrom(ctx); !domain.IPAllowed(ip, cidrs) {
		return nil, problem(ctx, domain.Invalid("body.entries",
			"This list would lock you out: you are saving it from "+ip+", which none of its networks contains. "+
				"Add your current network (or "+ip+") first."))
	}
	if _, err := s.db.ReplaceIPAllowlist(ctx, in.OrgID, principalFrom(ctx).User.ID, entries); err != nil {
		return nil, problem(ctx, err)
	}
	return s.securitySettings(ctx, in.OrgID)
}
