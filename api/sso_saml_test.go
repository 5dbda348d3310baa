package api_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/xml"
	"html"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store/storetest"
)

// samlIdP is crewjam/saml's identity provider on an httptest server. It signs real responses for whoever
// the browser says it is (its idp_user cookie, an email), for the service providers whose metadata it
// fetches from their entity ID. With plaintext set it ignores their encryption key, so tests can edit the
// assertion it signed.
type samlIdP struct {
	t         *testing.T
	srv       *httptest.Server
	idp       *saml.IdentityProvider
	key       *rsa.PrivateKey
	cert      *x509.Certificate
	plaintext atomic.Bool
	// persistent makes the NameID an opaque persistent ID, the email travelling as an attribute.
	persistent atomic.Bool
}

func newSAMLIdP(t *testing.T) *samlIdP {
	t.Helper()
	key, cert := mustKeyPair(t, "Test IdP")
	p := &samlIdP{t: t, key: key, cert: cert}
	p.srv = httptest.NewServer(nil)
	t.Cleanup(p.srv.Close)
	metadataURL, err := url.Parse(p.srv.URL + "/metadata")
	require.NoError(t, err)
	ssoURL, err := url.Parse(p.srv.URL + "/sso")
	require.NoError(t, err)
	p.idp = &saml.IdentityProvider{Key: key, Signer: key, Certificate: cert, MetadataURL: *metadataURL, SSOURL: *ssoURL,
		ServiceProviderProvider: p, SessionProvider: p}
	p.srv.Config.Handler = p.idp.Handler()
	return p
}

// GetServiceProvider implements saml.ServiceProviderProvider: the SP's entity ID is its metadata URL.
func (p *samlIdP) GetServiceProvider(r *http.Request, id string) (*saml.EntityDescriptor, error) {
	res, err := http.Get(id)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	var md saml.EntityDescriptor
	if err := xml.Unmarshal(raw, &md); err != nil {
		return nil, err
	}
	if p.plaintext.Load() {
		for i := range md.SPSSODescriptors {
			var keep []saml.KeyDescriptor
			for _, kd := range md.SPSSODescriptors[i].KeyDescriptors {
				if kd.Use != "encryption" {
					kd.Use = "signing"
					keep = append(keep, kd)
				}
			}
			md.SPSSODescriptors[i].KeyDescriptors = keep
		}
	}
	return &md, nil
}

// GetSession implements saml.SessionProvider: the person is already signed in at the IdP.
func (p *samlIdP) GetSession(w http.ResponseWriter, r *http.Request, _ *saml.IdpAuthnRequest) *saml.Session {
	ck, err := r.Cookie("idp_user")
	if err != nil {
		http.Error(w, "not signed in at the IdP", http.StatusUnauthorized)
		return nil
	}
	email := ck.Value
	s := &saml.Session{ID: "s-" + rand.Text(), CreateTime: time.Now(), ExpireTime: time.Now().Add(time.Hour), Index: "1",
		NameID: email, NameIDFormat: string(saml.EmailAddressNameIDFormat),
		UserEmail: email, UserGivenName: "Sam", UserSurname: "Lee", UserCommonName: "Sam Lee"}
	if p.persistent.Load() {
		s.NameID, s.NameIDFormat = "p-"+strings.ToLower(rand.Text()), string(saml.PersistentNameIDFormat)
	}
	return s
}

// MetadataXML is the IdP's metadata as an owner pastes it.
func (p *samlIdP) MetadataXML() string {
	p.t.Helper()
	raw, err := xml.MarshalIndent(p.idp.Metadata(), "", "  ")
	require.NoError(p.t, err)
	return string(raw)
}

func mustKeyPair(t *testing.T, cn string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return key, cert
}

// samlFixture is an organization whose owner connected it to a test IdP over SAML and verified example.com
// (every test address is there), on a fresh server.
type samlFixture struct {
	srv   *testServer
	idp   *samlIdP
	owner *browser
	org   orgJSON
}

