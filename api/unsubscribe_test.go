package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
	"github.com/clientflow/clientflow/unsubscribe"
)

// emailPreference reads userID's explicit email choice for typ in orgID: "on", "off" or "" (none made).
func emailPreference(t *testing.T, db *storetest.DB, orgID, userID, typ string) string {
	t.Helper()
	var choices []bool
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT enabled FROM notification_preferences
		WHERE organization_id = ? AND user_id = ? AND type = ? AND channel = 'email'`, orgID, userID, typ).
		Scan(context.Background(), &choices))
	switch {
	case len(choices) == 0:
		return ""
	case choices[0]:
		return "on"
	}
	return "off"
}

// formPost is the header of an HTML form or an RFC 8058 one-click POST.
var formPost = header{"Content-Type", "application/x-www-form-urlencoded"}

func TestUnsubscribeLinkWorksWithoutSignIn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	owner := srv.MustSignUp(t, "Ada")
	org := owner.MustCreateOrg(uniqueName("Acme <Labs>"))
	// The link exactly as the fan-out puts it in an email (MustStart's AppURL and SESSION_SECRET).
	link := unsubscribe.URL(srv.URL, "test-session-secret",
		unsubscribe.Target{OrganizationID: org.ID, UserID: owner.User.ID, Type: domain.NotifyCommentAdded})
	u, err := url.Parse(link)
	require.NoError(t, err)
	path, token := u.Path+"?"+u.RawQuery, u.Query().Get("token")
	anon := srv.NewBrowser(t)

	t.Run("the_link_shows_what_it_switches_off_and_changes_nothing", func(t *testing.T) {
		res := anon.Do(http.MethodGet, path, nil)
		MustStatus(t, res, http.StatusOK)
		assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
		page := string(res.Body)
		assert.Contains(t, page, "Someone comments on a task I follow")
		assert.Contains(t, page, "Acme &lt;Labs&gt;", "the organization's name, escaped")
		assert.Contains(t, page, `<form method="post" action="/api/v1/unsubscribe">`)
		assert.Contains(t, page, `value="`+token+`"`)
		assert.Empty(t, emailPreference(t, db, org.ID, owner.User.ID, domain.NotifyCommentAdded),
			"a mail scanner following the link must not unsubscribe anyone")
	})

	t.Run("the_confirm_button_switches_that_type_off", func(t *testing.T) {
		res := anon.Do(http.MethodPost, "/api/v1/unsubscribe", "token="+url.QueryEscape(token), formPost)
		MustStatus(t, res, http.StatusOK)
		assert.Contains(t, string(res.Body), "You are unsubscribed")
		assert.Contains(t, string(res.Body), unsubscribe.PreferencesURL(srv.URL, org.ID))
		assert.Equal(t, "off", emailPreference(t, db, org.ID, owner.User.ID, domain.NotifyCommentAdded))
		assert.Empty(t, emailPreference(t, db, org.ID, owner.User.ID, domain.NotifyMentioned), "only that type")
	})

	t.Run("rfc_8058_one_click_post_to_the_link_and_again_is_harmless", func(t *testing.T) {
		_, err := db.Owner.Bun().NewRaw(`UPDATE notification_preferences SET enabled = true WHERE organization_id = ?`, org.ID).
			Exec(context.Background())
		require.NoError(t, err)
		for range 2 {
			res := srv.NewBrowser(t).Do(http.MethodPost, path, "List-Unsubscribe=One-Click", formPost, header{"Origin", ""})
			MustStatus(t, res, http.StatusOK)
		}
		assert.Equal(t, "off", emailPreference(t, db, org.ID, owner.User.ID, domain.NotifyCommentAdded))
	})

	t.Run("a_forged_or_broken_token_is_400_with_an_explanation", func(t *testing.T) {
		forged := unsubscribe.Token([]byte("another-secret"),
			unsubscribe.Target{OrganizationID: org.ID, UserID: owner.User.ID, Type: domain.NotifyMentioned})
		for _, bad := range []string{forged, token[:len(token)-3], "", "no-such-token", strings.Repeat("a.", 150)} {
			for _, res := range []*response{
				anon.Do(http.MethodGet, "/api/v1/unsubscribe?token="+url.QueryEscape(bad), nil),
				anon.Do(http.MethodPost, "/api/v1/unsubscribe?token="+url.QueryEscape(bad), "List-Unsubscribe=One-Click", formPost),
				anon.Do(http.MethodPost, "/api/v1/unsubscribe", "token="+url.QueryEscape(bad), formPost),
			} {
				MustStatus(t, res, http.StatusBadRequest)
				assert.Contains(t, string(res.Body), "This unsubscribe link is not valid", "%q", bad)
			}
		}
		assert.Empty(t, emailPreference(t, db, org.ID, owner.User.ID, domain.NotifyMentioned))
	})

	t.Run("a_security_notice_cannot_be_switched_off", func(t *testing.T) {
		// email.UnsubscribeURL never signs one (the email links the preferences page), but a token could be.
		locked := unsubscribe.Token([]byte("test-session-secret"),
			unsubscribe.Target{OrganizationID: org.ID, UserID: owner.User.ID, Type: domain.NotifyForcedLogout})
		res := anon.Do(http.MethodPost, "/api/v1/unsubscribe?token="+url.QueryEscape(locked), "List-Unsubscribe=One-Click", formPost)
		MustStatus(t, res, http.StatusUnprocessableEntity)
		assert.Contains(t, string(res.Body), "These emails cannot be switched off")
		assert.Empty(t, emailPreference(t, db, org.ID, owner.User.ID, domain.NotifyForcedLogout))
	})

	t.Run("a_deleted_organization_is_404", func(t *testing.T) {
		gone := unsubscribe.Token([]byte("test-session-secret"), unsubscribe.Target{
			OrganizationID: "0190a0b0-0000-7000-8000-000000000001", UserID: owner.User.ID, Type: domain.NotifyMentioned})
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			res := anon.Do(method, "/api/v1/unsubscribe?token="+url.QueryEscape(gone), nil)
			MustStatus(t, res, http.StatusNotFound)
			assert.Contains(t, string(res.Body), "Nothing to unsubscribe from")
		}
	})
}
