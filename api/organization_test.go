package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

func TestOrganizations(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("create_answers_201_with_a_slug_and_makes_the_creator_owner", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Founder")
		name := uniqueName("Acme & Co.")

		res := b.Do(http.MethodPost, "/api/v1/orgs", map[string]string{"name": "  " + name + "  "})

		MustStatus(t, res, http.StatusCreated)
		var org orgJSON
		res.MustJSON(t, &org)
		assert.NoError(t, uuid.Validate(org.ID))
		assert.Equal(t, name, org.Name, "the name is trimmed")
		assert.Equal(t, "acme-co-"+strings.ToLower(name[len("Acme & Co. "):]), org.Slug)

		var me struct {
			Memberships []struct {
				Organization orgJSON `json:"organization"`
				Role         string  `json:"role"`
			} `json:"memberships"`
		}
		meRes := b.Do(http.MethodGet, "/api/v1/me", nil)
		MustStatus(t, meRes, http.StatusOK)
		meRes.MustJSON(t, &me)
		require.Len(t, me.Memberships, 1)
		assert.Equal(t, org.ID, me.Memberships[0].Organization.ID)
		assert.Equal(t, org.Slug, me.Memberships[0].Organization.Slug)
		assert.Equal(t, "owner", me.Memberships[0].Role)

		get := b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil)
		MustStatus(t, get, http.StatusOK)
		var got orgJSON
		get.MustJSON(t, &got)
		assert.Equal(t, org, got)
	})

	t.Run("two_organizations_with_the_same_name_get_distinct_slugs", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		alice, bob := srv.MustSignUp(t, "Alice"), srv.MustSignUp(t, "Bob")
		name := uniqueName("Studio")

		first := alice.MustCreateOrg(name)
		second := bob.MustCreateOrg(name)
		third := alice.MustCreateOrg(name)

		assert.Equal(t, first.Name, second.Name)
		assert.Equal(t, first.Slug+"-2", second.Slug)
		assert.Equal(t, first.Slug+"-3", third.Slug)
	})

	t.Run("non_member_gets_404_for_an_existing_organization", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		owner, stranger := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Stranger")
		org := owner.MustCreateOrg(uniqueName("Private"))

		existing := stranger.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil)
		missing := stranger.Do(http.MethodGet, "/api/v1/orgs/"+uuid.NewString(), nil)

		p := MustProblem(t, existing, http.StatusNotFound, "not_found")
		q := MustProblem(t, missing, http.StatusNotFound, "not_found")
		assert.Equal(t, q.Detail, p.Detail, "an existing organization looks exactly like a missing one")
		assert.NotContains(t, string(existing.Body), org.Name)
	})

	t.Run("invalid_name_is_422_and_creates_nothing", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Nameless")
		for _, name := range []string{"", "   ", strings.Repeat("n", 101)} {
			p := MustProblem(t, b.Do(http.MethodPost, "/api/v1/orgs", map[string]string{"name": name}),
				http.StatusUnprocessableEntity, "validation_failed")
			assert.Contains(t, p.Locations(), "body.name")
		}
		var me struct {
			Memberships []any `json:"memberships"`
		}
		b.Do(http.MethodGet, "/api/v1/me", nil).MustJSON(t, &me)
		assert.Empty(t, me.Memberships)
	})

	t.Run("creating_an_organization_needs_a_session", func(t *testing.T) {
		t.Parallel()
		srv := MustStart(t, db)
		res := srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/orgs", map[string]string{"name": uniqueName("Anon")})
		MustProblem(t, res, http.StatusUnauthorized, "unauthenticated")
	})
}