func newSAMLFixture(t *testing.T, opts ...option) *samlFixture {
	t.Helper()
	db := storetest.MustOpen(t)
	f := &samlFixture{srv: MustStart(t, db, append([]option{withAuthLimit(1000), withAPILimit(1000)}, opts...)...), idp: newSAMLIdP(t)}
	f.owner = f.srv.MustSignUp(t, "Olive Owner")
	mustVerify(t, db, f.owner)
	f.org = f.owner.MustCreateOrg(uniqueName("Acme"))
	res := f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/security/sso",
		map[string]string{"protocol": "saml", "saml_metadata_xml": f.idp.MetadataXML()})
	MustStatus(t, res, http.StatusOK)
	res = f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.org.ID+"/security/domains", map[string]string{"domain": "example.com"})
	MustStatus(t, res, http.StatusCreated)
	mustProveDomain(t, db, f.org.ID, "example.com")
	return f
}

// idpForm is the auto-posting form the IdP's page sends back to our ACS.
type idpForm struct {
	Action       string
	SAMLResponse string
	RelayState   string
}

var (
	formAction       = regexp.MustCompile(`action="([^"]*)"`)
	formSAMLResponse = regexp.MustCompile(`name="SAMLResponse" value="([^"]*)"`)
	formRelayState   = regexp.MustCompile(`name="RelayState" value="([^"]*)"`)
)

// MustSignInAtIdP has b start the organization's SSO sign-in as email: our start route redirects to the IdP,
// which (the person being signed in there) answers with its form.
func (f *samlFixture) MustSignInAtIdP(t *testing.T, b *browser, email string) idpForm {
	t.Helper()
	return f.MustSignInAtIdPFrom(t, b, email, "/api/v1/auth/sso/"+f.org.ID+"/start")
}

// MustSignInAtIdPFrom is MustSignInAtIdP from another start URL (e.g. the owner's connection test).
func (f *samlFixture) MustSignInAtIdPFrom(t *testing.T, b *browser, email, start string) idpForm {
	t.Helper()
	idpURL, err := url.Parse(f.idp.srv.URL)
	require.NoError(t, err)
	b.client.Jar.SetCookies(idpURL, []*http.Cookie{{Name: "idp_user", Value: email}})
	res := b.Do(http.MethodGet, start, nil)
	MustStatus(t, res, http.StatusOK)
	page := string(res.Body)
	var form idpForm
	for _, m := range []struct {
		re  *regexp.Regexp
		out *string
	}{{formAction, &form.Action}, {formSAMLResponse, &form.SAMLResponse}, {formRelayState, &form.RelayState}} {
		got := m.re.FindStringSubmatch(page)
		require.Len(t, got, 2, "IdP page: %s", page)
		*m.out = html.UnescapeString(got[1])
	}
	require.Equal(t, f.srv.URL+"/api/v1/auth/sso/"+f.org.ID+"/saml/acs", form.Action)
	return form
}

// PostACS posts form as b's browser would from the IdP's page: cross-site, so its SameSite=Lax cookies
// (on plain http, the login state's too) stay behind. The session cookie it gets lands in b's jar.
func (f *samlFixture) PostACS(t *testing.T, b *browser, form idpForm) *http.Response {
	t.Helper()
	body := url.Values{"SAMLResponse": {form.SAMLResponse}, "RelayState": {form.RelayState}}.Encode()
	req, err := http.NewRequest(http.MethodPost, form.Action, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", f.idp.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	u, err := url.Parse(f.srv.URL)
	require.NoError(t, err)
	b.client.Jar.SetCookies(u, res.Cookies())
	return res
}

// MustBeSignedIn asserts the ACS answer opened a session that works in the organization.
func (f *samlFixture) MustBeSignedIn(t *testing.T, b *browser, res *http.Response) {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/orgs/"+f.org.ID, res.Header.Get("Location"))
	MustStatus(t, b.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID, nil), http.StatusOK)
}

