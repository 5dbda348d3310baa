package api

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	"github.com/gin-gonic/gin"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// SAML 2.0 sign-in. Each organization is a service provider of its own: entity ID and ACS under its SSO
// routes, the key pair made when the connection was saved. Its IdP is what the owner's metadata says (the
// pasted XML, else the document at the metadata URL, fetched with a timeout and a size cap and cached for a
// few minutes). AuthnRequests go out signed with the HTTP-Redirect binding; responses come back by HTTP-POST.
//
// A response is accepted only when all of these hold (crewjam/saml checks the first three):
//   - it answers the AuthnRequest this sign-in sent (InResponseTo), is addressed to our ACS (Destination,
//     Recipient) and was issued by the metadata's IdP;
//   - its assertion names our entity ID (Audience) and is inside its NotBefore/NotOnOrAfter window;
//   - every signature in it is valid for one of the IdP's signing certificates, and what is read is what the
//     signatures cover;
//   - the document holds exactly one assertion and that assertion is itself signed (samlAcceptResponse);
//   - the assertion's ID was never accepted before (store.UseSAMLAssertion).
//
// Refusals are audited (auth.sso_sign_in_refused, metadata.reason) and the person lands on the sign-in page
// with a message.
const (
	samlMetadataTimeout  = 10 * time.Second
	samlMetadataMaxBytes = 1 << 20
	samlMetadataCacheTTL = 5 * time.Minute
	// samlResponseMaxBytes bounds the ACS form post; real responses are a few kilobytes.
	samlResponseMaxBytes = 1 << 20
)

func (s *Server) registerSAMLRoutes() {
	s.router.GET(ssoBase+":org_id/saml/metadata", s.samlMetadata)
	s.router.POST(ssoBase+":org_id/saml/acs", s.samlACS)
}

