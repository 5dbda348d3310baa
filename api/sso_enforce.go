package api

import (
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// ipBlockAuditLimit bounds the audit rows a stream of refused requests writes: per organization and IP, at
// most this many a minute (the rest are refused all the same, unrecorded).
const ipBlockAuditLimit = 10

// signInRules are an organization's access rules as the auth query loaded them with the membership.
type signInRules struct {
	allowlist   []string
	ssoRequired bool
	// sessionSSOOrg is the organization whose IdP opened the session (empty for passwords, Google, keys).
	sessionSSOOrg string
	apiKey        bool
}

// enforceSignInRules applies the organization's IP allowlist (sessions and API keys alike) and, for
// sessions, "require SSO": a session not opened through the organization's IdP answers 403 sso_required,
// except an owner's (their password is the break-glass, audited and emailed at sign-in) and a client
// contact's (the agency's customers are not in its IdP). It answers the
// refusal itself and reports whether the request may go on.
func (s *Server) enforceSignInRules(ctx huma.Context, p *principal, r signInRules) bool {
	ip := clientIPFrom(ctx.Context())
	err := r.refusal(ip, p.OrgID, p.Role)
	if err == nil {
		return true
	}
	if domain.ErrorCode(err) == domain.EIPNOTALLOWED {
		s.auditBlockedIP(ctx, p, ip)
	}
	s.writeError(ctx, err)
	return false
}

// refusal is why the rules of organization orgID refuse a request from ip by a caller with role (errors
// EIPNOTALLOWED, ESSOREQUIRED), or nil when they admit it. The routes and the event stream share it.
func (r signInRules) refusal(ip, orgID, role string) error {
	if !domain.IPAllowed(ip, r.allowlist) {
		return domain.Errorf(domain.EIPNOTALLOWED,
			"This organization only allows access from its approved networks, and this request came from %s. "+
				"Ask an owner to add your network to the IP allowlist.", ip)
	}
	// Client contacts are the agency's customers: they are never in its IdP, so SSO is not asked of them.
	if r.ssoRequired && !r.apiKey && r.sessionSSOOrg != orgID && role != domain.RoleOwner && role != domain.RoleClient {
		return domain.Errorf(domain.ESSOREQUIRED, "This organization requires signing in through its identity provider (SSO).")
	}
	return nil
}

// auditBlockedIP records a request refused by the allowlist, at most ipBlockAuditLimit a minute per
// organization and IP. A failure to record is logged: the refusal stands either way.
func (s *Server) auditBlockedIP(ctx huma.Context, p *principal, ip string) {
	c := withPrincipal(ctx, p).Context()
	d, err := s.limiter.Allow(c, "ipblock-audit:"+p.OrgID+":"+ip, ipBlockAuditLimit, time.Minute)
	if err == nil && !d.Allowed {
		return
	}
	err = s.db.RecordAudit(c, p.OrgID, domain.AuditEntry{Action: domain.AuditIPBlocked, EntityType: "ip_allowlist",
		EntityID: p.OrgID, Metadata: map[string]any{"ip": ip, "method": ctx.Method(), "path": ctx.URL().Path}})
	if err != nil {
		s.logger.ErrorContext(c, "audit blocked ip", "err", err, "organization_id", p.OrgID)
	}
}
