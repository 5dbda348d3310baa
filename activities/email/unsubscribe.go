package email

import (
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/unsubscribe"
)

// UnsubscribeURL is the unsubscribe_url of a notify_<type> email for t (see unsubscribe.URL).
func UnsubscribeURL(appURL, secret string, t unsubscribe.Target) string {
	return unsubscribe.URL(appURL, secret, t)
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
