package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

// withGoogle makes p the deployment's Google (GOOGLE_ISSUER and its client).
func withGoogle(p *oidcIdP) option {
	return func(d *api.Deps) {
		d.Config.GoogleIssuer, d.Config.GoogleClientID, d.Config.GoogleClientSecret = p.Issuer(), p.ClientID, p.ClientSecret
	}
}

const googleStart = "/api/v1/auth/google/start"

// identitiesJSON is GET /api/v1/me/identities.
type identitiesJSON struct {
	Google *struct {
		Email    string `json:"email"`
		LinkedAt string `json:"linked_at"`
	} `json:"google"`
	GoogleAvailable bool `json:"google_available"`
	SSO             []struct {
		OrganizationID string `json:"organization_id"`
	} `json:"sso"`
}

func (b *browser) MustIdentities() identitiesJSON {
	b.t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/me/identities", nil)
	MustStatus(b.t, res, http.StatusOK)
	var out identitiesJSON
	res.MustJSON(b.t, &out)
	return out
}

// googleLinkOf returns the Google subject linked to userID, or "".
func googleLinkOf(t *testing.T, db *storetest.DB, userID string) string {
	t.Helper()
	var subs []string
	require.NoError(t, db.Owner.Bun().NewRaw(`SELECT subject FROM user_google_identities WHERE user_id = ?`, userID).
		Scan(context.Background(), &subs))
	if len(subs) == 0 {
		return ""
	}
	return subs[0]
}

func signInWithPassword(b *browser, email string) *response {
	return b.Do(http.MethodPost, "/api/v1/auth/sign-in", map[string]string{"email": email, "password": testPassword})
}

func TestGoogleSignIn(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	idp := MustRunIdP(t)
	srv := MustStart(t, db, withSSOTestLimits(), withGoogle(idp))

	t.Run("a_new_google_account_creates_a_linked_account_named_by_google", func(t *testing.T) {
		email := uniqueEmail()
		idp.QueuePerson("g-new", email, true)
		idp.Rewrite(func(c map[string]any) { c["name"] = "Grace Hopper" }, nil)
		defer idp.Rewrite(nil, nil)
		b := srv.NewBrowser(t)
		hops := b.MustSignInVia(googleStart+"?return_to=/projects", nil)
		assert.Equal(t, "/projects", hops.Final)
		var me meJSON
		b.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.Equal(t, email, me.User.Email)
		assert.Equal(t, "Grace Hopper", me.User.Name)
		assert.True(t, me.User.EmailVerified, "Google verified the address")
		assert.Equal(t, "g-new", googleLinkOf(t, db, me.User.ID))
		assert.Contains(t, srv.Workflows.Welcomed(), me.User.ID, "welcomed like a sign-up")
		ids := b.MustIdentities()
		require.NotNil(t, ids.Google)
		assert.Equal(t, email, ids.Google.Email)
		assert.True(t, ids.GoogleAvailable)

		t.Run("and_signs_in_to_it_again", func(t *testing.T) {
			idp.QueuePerson("g-new", email, true)
			again := srv.NewBrowser(t)
			assert.Equal(t, "/", again.MustSignInVia(googleStart, nil).Final)
			var me2 meJSON
			again.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me2)
			assert.Equal(t, me.User.ID, me2.User.ID)
		})
	})

	t.Run("a_new_account_from_an_unverified_google_address_is_not_verified", func(t *testing.T) {
		email := uniqueEmail()
		idp.QueuePerson("g-unverified-new", email, false)
		b := srv.NewBrowser(t)
		assert.Equal(t, "/", b.MustSignInVia(googleStart, nil).Final)
		var me meJSON
		b.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.False(t, me.User.EmailVerified)
	})

	t.Run("email_verified_sent_as_a_string_is_understood", func(t *testing.T) {
		idp.QueuePerson("g-string", uniqueEmail(), false)
		idp.Rewrite(func(c map[string]any) { c["email_verified"] = "true" }, nil)
		defer idp.Rewrite(nil, nil)
		b := srv.NewBrowser(t)
		assert.Equal(t, "/", b.MustSignInVia(googleStart, nil).Final)
		var me meJSON
		b.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.True(t, me.User.EmailVerified)
	})

	t.Run("an_unverified_google_address_of_an_existing_account_is_refused", func(t *testing.T) {
		owner := srv.MustSignUp(t, "Una")
		idp.QueuePerson("g-attacker", owner.User.Email, false)
		b := srv.NewBrowser(t)
		msg := MustBeRefused(t, b.MustSignInVia(googleStart, nil).Final, "/sign-in")
		assert.Contains(t, msg, "Sign in with your password, then link Google from your account page")
		b.MustBeSignedOut()
		assert.Empty(t, googleLinkOf(t, db, owner.User.ID))
	})

	t.Run("a_verified_google_address_signs_in_to_the_existing_account_and_links_it", func(t *testing.T) {
		owner := srv.MustSignUpAt(t, "Vic", uniqueEmail(), true)
		idp.QueuePerson("g-vic", owner.User.Email, true)
		b := srv.NewBrowser(t)
		assert.Equal(t, "/", b.MustSignInVia(googleStart, nil).Final)
		var me meJSON
		b.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.Equal(t, owner.User.ID, me.User.ID)
		assert.Equal(t, "g-vic", googleLinkOf(t, db, owner.User.ID))
		MustStatus(t, signInWithPassword(srv.NewBrowser(t), owner.User.Email), http.StatusOK)
		MustStatus(t, owner.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)
	})

	t.Run("an_account_registered_unverified_with_the_address_loses_its_password_and_sessions", func(t *testing.T) {
		// Someone registered the address first (never verified it); its owner then signs in with Google.
		squatter := srv.MustSignUp(t, "Squatter")
		idp.QueuePerson("g-real-owner", squatter.User.Email, true)
		b := srv.NewBrowser(t)
		assert.Equal(t, "/", b.MustSignInVia(googleStart, nil).Final)
		var me meJSON
		b.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.Equal(t, squatter.User.ID, me.User.ID)
		assert.True(t, me.User.EmailVerified)
		squatter.MustBeSignedOut()
		MustStatus(t, signInWithPassword(srv.NewBrowser(t), squatter.User.Email), http.StatusUnauthorized)
	})

	t.Run("a_refused_token_signs_nobody_in", func(t *testing.T) {
		idp.QueuePerson("g-late", uniqueEmail(), true)
		idp.Rewrite(func(c map[string]any) { c["aud"] = "someone-else" }, nil)
		defer idp.Rewrite(nil, nil)
		b := srv.NewBrowser(t)
		MustBeRefused(t, b.MustSignInVia(googleStart, nil).Final, "/sign-in")
		b.MustBeSignedOut()
	})

	t.Run("a_state_of_an_organization's_sso_is_refused_at_the_google_callback", func(t *testing.T) {
		org := MustConnectOrg(t, srv, idp, idp.ClientID)
		idp.QueuePerson("g-cross", "x@"+org.Domain, true)
		b := srv.NewBrowser(t)
		authorize := MustRedirect(t, b.Navigate(ssoStart(org.ID)))
		callback := MustRedirect(t, b.Navigate(authorize))
		cu, err := url.Parse(callback)
		require.NoError(t, err)
		swapped := srv.URL + "/api/v1/auth/google/callback?" + cu.RawQuery
		MustBeRefused(t, MustRedirect(t, b.Navigate(swapped)), "/sign-in")
		b.MustBeSignedOut()
	})
}