// samlServiceProvider is orgID's service provider without its IdP: enough to publish our metadata.
func (s *Server) samlServiceProvider(orgID string, sec *store.SSOSecrets) (*saml.ServiceProvider, error) {
	if sec.Connection.Protocol != domain.SSOProtocolSAML || len(sec.SPKey) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "This organization has no SAML connection.")
	}
	der, err := s.openSecret(sec.SPKey)
	if err != nil {
		return nil, fmt.Errorf("saml: open the service provider key: %w", err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey([]byte(der))
	if err != nil {
		return nil, fmt.Errorf("saml: parse the service provider key: %w", err)
	}
	key, ok := parsed.(*rsa.PrivateKey) // RSA: it also decrypts assertions the IdP encrypts to our certificate
	if !ok {
		return nil, fmt.Errorf("saml: the service provider key is a %T, not RSA", parsed)
	}
	block, _ := pem.Decode([]byte(sec.Connection.SAMLCertificate))
	if block == nil {
		return nil, errors.New("saml: the service provider certificate is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("saml: parse the service provider certificate: %w", err)
	}
	base := strings.TrimRight(s.cfg.AppURL, "/") + ssoBase + orgID + "/saml"
	metadataURL, err := url.Parse(base + "/metadata")
	if err != nil {
		return nil, err
	}
	acsURL, err := url.Parse(base + "/acs")
	if err != nil {
		return nil, err
	}
	return &saml.ServiceProvider{EntityID: metadataURL.String(), Key: key, Certificate: cert,
		MetadataURL: *metadataURL, AcsURL: *acsURL,
		// No NameIDPolicy format: the IdP sends the one its administrator chose (email or persistent).
		AuthnNameIDFormat: saml.UnspecifiedNameIDFormat,
		SignatureMethod:   dsig.RSASHA256SignatureMethod,
		// Only HTTP-POST: artifact resolution would have us call the IdP back, which we do not offer.
		AssertionConsumerServiceBindings: []string{saml.HTTPPostBinding},
		// SHA-1 collisions are practical; every IdP we target signs with SHA-256.
		RejectSHA1Signatures: true,
	}, nil
}

// samlProvider is orgID's service provider with its IdP's metadata, for a sign-in.
func (s *Server) samlProvider(ctx context.Context, orgID string, sec *store.SSOSecrets) (*saml.ServiceProvider, error) {
	sp, err := s.samlServiceProvider(orgID, sec)
	if err != nil {
		return nil, err
	}
	if sp.IDPMetadata, err = s.samlIdPMetadata(ctx, sec.Connection); err != nil {
		return nil, err
	}
	return sp, nil
}

// samlMetadata publishes our service provider's metadata (entity ID, ACS, certificate) for the IdP's
// administrator. It exists once the SAML connection is saved: the key pair is made then.
func (s *Server) samlMetadata(c *gin.Context) {
	orgID := c.Param("org_id")
	sec, err := s.db.SSOConnectionSecrets(c.Request.Context(), orgID)
	var sp *saml.ServiceProvider
	if err == nil {
		sp, err = s.samlServiceProvider(orgID, sec)
	}
	if err != nil {
		s.writeDomainProblem(c, err)
		return
	}
	body, err := xml.MarshalIndent(sp.Metadata(), "", "  ")
	if err != nil {
		s.writeDomainProblem(c, err)
		return
	}
	c.Data(http.StatusOK, "application/samlmetadata+xml", append([]byte(xml.Header), body...))
}

// writeDomainProblem answers a plain Gin route with the problem an application error maps to.
func (s *Server) writeDomainProblem(c *gin.Context, err error) {
	code := domain.ErrorCode(err)
	if code == domain.EINTERNAL {
		s.logger.ErrorContext(c.Request.Context(), "internal error", "err", err)
		writeProblem(c, http.StatusInternalServerError, code, "internal error")
		return
	}
	writeProblem(c, statusByCode[code], code, domain.ErrorMessage(err))
}

// samlAuthURL makes a fresh AuthnRequest for the sign-in in flight st, records its ID on st (the response
// must answer it) and returns the IdP's HTTP-Redirect URL carrying it, signed, with RelayState = state.
func (s *Server) samlAuthURL(ctx context.Context, sec *store.SSOSecrets, state string, st *store.LoginState) (string, error) {
	sp, err := s.samlProvider(ctx, st.OrgID, sec)
	if err != nil {
		return "", err
	}
	req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(saml.HTTPRedirectBinding),
		saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", err
	}
	if err := s.db.SetLoginSAMLRequest(ctx, st.StateHash, req.ID); err != nil {
		return "", err
	}
	st.SAMLRequestID = req.ID
	u, err := req.Redirect(state, sp)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// samlACS receives the IdP's response (a form the browser posts from the IdP's site). RelayState is the
// state beginLogin made; over https the login cookie comes along (SameSite=None) and must match it.
func (s *Server) samlACS(c *gin.Context) {
	ctx := c.Request.Context()
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, samlResponseMaxBytes)
	if err := c.Request.ParseForm(); err != nil {
		s.failLogin(c, nil, domain.Errorf(domain.EINVALID, "The identity provider's response could not be read. Start again."))
		return
	}
	st, err := s.consumeLogin(c, c.Request.PostForm.Get("RelayState"), s.cfg.SecureCookies())
	if err != nil {
		s.failLogin(c, nil, err)
		return
	}
	orgID := c.Param("org_id")
	if st.Provider != domain.SSOProtocolSAML || st.OrgID != orgID || st.SAMLRequestID == "" {
		s.failLogin(c, st, errLoginState)
		return
	}
	sec, err := s.db.SSOConnectionSecrets(ctx, orgID)
	var sp *saml.ServiceProvider
	if err == nil {
		sp, err = s.samlProvider(ctx, orgID, sec)
	}
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	id, refusal, err := s.samlAcceptResponse(ctx, sp, orgID, c.Request.PostForm.Get("SAMLResponse"), st.SAMLRequestID)
	if err != nil {
		s.failLogin(c, st, err)
		return
	}
	if refusal != nil {
		s.refuseSAML(c, st, refusal)
		return
	}
	s.finishSSO(c, st, domain.SSOProtocolSAML, id)
}

// samlRefusal is why a response was not accepted: reason is the audit log's code, detail what the check
// found (for the administrator reading the log).
type samlRefusal struct {
	reason string
	detail string
}

// samlRefusalMessages say to the person signing in why, after "Your identity provider's response was refused:".
var samlRefusalMessages = map[string]string{
	"malformed":            "it could not be read",
	"multiple_assertions":  "it must carry exactly one assertion",
	"invalid_signature":    "its signature does not match the identity provider's certificate",
	"unsigned_assertion":   "its assertion is not signed (set the identity provider to sign assertions)",
	"expired":              "it has expired (check the identity provider's clock)",
	"not_yet_valid":        "it is not valid yet (check the identity provider's clock)",
	"audience_mismatch":    "it was issued for another application (check the entity ID set at the identity provider)",
	"destination_mismatch": "it was sent for another address (check the ACS URL set at the identity provider)",
	"request_mismatch":     "it does not answer this sign-in",
	"issuer_mismatch":      "it was issued by another identity provider",
	"idp_status":           "the identity provider did not sign you in",
	"decryption_failed":    "its encrypted assertion could not be decrypted",
	"incomplete":           "it lacks a required part",
	"unsupported":          "it uses a feature we do not support",
	"replayed":             "it was already used",
	"transient_name_id":    "its NameID is transient (set the identity provider to send an email or persistent NameID)",
	"invalid":              "it is not valid",
}

// refuseSAML audits a refused response in the organization's log and sends the person back with the reason.
func (s *Server) refuseSAML(c *gin.Context, st *store.LoginState, r *samlRefusal) {
	ctx := c.Request.Context()
	err := s.db.RecordAudit(ctx, st.OrgID, domain.AuditEntry{Action: domain.AuditSSOSignInRefused,
		EntityType: "sso_connection", EntityID: st.OrgID,
		Metadata: map[string]any{"protocol": domain.SSOProtocolSAML, "reason": r.reason, "detail": truncate(r.detail, 500)}})
	if err != nil {
		s.logger.ErrorContext(ctx, "audit a refused SAML response", "err", err)
	}
	s.failLogin(c, st, domain.Errorf(domain.EFORBIDDEN, "Your identity provider's response was refused: %s.",
		samlRefusalMessages[r.reason]))
}

// samlAcceptResponse verifies the posted SAMLResponse (see the top of this file) and returns who it signs in,
// or why it is refused. The XML is handed to ParseXMLResponse rather than the request to ParseResponse, so
// nothing in the query string (a SAMLart) can make us resolve an artifact, and the HTTP-POST-SimpleSign
// binding (which vouches for unsigned assertions) is not accepted.
func (s *Server) samlAcceptResponse(ctx context.Context, sp *saml.ServiceProvider, orgID, posted, requestID string) (domain.ExternalIdentity, *samlRefusal, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(posted), ""))
	if err != nil || len(raw) == 0 {
		return domain.ExternalIdentity{}, &samlRefusal{reason: "malformed", detail: "SAMLResponse is not base64"}, nil
	}
	if r := samlCheckShape(raw); r != nil {
		return domain.ExternalIdentity{}, r, nil
	}
	assertion, err := sp.ParseXMLResponse(raw, []string{requestID}, sp.AcsURL)
	if err != nil {
		return domain.ExternalIdentity{}, samlRefusalOf(err), nil
	}
	// "Signed assertions required": crewjam/saml accepts an unsigned assertion inside a signed Response. We do
	// not: the assertion is what a session is opened on, so it must carry the IdP's signature itself, as every
	// IdP we target signs it by default. A Signature present on it has been verified by ParseXMLResponse (an
	// invalid one fails the whole response), so its presence is what is left to check. samlCheckShape already
	// refused a plain unsigned assertion; this also covers an encrypted one, whose signature is inside.
	if !isXMLSignature(assertion.Signature) {
		return domain.ExternalIdentity{}, &samlRefusal{reason: "unsigned_assertion",
			detail: "the assertion carries no signature of its own"}, nil
	}
	id, r := samlIdentity(assertion)
	if r != nil {
		return domain.ExternalIdentity{}, r, nil
	}
	err = s.db.UseSAMLAssertion(ctx, orgID, assertion.ID, samlReplayDeadline(assertion))
	if domain.ErrorCode(err) == domain.EINVALID {
		return domain.ExternalIdentity{}, &samlRefusal{reason: "replayed", detail: "assertion " + assertion.ID + " was accepted before"}, nil
	} else if err != nil {
		return domain.ExternalIdentity{}, nil, err
	}
	return id, nil, nil
}

