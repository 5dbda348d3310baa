package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// auditIP and auditUA are where every audited request of these tests comes from.
const (
	auditIP = "203.0.113.77"
	auditUA = "AuditTest/1.0 (+custom agent)"
)

// auditFrom are the headers that make a request come from auditIP with auditUA through the trusted proxy.
var auditFrom = []header{{"X-Forwarded-For", auditIP}, {"User-Agent", auditUA}}

// auditRowJSON is one audit row as the API answers it.
type auditRowJSON struct {
	ID         string `json:"id"`
	Action     string `json:"action"`
	EntityType string `json:"entity_type"`
	EntityID   string `json:"entity_id"`
	Actor      *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"actor"`
	APIKeyID  *string        `json:"api_key_id"`
	IP        string         `json:"ip"`
	UserAgent string         `json:"user_agent"`
	RequestID string         `json:"request_id"`
	Metadata  map[string]any `json:"metadata"`
	CreatedAt time.Time      `json:"created_at"`
}

type auditPageJSON struct {
	Data       []auditRowJSON `json:"data"`
	NextCursor *string        `json:"next_cursor"`
}

// auditFixture is a verified owner of a fresh organization (on its Professional trial) on a server that
// trusts the loopback proxy, so X-Forwarded-For sets the client IP.
type auditFixture struct {
	srv   *testServer
	owner *browser
	orgID string
}

func mustAuditFixture(t *testing.T, db *storetest.DB, opts ...option) auditFixture {
	t.Helper()
	srv := MustStart(t, db, append([]option{withTrustedProxies(loopbackProxy4, loopbackProxy6), withAPILimit(10000)}, opts...)...)
	owner := srv.MustSignUp(t, "Audra Owner")
	mustVerify(t, db, owner)
	return auditFixture{srv: srv, owner: owner, orgID: owner.MustCreateOrg(uniqueName("Audit Agency")).ID}
}

func (f auditFixture) path(p string) string { return "/api/v1/orgs/" + f.orgID + p }

// mustMember adds a new person to the organization with role and returns them and their membership.
func (f auditFixture) mustMember(t *testing.T, role string) (*browser, memberJSON) {
	t.Helper()
	b := f.srv.MustSignUp(t, "Mel Member")
	mustJoin(t, f.srv.DB, f.orgID, b, role)
	return b, mustMemberOf(t, f.owner, f.orgID, b)
}

// mustAudit lists the organization's audit log as its owner with query q.
func (f auditFixture) mustAudit(t *testing.T, q url.Values) auditPageJSON {
	t.Helper()
	res := f.owner.Do(http.MethodGet, f.path("/audit-log?"+q.Encode()), nil)
	MustStatus(t, res, http.StatusOK)
	var page auditPageJSON
	res.MustJSON(t, &page)
	return page
}

// mustOneAuditRow asserts the organization's log holds exactly one row of action and returns it.
func (f auditFixture) mustOneAuditRow(t *testing.T, action string) auditRowJSON {
	t.Helper()
	rows := f.mustAudit(t, url.Values{"action": {action}}).Data
	require.Len(t, rows, 1, "rows of %s: %+v", action, rows)
	return rows[0]
}

func TestAuditLogRecordsEveryAction(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	// Each case does one action through the API (from auditIP with auditUA) and names the row it expects:
	// the actor is the owner unless actor returns someone else.
	type expect struct {
		entityType, entityID string
		actorID              string
		// noActor: no one is known to have acted (a refused sign-in).
		noActor bool
		check   func(t *testing.T, row auditRowJSON)
	}
	cases := []struct {
		action string
		do     func(t *testing.T, f auditFixture) expect
	}{
		{domain.AuditMemberInvited, func(t *testing.T, f auditFixture) expect {
			res := f.owner.Do(http.MethodPost, f.path("/invitations"), map[string]string{"email": uniqueEmail(), "role": "member"}, auditFrom...)
			MustStatus(t, res, http.StatusCreated)
			var inv invitationJSON
			res.MustJSON(t, &inv)
			return expect{entityType: "invitation", entityID: inv.ID}
		}},
		{domain.AuditMemberInvitationRevoked, func(t *testing.T, f auditFixture) expect {
			inv, _ := mustInvite(t, f.owner, f.orgID, uniqueEmail(), "member")
			MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/invitations/"+inv.ID), nil, auditFrom...), http.StatusNoContent)
			return expect{entityType: "invitation", entityID: inv.ID}
		}},
		{domain.AuditMemberInvitationResent, func(t *testing.T, f auditFixture) expect {
			inv, _ := mustInvite(t, f.owner, f.orgID, uniqueEmail(), "member")
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/invitations/"+inv.ID+"/resend"), nil, auditFrom...), http.StatusOK)
			return expect{entityType: "invitation", entityID: inv.ID}
		}},
		{domain.AuditMemberJoined, func(t *testing.T, f auditFixture) expect {
			addr := uniqueEmail()
			_, token := mustInvite(t, f.owner, f.orgID, addr, "member")
			joiner := signUpAs(t, f.srv, "Jo Joiner", addr)
			MustStatus(t, joiner.Do(http.MethodPost, "/api/v1/invitations/accept", map[string]string{"token": token}, auditFrom...), http.StatusOK)
			return expect{entityType: "member", entityID: joiner.User.ID, actorID: joiner.User.ID}
		}},
		{domain.AuditMemberRoleChanged, func(t *testing.T, f auditFixture) expect {
			b, m := f.mustMember(t, "member")
			MustStatus(t, f.owner.Do(http.MethodPut, f.path("/members/"+m.ID+"/role"), map[string]string{"role": "manager"}, auditFrom...), http.StatusOK)
			return expect{entityType: "member", entityID: b.User.ID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, map[string]any{"role": "member"}, row.Metadata["before"])
				assert.Equal(t, map[string]any{"role": "manager"}, row.Metadata["after"])
			}}
		}},
		{domain.AuditMemberSuspended, func(t *testing.T, f auditFixture) expect {
			b, m := f.mustMember(t, "member")
			MustStatus(t, f.owner.Do(http.MethodPut, f.path("/members/"+m.ID+"/status"), map[string]string{"status": "suspended"}, auditFrom...), http.StatusOK)
			return expect{entityType: "member", entityID: b.User.ID}
		}},
		{domain.AuditMemberReactivated, func(t *testing.T, f auditFixture) expect {
			b, m := f.mustMember(t, "member")
			MustStatus(t, f.owner.Do(http.MethodPut, f.path("/members/"+m.ID+"/status"), map[string]string{"status": "suspended"}), http.StatusOK)
			MustStatus(t, f.owner.Do(http.MethodPut, f.path("/members/"+m.ID+"/status"), map[string]string{"status": "active"}, auditFrom...), http.StatusOK)
			return expect{entityType: "member", entityID: b.User.ID}
		}},
		{domain.AuditMemberRemoved, func(t *testing.T, f auditFixture) expect {
			b, m := f.mustMember(t, "member")
			MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/members/"+m.ID), nil, auditFrom...), http.StatusNoContent)
			return expect{entityType: "member", entityID: b.User.ID}
		}},
		{domain.AuditMemberPermissionsChanged, func(t *testing.T, f auditFixture) expect {
			b, m := f.mustMember(t, "member")
			MustStatus(t, f.owner.Do(http.MethodPut, f.path("/members/"+m.ID+"/permissions"), map[string]any{
				"overrides": []map[string]any{{"permission": "clients.delete", "granted": true}}}, auditFrom...), http.StatusOK)
			return expect{entityType: "member", entityID: b.User.ID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, map[string]any{"overrides": []any{}}, row.Metadata["before"])
				assert.Equal(t, map[string]any{"overrides": []any{"+clients.delete"}}, row.Metadata["after"])
			}}
		}},
		{domain.AuditRolePermissionsChanged, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.owner.Do(http.MethodPut, f.path("/roles/member"), map[string]any{
				"permissions": []string{"projects.read", "tasks.read"}}, auditFrom...), http.StatusOK)
			return expect{entityType: "role", entityID: "member", check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, map[string]any{"permissions": []any{"projects.read", "tasks.read"}}, row.Metadata["after"])
				assert.NotEmpty(t, row.Metadata["before"].(map[string]any)["permissions"])
			}}
		}},
		{domain.AuditOrganizationSettingsChanged, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.owner.Do(http.MethodPatch, f.path("/settings"), map[string]any{"timezone": "Europe/Berlin"}, auditFrom...), http.StatusOK)
			return expect{entityType: "organization", entityID: f.orgID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, map[string]any{"timezone": "Europe/Berlin"}, row.Metadata["after"])
			}}
		}},
		{domain.AuditOrganizationBrandingChanged, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.owner.Do(http.MethodPatch, f.path("/settings"), map[string]any{"brand_color": "#123456"}, auditFrom...), http.StatusOK)
			return expect{entityType: "organization", entityID: f.orgID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, map[string]any{"brand_color": "#123456"}, row.Metadata["after"])
			}}
		}},
		{domain.AuditOwnershipTransferred, func(t *testing.T, f auditFixture) expect {
			b, m := f.mustMember(t, "admin")
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/transfer-ownership"), map[string]string{"member_id": m.ID}, auditFrom...), http.StatusNoContent)
			return expect{entityType: "organization", entityID: f.orgID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, b.User.ID, row.Metadata["after"].(map[string]any)["owner_id"])
			}}
		}},
		{domain.AuditBillingPlanChanged, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/billing/plan"), map[string]any{"plan_id": "starter"}, auditFrom...), http.StatusOK)
			return expect{entityType: "subscription", entityID: f.orgID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, "starter", row.Metadata["after"].(map[string]any)["plan_id"])
			}}
		}},
		{domain.AuditAPIKeyCreated, func(t *testing.T, f auditFixture) expect {
			res := f.owner.Do(http.MethodPost, f.path("/api-keys"), map[string]any{"name": "CI", "expires_in": "30d"}, auditFrom...)
			MustStatus(t, res, http.StatusCreated)
			var out struct {
				APIKey apiKeyJSON `json:"api_key"`
				Key    string     `json:"key"`
			}
			res.MustJSON(t, &out)
			return expect{entityType: "api_key", entityID: out.APIKey.ID, check: func(t *testing.T, row auditRowJSON) {
				raw, _ := json.Marshal(row.Metadata)
				assert.NotContains(t, string(raw), out.Key, "the key itself is never logged")
			}}
		}},
		{domain.AuditAPIKeyRevoked, func(t *testing.T, f auditFixture) expect {
			k, _ := mustCreateAPIKey(t, f.owner, f.orgID, map[string]any{"name": "CI", "expires_in": "30d"})
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/api-keys/"+k.ID+"/revoke"), nil, auditFrom...), http.StatusOK)
			return expect{entityType: "api_key", entityID: k.ID}
		}},
		{domain.AuditAPIKeyDeleted, func(t *testing.T, f auditFixture) expect {
			k, _ := mustCreateAPIKey(t, f.owner, f.orgID, map[string]any{"name": "CI", "expires_in": "30d"})
			MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/api-keys/"+k.ID), nil, auditFrom...), http.StatusNoContent)
			return expect{entityType: "api_key", entityID: k.ID}
		}},
		{domain.AuditWebhookEndpointCreated, func(t *testing.T, f auditFixture) expect {
			res := f.owner.Do(http.MethodPost, f.path("/webhooks"), map[string]any{"url": "https://hooks.example.com/in?token=s3cret",
				"events": []string{"project.created"}}, auditFrom...)
			MustStatus(t, res, http.StatusCreated)
			var e webhookCreatedJSON
			res.MustJSON(t, &e)
			return expect{entityType: "webhook_endpoint", entityID: e.Endpoint.ID, check: func(t *testing.T, row auditRowJSON) {
				raw, _ := json.Marshal(row.Metadata)
				assert.NotContains(t, string(raw), "s3cret", "a URL's query is left out")
				assert.NotContains(t, string(raw), e.Secret, "the signing secret is never logged")
			}}
		}},
		{domain.AuditWebhookEndpointUpdated, func(t *testing.T, f auditFixture) expect {
			e := f.mustWebhook(t)
			MustStatus(t, f.owner.Do(http.MethodPatch, f.path("/webhooks/"+e.Endpoint.ID), map[string]any{"description": "Zapier"}, auditFrom...), http.StatusOK)
			return expect{entityType: "webhook_endpoint", entityID: e.Endpoint.ID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, map[string]any{"description": "Zapier"}, row.Metadata["after"])
			}}
		}},
		{domain.AuditWebhookEndpointDeleted, func(t *testing.T, f auditFixture) expect {
			e := f.mustWebhook(t)
			MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/webhooks/"+e.Endpoint.ID), nil, auditFrom...), http.StatusNoContent)
			return expect{entityType: "webhook_endpoint", entityID: e.Endpoint.ID}
		}},
		{domain.AuditWebhookEndpointSecretRotated, func(t *testing.T, f auditFixture) expect {
			e := f.mustWebhook(t)
			res := f.owner.Do(http.MethodPost, f.path("/webhooks/"+e.Endpoint.ID+"/rotate-secret"), nil, auditFrom...)
			MustStatus(t, res, http.StatusOK)
			var rotated webhookCreatedJSON
			res.MustJSON(t, &rotated)
			return expect{entityType: "webhook_endpoint", entityID: e.Endpoint.ID, check: func(t *testing.T, row auditRowJSON) {
				raw, _ := json.Marshal(row.Metadata)
				assert.NotContains(t, string(raw), rotated.Secret)
				assert.NotContains(t, string(raw), e.Secret)
			}}
		}},
		{domain.AuditWebhookDeliveryReplayed, func(t *testing.T, f auditFixture) expect {
			e := f.mustWebhook(t)
			wf := webhookFixture{srv: f.srv, db: f.srv.DB, owner: f.owner, orgID: f.orgID}
			d := wf.mustInsertDelivery(t, e.Endpoint.ID, "", "project.created", domain.WebhookFailed, time.Now().Add(-time.Hour))
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/webhooks/"+e.Endpoint.ID+"/deliveries/"+d+"/replay"), nil, auditFrom...), http.StatusAccepted)
			return expect{entityType: "webhook_endpoint", entityID: e.Endpoint.ID}
		}},
		{domain.AuditWebhookDeliveriesReplayed, func(t *testing.T, f auditFixture) expect {
			e := f.mustWebhook(t)
			wf := webhookFixture{srv: f.srv, db: f.srv.DB, owner: f.owner, orgID: f.orgID}
			wf.mustInsertDelivery(t, e.Endpoint.ID, "", "project.created", domain.WebhookFailed, time.Now().Add(-time.Hour))
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/webhooks/"+e.Endpoint.ID+"/replay"),
				map[string]any{"status": "failed", "since": time.Now().Add(-2 * time.Hour)}, auditFrom...), http.StatusAccepted)
			return expect{entityType: "webhook_endpoint", entityID: e.Endpoint.ID, check: func(t *testing.T, row auditRowJSON) {
				assert.EqualValues(t, 1, row.Metadata["replayed"])
			}}
		}},
		{domain.AuditClientContactInvited, func(t *testing.T, f auditFixture) expect {
			c := f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Northwind"})
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/clients/"+c.ID+"/contacts"), map[string]string{"email": uniqueEmail()}, auditFrom...), http.StatusCreated)
			return expect{entityType: "client", entityID: c.ID}
		}},
		{domain.AuditClientContactInvitationRevoked, func(t *testing.T, f auditFixture) expect {
			c := f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Northwind"})
			res := f.owner.Do(http.MethodPost, f.path("/clients/"+c.ID+"/contacts"), map[string]string{"email": uniqueEmail()})
			MustStatus(t, res, http.StatusCreated)
			var inv struct {
				ID string `json:"id"`
			}
			res.MustJSON(t, &inv)
			MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/clients/"+c.ID+"/contacts/invitations/"+inv.ID), nil, auditFrom...),
				http.StatusNoContent)
			return expect{entityType: "client", entityID: c.ID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, inv.ID, row.Metadata["invitation_id"])
			}}
		}},
		{domain.AuditInvoiceSent, func(t *testing.T, f auditFixture) expect {
			inv := f.mustDraftInvoice(t)
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/invoices/"+inv+"/send"), nil, auditFrom...), http.StatusOK)
			return expect{entityType: "invoice", entityID: inv}
		}},
		{domain.AuditInvoiceVoided, func(t *testing.T, f auditFixture) expect {
			inv := f.mustDraftInvoice(t)
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/invoices/"+inv+"/send"), nil), http.StatusOK)
			MustStatus(t, f.owner.Do(http.MethodPost, f.path("/invoices/"+inv+"/void"), nil, auditFrom...), http.StatusOK)
			return expect{entityType: "invoice", entityID: inv, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, map[string]any{"status": "void"}, row.Metadata["after"])
			}}
		}},
		// The account's own events land in every organization of the user, with the user as entity.
		{domain.AuditSignedIn, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.srv.NewBrowser(t).signIn(f.owner.User.Email, testPassword, auditFrom...), http.StatusOK)
			return expect{entityType: "user", entityID: f.owner.User.ID}
		}},
		{domain.AuditSignInFailed, func(t *testing.T, f auditFixture) expect {
			res := f.srv.NewBrowser(t).signIn(f.owner.User.Email, "wrong-Password-42", auditFrom...)
			MustProblem(t, res, http.StatusUnauthorized, "unauthenticated")
			return expect{entityType: "user", entityID: f.owner.User.ID, noActor: true, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, "wrong_password", row.Metadata["reason"])
				raw, _ := json.Marshal(row)
				assert.NotContains(t, string(raw), "wrong-Password-42", "the typed password is never logged")
				assert.NotContains(t, string(raw), testPassword)
			}}
		}},
		{domain.AuditTwoFactorEnabled, func(t *testing.T, f auditFixture) expect {
			mustEnableTwoFactorFrom(t, f.owner, auditFrom...)
			return expect{entityType: "user", entityID: f.owner.User.ID}
		}},
		{domain.AuditTwoFactorDisabled, func(t *testing.T, f auditFixture) expect {
			_, codes := mustEnableTwoFactor(t, f.owner)
			MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/me/2fa/disable", map[string]string{"code": codes[0]}, auditFrom...),
				http.StatusNoContent)
			return expect{entityType: "user", entityID: f.owner.User.ID}
		}},
		{domain.AuditBackupCodesRegenerated, func(t *testing.T, f auditFixture) expect {
			_, codes := mustEnableTwoFactor(t, f.owner)
			MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/me/2fa/backup-codes", map[string]string{"code": codes[0]}, auditFrom...),
				http.StatusOK)
			return expect{entityType: "user", entityID: f.owner.User.ID}
		}},
		{domain.AuditPasswordChanged, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": testPassword,
				"new_password": "an entirely new passphrase"}, auditFrom...), http.StatusNoContent)
			return expect{entityType: "user", entityID: f.owner.User.ID, check: func(t *testing.T, row auditRowJSON) {
				raw, _ := json.Marshal(row)
				assert.NotContains(t, string(raw), "an entirely new passphrase")
			}}
		}},
		{domain.AuditPasswordReset, func(t *testing.T, f auditFixture) expect {
			anon := f.srv.NewBrowser(t)
			MustStatus(t, anon.Do(http.MethodPost, "/api/v1/auth/forgot-password", map[string]string{"email": f.owner.User.Email}), http.StatusAccepted)
			token := mustResetToken(t, f.srv.Workflows.Emails()[len(f.srv.Workflows.Emails())-1])
			MustStatus(t, anon.Do(http.MethodPost, "/api/v1/auth/reset-password", map[string]string{"token": token,
				"password": "a reset passphrase here"}, auditFrom...), http.StatusNoContent)
			// The reset signed every session out: the owner signs in again to read the log.
			MustStatus(t, f.owner.signIn(f.owner.User.Email, "a reset passphrase here"), http.StatusOK)
			return expect{entityType: "user", entityID: f.owner.User.ID}
		}},
		{domain.AuditSessionRevoked, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.srv.NewBrowser(t).signIn(f.owner.User.Email, testPassword), http.StatusOK)
			var other string
			for _, s := range mustSessions(t, f.owner) {
				if !s.Current {
					other = s.ID
				}
			}
			require.NotEmpty(t, other)
			MustStatus(t, f.owner.Do(http.MethodDelete, "/api/v1/me/sessions/"+other, nil, auditFrom...), http.StatusNoContent)
			return expect{entityType: "user", entityID: f.owner.User.ID, check: func(t *testing.T, row auditRowJSON) {
				assert.Equal(t, other, row.Metadata["session_id"])
			}}
		}},
		{domain.AuditSessionsRevokedAll, func(t *testing.T, f auditFixture) expect {
			MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/me/sessions/revoke-others", nil, auditFrom...), http.StatusNoContent)
			return expect{entityType: "user", entityID: f.owner.User.ID}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			f := mustAuditFixture(t, db)
			want := tc.do(t, f)
			row := f.mustOneAuditRow(t, tc.action)
			assert.Equal(t, tc.action, row.Action)
			assert.Equal(t, want.entityType, row.EntityType)
			assert.Equal(t, want.entityID, row.EntityID)
			actor := want.actorID
			if actor == "" {
				actor = f.owner.User.ID
			}
			if want.noActor {
				assert.Nil(t, row.Actor, "a refused sign-in names no actor: only its target")
			} else {
				require.NotNil(t, row.Actor, "actor")
				assert.Equal(t, actor, row.Actor.ID)
				assert.NotEmpty(t, row.Actor.Name)
			}
			assert.Equal(t, auditIP, row.IP)
			assert.Equal(t, auditUA, row.UserAgent)
			assert.Nil(t, row.APIKeyID)
			if want.check != nil {
				want.check(t, row)
			}
		})
	}

	t.Run("every_action_is_in_the_catalogue", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		res := f.owner.Do(http.MethodGet, f.path("/audit-log/actions"), nil)
		MustStatus(t, res, http.StatusOK)
		var cat struct {
			Actions     []string `json:"actions"`
			EntityTypes []string `json:"entity_types"`
		}
		res.MustJSON(t, &cat)
		for _, tc := range cases {
			assert.Contains(t, cat.Actions, tc.action)
		}
		assert.Contains(t, cat.EntityTypes, "webhook_endpoint")
	})

	t.Run("a_new_logo_is_a_branding_change", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		mustUploadLogo(t, f.owner, f.orgID, "logo.png", pngOf(t, 64, 64))
		row := f.mustOneAuditRow(t, domain.AuditOrganizationBrandingChanged)
		assert.Equal(t, "image/png", row.Metadata["after"].(map[string]any)["logo_type"])
		assert.Equal(t, "", row.Metadata["before"].(map[string]any)["logo_type"])
		assert.NotContains(t, row.Metadata["after"], "logo_key", "the storage key is not logged")
	})

	t.Run("a_deletion_request_is_recorded_with_the_mark", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		settings := f.owner.Do(http.MethodGet, f.path("/settings"), nil)
		var org struct {
			Name string `json:"name"`
		}
		settings.MustJSON(t, &org)
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path(""), map[string]any{"confirm_name": org.Name}, auditFrom...), http.StatusAccepted)
		// The organization is closed to its members now: read the row as the schema owner.
		var rows []struct {
			ActorID   string `bun:"actor_id"`
			IP        string `bun:"ip"`
			UserAgent string `bun:"user_agent"`
		}
		require.NoError(t, db.Owner.Bun().NewRaw(`SELECT actor_id::text, ip, user_agent FROM audit_logs
			WHERE organization_id = ? AND action = ?`, f.orgID, domain.AuditOrganizationDeletionStarted).Scan(context.Background(), &rows))
		require.Len(t, rows, 1)
		assert.Equal(t, f.owner.User.ID, rows[0].ActorID)
		assert.Equal(t, auditIP, rows[0].IP)
		assert.Equal(t, auditUA, rows[0].UserAgent)
	})

	t.Run("a_wrong_second_factor_is_a_failed_sign_in_and_the_right_one_a_sign_in", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		_, codes := mustEnableTwoFactor(t, f.owner)
		challenge := mustChallenge(t, f.srv, f.owner.User.Email)
		anon := f.srv.NewBrowser(t)
		MustProblem(t, anon.Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": challenge, "code": "000000"},
			auditFrom...), http.StatusUnprocessableEntity, "validation_failed")
		failed := f.mustOneAuditRow(t, domain.AuditSignInFailed)
		assert.Equal(t, "wrong_second_factor", failed.Metadata["reason"])
		assert.Equal(t, auditIP, failed.IP)
		assert.Empty(t, f.mustAudit(t, url.Values{"action": {domain.AuditSignedIn}}).Data, "a password alone opens no session")
		MustStatus(t, anon.Do(http.MethodPost, "/api/v1/auth/sign-in/2fa", map[string]string{"challenge": challenge, "code": codes[0]},
			auditFrom...), http.StatusOK)
		assert.Equal(t, true, f.mustOneAuditRow(t, domain.AuditSignedIn).Metadata["two_factor"])
	})

	t.Run("unknown_email_writes_nothing", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		MustProblem(t, f.srv.NewBrowser(t).signIn(uniqueEmail(), "whatever-it-is"), http.StatusUnauthorized, "unauthenticated")
		assert.Empty(t, f.mustAudit(t, url.Values{"action": {domain.AuditSignInFailed}}).Data)
	})

	t.Run("an_api_key_request_stamps_the_key", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		k, key := mustCreateAPIKey(t, f.owner, f.orgID, map[string]any{"name": "Automation", "expires_in": "30d"})
		res := bearer(f.srv, t, key, http.MethodPost, f.path("/invitations"), map[string]string{"email": uniqueEmail(), "role": "member"}, auditFrom...)
		MustStatus(t, res, http.StatusCreated)
		row := f.mustOneAuditRow(t, domain.AuditMemberInvited)
		require.NotNil(t, row.APIKeyID)
		assert.Equal(t, k.ID, *row.APIKeyID)
		require.NotNil(t, row.Actor)
		assert.Equal(t, f.owner.User.ID, row.Actor.ID, "a key acts as its creator")
		assert.Equal(t, auditIP, row.IP)
	})

	t.Run("a_refused_change_writes_nothing", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		MustProblem(t, f.owner.Do(http.MethodPut, f.path("/roles/member"), map[string]any{"permissions": []string{"no.such"}}),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Empty(t, f.mustAudit(t, url.Values{"action": {"role"}}).Data)
	})
}

// mustWebhook creates a webhook endpoint of f's organization.
func (f auditFixture) mustWebhook(t *testing.T) webhookCreatedJSON {
	t.Helper()
	return webhookFixture{srv: f.srv, db: f.srv.DB, owner: f.owner, orgID: f.orgID}.mustCreate(t, nil)
}

// mustDraftInvoice creates a one-line draft invoice to a new client with an email.
func (f auditFixture) mustDraftInvoice(t *testing.T) string {
	t.Helper()
	c := f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Billed", "email": "ap@billed.example"})
	res := f.owner.Do(http.MethodPost, f.path("/invoices"), map[string]any{"client_id": c.ID, "issue_date": "2026-02-01",
		"due_date": "2026-03-03", "lines": []map[string]any{{"description": "Design", "quantity_milli": 1000, "unit_price": 99900}}})
	MustStatus(t, res, http.StatusCreated)
	var inv struct {
		ID string `json:"id"`
	}
	res.MustJSON(t, &inv)
	return inv.ID
}

// mustEnableTwoFactorFrom turns two-factor sign-in on for b, the enabling request sent with headers h.
func mustEnableTwoFactorFrom(t *testing.T, b *browser, h ...header) {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/me/2fa/setup", nil)
	MustStatus(t, res, http.StatusOK)
	var setup struct {
		Secret string `json:"secret"`
	}
	res.MustJSON(t, &setup)
	MustStatus(t, b.Do(http.MethodPost, "/api/v1/me/2fa/enable", map[string]string{"code": totpNow(t, setup.Secret, 0)}, h...), http.StatusOK)
}

func TestAuditLogStripeBilling(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := mustAuditFixture(t, db, withStripe(mustStripeMock(t)))
	MustStatus(t, f.owner.Do(http.MethodPost, f.path("/billing/checkout"), map[string]any{"plan_id": "starter"}, auditFrom...), http.StatusOK)
	MustStatus(t, f.owner.Do(http.MethodPost, f.path("/billing/portal"), nil, auditFrom...), http.StatusOK)
	for _, action := range []string{domain.AuditBillingCheckoutStarted, domain.AuditBillingPortalOpened} {
		row := f.mustOneAuditRow(t, action)
		assert.Equal(t, "subscription", row.EntityType, action)
		assert.Equal(t, f.orgID, row.EntityID, action)
		require.NotNil(t, row.Actor, action)
		assert.Equal(t, f.owner.User.ID, row.Actor.ID, action)
		assert.Equal(t, auditIP, row.IP, action)
		assert.Equal(t, auditUA, row.UserAgent, action)
	}
	assert.Equal(t, "starter", f.mustOneAuditRow(t, domain.AuditBillingCheckoutStarted).Metadata["plan_id"])
}

func TestAuditLogAccess(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("managers_and_members_get_403_admins_read", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		for role, status := range map[string]int{"manager": http.StatusForbidden, "member": http.StatusForbidden,
			"admin": http.StatusOK} {
			b, _ := f.mustMember(t, role)
			for _, p := range []string{"/audit-log", "/audit-log/actions"} {
				res := b.Do(http.MethodGet, f.path(p), nil)
				if status == http.StatusForbidden {
					MustProblem(t, res, status, "forbidden")
				} else {
					MustStatus(t, res, status)
				}
			}
		}
	})

	t.Run("another_tenant_gets_404", func(t *testing.T) {
		t.Parallel()
		f := mustAuditFixture(t, db)
		other := f.srv.MustSignUp(t, "Outsider")
		other.MustCreateOrg(uniqueName("Other Agency"))
		MustProblem(t, other.Do(http.MethodGet, f.path("/audit-log"), nil), http.StatusNotFound, "not_found")
		MustProblem(t, other.Do(http.MethodGet, f.path("/audit-log/actions"), nil), http.StatusNotFound, "not_found")
	})
	t.Run("filters_naming_another_tenants_ids_find_nothing_of_it", func(t *testing.T) {
		t.Parallel()
		a := mustAuditFixture(t, db)
		b := mustAuditFixture(t, db)
		k, _ := mustCreateAPIKey(t, b.owner, b.orgID, map[string]any{"name": "B's key", "expires_in": "30d"})
		for _, q := range []url.Values{{"entity_id": {k.ID}}, {"actor_id": {b.owner.User.ID}}, {"q": {"B's key"}}} {
			assert.Empty(t, a.mustAudit(t, q).Data, "org A asking for %v", q)
		}
		assert.Len(t, b.mustAudit(t, url.Values{"entity_id": {k.ID}}).Data, 1, "org B's own log has the row")
	})
}

func TestAuditLogFilters(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := mustAuditFixture(t, db)
	admin, adminMember := f.mustMember(t, "admin")
	_, m := f.mustMember(t, "member")
	MustStatus(t, f.owner.Do(http.MethodPut, f.path("/members/"+m.ID+"/role"), map[string]string{"role": "manager"}), http.StatusOK)
	mustVerify(t, db, admin)
	MustStatus(t, admin.Do(http.MethodPost, f.path("/invitations"), map[string]string{"email": "findme@audit.example", "role": "member"}), http.StatusCreated)
	k, _ := mustCreateAPIKey(t, f.owner, f.orgID, map[string]any{"name": "Filter key", "expires_in": "30d"})
	actions := func(rows []auditRowJSON) []string {
		out := []string{}
		for _, r := range rows {
			out = append(out, r.Action)
		}
		return out
	}

	t.Run("action_prefix_and_exact", func(t *testing.T) {
		assert.ElementsMatch(t, []string{"member.role_changed", "member.invited"}, actions(f.mustAudit(t, url.Values{"action": {"member"}}).Data))
		assert.Equal(t, []string{"member.invited"}, actions(f.mustAudit(t, url.Values{"action": {"member.invited"}}).Data))
		assert.Empty(t, f.mustAudit(t, url.Values{"action": {"membe"}}).Data, "a prefix is a whole entity")
	})
	t.Run("actor", func(t *testing.T) {
		rows := f.mustAudit(t, url.Values{"actor_id": {admin.User.ID}}).Data
		assert.Equal(t, []string{"member.invited"}, actions(rows))
		assert.Equal(t, adminMember.UserID, rows[0].Actor.ID)
	})
	t.Run("entity", func(t *testing.T) {
		assert.Equal(t, []string{"api_key.created"}, actions(f.mustAudit(t, url.Values{"entity_type": {"api_key"}, "entity_id": {k.ID}}).Data))
	})
	t.Run("free_text", func(t *testing.T) {
		assert.Equal(t, []string{"member.invited"}, actions(f.mustAudit(t, url.Values{"q": {"FINDME@audit"}}).Data))
	})
	t.Run("date_range", func(t *testing.T) {
		now := time.Now().UTC()
		assert.Len(t, f.mustAudit(t, url.Values{"from": {now.Add(-time.Hour).Format(time.RFC3339)}}).Data, 3)
		assert.Empty(t, f.mustAudit(t, url.Values{"from": {now.Add(time.Hour).Format(time.RFC3339)}}).Data)
		assert.Empty(t, f.mustAudit(t, url.Values{"to": {now.Add(-time.Hour).Format(time.RFC3339)}}).Data)
		today := now.Format(time.DateOnly)
		assert.Len(t, f.mustAudit(t, url.Values{"from": {today}, "to": {today}}).Data, 3, "a day is the whole day")
	})
	t.Run("paging", func(t *testing.T) {
		first := f.mustAudit(t, url.Values{"limit": {"2"}})
		require.Len(t, first.Data, 2)
		require.NotNil(t, first.NextCursor)
		rest := f.mustAudit(t, url.Values{"limit": {"2"}, "cursor": {*first.NextCursor}})
		require.Len(t, rest.Data, 1)
		assert.Nil(t, rest.NextCursor)
		assert.Equal(t, "member.role_changed", rest.Data[0].Action, "newest first")
	})
	t.Run("bad_input_is_422_naming_the_field", func(t *testing.T) {
		for q, field := range map[string]string{
			"from=yesterday":                        "query.from",
			"to=2026-13-45":                         "query.to",
			"from=2026-12-08&to=2026-12-01":         "query.to",
			"actor_id=not-a-uuid":                   "query.actor_id",
			"action=DROP%20TABLE":                   "query.action",
			"entity_type=Api-Key":                   "query.entity_type",
			"limit=0":                               "query.limit",
			"limit=201":                             "query.limit",
			"cursor=%25%25%25":                      "query.cursor",
			"q=" + strings.Repeat("x", 201):         "query.q",
			"entity_id=" + strings.Repeat("x", 101): "query.entity_id",
		} {
			p := MustProblem(t, f.owner.Do(http.MethodGet, f.path("/audit-log?"+q), nil), http.StatusUnprocessableEntity, "validation_failed")
			assert.Contains(t, p.Locations(), field, q)
		}
	})
}