// MustBeRefused asserts the ACS answer sent the browser back to sign in with an error, opened no session,
// and that the organization's audit log recorded the refusal with reason.
func (f *samlFixture) MustBeRefused(t *testing.T, b *browser, res *http.Response, reason string) {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	assert.True(t, strings.HasPrefix(res.Header.Get("Location"), "/sign-in?sso_error="), "location %q", res.Header.Get("Location"))
	for _, c := range res.Cookies() {
		assert.NotEqual(t, "cf_session", c.Name, "a refused response opens no session")
	}
	assert.Equal(t, "", b.SessionCookie())
	if reason == "" {
		return
	}
	var got string
	require.NoError(t, f.srv.DB.Owner.Bun().NewRaw(`SELECT metadata->>'reason' FROM audit_logs
		WHERE organization_id = ? AND action = 'auth.sso_sign_in_refused' ORDER BY id DESC LIMIT 1`, f.org.ID).
		Scan(context.Background(), &got))
	assert.Equal(t, reason, got)
}

// responseXML decodes a form's SAMLResponse.
func responseXML(t *testing.T, form idpForm) *etree.Document {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(form.SAMLResponse)
	require.NoError(t, err)
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(raw))
	return doc
}

// withResponse returns form carrying doc as its SAMLResponse.
func withResponse(t *testing.T, form idpForm, doc *etree.Document) idpForm {
	t.Helper()
	raw, err := doc.WriteToBytes()
	require.NoError(t, err)
	form.SAMLResponse = base64.StdEncoding.EncodeToString(raw)
	return form
}

// assertionOf is the response's (one, plaintext) assertion.
func assertionOf(t *testing.T, doc *etree.Document) *etree.Element {
	t.Helper()
	a := doc.Root().SelectElement("Assertion")
	require.NotNil(t, a, "plaintext assertion")
	return a
}

func removeSignature(el *etree.Element) {
	if sig := el.SelectElement("Signature"); sig != nil {
		el.RemoveChild(sig)
	}
}

// resign replaces el's enveloped signature with one by key (its certificate in KeyInfo), placed after the
// Issuer as the schema wants. el must declare the namespaces it uses (crewjam's elements do).
func resign(t *testing.T, el *etree.Element, key *rsa.PrivateKey, cert *x509.Certificate) {
	t.Helper()
	removeSignature(el)
	ctx := dsig.NewDefaultSigningContext(dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key}))
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	require.NoError(t, ctx.SetSignatureMethod(dsig.RSASHA256SignatureMethod))
	signed, err := ctx.SignEnveloped(el)
	require.NoError(t, err)
	sig := signed.SelectElement("Signature")
	require.NotNil(t, sig)
	issuer := el.SelectElement("Issuer")
	el.InsertChildAt(issuer.Index()+1, sig.Copy())
}

// resignResponse re-signs the assertion and then the response with the IdP's key, as a real IdP would after
// producing the edited content (so only the edit itself can be refused).
func (p *samlIdP) resignResponse(t *testing.T, doc *etree.Document) {
	t.Helper()
	resign(t, assertionOf(t, doc), p.key, p.cert)
	resign(t, doc.Root(), p.key, p.cert)
}

