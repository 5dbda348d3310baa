package domain

import (
	"net/url"
	"time"
)

// ValidateTimezone checks an IANA time zone name such as "Europe/Paris".
func ValidateTimezone(field, tz string) error {
	if tz == "" || tz == "Local" || len(tz) > 64 {
		return Invalid(field, "must be an IANA time zone such as Europe/Paris")
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return Invalid(field, "must be an IANA time zone such as Europe/Paris")
	}
	return nil
}

// ValidateAvatarURL accepts an empty string (no avatar) or an absolute https URL.
func ValidateAvatarURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(raw) > 2048 {
		return Invalid(field, "must be an https URL")
	}
	return nil
}
