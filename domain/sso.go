package domain

import (
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Error codes of enterprise sign-in. Both answer 403.
const (
	// ESSOREQUIRED: the organization requires SSO and this session was not opened through its IdP.
	ESSOREQUIRED = "sso_required"
	// EIPNOTALLOWED: the request's client IP is outside the organization's IP allowlist.
	EIPNOTALLOWED = "ip_not_allowed"
)

// SSO protocols.
const (
	SSOProtocolOIDC = "oidc"
	SSOProtocolSAML = "saml"
)

// Session authentication methods (sessions.auth_method).
const (
	AuthMethodPassword = "password"
	AuthMethodGoogle   = "google"
	AuthMethodSSO      = "sso"
)

// SSOPreset fills the issuer of a well-known OIDC provider; {placeholders} are the customer's.
type SSOPreset struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Issuer string `json:"issuer"`
}

// SSOPresets are the providers the settings page offers; "custom" takes any issuer.
var SSOPresets = []SSOPreset{
	{Key: "google_workspace", Label: "Google Workspace", Issuer: "https://accounts.google.com"},
	{Key: "entra_id", Label: "Microsoft Entra ID (Azure AD)", Issuer: "https://login.microsoftonline.com/{tenant-id}/v2.0"},
	{Key: "okta", Label: "Okta", Issuer: "https://{your-org}.okta.com"},
	{Key: "custom", Label: "Other OIDC provider", Issuer: ""},
}

// ValidSSOPreset reports whether key names a preset.
func ValidSSOPreset(key string) bool {
	for _, p := range SSOPresets {
		if p.Key == key {
			return true
		}
	}
	return false
}

// SSOConnection is an organization's identity provider. Secrets never leave the store in it: HasClientSecret
// says whether one is set.
type SSOConnection struct {
	OrganizationID  string
	Protocol        string
	Preset          string
	OIDCIssuer      string
	OIDCClientID    string
	HasClientSecret bool
	SAMLMetadataURL string
	SAMLMetadataXML string
	// SAMLCertificate is the service provider's certificate (PEM) published in our metadata.
	SAMLCertificate string
	DefaultRole     string
	LastSuccessAt   *time.Time
	UpdatedAt       time.Time
}

// SSODomain is an email domain an organization claims. It routes sign-ins and lets the organization's IdP
// vouch for addresses at it only once verified.
type SSODomain struct {
	Domain            string
	VerificationToken string
	VerifiedAt        *time.Time
	VerifiedMethod    string
	CreatedAt         time.Time
}

// SSODomainTXTName is the DNS name whose TXT record proves a domain: _clientflow-verification.<domain>.
func SSODomainTXTName(domain string) string { return "_clientflow-verification." + domain }

// SSODomainTXTValue is the TXT record's expected value.
func SSODomainTXTValue(token string) string { return "clientflow-verification=" + token }

// NormalizeDomain lower-cases and validates an email domain (e.g. "Example.COM." → "example.com").
func NormalizeDomain(field, d string) (string, error) {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if len(d) == 0 || len(d) > 253 || !strings.Contains(d, ".") {
		return "", Invalid(field, "Enter a domain such as example.com.")
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return "", Invalid(field, "Enter a domain such as example.com.")
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return "", Invalid(field, "Enter a domain such as example.com (letters, digits and hyphens).")
			}
		}
	}
	return d, nil
}

// EmailDomain returns the domain part of a normalized email address.
func EmailDomain(email string) string {
	_, d, _ := strings.Cut(email, "@")
	return d
}

// ValidateIssuer checks an OIDC issuer: an absolute https URL without placeholders; plain http only on a
// loopback host and only when allowLocal (development and tests, never production).
func ValidateIssuer(field, issuer string, allowLocal bool) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || strings.ContainsAny(issuer, "{}") {
		return Invalid(field, "Enter the provider's issuer URL, e.g. https://login.example.com (fill in the {placeholders}).")
	}
	if u.Scheme != "https" && !(allowLocal && u.Scheme == "http" && isLoopbackHost(u.Hostname())) {
		return Invalid(field, "The issuer must be an https URL.")
	}
	return nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsLoopback()
}

// AllowlistEntry is one network of an organization's IP allowlist.
type AllowlistEntry struct {
	ID        string
	CIDR      string
	Label     string
	CreatedAt time.Time
}

// ParseCIDR accepts an IPv4 or IPv6 network ("203.0.113.0/24", "2001:db8::/32") or a single address (taken
// as /32 or /128) and returns its canonical form with the host bits cleared.
func ParseCIDR(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return "", Invalid(field, "Enter an IP address or a network in CIDR form, e.g. 203.0.113.0/24.")
		}
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()).String(), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return "", Invalid(field, "Enter an IP address or a network in CIDR form, e.g. 203.0.113.0/24.")
	}
	if p.Addr().Is4In6() {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked().String(), nil
}

// IPAllowed reports whether ip is inside one of cidrs; an empty list allows every address. An unparsable IP
// is outside every non-empty list.
func IPAllowed(ip string, cidrs []string) bool {
	if len(cidrs) == 0 {
		return true
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(c); err == nil && p.Contains(a) {
			return true
		}
	}
	return false
}

// ExternalIdentity is who an identity provider says signed in, after its token or assertion was verified.
type ExternalIdentity struct {
	// Subject is the provider's stable ID for the person (OIDC sub, SAML NameID).
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}
