package domain

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Password length bounds (OWASP: at least 8, allow long passphrases, cap to bound hashing cost).
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// User is a person who signs in. Users are global; what they can see comes from memberships.
type User struct {
	ID              string
	Name            string
	Email           string
	EmailVerifiedAt *time.Time
	PasswordHash    string
	// Timezone is an IANA zone name ("UTC" by default); AvatarURL is an https URL or empty.
	Timezone  string
	AvatarURL string
	// TOTPSecret is the sealed secret of enabled two-factor sign-in (nil when off); TOTPPendingSecret is
	// one being enrolled, not yet confirmed with a code.
	TOTPSecret        []byte
	TOTPPendingSecret []byte
	TOTPEnabledAt     *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// NormalizeEmail lower-cases and trims an address so lookups are case-insensitive.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidateEmail checks that s is a bare address (no display name).
func ValidateEmail(field, s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return Invalid(field, "must be a valid email address")
	}
	return nil
}

// ValidatePassword checks the length rules; it counts characters, not bytes.
func ValidatePassword(field, p string) error {
	n := utf8.RuneCountInString(p)
	if n < MinPasswordLen {
		return Invalid(field, "must be at least 8 characters")
	}
	if n > MaxPasswordLen {
		return Invalid(field, "must be at most 128 characters")
	}
	return nil
}

// ValidateName checks a required, trimmed display name of at most max characters.
func ValidateName(field, name string, max int) error {
	if strings.TrimSpace(name) == "" {
		return Invalid(field, "is required")
	}
	if utf8.RuneCountInString(name) > max {
		return Invalid(field, "is too long")
	}
	return nil
}