// samlCheckShape refuses, before the library reads it, a document with more than one assertion (plain or
// encrypted) wherever in it they are, and a plain assertion without a signature of its own. A real response
// carries one assertion; two is the shape of signature wrapping (a signed assertion moved aside for an
// unsigned one beside it). None is left to the library: it is how an IdP answers with an error status.
func samlCheckShape(raw []byte) *samlRefusal {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil {
		return &samlRefusal{reason: "malformed", detail: "SAMLResponse is not XML"}
	}
	plain := doc.FindElements("//Assertion")
	if n := len(plain) + len(doc.FindElements("//EncryptedAssertion")); n > 1 {
		return &samlRefusal{reason: "multiple_assertions", detail: fmt.Sprintf("the response holds %d assertions", n)}
	}
	if len(plain) == 1 && !isXMLSignature(plain[0].SelectElement("Signature")) {
		return &samlRefusal{reason: "unsigned_assertion", detail: "the assertion carries no signature of its own"}
	}
	return nil
}

// isXMLSignature reports whether el is an XML-DSig Signature element (not merely one named Signature).
func isXMLSignature(el *etree.Element) bool {
	return el != nil && el.Tag == "Signature" && el.NamespaceURI() == dsig.Namespace
}

// samlRefusalOf names what crewjam/saml refused a response for; its error's detail is kept for the log.
func samlRefusalOf(err error) *samlRefusal {
	detail := err.Error()
	var ire *saml.InvalidResponseError
	if errors.As(err, &ire) && ire.PrivateErr != nil {
		detail = ire.PrivateErr.Error()
	}
	var status saml.ErrBadStatus
	if errors.As(err, &status) {
		return &samlRefusal{reason: "idp_status", detail: status.Status}
	}
	kinds := []struct {
		err    error
		reason string
	}{
		{saml.ErrInvalidSignature, "invalid_signature"},
		{saml.ErrExpired, "expired"},
		{saml.ErrNotYetValid, "not_yet_valid"},
		{saml.ErrAudienceMismatch, "audience_mismatch"},
		{saml.ErrDestinationMismatch, "destination_mismatch"},
		{saml.ErrRequestIDMismatch, "request_mismatch"},
		{saml.ErrIssuerMismatch, "issuer_mismatch"},
		{saml.ErrDecryptionFailed, "decryption_failed"},
		{saml.ErrMalformedMessage, "malformed"},
		{saml.ErrMissingElement, "incomplete"},
		{saml.ErrUnsupported, "unsupported"},
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return &samlRefusal{reason: k.reason, detail: detail}
		}
	}
	return &samlRefusal{reason: "invalid", detail: detail}
}