func TestSAMLSignIn(t *testing.T) {
	t.Run("a new person at the verified domain signs in through the IdP and joins", func(t *testing.T) {
		f := newSAMLFixture(t)
		b := f.srv.NewBrowser(t)
		email := uniqueEmail()
		form := f.MustSignInAtIdP(t, b, email)
		raw, err := base64.StdEncoding.DecodeString(form.SAMLResponse)
		require.NoError(t, err)
		assert.Contains(t, string(raw), "EncryptedAssertion", "the IdP encrypts to the certificate in our metadata")
		f.MustBeSignedIn(t, b, f.PostACS(t, b, form))

		var who struct {
			Email string
			Name  string
			Role  string
		}
		require.NoError(t, f.srv.DB.Owner.Bun().NewRaw(`SELECT u.email, u.name, m.role FROM users u
			JOIN organization_memberships m ON m.user_id = u.id AND m.organization_id = ? WHERE u.email = ?`, f.org.ID, email).
			Scan(context.Background(), &who.Email, &who.Name, &who.Role))
		assert.Equal(t, "Sam Lee", who.Name, "the name comes from the assertion's attributes")
		assert.Equal(t, "member", who.Role, "the connection's default role")

		var method string
		require.NoError(t, f.srv.DB.Owner.Bun().NewRaw(`SELECT auth_method FROM sessions WHERE user_id =
			(SELECT id FROM users WHERE email = ?)`, email).Scan(context.Background(), &method))
		assert.Equal(t, "sso", method)
	})

	t.Run("a persistent NameID is the subject and the email comes from the attributes", func(t *testing.T) {
		f := newSAMLFixture(t)
		f.idp.persistent.Store(true)
		b := f.srv.NewBrowser(t)
		email := uniqueEmail()
		f.MustBeSignedIn(t, b, f.PostACS(t, b, f.MustSignInAtIdP(t, b, email)))
		var subject string
		require.NoError(t, f.srv.DB.Owner.Bun().NewRaw(`SELECT subject FROM sso_identities WHERE organization_id = ? AND email = ?`,
			f.org.ID, email).Scan(context.Background(), &subject))
		assert.True(t, strings.HasPrefix(subject, "p-"), "subject %q", subject)
	})

	t.Run("the owner's connection test records a success", func(t *testing.T) {
		f := newSAMLFixture(t)
		form := f.MustSignInAtIdPFrom(t, f.owner, f.owner.User.Email, "/api/v1/auth/sso/"+f.org.ID+"/start?purpose=test")
		res := f.PostACS(t, f.owner, form)
		require.Equal(t, http.StatusSeeOther, res.StatusCode)
		assert.True(t, strings.HasPrefix(res.Header.Get("Location"), "/orgs/"+f.org.ID+"/settings/security?sso_test=ok"),
			"location %q", res.Header.Get("Location"))
		res2 := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.org.ID+"/security", nil)
		MustStatus(t, res2, http.StatusOK)
		var sec struct {
			Connection struct {
				LastSuccessAt *time.Time `json:"last_success_at"`
			}
		}
		res2.MustJSON(t, &sec)
		assert.NotNil(t, sec.Connection.LastSuccessAt, "enforcement may now be switched on")
	})

	t.Run("the IdP's metadata can be given by URL", func(t *testing.T) {
		f := newSAMLFixture(t)
		res := f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/security/sso",
			map[string]string{"protocol": "saml", "saml_metadata_url": f.idp.srv.URL + "/metadata"})
		MustStatus(t, res, http.StatusOK)
		b := f.srv.NewBrowser(t)
		f.MustBeSignedIn(t, b, f.PostACS(t, b, f.MustSignInAtIdP(t, b, uniqueEmail())))
	})

	t.Run("the service provider metadata names our entity ID, ACS and certificate", func(t *testing.T) {
		f := newSAMLFixture(t)
		res := f.owner.Do(http.MethodGet, "/api/v1/auth/sso/"+f.org.ID+"/saml/metadata", nil)
		MustStatus(t, res, http.StatusOK)
		var md saml.EntityDescriptor
		require.NoError(t, xml.Unmarshal(res.Body, &md))
		base := f.srv.URL + "/api/v1/auth/sso/" + f.org.ID + "/saml"
		assert.Equal(t, base+"/metadata", md.EntityID)
		require.Len(t, md.SPSSODescriptors, 1)
		require.NotEmpty(t, md.SPSSODescriptors[0].AssertionConsumerServices)
		assert.Equal(t, base+"/acs", md.SPSSODescriptors[0].AssertionConsumerServices[0].Location)
		assert.NotEmpty(t, md.SPSSODescriptors[0].KeyDescriptors)

		MustStatus(t, f.owner.Do(http.MethodGet, "/api/v1/auth/sso/00000000-0000-0000-0000-000000000000/saml/metadata", nil),
			http.StatusNotFound)
	})
}

