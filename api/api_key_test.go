package api_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// apiKeyJSON is an API key as the API shows it.
type apiKeyJSON struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Prefix    string   `json:"prefix"`
	LastFour  string   `json:"last_four"`
	Scopes    []string `json:"scopes"`
	CreatedBy struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"created_by"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	LastUsedIP *string    `json:"last_used_ip"`
	Status     string     `json:"status"`
}

// mustCreateAPIKey creates a key in orgID and returns it with the full key.
func mustCreateAPIKey(t *testing.T, b *browser, orgID string, body map[string]any) (apiKeyJSON, string) {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/api-keys", body)
	MustStatus(t, res, http.StatusCreated)
	var out struct {
		APIKey apiKeyJSON `json:"api_key"`
		Key    string     `json:"key"`
	}
	res.MustJSON(t, &out)
	return out.APIKey, out.Key
}

// mustAPIKeys lists orgID's keys.
func mustAPIKeys(t *testing.T, b *browser, orgID string) ([]apiKeyJSON, *response) {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/api-keys", nil)
	MustStatus(t, res, http.StatusOK)
	var out struct{ Data []apiKeyJSON }
	res.MustJSON(t, &out)
	return out.Data, res
}

// bearer sends a request with an API key and no cookie, as a script would.
func bearer(srv *testServer, t *testing.T, key, method, path string, body any, headers ...header) *response {
	t.Helper()
	return srv.NewBrowser(t).Do(method, path, body, append([]header{{"Authorization", "Bearer " + key}}, headers...)...)
}