// samlReplayDeadline is until when an accepted assertion ID is remembered: past it the assertion is refused
// as too old anyway (its IssueInstant plus the library's MaxIssueDelay, or its NotOnOrAfter if later, plus
// the clock skew allowed).
func samlReplayDeadline(a *saml.Assertion) time.Time {
	deadline := a.IssueInstant.Add(saml.MaxIssueDelay)
	if a.Conditions != nil && a.Conditions.NotOnOrAfter.After(deadline) {
		deadline = a.Conditions.NotOnOrAfter
	}
	return deadline.Add(saml.MaxClockSkew)
}

// SAML attribute names (by Name or FriendlyName, any case) that carry the email address and the name, as
// Okta, Entra ID, Google Workspace, ADFS and LDAP-style IdPs send them.
var (
	samlEmailAttributes = []string{"email", "mail", "emailaddress",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "urn:oid:0.9.2342.19200300.100.1.3"}
	samlNameAttributes = []string{"displayName", "http://schemas.microsoft.com/identity/claims/displayname",
		"urn:oid:2.16.840.1.113730.3.1.241", "name", "cn", "urn:oid:2.5.4.3"}
	samlGivenNameAttributes = []string{"givenName", "firstName",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42"}
	samlSurnameAttributes = []string{"sn", "surname", "lastName",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4"}
)

// samlIdentity reads who a verified assertion signs in. The NameID is the subject (so it must be stable: a
// transient one is refused); the email is the NameID's when its format says so, else an email attribute,
// else a NameID that is an address. EmailVerified is true: whether the IdP may vouch for the address is the
// organization's verified-domain rule in store.SSOSignIn.
func samlIdentity(a *saml.Assertion) (domain.ExternalIdentity, *samlRefusal) {
	if a.Subject == nil || a.Subject.NameID == nil || strings.TrimSpace(a.Subject.NameID.Value) == "" {
		return domain.ExternalIdentity{}, &samlRefusal{reason: "incomplete", detail: "the assertion has no NameID"}
	}
	nameID := a.Subject.NameID
	if nameID.Format == string(saml.TransientNameIDFormat) {
		return domain.ExternalIdentity{}, &samlRefusal{reason: "transient_name_id", detail: "NameID format " + nameID.Format}
	}
	subject := strings.TrimSpace(nameID.Value)
	email := ""
	if nameID.Format == string(saml.EmailAddressNameIDFormat) {
		email = subject
	}
	if email == "" {
		email = samlAttribute(a, samlEmailAttributes)
	}
	if email == "" && domain.ValidateEmail("email", domain.NormalizeEmail(subject)) == nil {
		email = subject
	}
	name := samlAttribute(a, samlNameAttributes)
	if name == "" || strings.Contains(name, "@") {
		name = strings.TrimSpace(samlAttribute(a, samlGivenNameAttributes) + " " + samlAttribute(a, samlSurnameAttributes))
	}
	return domain.ExternalIdentity{Subject: subject, Email: email, EmailVerified: true, Name: name}, nil
}

// samlAttribute is the first non-empty value of the first attribute named (Name or FriendlyName) one of names.
func samlAttribute(a *saml.Assertion, names []string) string {
	for _, want := range names {
		for _, st := range a.AttributeStatements {
			for _, attr := range st.Attributes {
				if !strings.EqualFold(attr.Name, want) && !strings.EqualFold(attr.FriendlyName, want) {
					continue
				}
				for _, v := range attr.Values {
					if t := strings.TrimSpace(v.Value); t != "" {
						return t
					}
				}
			}
		}
	}
	return ""
}

// checkSAMLMetadata answers whether the owner's IdP metadata is usable: the pasted XML when given (it wins
// over the URL), else the document at the URL, fetched now. It must describe one identity provider with a
// current signing certificate and an HTTP-Redirect single sign-on URL. Errors: EINVALID on the field.
func (s *Server) checkSAMLMetadata(ctx context.Context, metadataURL, xmlText string) error {
	if metadataURL == "" && xmlText == "" {
		return domain.Invalid("body.saml_metadata_xml", "Enter the IdP's metadata URL or paste its metadata XML.")
	}
	if xmlText != "" {
		if _, err := parseIdPMetadata([]byte(xmlText)); err != nil {
			return domain.Invalid("body.saml_metadata_xml", err.Error())
		}
		return nil
	}
	data, err := s.fetchSAMLMetadata(ctx, metadataURL)
	if err == nil {
		_, err = parseIdPMetadata(data)
	}
	if err != nil {
		return domain.Invalid("body.saml_metadata_url", err.Error())
	}
	idpMetadataCache.put(metadataURL, data)
	return nil
}

// samlIdPMetadata is the IdP a connection describes, from its XML or its URL (cached for a few minutes).
// Errors: EINVALID saying what is wrong with it.
func (s *Server) samlIdPMetadata(ctx context.Context, c *domain.SSOConnection) (*saml.EntityDescriptor, error) {
	data := []byte(c.SAMLMetadataXML)
	if len(data) == 0 {
		var ok bool
		if data, ok = idpMetadataCache.get(c.SAMLMetadataURL); !ok {
			var err error
			if data, err = s.fetchSAMLMetadata(ctx, c.SAMLMetadataURL); err != nil {
				return nil, domain.Errorf(domain.EINVALID, "The identity provider's metadata could not be loaded: %s", err.Error())
			}
			idpMetadataCache.put(c.SAMLMetadataURL, data)
		}
	}
	md, err := parseIdPMetadata(data)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "The organization's SAML connection is not usable: %s", err.Error())
	}
	return md, nil
}

