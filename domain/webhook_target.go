package domain

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"net/netip"
	"net/url"
	"strings"
)

// Address ranges outbound webhooks never reach, besides what netip classifies (loopback, private, link-local,
// multicast, unspecified): carrier-grade NAT, the IPv6 unique-local range that holds cloud metadata
// (fd00:ec2::254), the IPv4 "this network", benchmarking, reserved and broadcast blocks, NAT64 and 6to4 (which
// embed an IPv4 address of any kind), documentation prefixes, and the deprecated forms listed last.
var webhookForbidden = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("100::/64"),
	// Deprecated forms that embed or relay an IPv4 address: IPv4-compatible IPv6 (::a.b.c.d), site-local,
	// Teredo, and the 6to4 relay anycast block.
	netip.MustParsePrefix("::/96"),
	netip.MustParsePrefix("fec0::/10"),
	netip.MustParsePrefix("2001::/32"),
	netip.MustParsePrefix("192.88.99.0/24"),
}

// WebhookAddressAllowed reports whether a webhook delivery may connect to addr: a globally routable unicast
// address outside every forbidden range. IPv4-mapped IPv6 addresses are refused outright (a dialer would reach
// the IPv4 address they carry, which the rule for IPv6 would not have checked). allowLoopback (local
// development only, WEBHOOK_ALLOW_LOOPBACK) admits 127.0.0.0/8 and ::1 and nothing else.
func WebhookAddressAllowed(addr netip.Addr, allowLoopback bool) bool {
	addr = addr.WithZone("")
	if !addr.IsValid() || addr.Is4In6() {
		return false
	}
	if addr.IsLoopback() {
		return allowLoopback
	}
	if !addr.IsGlobalUnicast() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsMulticast() ||
		addr.IsUnspecified() {
		return false
	}
	for _, p := range webhookForbidden {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// ValidateWebhookURL checks an endpoint URL before it is saved: http or https, a host, no credentials, at most
// 2,048 characters, and, when the host is an IP literal, an allowed address. A host name is checked where it
// matters, when the delivery dials the addresses it resolves to. Errors: EINVALID on field "url".
func ValidateWebhookURL(raw string, allowLoopback bool) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return Invalid("url", "Enter a full URL, e.g. https://example.com/hooks/clientflow.")
	case len(raw) > 2048:
		return Invalid("url", "The URL is longer than 2,048 characters.")
	case u.Scheme != "https" && u.Scheme != "http":
		return Invalid("url", "The URL must start with https:// (or http://).")
	case !strings.HasPrefix(strings.TrimSpace(raw), u.Scheme+"://"):
		// url.Parse lower-cases the scheme; the stored URL keeps the writer's spelling, so ask for it plainly.
		return Invalid("url", "Write the URL's scheme in lower case: https:// (or http://).")
	case u.User != nil:
		return Invalid("url", "The URL must not carry a user name or password.")
	}
	host := strings.Trim(u.Hostname(), "[]")
	if addr, err := netip.ParseAddr(host); err == nil && !WebhookAddressAllowed(addr, allowLoopback) {
		return Invalid("url", "The URL points to a private, loopback or reserved address, which webhooks cannot reach.")
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); (h == "localhost" || strings.HasSuffix(h, ".localhost")) && !allowLoopback {
		return Invalid("url", "The URL points to this machine, which webhooks cannot reach.")
	}
	return nil
}

// webhookSecretCipher is AES-256-GCM under a key derived from SESSION_SECRET, so a database dump alone never
// reveals an endpoint's signing secret.
func webhookSecretCipher(sessionSecret string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, []byte(sessionSecret), nil, "clientflow webhook secret v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// SealWebhookSecret encrypts an endpoint's signing secret as nonce || ciphertext.
func SealWebhookSecret(sessionSecret string, secret []byte) ([]byte, error) {
	aead, err := webhookSecretCipher(sessionSecret)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, secret, nil), nil
}

// OpenWebhookSecret decrypts what SealWebhookSecret produced.
func OpenWebhookSecret(sessionSecret string, sealed []byte) ([]byte, error) {
	aead, err := webhookSecretCipher(sessionSecret)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("webhook secret: sealed value too short")
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
}