func TestSAMLRefusals(t *testing.T) {
	f := newSAMLFixture(t)
	f.idp.plaintext.Store(true)
	other, otherCert := mustKeyPair(t, "Someone else")

	cases := []struct {
		name   string
		reason string
		edit   func(t *testing.T, doc *etree.Document)
	}{
		{"an unsigned response with an unsigned assertion", "unsigned_assertion", func(t *testing.T, doc *etree.Document) {
			removeSignature(assertionOf(t, doc))
			removeSignature(doc.Root())
		}},
		{"a signed response around an unsigned assertion (signed assertions are required)", "unsigned_assertion",
			func(t *testing.T, doc *etree.Document) {
				removeSignature(assertionOf(t, doc))
				resign(t, doc.Root(), f.idp.key, f.idp.cert)
			}},
		{"a response signed with another key", "invalid_signature", func(t *testing.T, doc *etree.Document) {
			resign(t, assertionOf(t, doc), other, otherCert)
			resign(t, doc.Root(), other, otherCert)
		}},
		{"an assertion edited after signing", "invalid_signature", func(t *testing.T, doc *etree.Document) {
			assertionOf(t, doc).FindElement(".//NameID").SetText("mallory@example.com")
			removeSignature(doc.Root())
		}},
		{"an assertion for another service provider", "audience_mismatch", func(t *testing.T, doc *etree.Document) {
			assertionOf(t, doc).FindElement(".//Audience").SetText("https://other-app.example.net/saml/metadata")
			f.idp.resignResponse(t, doc)
		}},
		{"an expired assertion", "expired", func(t *testing.T, doc *etree.Document) {
			past := time.Now().Add(-20 * time.Minute).UTC()
			a := assertionOf(t, doc)
			a.FindElement(".//Conditions").CreateAttr("NotBefore", past.Add(-time.Minute).Format(time.RFC3339))
			a.FindElement(".//Conditions").CreateAttr("NotOnOrAfter", past.Format(time.RFC3339))
			a.FindElement(".//SubjectConfirmationData").CreateAttr("NotOnOrAfter", past.Format(time.RFC3339))
			f.idp.resignResponse(t, doc)
		}},
		{"a response sent to another ACS", "destination_mismatch", func(t *testing.T, doc *etree.Document) {
			a := assertionOf(t, doc)
			a.FindElement(".//SubjectConfirmationData").CreateAttr("Recipient", "https://other-app.example.net/acs")
			doc.Root().CreateAttr("Destination", "https://other-app.example.net/acs")
			f.idp.resignResponse(t, doc)
		}},
		{"wrapping: an unsigned evil assertion before the signed one", "multiple_assertions", func(t *testing.T, doc *etree.Document) {
			removeSignature(doc.Root())
			signed := assertionOf(t, doc)
			evil := signed.Copy()
			removeSignature(evil)
			evil.CreateAttr("ID", "id-evil")
			evil.FindElement(".//NameID").SetText("mallory@example.com")
			doc.Root().InsertChildAt(signed.Index(), evil)
		}},
		{"wrapping: the signed assertion moved into Extensions, an evil one in its place", "multiple_assertions",
			func(t *testing.T, doc *etree.Document) {
				removeSignature(doc.Root())
				signed := assertionOf(t, doc)
				evil := signed.Copy()
				removeSignature(evil)
				evil.FindElement(".//NameID").SetText("mallory@example.com")
				at := signed.Index()
				doc.Root().RemoveChild(signed)
				ext := etree.NewElement("samlp:Extensions")
				ext.AddChild(signed)
				doc.Root().InsertChildAt(at, evil)
				doc.Root().InsertChildAt(doc.Root().SelectElement("Issuer").Index()+1, ext)
			}},
		{"wrapping: an evil assertion carrying the signed one inside its signature", "multiple_assertions",
			func(t *testing.T, doc *etree.Document) {
				removeSignature(doc.Root())
				signed := assertionOf(t, doc)
				evil := signed.Copy()
				evil.FindElement(".//NameID").SetText("mallory@example.com")
				object := etree.NewElement("ds:Object")
				object.CreateAttr("xmlns:ds", "http://www.w3.org/2000/09/xmldsig#")
				object.AddChild(signed.Copy())
				evil.SelectElement("Signature").AddChild(object)
				doc.Root().InsertChildAt(signed.Index(), evil)
				doc.Root().RemoveChild(signed)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := f.srv.NewBrowser(t)
			form := f.MustSignInAtIdP(t, b, uniqueEmail())
			doc := responseXML(t, form)
			tc.edit(t, doc)
			f.MustBeRefused(t, b, f.PostACS(t, b, withResponse(t, form, doc)), tc.reason)
		})
	}

	t.Run("a response that is not XML", func(t *testing.T) {
		b := f.srv.NewBrowser(t)
		form := f.MustSignInAtIdP(t, b, uniqueEmail())
		form.SAMLResponse = base64.StdEncoding.EncodeToString([]byte("<samlp:Response><<<"))
		f.MustBeRefused(t, b, f.PostACS(t, b, form), "malformed")
	})

	t.Run("a replayed response is refused", func(t *testing.T) {
		b := f.srv.NewBrowser(t)
		form := f.MustSignInAtIdP(t, b, uniqueEmail())
		f.MustBeSignedIn(t, b, f.PostACS(t, b, form))
		var used int
		require.NoError(t, f.srv.DB.Owner.Bun().NewRaw(`SELECT count(*) FROM sso_used_assertions WHERE organization_id = ? AND assertion_id = ?`,
			f.org.ID, assertionOf(t, responseXML(t, form)).SelectAttrValue("ID", "")).Scan(context.Background(), &used))
		assert.Equal(t, 1, used, "the accepted assertion's ID is remembered")

		attacker := f.srv.NewBrowser(t)
		f.MustBeRefused(t, attacker, f.PostACS(t, attacker, form), "") // its state is used up

		// With a fresh sign-in's state, the response answers another request.
		fresh := f.MustStartWithoutIdP(t, attacker)
		f.MustBeRefused(t, attacker, f.PostACS(t, attacker, idpForm{Action: form.Action, SAMLResponse: form.SAMLResponse,
			RelayState: fresh}), "request_mismatch")

		// Even were that request check fooled, the assertion ID is not accepted twice.
		fresh = f.MustStartWithoutIdP(t, attacker)
		inResponseTo := responseXML(t, form).Root().SelectAttrValue("InResponseTo", "")
		_, err := f.srv.DB.Owner.Bun().ExecContext(context.Background(),
			`UPDATE sso_login_states SET saml_request_id = ? WHERE sso_org_id = ?`, inResponseTo, f.org.ID)
		require.NoError(t, err)
		f.MustBeRefused(t, attacker, f.PostACS(t, attacker, idpForm{Action: form.Action, SAMLResponse: form.SAMLResponse,
			RelayState: fresh}), "replayed")
	})

	t.Run("a response posted to another organization's ACS is refused", func(t *testing.T) {
		b := f.srv.NewBrowser(t)
		form := f.MustSignInAtIdP(t, b, uniqueEmail())
		otherOrg := f.owner.MustCreateOrg(uniqueName("Other"))
		form.Action = f.srv.URL + "/api/v1/auth/sso/" + otherOrg.ID + "/saml/acs"
		f.MustBeRefused(t, b, f.PostACS(t, b, form), "")
	})
}