// parseIdPMetadata reads an identity provider's metadata (an EntityDescriptor, or an EntitiesDescriptor
// holding one IdP). Its errors are sentences fit to show the owner.
func parseIdPMetadata(data []byte) (*saml.EntityDescriptor, error) {
	md, err := samlsp.ParseMetadata(data)
	if err != nil {
		return nil, errors.New("This is not valid SAML metadata: it could not be read as an identity provider's EntityDescriptor.")
	}
	if len(md.IDPSSODescriptors) == 0 {
		return nil, errors.New("This metadata describes no identity provider (it has no IDPSSODescriptor). Use your IdP's metadata for this application.")
	}
	if md.EntityID == "" {
		return nil, errors.New("This metadata has no entityID.")
	}
	certs := samlSigningCertificates(md)
	if len(certs) == 0 {
		return nil, errors.New("The identity provider's metadata has no signing certificate (a KeyDescriptor with an X509Certificate).")
	}
	now := time.Now()
	current := false
	for _, c := range certs {
		current = current || (!now.Before(c.NotBefore) && !now.After(c.NotAfter))
	}
	if !current {
		return nil, errors.New("Every signing certificate in the identity provider's metadata has expired or is not valid yet.")
	}
	loc := (&saml.ServiceProvider{IDPMetadata: md}).GetSSOBindingLocation(saml.HTTPRedirectBinding)
	if loc == "" {
		return nil, errors.New("The identity provider's metadata has no single sign-on URL for the HTTP-Redirect binding.")
	}
	if u, err := url.Parse(loc); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errors.New("The identity provider's single sign-on URL is not an http(s) URL.")
	}
	return md, nil
}

