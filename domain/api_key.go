package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"slices"
	"strings"
	"time"
)

// API key error codes: a bearer key that is not (or no longer) good answers 401 with one of these, so a
// script can tell "wrong key" from "key switched off" from "key ran out".
const (
	// EAPIKEYINVALID: no such key, or its creator is no longer an active member of its organization.
	EAPIKEYINVALID = "api_key_invalid"
	// EAPIKEYREVOKED: the key was revoked.
	EAPIKEYREVOKED = "api_key_revoked"
	// EAPIKEYEXPIRED: the key passed its expiry.
	EAPIKEYEXPIRED = "api_key_expired"
)

// API key statuses as the API shows them.
const (
	APIKeyActive  = "active"
	APIKeyExpired = "expired"
	APIKeyRevoked = "revoked"
)

// Key format: a recognisable prefix naming the environment (so a leaked key is easy to find in code and
// logs, and a test key is never mistaken for a live one), then base62 of 32 random bytes (256 bits).
const (
	APIKeyLivePrefix = "cf_live_"
	APIKeyTestPrefix = "cf_test_"
	// APIKeyShownPrefix is how many leading characters of a key the settings page keeps showing.
	APIKeyShownPrefix = 12
	apiKeyRandomBytes = 32
)

// APIKeyExpiries are the lifetimes a key can be created with; "never" is zero (no expiry).
var APIKeyExpiries = map[string]time.Duration{
	"30d":   30 * 24 * time.Hour,
	"90d":   90 * 24 * time.Hour,
	"365d":  365 * 24 * time.Hour,
	"never": 0,
}

// APIKey is an organization's API key as stored: never the key itself, only what identifies it to people.
type APIKey struct {
	ID             string
	OrganizationID string
	Name           string
	// Prefix is the key's first APIKeyShownPrefix characters, LastFour its last four.
	Prefix   string
	LastFour string
	// Scopes narrow the creator's permissions; nil means all of them (always at use time: creator's ∩ scopes).
	Scopes        []Permission
	CreatedBy     string
	CreatedByName string
	CreatedAt     time.Time
	ExpiresAt     *time.Time
	RevokedAt     *time.Time
	LastUsedAt    *time.Time
	LastUsedIP    string
}

// Status is the key's state at now: revoked wins over expired.
func (k *APIKey) Status(now time.Time) string {
	return APIKeyStatus(k.RevokedAt, k.ExpiresAt, now)
}

// APIKeyStatus is the status of a key revoked at revokedAt (nil: not revoked) expiring at expiresAt (nil:
// never) at now.
func APIKeyStatus(revokedAt, expiresAt *time.Time, now time.Time) string {
	switch {
	case revokedAt != nil:
		return APIKeyRevoked
	case expiresAt != nil && !now.Before(*expiresAt):
		return APIKeyExpired
	}
	return APIKeyActive
}

// APIKeyStatusError is the 401 a bearer request with a key in this status gets; nil for an active key.
func APIKeyStatusError(status string) error {
	switch status {
	case APIKeyRevoked:
		return Errorf(EAPIKEYREVOKED, "This API key was revoked.")
	case APIKeyExpired:
		return Errorf(EAPIKEYEXPIRED, "This API key has expired.")
	case APIKeyActive:
		return nil
	}
	return InvalidAPIKey()
}

// InvalidAPIKey is the answer for a key nobody issued (or whose creator left): the same words whatever the
// reason, so the answer tells a guesser nothing.
func InvalidAPIKey() *Error {
	return Errorf(EAPIKEYINVALID, "This API key is not valid.")
}

// base62 is the key alphabet: letters and digits only, so a key survives copy-paste, URLs and shells.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewAPIKey returns a fresh key: the environment prefix (live in production, test elsewhere) and base62 of
// 32 random bytes, left-padded to a fixed length so every key looks alike.
func NewAPIKey(live bool) (string, error) {
	raw := make([]byte, apiKeyRandomBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	n := new(big.Int).SetBytes(raw)
	// 62^43 > 2^256, so 43 digits hold any 32 bytes.
	digits := make([]byte, 43)
	base, mod := big.NewInt(62), new(big.Int)
	for i := len(digits) - 1; i >= 0; i-- {
		n.DivMod(n, base, mod)
		digits[i] = base62[mod.Int64()]
	}
	prefix := APIKeyTestPrefix
	if live {
		prefix = APIKeyLivePrefix
	}
	return prefix + string(digits), nil
}

// HashAPIKey is what the database stores and looks a key up by: SHA-256 of the whole key string. A plain
// hash suffices (unlike passwords) because the key carries 256 random bits.
func HashAPIKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// LooksLikeAPIKey reports whether s has our key shape, so anything else is refused before a database lookup.
func LooksLikeAPIKey(s string) bool {
	rest, ok := strings.CutPrefix(s, APIKeyLivePrefix)
	if !ok {
		rest, ok = strings.CutPrefix(s, APIKeyTestPrefix)
	}
	if !ok || len(rest) != 43 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if !strings.ContainsRune(base62, rune(rest[i])) {
			return false
		}
	}
	return true
}

// APIKeyScopesBeyond returns the scopes the creator does not hold (in catalogue order): a key can never
// carry more than its creator.
func APIKeyScopesBeyond(creator, scopes []Permission) []Permission {
	var extra []Permission
	for _, s := range scopes {
		if !slices.Contains(creator, s) && !slices.Contains(extra, s) {
			extra = append(extra, s)
		}
	}
	return InCatalogueOrder(extra)
}

// APIKeyPermissions is what a key may do: its creator's current permissions narrowed to its scopes (nil
// scopes: all of the creator's). A permission the creator lost is lost to the key at once.
func APIKeyPermissions(creator, scopes []Permission) []Permission {
	if scopes == nil {
		return slices.Clone(creator)
	}
	out := make([]Permission, 0, len(scopes))
	for _, p := range creator {
		if slices.Contains(scopes, p) {
			out = append(out, p)
		}
	}
	return out
}