// exposureEmails are the api_key_exposed emails the server asked to send.
func exposureEmails(srv *testServer) []domain.EmailRequest {
	var out []domain.EmailRequest
	for _, e := range srv.Workflows.Emails() {
		if e.Template == domain.EmailAPIKeyExposed {
			out = append(out, e)
		}
	}
	return out
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("key_is_shown_once_and_only_its_sha256_is_stored", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))

		k, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "CI deploy", "expires_in": "30d"})

		assert.True(t, strings.HasPrefix(key, "cf_test_"), key)
		assert.Len(t, key, len("cf_test_")+43, "base62 of 32 random bytes")
		assert.Equal(t, key[:12], k.Prefix)
		assert.Equal(t, key[len(key)-4:], k.LastFour)
		assert.Equal(t, "active", k.Status)
		assert.Nil(t, k.Scopes, "no scopes: all of the creator's permissions")
		assert.Equal(t, owner.User.ID, k.CreatedBy.ID)
		require.NotNil(t, k.ExpiresAt)
		assert.WithinDuration(t, time.Now().Add(30*24*time.Hour), *k.ExpiresAt, time.Minute)

		list, res := mustAPIKeys(t, owner, org.ID)
		require.Len(t, list, 1)
		assert.Equal(t, k.ID, list[0].ID)
		assert.NotContains(t, string(res.Body), key[12:], "the list never shows the key again")

		var row struct {
			Hash []byte `bun:"key_hash"`
			Text string `bun:"row_text"`
		}
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT key_hash, row_to_json(k)::text AS row_text FROM api_keys k WHERE id = ?", k.ID).
			Scan(context.Background(), &row))
		sum := sha256.Sum256([]byte(key))
		assert.Equal(t, sum[:], row.Hash)
		assert.NotContains(t, row.Text, key[12:], "the key itself is stored nowhere in its row")
	})

	t.Run("bearer_key_works_on_its_organization_and_records_last_use", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Zapier", "expires_in": "never"})

		res := bearer(srv, t, key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "By key"})
		MustStatus(t, res, http.StatusCreated)
		MustStatus(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)

		list, _ := mustAPIKeys(t, owner, org.ID)
		require.Len(t, list, 1)
		require.NotNil(t, list[0].LastUsedAt, "last use recorded")
		require.NotNil(t, list[0].LastUsedIP)
		assert.Equal(t, "127.0.0.1", *list[0].LastUsedIP)
		assert.Nil(t, list[0].ExpiresAt, "never expires")
	})

	t.Run("key_of_another_organization_is_404_even_for_a_member_of_both", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		orgA, orgB := owner.MustCreateOrg(uniqueName("A")), owner.MustCreateOrg(uniqueName("B"))
		owner.MustCreateClient(orgB.ID, map[string]any{"name": "Victim of B"})
		_, keyA := mustCreateAPIKey(t, owner, orgA.ID, map[string]any{"name": "A only", "expires_in": "90d"})
		stranger := srv.MustSignUp(t, "Stranger")

		res := bearer(srv, t, keyA, http.MethodGet, "/api/v1/orgs/"+orgB.ID+"/clients", nil)

		got := MustProblem(t, res, http.StatusNotFound, "not_found")
		assert.NotContains(t, string(res.Body), "Victim")
		nonMember := MustProblem(t, stranger.Do(http.MethodGet, "/api/v1/orgs/"+orgB.ID+"/clients", nil), http.StatusNotFound, "not_found")
		assert.Equal(t, nonMember.Detail, got.Detail, "exactly what a non-member sees")
		MustProblem(t, bearer(srv, t, keyA, http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/clients", map[string]any{"name": "Planted"}),
			http.StatusNotFound, "not_found")
		assert.Equal(t, 1, MustCountClients(t, db, orgB.ID))
		MustStatus(t, bearer(srv, t, keyA, http.MethodGet, "/api/v1/orgs/"+orgA.ID+"/clients", nil), http.StatusOK)
	})

	t.Run("unknown_or_malformed_key_is_401_api_key_invalid", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Real", "expires_in": "30d"})
		forged := key[:len(key)-1] + map[bool]string{true: "b", false: "a"}[strings.HasSuffix(key, "a")]

		for _, k := range []string{forged, "cf_live_" + strings.Repeat("A", 43), "garbage", strings.Repeat("x", 5000)} {
			MustProblem(t, bearer(srv, t, k, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
				http.StatusUnauthorized, "api_key_invalid")
		}
		MustProblem(t, srv.NewBrowser(t).Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil,
			header{"Authorization", "Bearer "}), http.StatusUnauthorized, "api_key_invalid")
	})

	t.Run("unknown_keys_are_counted_against_the_ip", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Real", "expires_in": "30d"})
		path := "/api/v1/orgs/" + org.ID + "/clients"
		// Each made-up key would have a fresh budget of its own: the sign-in rate per IP bounds the guessing.
		for range 10 {
			made, err := domain.NewAPIKey(false)
			require.NoError(t, err)
			MustProblem(t, bearer(srv, t, made, http.MethodGet, path, nil), http.StatusUnauthorized, "api_key_invalid")
		}
		made, err := domain.NewAPIKey(false)
		require.NoError(t, err)
		res := bearer(srv, t, made, http.MethodGet, path, nil)
		MustProblem(t, res, http.StatusTooManyRequests, "rate_limited")
		assert.NotEmpty(t, res.Header.Get("Retry-After"))
		MustStatus(t, bearer(srv, t, key, http.MethodGet, path, nil), http.StatusOK)
	})

	t.Run("key_works_on_organization_routes_only", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Org only", "expires_in": "30d"})

		p := MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized, "unauthenticated")
		assert.Contains(t, p.Detail, "organization routes only")
		MustProblem(t, bearer(srv, t, key, http.MethodPost, "/api/v1/orgs", map[string]any{"name": "By key"}),
			http.StatusUnauthorized, "unauthenticated")
	})

	t.Run("scopes_limit_the_key", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		k, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Read clients", "expires_in": "30d",
			"scopes": []string{"clients.read"}})
		assert.Equal(t, []string{"clients.read"}, k.Scopes)

		MustStatus(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)
		p := MustProblem(t, bearer(srv, t, key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients",
			map[string]any{"name": "Not allowed"}), http.StatusForbidden, "forbidden")
		assert.Contains(t, p.Detail, "clients.write")
		MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/api-keys", nil), http.StatusForbidden, "forbidden")
		assert.Equal(t, 0, MustCountClients(t, db, org.ID))
	})

	t.Run("a_key_creating_a_key_passes_on_only_its_own_scopes", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Key maker", "expires_in": "30d",
			"scopes": []string{"api_keys.manage", "clients.read"}})

		res := bearer(srv, t, key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/api-keys", map[string]any{"name": "Child", "expires_in": "never"})
		MustStatus(t, res, http.StatusCreated)
		assert.Equal(t, "no-store", res.Header.Get("Cache-Control"), "no cache keeps the key")
		var out struct {
			APIKey apiKeyJSON `json:"api_key"`
			Key    string     `json:"key"`
		}
		res.MustJSON(t, &out)
		assert.ElementsMatch(t, []string{"api_keys.manage", "clients.read"}, out.APIKey.Scopes, "no scopes asked: the parent key's, not the owner's")
		MustProblem(t, bearer(srv, t, out.Key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients",
			map[string]any{"name": "Not allowed"}), http.StatusForbidden, "forbidden")
		MustProblem(t, bearer(srv, t, key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/api-keys",
			map[string]any{"name": "Wider", "expires_in": "never", "scopes": []string{"clients.write"}}), http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("key_loses_what_its_creator_loses", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		admin := srv.MustSignUp(t, "Admin")
		mustJoin(t, db, org.ID, admin, "admin")
		_, key := mustCreateAPIKey(t, admin, org.ID, map[string]any{"name": "Admin's", "expires_in": "30d"})
		MustStatus(t, bearer(srv, t, key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "Before"}),
			http.StatusCreated)
		member := mustMemberOf(t, owner, org.ID, admin)

		MustStatus(t, owner.Do(http.MethodPut, "/api/v1/orgs/"+org.ID+"/members/"+member.ID+"/permissions",
			map[string]any{"overrides": []map[string]any{{"permission": "clients.write", "granted": false}}}), http.StatusOK)

		MustProblem(t, bearer(srv, t, key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "After"}),
			http.StatusForbidden, "forbidden")

		// Removal revokes the member's keys, so rejoining does not bring them back.
		MustStatus(t, owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/members/"+member.ID, nil), http.StatusNoContent)
		MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
			http.StatusUnauthorized, "api_key_revoked")
		mustJoin(t, db, org.ID, admin, "admin")
		MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
			http.StatusUnauthorized, "api_key_revoked")
		list, _ := mustAPIKeys(t, owner, org.ID)
		require.Len(t, list, 1)
		assert.Equal(t, "revoked", list[0].Status)
	})

	t.Run("create_is_validated", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		admin := srv.MustSignUp(t, "Admin")
		mustJoin(t, db, org.ID, admin, "admin")
		base := "/api/v1/orgs/" + org.ID + "/api-keys"

		p := MustProblem(t, admin.Do(http.MethodPost, base, map[string]any{"name": "Too much", "expires_in": "30d",
			"scopes": []string{"clients.read", "billing.manage"}}), http.StatusUnprocessableEntity, "validation_failed")
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "body.scopes", p.Errors[0].Location)
		assert.Contains(t, p.Errors[0].Message, "billing.manage", "names what the creator lacks")
		assert.NotContains(t, p.Errors[0].Message, "clients.read")

		for name, body := range map[string]map[string]any{
			"unknown_scope":  {"name": "K", "expires_in": "30d", "scopes": []string{"clients.fly"}},
			"empty_scopes":   {"name": "K", "expires_in": "30d", "scopes": []string{}},
			"bad_expiry":     {"name": "K", "expires_in": "7d"},
			"no_expiry":      {"name": "K"},
			"blank_name":     {"name": "   ", "expires_in": "30d"},
			"long_name":      {"name": strings.Repeat("n", 101), "expires_in": "30d"},
			"control_in_key": {"name": "K\x00", "expires_in": "30d"},
		} {
			t.Run(name, func(t *testing.T) {
				res := admin.Do(http.MethodPost, base, body)
				assert.Equal(t, http.StatusUnprocessableEntity, res.Status, "body: %s", res.Body)
			})
		}
		list, _ := mustAPIKeys(t, owner, org.ID)
		assert.Empty(t, list)

		member := srv.MustSignUp(t, "Member")
		mustJoin(t, db, org.ID, member, "member")
		MustProblem(t, member.Do(http.MethodPost, base, map[string]any{"name": "K", "expires_in": "30d"}),
			http.StatusForbidden, "forbidden")
	})

	t.Run("expired_key_is_401_api_key_expired", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		k, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Short", "expires_in": "30d"})
		MustStatus(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)

		mustExec(t, db, "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ?", k.ID)

		MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
			http.StatusUnauthorized, "api_key_expired")
		list, _ := mustAPIKeys(t, owner, org.ID)
		require.Len(t, list, 1)
		assert.Equal(t, "expired", list[0].Status)
	})

	t.Run("revocation_takes_effect_on_the_next_request_and_delete_forgets_the_key", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		k, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Leaked", "expires_in": "30d"})
		MustStatus(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)

		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/api-keys/"+k.ID+"/revoke", nil)
		MustStatus(t, res, http.StatusOK)
		var revoked apiKeyJSON
		res.MustJSON(t, &revoked)
		assert.Equal(t, "revoked", revoked.Status)
		require.NotNil(t, revoked.RevokedAt)

		MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
			http.StatusUnauthorized, "api_key_revoked")
		res = owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/api-keys/"+k.ID+"/revoke", nil)
		MustStatus(t, res, http.StatusOK)
		var again apiKeyJSON
		res.MustJSON(t, &again)
		assert.Equal(t, revoked.RevokedAt.UTC(), again.RevokedAt.UTC(), "revoking twice keeps the first revocation")

		MustStatus(t, owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/api-keys/"+k.ID, nil), http.StatusNoContent)
		MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
			http.StatusUnauthorized, "api_key_invalid")
		MustProblem(t, owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/api-keys/"+k.ID, nil), http.StatusNotFound, "not_found")
		list, _ := mustAPIKeys(t, owner, org.ID)
		assert.Empty(t, list)
	})

	t.Run("rate_limit_is_per_key", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db, withAPILimit(5))
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key1 := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Busy", "expires_in": "30d"})
		_, key2 := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Quiet", "expires_in": "30d"})
		path := "/api/v1/orgs/" + org.ID + "/clients"

		for range 5 {
			MustStatus(t, bearer(srv, t, key1, http.MethodGet, path, nil), http.StatusOK)
		}
		res := bearer(srv, t, key1, http.MethodGet, path, nil)
		MustProblem(t, res, http.StatusTooManyRequests, "rate_limited")
		assert.NotEmpty(t, res.Header.Get("Retry-After"))

		MustStatus(t, bearer(srv, t, key2, http.MethodGet, path, nil), http.StatusOK)
		MustStatus(t, owner.Do(http.MethodGet, path, nil), http.StatusOK)
	})

	t.Run("bearer_request_with_a_foreign_origin_is_not_refused", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Server side", "expires_in": "30d"})
		evil := []header{{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "cross-site"}}

		MustStatus(t, bearer(srv, t, key, http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients",
			map[string]any{"name": "From a script"}, evil...), http.StatusCreated)
		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "CSRF"}, evil...),
			http.StatusForbidden, "forbidden")
	})

	t.Run("starter_plan_refuses_keys_with_402", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		_, key := mustCreateAPIKey(t, owner, org.ID, map[string]any{"name": "Before downgrade", "expires_in": "30d"})

		setPlan(t, owner, org.ID, "starter")

		for _, res := range []*response{
			owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/api-keys", map[string]any{"name": "K", "expires_in": "30d"}),
			bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
		} {
			MustProblem(t, res, http.StatusPaymentRequired, "plan_feature_unavailable")
			var p featureProblemJSON
			res.MustJSON(t, &p)
			assert.Equal(t, "api_access", p.Feature)
			assert.Equal(t, "professional", p.Plan)
		}

		setPlan(t, owner, org.ID, "professional")
		MustStatus(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil), http.StatusOK)
	})

	t.Run("revoked_key_used_again_emails_creator_and_owners_once_a_day", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Keys"))
		admin := srv.MustSignUp(t, "Admin")
		mustJoin(t, db, org.ID, admin, "admin")
		k, key := mustCreateAPIKey(t, admin, org.ID, map[string]any{"name": "Pasted in a gist", "expires_in": "never"})
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/api-keys/"+k.ID+"/revoke", nil), http.StatusOK)
		use := func() {
			t.Helper()
			MustProblem(t, bearer(srv, t, key, http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients", nil),
				http.StatusUnauthorized, "api_key_revoked")
		}

		for range 3 {
			use()
		}
		require.Eventually(t, func() bool { return len(exposureEmails(srv)) >= 2 }, 5*time.Second, 20*time.Millisecond)
		use()
		time.Sleep(300 * time.Millisecond)

		mails := exposureEmails(srv)
		require.Len(t, mails, 2, "one notice per recipient and day, however often the key is tried")
		day := time.Now().UTC().Format(time.DateOnly)
		to := map[string]string{}
		for _, m := range mails {
			assert.NoError(t, m.Validate())
			to[m.To] = m.Key
			assert.Equal(t, "Pasted in a gist", m.Data["KeyName"])
			assert.Equal(t, k.Prefix+"…"+k.LastFour, m.Data["KeyHint"])
			assert.Equal(t, srv.URL+"/orgs/"+org.ID+"/api-keys", m.Data["KeysURL"])
			assert.NotContains(t, m.Data, "Key", "the key itself is never emailed")
		}
		assert.Equal(t, "api-key-exposed/"+k.ID+"/"+day+"/"+admin.User.ID, to[admin.User.Email], "the creator")
		assert.Equal(t, "api-key-exposed/"+k.ID+"/"+day+"/"+owner.User.ID, to[owner.User.Email], "the owner")
		var queued int
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM workflow_starts WHERE business_key LIKE ?",
			"api-key-exposed/"+k.ID+"/%").Scan(context.Background(), &queued))
		assert.Equal(t, 2, queued, "queued in the workflow outbox, so a Temporal outage delays the notice but never loses it")

		mustExec(t, db, "UPDATE api_keys SET exposure_notified_on = exposure_notified_on - 1 WHERE id = ?", k.ID)
		use()
		require.Eventually(t, func() bool { return len(exposureEmails(srv)) == 4 }, 5*time.Second, 20*time.Millisecond,
			"the next day's use tells them again")
	})
}
