package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// VerifyTokenLifetime is how long an email-verification link works.
const VerifyTokenLifetime = 7 * 24 * time.Hour

// SignVerifyToken makes the token in a verify-your-address link. It binds the user, the address and an
// expiry under the server secret, so it needs no table, and an address change voids older links.
func SignVerifyToken(secret, userID, email string, expires time.Time) string {
	payload := userID + "." + strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + verifyMAC(secret, payload, email)
}

// ParseVerifyToken checks a token against the user's current address and returns the user ID.
// Errors: EINVALID for a malformed, forged, expired or outdated token.
func ParseVerifyToken(secret, token string, now time.Time, emailOf func(userID string) (string, error)) (string, error) {
	bad := Errorf(EINVALID, "This verification link is invalid or has expired.")
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", bad
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.Unix() > exp {
		return "", bad
	}
	email, err := emailOf(parts[0])
	if err != nil {
		return "", bad
	}
	want := verifyMAC(secret, parts[0]+"."+parts[1], email)
	if !hmac.Equal([]byte(want), []byte(parts[2])) {
		return "", bad
	}
	return parts[0], nil
}

func verifyMAC(secret, payload, email string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("verify-email\x00" + payload + "\x00" + email))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