// MustStartWithoutIdP starts a sign-in in b without going on to the IdP and returns its state (RelayState).
func (f *samlFixture) MustStartWithoutIdP(t *testing.T, b *browser) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+"/api/v1/auth/sso/"+f.org.ID+"/start", nil)
	require.NoError(t, err)
	client := &http.Client{Jar: b.client.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	loc, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(loc.String(), f.idp.srv.URL+"/sso?"), "redirects to the IdP: %s", loc)
	require.NotEmpty(t, loc.Query().Get("SAMLRequest"))
	require.NotEmpty(t, loc.Query().Get("Signature"), "the AuthnRequest is signed")
	return loc.Query().Get("RelayState")
}

func TestSAMLMetadataValidation(t *testing.T) {
	f := newSAMLFixture(t)
	put := func(body map[string]string) *response {
		body["protocol"] = "saml"
		return f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.org.ID+"/security/sso", body)
	}
	idpMetadata := f.idp.MetadataXML()
	withoutSigningKey := regexp.MustCompile(`(?s)<KeyDescriptor.*?</KeyDescriptor>`).ReplaceAllString(idpMetadata, "")
	require.NotContains(t, withoutSigningKey, "X509Certificate")
	withoutSSO := regexp.MustCompile(`<SingleSignOnService[^>]*>(</SingleSignOnService>)?`).ReplaceAllString(idpMetadata, "")
	require.NotContains(t, withoutSSO, "SingleSignOnService")
	spMetadata := f.owner.Do(http.MethodGet, "/api/v1/auth/sso/"+f.org.ID+"/saml/metadata", nil).Body

	cases := []struct {
		name     string
		body     map[string]string
		location string
		says     string
	}{
		{"not XML", map[string]string{"saml_metadata_xml": "hello"}, "body.saml_metadata_xml", "not valid SAML metadata"},
		{"a service provider's metadata", map[string]string{"saml_metadata_xml": string(spMetadata)}, "body.saml_metadata_xml", "no identity provider"},
		{"no signing certificate", map[string]string{"saml_metadata_xml": withoutSigningKey}, "body.saml_metadata_xml", "no signing certificate"},
		{"no single sign-on URL", map[string]string{"saml_metadata_xml": withoutSSO}, "body.saml_metadata_xml", "single sign-on URL"},
		{"a URL that answers 404", map[string]string{"saml_metadata_url": f.idp.srv.URL + "/nothing-here"}, "body.saml_metadata_url", "HTTP 404"},
		{"a plain-http URL off this machine", map[string]string{"saml_metadata_url": "http://idp.example.com/metadata"}, "body.saml_metadata_url", "https URL"},
		{"a URL serving something else", map[string]string{"saml_metadata_url": f.srv.URL + "/api/v1/auth/providers"}, "body.saml_metadata_url", "not valid SAML metadata"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := MustProblem(t, put(tc.body), http.StatusUnprocessableEntity, "validation_failed")
			require.Equal(t, []string{tc.location}, p.Locations())
			assert.Contains(t, p.Errors[0].Message, tc.says)
		})
	}

	t.Run("in production a metadata URL inside our network is not fetched", func(t *testing.T) {
		prod := newSAMLFixture(t, func(d *api.Deps) { d.Config.Env = config.EnvProduction })
		res := prod.owner.Do(http.MethodPut, "/api/v1/orgs/"+prod.org.ID+"/security/sso",
			map[string]string{"protocol": "saml", "saml_metadata_url": prod.idp.srv.URL + "/metadata"})
		p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
		require.Equal(t, []string{"body.saml_metadata_url"}, p.Locations())
		assert.Contains(t, p.Errors[0].Message, "private or local network address")
	})
}
