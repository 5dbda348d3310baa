package domain

import (
	"regexp"
	"slices"
	"strings"
	"time"
	// Embeds the IANA time zone database so timezone validation never depends on the host's files.
	_ "time/tzdata"
)

// Session idle timeout bounds in minutes; 0 turns the timeout off.
const (
	MinSessionTimeoutMinutes = 5
	MaxSessionTimeoutMinutes = 43200 // 30 days
)

// OrganizationSettings are an organization's name, address and branding, and its security defaults.
type OrganizationSettings struct {
	OrganizationID string
	Name           string
	Slug           string
	// SenderName names the organization in client emails' From ("<sender name> via ClientFlow"); empty
	// means Name.
	SenderName string
	// LogoKey, LogoType and LogoHash are the uploaded logo in the file store (all empty for none); the
	// API serves it at a public URL built from the hash.
	LogoKey, LogoType, LogoHash string
	BrandColor                  string
	Timezone                    string
	Currency                    string
	// SessionTimeoutMinutes signs out members idle for longer than this; 0 means never.
	SessionTimeoutMinutes int
	UpdatedAt             time.Time
}

// OrganizationSettingsUpdate holds the fields a PATCH changes; nil means "leave as is".
type OrganizationSettingsUpdate struct {
	Name, Slug, SenderName, BrandColor, Timezone, Currency *string
	SessionTimeoutMinutes                                  *int
}

// Apply copies the set fields onto s, trimmed and in canonical case.
func (u OrganizationSettingsUpdate) Apply(s *OrganizationSettings) {
	set := func(dst *string, src *string, canon func(string) string) {
		if src != nil {
			*dst = canon(strings.TrimSpace(*src))
		}
	}
	keep := func(v string) string { return v }
	set(&s.Name, u.Name, keep)
	set(&s.Slug, u.Slug, keep)
	set(&s.SenderName, u.SenderName, keep)
	set(&s.BrandColor, u.BrandColor, strings.ToLower)
	set(&s.Timezone, u.Timezone, keep)
	set(&s.Currency, u.Currency, strings.ToUpper)
	if u.SessionTimeoutMinutes != nil {
		s.SessionTimeoutMinutes = *u.SessionTimeoutMinutes
	}
}

var (
	slugPattern  = regexp.MustCompile(`^[a-z0-9-]{3,48}$`)
	colorPattern = regexp.MustCompile(`^#[0-9a-f]{6}$`)
)

// Currencies are the ISO 4217 codes an organization can bill in.
var Currencies = []string{
	"AED", "ARS", "AUD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP", "EUR", "GBP", "HKD",
	"HUF", "IDR", "ILS", "INR", "JPY", "KES", "KRW", "MXN", "MYR", "NGN", "NOK", "NZD", "PHP", "PKR", "PLN",
	"RON", "SAR", "SEK", "SGD", "THB", "TRY", "TWD", "UAH", "USD", "VND", "ZAR",
}

// Validate checks settings before they are written; field names are the API's body paths.
func (s *OrganizationSettings) Validate() error {
	var fields []FieldError
	add := func(field, msg string) { fields = append(fields, FieldError{Field: field, Message: msg}) }
	if err := ValidateName("body.name", s.Name, 100); err != nil {
		add("body.name", "is required and at most 100 characters")
	}
	if !slugPattern.MatchString(s.Slug) {
		add("body.slug", "must be 3 to 48 lowercase letters, digits or hyphens")
	}
	if !ValidSenderName(s.SenderName) {
		add("body.sender_name", "must be at most 60 characters, without line breaks")
	}
	if !colorPattern.MatchString(s.BrandColor) {
		add("body.brand_color", "must be a hex colour like #4f46e5")
	}
	if !ValidTimezone(s.Timezone) {
		add("body.timezone", "must be an IANA time zone like Europe/Berlin")
	}
	if !slices.Contains(Currencies, s.Currency) {
		add("body.currency", "must be a supported ISO 4217 currency code")
	}
	if t := s.SessionTimeoutMinutes; t != 0 && (t < MinSessionTimeoutMinutes || t > MaxSessionTimeoutMinutes) {
		add("body.session_timeout_minutes", "must be 0 (off) or between 5 and 43200 minutes")
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The settings are invalid.", Fields: fields}
	}
	return nil
}

// ValidTimezone reports whether tz names an IANA zone; "Local" and "" are host-dependent, so refused.
func ValidTimezone(tz string) bool {
	if tz == "" || tz == "Local" {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}
