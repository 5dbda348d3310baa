package unsubscribe

import (
	"net/url"
	"strings"

	"github.com/clientflow/clientflow/domain"
)

// Path is the API route an unsubscribe link opens: GET shows what it switches off and a confirm button,
// POST (the button, or a mail client's RFC 8058 one-click request) switches it off.
const Path = "/api/v1/unsubscribe"

// URL is the absolute link a notify_<type> email carries as unsubscribe_url (and as its List-Unsubscribe
// header): signed with secret (SESSION_SECRET), it switches t's email off without signing in. A type whose
// email cannot be switched off (security notices) gets the member's preferences page instead, which the
// template presents as such.
func URL(appURL, secret string, t Target) string {
	if nt, ok := domain.LookupNotificationType(t.Type); ok && domain.NotificationLocked(nt, domain.ChannelEmail) {
		return PreferencesURL(appURL, t.OrganizationID)
	}
	return strings.TrimSuffix(appURL, "/") + Path + "?token=" + url.QueryEscape(Token([]byte(secret), t))
}

// PreferencesURL is the SPA page where a member chooses their notifications in organization orgID.
func PreferencesURL(appURL, orgID string) string {
	return strings.TrimSuffix(appURL, "/") + "/orgs/" + orgID + "/notifications/preferences"
}