// samlSigningCertificates are the certificates the IdP's metadata offers for signing (use="signing" or no use).
func samlSigningCertificates(md *saml.EntityDescriptor) []*x509.Certificate {
	var out []*x509.Certificate
	for _, d := range md.IDPSSODescriptors {
		for _, kd := range d.KeyDescriptors {
			if kd.Use != "" && kd.Use != "signing" {
				continue
			}
			for _, xc := range kd.KeyInfo.X509Data.X509Certificates {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(xc.Data), ""))
				if err != nil {
					continue
				}
				if cert, err := x509.ParseCertificate(der); err == nil {
					out = append(out, cert)
				}
			}
		}
	}
	return out
}

// errMetadataAddress is the refusal to fetch metadata from an address inside our own network.
var errMetadataAddress = errors.New("saml metadata: address not allowed")

// fetchSAMLMetadata downloads the IdP's metadata: https (plain http only from a loopback host, for local
// IdPs), 10 seconds, 1 MiB, three redirects at most. The URL is the customer's, so the connection is refused
// to link-local, multicast and unspecified addresses, and in production to loopback and private networks
// too (no proxy is used, so that check is on the address actually dialed). Its errors are sentences fit to
// show the owner.
func (s *Server) fetchSAMLMetadata(ctx context.Context, rawURL string) ([]byte, error) {
	if !allowedMetadataURL(rawURL) {
		return nil, errors.New("Enter the https URL of your IdP's metadata, e.g. https://idp.example.com/saml/metadata.")
	}
	ctx, cancel := context.WithTimeout(ctx, samlMetadataTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, errors.New("Enter the https URL of your IdP's metadata, e.g. https://idp.example.com/saml/metadata.")
	}
	req.Header.Set("Accept", "application/samlmetadata+xml, application/xml, text/xml")
	client := &http.Client{
		Transport: &http.Transport{DialContext: (&net.Dialer{Timeout: samlMetadataTimeout, Control: s.metadataDialControl}).DialContext,
			TLSHandshakeTimeout: samlMetadataTimeout, DisableKeepAlives: true},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 || !allowedMetadataURL(req.URL.String()) {
				return errors.New("redirected too often or to a URL that is not https")
			}
			return nil
		},
	}
	resp, err := client.Do(req)
	if err != nil {
		switch {
		case errors.Is(err, errMetadataAddress):
			return nil, errors.New("The metadata URL points to a private or local network address. Paste the metadata XML instead.")
		case errors.Is(err, context.DeadlineExceeded):
			return nil, errors.New("The metadata URL did not answer within 10 seconds.")
		}
		return nil, errors.New("The metadata URL could not be fetched (" + sanitizedFetchError(err) + ").")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("The metadata URL answered HTTP %d instead of the metadata.", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, samlMetadataMaxBytes+1))
	if err != nil {
		return nil, errors.New("The metadata could not be downloaded completely.")
	}
	if len(data) > samlMetadataMaxBytes {
		return nil, errors.New("The metadata at this URL is larger than 1 MiB.")
	}
	return data, nil
}

