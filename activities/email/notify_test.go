package email_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities/email"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/unsubscribe"
)

// notifyData is what the fan-out hands a notify_<type> email, plus the items the sender adds.
func notifyData(items ...domain.EmailItem) map[string]any {
	return map[string]any{
		"AppURL": "https://app.test", "title": "Ada assigned you “Fix <login>”", "body": "Due Friday",
		"link": "https://app.test/orgs/o1/projects/p1/tasks/t1", "actor": "Ada Lovelace",
		"organization": "Acme & Co", "unsubscribe_url": "https://app.test/api/v1/unsubscribe?token=tok.sig",
		"items": items,
	}
}

func TestNotifyEmailsRenderOneNotification(t *testing.T) {
	for _, nt := range domain.NotificationTypes {
		t.Run(nt.Type, func(t *testing.T) {
			subject, html, text, err := email.Renderer{}.Render(domain.NotifyEmailTemplate(nt.Type), notifyData())
			require.NoError(t, err)
			assert.Equal(t, "Ada assigned you “Fix <login>”", subject)
			assert.Contains(t, html, "Fix &lt;login&gt;", "the title is escaped in html")
			assert.Contains(t, html, "Acme &amp; Co")
			assert.Contains(t, html, `href="https://app.test/orgs/o1/projects/p1/tasks/t1"`)
			assert.Contains(t, text, "Ada assigned you “Fix <login>”\n\nDue Friday\n\nAda Lovelace · Acme & Co")
			assert.Contains(t, text, "https://app.test/orgs/o1/projects/p1/tasks/t1")
			assert.NotContains(t, html+text, "updates in")
			unsub := "https://app.test/api/v1/unsubscribe?token=tok.sig"
			if domain.NotificationLocked(nt, domain.ChannelEmail) {
				assert.Contains(t, text, "Security notices cannot be switched off")
				assert.Contains(t, html, "Security notices cannot be switched off")
				assert.NotContains(t, text, "Unsubscribe")
			} else {
				assert.Contains(t, html, `href="`+unsub+`"`)
				assert.Contains(t, html, "Unsubscribe from them")
				assert.Regexp(t, `Don't want [a-z -]+ emails\? Unsubscribe from them, no sign-in needed:\n`+
					regexp.QuoteMeta(unsub), text)
			}
		})
	}
}

func TestNotifyEmailsListACoalescedDigest(t *testing.T) {
	items := []domain.EmailItem{
		{Title: "Ada moved “Fix login” to Done", Body: "", Link: "https://app.test/t1"},
		{Title: "Ada commented on “Fix login”", Body: "Looks <good>", Link: "https://app.test/t1#c1"},
		{Title: "Bob attached spec.pdf", Body: "spec.pdf", Link: "https://app.test/t1#files"},
	}
	subject, html, text, err := email.Renderer{}.Render(domain.NotifyEmailTemplate(domain.NotifyCommentAdded), notifyData(items...))
	require.NoError(t, err)
	assert.Equal(t, "3 updates in Acme & Co", subject)
	assert.Contains(t, html, "3 updates in Acme &amp; Co")
	assert.Equal(t, 3, strings.Count(html, "<li "), "one list entry per notification")
	assert.Contains(t, html, "Looks &lt;good&gt;")
	for _, it := range items {
		assert.Contains(t, html, `href="`+it.Link+`"`)
		assert.Contains(t, text, "- "+it.Title)
		assert.Contains(t, text, "  "+it.Link)
	}
	assert.Contains(t, text, "  Looks <good>")

	// One item is a single notification, not a list of one.
	subject, html, _, err = email.Renderer{}.Render(domain.NotifyEmailTemplate(domain.NotifyCommentAdded), notifyData(items[0]))
	require.NoError(t, err)
	assert.Equal(t, "Ada assigned you “Fix <login>”", subject)
	assert.NotContains(t, html, "<li ")
}

func TestUnsubscribeURL(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	target := unsubscribe.Target{OrganizationID: "o1", UserID: "u1", Type: domain.NotifyMentioned}
	raw := email.UnsubscribeURL("https://app.test/", secret, target)
	u, err := url.Parse(raw)
	require.NoError(t, err)
	assert.Equal(t, "https://app.test/api/v1/unsubscribe", u.Scheme+"://"+u.Host+u.Path)
	got, err := unsubscribe.Parse([]byte(secret), u.Query().Get("token"))
	require.NoError(t, err)
	assert.Equal(t, target, got)

	target.Type = domain.NotifyForcedLogout
	assert.Equal(t, "https://app.test/orgs/o1/notifications/preferences", email.UnsubscribeURL("https://app.test", secret, target),
		"a security notice cannot be switched off: its link is the preferences page")
}

func TestListUnsubscribeHeader(t *testing.T) {
	data := map[string]string{"unsubscribe_url": "https://app.test/api/v1/unsubscribe?token=a.b"}
	assert.Equal(t, data["unsubscribe_url"], email.ListUnsubscribe("notify_task_assigned", data))
	assert.Empty(t, email.ListUnsubscribe("notify_session_activity", data), "security notices cannot be switched off")
	assert.Empty(t, email.ListUnsubscribe(domain.EmailWelcome, data))

	p := newPeer(t, http.StatusOK, "application/json", `{"id":"re_1"}`)
	m := welcomeMessage()
	m.ListUnsubscribe = data["unsubscribe_url"]
	_, err := email.NewProvider(resendConfig(p.URL), nil, nil).Send(t.Context(), m)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"List-Unsubscribe":      "<https://app.test/api/v1/unsubscribe?token=a.b>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}, p.only(t).Body["headers"])

	for _, bad := range []string{"https://app.test/x\r\nBcc: eve@example.com", "javascript:alert(1)", "/relative", "https://a.test/>x"} {
		m.ListUnsubscribe = bad
		err := email.NewSender(email.NewProvider(resendConfig(p.URL), nil, nil), nil, nil).SendEmail(t.Context(), m)
		var perm *email.PermanentError
		assert.ErrorAs(t, err, &perm, "%q", bad)
	}
}
