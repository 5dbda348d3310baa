// Package unsubscribe signs and checks the links in notification emails that switch one notification type
// off for email without signing in.
package unsubscribe

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// ErrInvalid is returned for a token that was not signed with the secret or is malformed.
var ErrInvalid = errors.New("unsubscribe: invalid token")

// Target is what a token switches off: one type's email for one member of one organization.
type Target struct {
	OrganizationID string
	UserID         string
	Type           string
}

// domainSep keeps these MACs distinct from anything else signed with the same secret.
const domainSep = "clientflow-unsubscribe-v1\n"

// Token returns the signed token for t. It does not expire: an unsubscribe link in an old email must
// still work, and it can only ever switch one email type off for its own recipient.
func Token(secret []byte, t Target) string {
	payload := t.OrganizationID + "." + t.UserID + "." + t.Type
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(mac(secret, payload))
}

// Parse checks token against secret and returns its target.
func Parse(secret []byte, token string) (Target, error) {
	enc, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 400 {
		return Target{}, ErrInvalid
	}
	raw, err1 := base64.RawURLEncoding.DecodeString(enc)
	got, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(got, mac(secret, string(raw))) {
		return Target{}, ErrInvalid
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return Target{}, ErrInvalid
	}
	return Target{OrganizationID: parts[0], UserID: parts[1], Type: parts[2]}, nil
}

func mac(secret []byte, payload string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(domainSep + payload))
	return h.Sum(nil)
}
