package api

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"slices"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// newSPKeyPair makes the SAML service provider's signing key and its self-signed certificate (published in
// our metadata; IdPs pin the certificate, not a CA chain). It returns the key as PKCS#8 DER and the
// certificate as PEM.
func newSPKeyPair(orgID string) ([]byte, string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, "", err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "ClientFlow SAML SP " + orgID},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, "", err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, "", err
	}
	return pkcs8, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}

// resolver looks up TXT records for domain verification: DNS_RESOLVER (host:port) when set (tests run a
// local DNS server), else the system's.
func (s *Server) resolver() *net.Resolver {
	if s.cfg.DNSResolver == "" {
		return net.DefaultResolver
	}
	addr := s.cfg.DNSResolver
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}

// checkDomainTXT looks for the claim's TXT record. Errors: EINVALID saying what to publish.
func (s *Server) checkDomainTXT(ctx context.Context, d *domain.SSODomain) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	want := domain.SSODomainTXTValue(d.VerificationToken)
	txts, err := s.resolver().LookupTXT(ctx, domain.SSODomainTXTName(d.Domain))
	if err == nil && slices.Contains(txts, want) {
		return nil
	}
	return domain.Invalid("domain", "No TXT record "+domain.SSODomainTXTName(d.Domain)+" with the value "+want+
		" was found. DNS changes can take a while to appear; try again in a few minutes.")
}
