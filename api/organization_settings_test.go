package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// settingsJSON is the settings body as a client decodes it.
type settingsJSON struct {
	Name                  string `json:"name"`
	Slug                  string `json:"slug"`
	SenderName            string `json:"sender_name"`
	LogoURL               string `json:"logo_url"`
	BrandColor            string `json:"brand_color"`
	Timezone              string `json:"timezone"`
	Currency              string `json:"currency"`
	SessionTimeoutMinutes int    `json:"session_timeout_minutes"`
}

func TestOrganizationSettings(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("any_member_reads_the_defaults", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner, member := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Member")
		org := owner.MustCreateOrg(uniqueName("Defaults"))
		// Staff of any role; client contacts read the branding instead (TestBranding).
		mustJoin(t, db, org.ID, member, "member")

		res := member.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/settings", nil)

		MustStatus(t, res, http.StatusOK)
		var got settingsJSON
		res.MustJSON(t, &got)
		assert.Equal(t, settingsJSON{Name: org.Name, Slug: org.Slug, BrandColor: "#4f46e5", Timezone: "UTC",
			Currency: "USD"}, got)
	})

	t.Run("owner_changes_every_field_and_the_organization_name_follows", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Before"))
		slug := "after-" + strings.ToLower(uniqueName("x")[2:])
		want := settingsJSON{Name: "After Agency", Slug: slug, SenderName: "After Studio",
			BrandColor: "#0a7f3f", Timezone: "Europe/Berlin", Currency: "EUR", SessionTimeoutMinutes: 30}

		res := owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings", map[string]any{
			"name": " After Agency ", "slug": slug, "sender_name": " After Studio ", "brand_color": "#0A7F3F",
			"timezone": "Europe/Berlin", "currency": "eur", "session_timeout_minutes": 30})

		MustStatus(t, res, http.StatusOK)
		var got settingsJSON
		res.MustJSON(t, &got)
		assert.Equal(t, want, got, "trimmed, colour lower-cased, currency upper-cased")
		res = owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/settings", nil)
		res.MustJSON(t, &got)
		assert.Equal(t, want, got, "stored")
		var o orgJSON
		owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil).MustJSON(t, &o)
		assert.Equal(t, "After Agency", o.Name)
		assert.Equal(t, slug, o.Slug)
	})

	t.Run("a_patch_leaves_unnamed_fields_alone_and_clears_the_sender_name_with_empty", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Partial"))
		path := "/api/v1/orgs/" + org.ID + "/settings"
		MustStatus(t, owner.Do(http.MethodPatch, path, map[string]any{"sender_name": "Partial Studio", "currency": "GBP"}), http.StatusOK)

		res := owner.Do(http.MethodPatch, path, map[string]any{"sender_name": ""})

		MustStatus(t, res, http.StatusOK)
		var got settingsJSON
		res.MustJSON(t, &got)
		assert.Equal(t, "", got.SenderName)
		assert.Equal(t, "GBP", got.Currency)
		assert.Equal(t, org.Name, got.Name)
	})

	// Downgrade keeps the brand but stops changing it: brand_color and sender_name need custom_branding,
	// the rest of the settings do not, and sending the stored values back is no change.
	t.Run("without_custom_branding_the_brand_cannot_change", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Starter"))
		path := "/api/v1/orgs/" + org.ID + "/settings"
		MustStatus(t, owner.Do(http.MethodPatch, path, map[string]any{"brand_color": "#0a7f3f", "sender_name": "Kept"}), http.StatusOK)
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)

		for _, body := range []map[string]any{{"brand_color": "#000000"}, {"sender_name": "Changed"}, {"name": "Renamed", "brand_color": "#111111"}} {
			before := MustSnapshotOrg(t, db, org.ID)
			res := owner.Do(http.MethodPatch, path, body)
			MustProblem(t, res, http.StatusPaymentRequired, "plan_feature_unavailable")
			var p struct{ Feature, Plan string }
			res.MustJSON(t, &p)
			assert.Equal(t, "custom_branding", p.Feature)
			assert.Equal(t, "professional", p.Plan)
			assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID), "nothing is written")
		}
		res := owner.Do(http.MethodPatch, path, map[string]any{"name": "Renamed", "brand_color": "#0A7F3F", "sender_name": "Kept"})
		MustStatus(t, res, http.StatusOK)
		var got settingsJSON
		res.MustJSON(t, &got)
		assert.Equal(t, "Renamed", got.Name)
		assert.Equal(t, "#0a7f3f", got.BrandColor, "the stored brand is kept")

		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "professional"}), http.StatusOK)
		MustStatus(t, owner.Do(http.MethodPatch, path, map[string]any{"brand_color": "#000000"}), http.StatusOK)
	})

	t.Run("only_settings_manage_may_change_them", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Guarded"))
		for _, role := range []string{"manager", "member", "client"} {
			b := MustStart(t, db).MustSignUp(t, "A "+role)
			mustJoin(t, db, org.ID, b, role)
			before := MustSnapshotOrg(t, db, org.ID)
			MustProblem(t, b.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings", map[string]any{"brand_color": "#000000"}),
				http.StatusForbidden, "forbidden")
			assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID), role)
		}
		admin := MustStart(t, db).MustSignUp(t, "Admin")
		mustJoin(t, db, org.ID, admin, "admin")
		MustStatus(t, admin.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/settings", map[string]any{"brand_color": "#000000"}),
			http.StatusOK)
	})

	t.Run("bad_input_is_refused_and_nothing_is_written", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Owner")
		org := owner.MustCreateOrg(uniqueName("Strict"))
		other := owner.MustCreateOrg(uniqueName("Other"))
		path := "/api/v1/orgs/" + org.ID + "/settings"
		for _, tc := range []struct {
			name     string
			body     map[string]any
			status   int
			location string
		}{
			{"colour_name", map[string]any{"brand_color": "red"}, 422, "body.brand_color"},
			{"colour_not_hex", map[string]any{"brand_color": "#12345g"}, 422, "body.brand_color"},
			{"colour_short_form", map[string]any{"brand_color": "#fff"}, 422, "body.brand_color"},
			{"unknown_timezone", map[string]any{"timezone": "Mars/Olympus_Mons"}, 422, "body.timezone"},
			{"host_local_timezone", map[string]any{"timezone": "Local"}, 422, "body.timezone"},
			{"empty_timezone", map[string]any{"timezone": ""}, 422, "body.timezone"},
			{"unknown_currency", map[string]any{"currency": "XYZ"}, 422, "body.currency"},
			{"currency_too_long", map[string]any{"currency": "EURO"}, 422, "body.currency"},
			{"timeout_too_short", map[string]any{"session_timeout_minutes": 4}, 422, "body.session_timeout_minutes"},
			{"timeout_too_long", map[string]any{"session_timeout_minutes": 43201}, 422, "body.session_timeout_minutes"},
			{"timeout_negative", map[string]any{"session_timeout_minutes": -1}, 422, "body.session_timeout_minutes"},
			{"slug_too_short", map[string]any{"slug": "ab"}, 422, "body.slug"},
			{"slug_uppercase", map[string]any{"slug": "Acme"}, 422, "body.slug"},
			{"slug_with_space", map[string]any{"slug": "acme co"}, 422, "body.slug"},
			{"slug_of_another_organization", map[string]any{"slug": other.Slug}, 409, "body.slug"},
			{"logo_url_is_read_only", map[string]any{"logo_url": "https://cdn.example.com/logo.png"}, 422, "body.logo_url"},
			{"logo_javascript", map[string]any{"logo_url": "javascript:alert(1)"}, 422, "body.logo_url"},
			{"sender_name_too_long", map[string]any{"sender_name": strings.Repeat("é", 61)}, 422, "body.sender_name"},
			{"sender_name_with_line_break", map[string]any{"sender_name": "Acme\r\nBcc: x@example.com"}, 422, "body.sender_name"},
			{"blank_name", map[string]any{"name": "   "}, 422, "body.name"},
			{"unknown_field", map[string]any{"status": "deleting"}, 422, "body.status"},
			{"valid_fields_with_one_bad_one", map[string]any{"name": "Changed", "brand_color": "blue"}, 422, "body.brand_color"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := MustSnapshotOrg(t, db, org.ID)
				code := "validation_failed"
				if tc.status == http.StatusConflict {
					code = "conflict"
				}
				p := MustProblem(t, owner.Do(http.MethodPatch, path, tc.body), tc.status, code)
				assert.Contains(t, p.Locations(), tc.location)
				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID), "nothing is written")
			})
		}
	})

	t.Run("non_members_get_404", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner, stranger := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Stranger")
		org := owner.MustCreateOrg(uniqueName("Private"))
		path := "/api/v1/orgs/" + org.ID + "/settings"
		MustProblem(t, stranger.Do(http.MethodGet, path, nil), http.StatusNotFound, "not_found")
		MustProblem(t, stranger.Do(http.MethodPatch, path, map[string]any{"name": "Mine"}), http.StatusNotFound, "not_found")
		var got settingsJSON
		owner.Do(http.MethodGet, path, nil).MustJSON(t, &got)
		require.Equal(t, org.Name, got.Name)
	})
}