// sanitizedFetchError is a network error without the URL (which the owner knows) for the message.
func sanitizedFetchError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return truncate(err.Error(), 200)
}

// allowedMetadataURL accepts an https URL, or http on a loopback host.
func allowedMetadataURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	if u.Scheme != "http" {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(u.Hostname())
	return err == nil && a.IsLoopback()
}

// metadataDialControl refuses to connect to addresses a customer's URL must not reach (see fetchSAMLMetadata).
func (s *Server) metadataDialControl(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return errMetadataAddress
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return errMetadataAddress
	}
	ip = ip.Unmap()
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return errMetadataAddress
	}
	if s.cfg.Env == config.EnvProduction && (ip.IsLoopback() || ip.IsPrivate()) {
		return errMetadataAddress
	}
	return nil
}

// idpMetadataCache keeps fetched IdP metadata for a few minutes, so a burst of sign-ins fetches it once.
// It holds bytes (each use parses its own copy) keyed by URL, and is shared by the process's servers.
var idpMetadataCache = &metadataCache{entries: map[string]cachedMetadata{}}

type metadataCache struct {
	mu      sync.Mutex
	entries map[string]cachedMetadata
}

type cachedMetadata struct {
	data    []byte
	expires time.Time
}

func (m *metadataCache) get(key string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.data, true
}

// put stores data for key, first dropping expired entries; past 1,000 live ones it starts over, which only
// costs refetches.
func (m *metadataCache) put(key string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for k, e := range m.entries {
		if now.After(e.expires) {
			delete(m.entries, k)
		}
	}
	if len(m.entries) >= 1000 {
		clear(m.entries)
	}
	m.entries[key] = cachedMetadata{data: data, expires: now.Add(samlMetadataCacheTTL)}
}