func TestGoogleLink(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	idp := MustRunIdP(t)
	srv := MustStart(t, db, withSSOTestLimits(), withGoogle(idp))

	t.Run("link_from_the_account_page_then_unlink", func(t *testing.T) {
		b := srv.MustSignUp(t, "Lena")
		assert.Nil(t, b.MustIdentities().Google)
		// Any Google address may be linked by its signed-in owner, verified or not.
		idp.QueuePerson("g-lena", "lena.personal@"+uniqueDomain(), false)
		assert.Equal(t, "/account?linked=google", b.MustSignInVia(googleStart+"?link=1", nil).Final)
		ids := b.MustIdentities()
		require.NotNil(t, ids.Google)
		assert.Contains(t, ids.Google.Email, "lena.personal@")
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/me", nil), http.StatusOK)

		idp.QueuePerson("g-lena", "lena.personal@example.org", false)
		other := srv.NewBrowser(t)
		assert.Equal(t, "/", other.MustSignInVia(googleStart, nil).Final, "the linked Google account signs in")
		var me meJSON
		other.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.Equal(t, b.User.ID, me.User.ID)

		MustStatus(t, b.Do(http.MethodDelete, "/api/v1/me/identities/google", nil), http.StatusNoContent)
		assert.Nil(t, b.MustIdentities().Google)
		MustProblem(t, b.Do(http.MethodDelete, "/api/v1/me/identities/google", nil), http.StatusNotFound, "not_found")
	})

	t.Run("a_google_account_linked_to_someone_else_is_refused", func(t *testing.T) {
		first := srv.MustSignUp(t, "First")
		idp.QueuePerson("g-shared", "shared@"+uniqueDomain(), true)
		require.Equal(t, "/account?linked=google", first.MustSignInVia(googleStart+"?link=1", nil).Final)

		second := srv.MustSignUp(t, "Second")
		idp.QueuePerson("g-shared", "shared@"+uniqueDomain(), true)
		msg := MustBeRefused(t, second.MustSignInVia(googleStart+"?link=1", nil).Final, "/account")
		assert.Contains(t, msg, "linked to another")
		assert.Empty(t, googleLinkOf(t, db, second.User.ID))
	})

	t.Run("linking_needs_a_signed_in_browser", func(t *testing.T) {
		b := srv.NewBrowser(t)
		MustBeRefused(t, MustRedirect(t, b.Navigate(googleStart+"?link=1")), "/sign-in")
	})

	t.Run("identities_need_a_session", func(t *testing.T) {
		MustStatus(t, srv.NewBrowser(t).Do(http.MethodGet, "/api/v1/me/identities", nil), http.StatusUnauthorized)
	})
}

func TestGoogleNotConfigured(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withSSOTestLimits())
	b := srv.MustSignUp(t, "Nora")
	assert.False(t, b.MustIdentities().GoogleAvailable)
	var providers struct{ Google bool }
	b.Do(http.MethodGet, "/api/v1/auth/providers", nil).MustJSON(t, &providers)
	assert.False(t, providers.Google)
	MustBeRefused(t, MustRedirect(t, b.Navigate(googleStart)), "/sign-in")
}
