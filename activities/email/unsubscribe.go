package email

import (
	"net/url"
	"strings"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/unsubscribe"
)

// UnsubscribePath is the API route an unsubscribe link opens: GET shows what it switches off and a
// confirm button, POST (the button, or a mail client's RFC 8058 one-click) switches it off.
const UnsubscribePath = "/api/v1/unsubscribe"

// UnsubscribeURL is the absolute link a notify_<type> email carries as unsubscribe_url (and, through the
// sender, as its List-Unsubscribe header): signed with secret (SESSION_SECRET), it switches t's email off
// without signing in. A type whose email cannot be switched off (security notices) gets the member's
// preferences page instead, which the template presents as such.
func UnsubscribeURL(appURL, secret string, t unsubscribe.Target) string {
	appURL = strings.TrimSuffix(appURL, "/")
	if nt, ok := domain.LookupNotificationType(t.Type); ok && domain.NotificationLocked(nt, domain.ChannelEmail) {
		return PreferencesURL(appURL, t.OrganizationID)
	}
	return appURL + UnsubscribePath + "?token=" + url.QueryEscape(unsubscribe.Token([]byte(secret), t))
}

// PreferencesURL is the SPA page where a member chooses their notifications in organization orgID.
func PreferencesURL(appURL, orgID string) string {
	return strings.TrimSuffix(appURL, "/") + "/orgs/" + orgID + "/notifications/preferences"
}

// ListUnsubscribe is the Message.ListUnsubscribe value for an email rendered from template with data: the
// unsubscribe link of a notify_<type> email whose type can be switched off, else "" (no header). A
// security notice's link is the preferences page, which a one-click POST could not use.
func ListUnsubscribe(template string, data map[string]string) string {
	nt, ok := domain.NotifyEmailType(template)
	if !ok || domain.NotificationLocked(nt, domain.ChannelEmail) {
		return ""
	}
	return data["unsubscribe_url"]
}
