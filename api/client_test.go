package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

func TestClients(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	// owner starts a server and returns a signed-up user with an organization of their own.
	owner := func(t *testing.T) (*testServer, *browser, orgJSON) {
		srv := MustStart(t, db)
		b := srv.MustSignUp(t, "Owner")
		return srv, b, b.MustCreateOrg(uniqueName("Agency"))
	}

	t.Run("create_answers_201_echoing_the_fields_with_the_email_lower_cased", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)

		res := b.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{
			"name": " Globex ", "email": "Hank@Globex.COM", "phone": "+1 555 0100", "company": "Globex Corp",
			"website": "https://globex.example", "notes": "Prefers email.",
		})

		MustStatus(t, res, http.StatusCreated)
		var c clientJSON
		res.MustJSON(t, &c)
		assert.NoError(t, uuid.Validate(c.ID))
		assert.Equal(t, "Globex", c.Name)
		assert.Equal(t, "hank@globex.com", c.Email)
		assert.Equal(t, "+1 555 0100", c.Phone)
		assert.Equal(t, "Globex Corp", c.Company)
		assert.Equal(t, "https://globex.example", c.Website)
		assert.Equal(t, "Prefers email.", c.Notes)
		assert.Equal(t, "active", c.Status, "status defaults to active")
		assert.False(t, c.CreatedAt.IsZero())
		assert.Equal(t, c.CreatedAt, c.UpdatedAt)

		var row struct {
			Name      string `bun:"name"`
			Email     string `bun:"email"`
			CreatedBy string `bun:"created_by"`
		}
		require.NoError(t, db.Owner.Bun().NewRaw(
			"SELECT name, email, created_by FROM clients WHERE organization_id = ? AND id = ?", org.ID, c.ID).
			Scan(context.Background(), &row))
		assert.Equal(t, "Globex", row.Name)
		assert.Equal(t, "hank@globex.com", row.Email)
		assert.Equal(t, b.User.ID, row.CreatedBy)
	})

	t.Run("get_returns_the_client_as_created", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		created := b.MustCreateClient(org.ID, map[string]any{"name": "Initech", "company": "Initech LLC"})

		res := b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients/"+created.ID, nil)

		MustStatus(t, res, http.StatusOK)
		var got clientJSON
		res.MustJSON(t, &got)
		assert.Equal(t, created, got)
	})

	t.Run("list_q_matches_name_email_and_company_case_insensitively", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		for _, c := range []map[string]any{
			{"name": "Wayne Enterprises", "email": "bruce@wayne.example", "company": "Wayne"},
			{"name": "Stark Industries", "email": "tony@stark.example", "company": "Stark"},
			{"name": "Daily Planet", "email": "perry@planet.example", "company": "Galaxy Communications"},
			{"name": "100% Pure", "email": "", "company": "Under_score"},
		} {
			b.MustCreateClient(org.ID, c)
		}

		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"wayne", []string{"Wayne Enterprises"}},
			{"STARK", []string{"Stark Industries"}},
			{"Perry@", []string{"Daily Planet"}},
			{"galaxy comm", []string{"Daily Planet"}},
			{".example", []string{"Wayne Enterprises", "Stark Industries", "Daily Planet"}},
			{"%", []string{"100% Pure"}},
			{"_", []string{"100% Pure"}},
			{"nobody", nil},
		} {
			t.Run(tc.q, func(t *testing.T) {
				page := mustList(t, b, org.ID, url.Values{"q": {tc.q}})
				assert.ElementsMatch(t, tc.want, names(page.Data))
				assert.Nil(t, page.NextCursor)
			})
		}
	})

	t.Run("list_status_filter_returns_only_that_status", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		b.MustCreateClient(org.ID, map[string]any{"name": "Current"})
		b.MustCreateClient(org.ID, map[string]any{"name": "Former", "status": "archived"})

		assert.Equal(t, []string{"Former"}, names(mustList(t, b, org.ID, url.Values{"status": {"archived"}}).Data))
		assert.Equal(t, []string{"Current"}, names(mustList(t, b, org.ID, url.Values{"status": {"active"}}).Data))
		assert.Equal(t, []string{"Former", "Current"}, names(mustList(t, b, org.ID, nil).Data), "newest first")
	})

	t.Run("list_pages_through_every_client_once_newest_first", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		var created []string
		for i := range 7 {
			created = append(created, b.MustCreateClient(org.ID, map[string]any{"name": fmt.Sprintf("Client %d", i)}).ID)
		}

		var seen []string
		var sizes []int
		cursor := ""
		for range 10 {
			q := url.Values{"limit": {"3"}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			page := mustList(t, b, org.ID, q)
			sizes = append(sizes, len(page.Data))
			for _, c := range page.Data {
				seen = append(seen, c.ID)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
			require.NotEmpty(t, cursor, "next_cursor is null or a usable cursor, never empty")
		}

		assert.Equal(t, []int{3, 3, 1}, sizes)
		want := append([]string(nil), created...)
		sort.Sort(sort.Reverse(sort.StringSlice(want)))
		assert.Equal(t, want, seen, "every client exactly once, newest first")
	})

	t.Run("patch_changes_only_the_fields_it_carries", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		before := b.MustCreateClient(org.ID, map[string]any{
			"name": "Umbrella", "email": "info@umbrella.example", "company": "Umbrella Corp", "notes": "Keep",
		})

		res := b.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/clients/"+before.ID,
			map[string]any{"phone": "+44 20 7946 0000", "email": "CEO@Umbrella.example"})

		MustStatus(t, res, http.StatusOK)
		var after clientJSON
		res.MustJSON(t, &after)
		want := before
		want.Phone, want.Email, want.UpdatedAt = "+44 20 7946 0000", "ceo@umbrella.example", after.UpdatedAt
		assert.Equal(t, want, after)
		assert.True(t, after.UpdatedAt.After(before.UpdatedAt), "updated_at moves forward")

		var got clientJSON
		get := b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients/"+before.ID, nil)
		MustStatus(t, get, http.StatusOK)
		get.MustJSON(t, &got)
		assert.Equal(t, after, got, "the change was saved")

		res = b.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/clients/"+before.ID, map[string]any{"notes": ""})
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &got)
		assert.Empty(t, got.Notes, "an explicit empty string clears a field")
		assert.Equal(t, "Umbrella Corp", got.Company)
	})

	t.Run("delete_answers_204_and_the_client_is_gone", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		doomed := b.MustCreateClient(org.ID, map[string]any{"name": "Soon gone"})
		kept := b.MustCreateClient(org.ID, map[string]any{"name": "Stays"})

		res := b.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/clients/"+doomed.ID, nil)

		MustStatus(t, res, http.StatusNoContent)
		assert.Empty(t, res.Body)
		MustProblem(t, b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients/"+doomed.ID, nil),
			http.StatusNotFound, "not_found")
		MustProblem(t, b.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID+"/clients/"+doomed.ID, nil),
			http.StatusNotFound, "not_found")
		assert.Equal(t, 1, MustCountClients(t, db, org.ID))
		MustStatus(t, b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients/"+kept.ID, nil), http.StatusOK)
	})

	t.Run("idempotency_key_replay_returns_the_first_client_and_writes_once", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		path := "/api/v1/orgs/" + org.ID + "/clients"
		key := header{"Idempotency-Key", uuid.NewString()}
		body := map[string]any{"name": "Retry Ltd", "email": "ops@retry.example"}

		first := b.Do(http.MethodPost, path, body, key)
		second := b.Do(http.MethodPost, path, body, key)

		MustStatus(t, first, http.StatusCreated)
		MustStatus(t, second, http.StatusCreated)
		var c1, c2 clientJSON
		first.MustJSON(t, &c1)
		second.MustJSON(t, &c2)
		assert.Equal(t, c1, c2, "the replay is the first response")
		assert.Equal(t, 1, MustCountClients(t, db, org.ID))
	})

	t.Run("idempotency_key_reused_for_a_different_body_is_a_conflict", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		path := "/api/v1/orgs/" + org.ID + "/clients"
		key := header{"Idempotency-Key", uuid.NewString()}
		MustStatus(t, b.Do(http.MethodPost, path, map[string]any{"name": "Original"}, key), http.StatusCreated)

		res := b.Do(http.MethodPost, path, map[string]any{"name": "Something else"}, key)

		MustProblem(t, res, http.StatusConflict, "conflict")
		assert.Equal(t, []string{"Original"}, names(mustList(t, b, org.ID, nil).Data))
	})

	t.Run("idempotency_key_sent_concurrently_still_creates_one_client", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		path := "/api/v1/orgs/" + org.ID + "/clients"
		key := header{"Idempotency-Key", uuid.NewString()}
		const n = 6
		results := make([]*response, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { results[i] = b.Do(http.MethodPost, path, map[string]any{"name": "Race Co"}, key) })
		}
		wg.Wait()

		ids := map[string]bool{}
		for _, res := range results {
			MustStatus(t, res, http.StatusCreated)
			var c clientJSON
			res.MustJSON(t, &c)
			ids[c.ID] = true
		}
		assert.Len(t, ids, 1, "every caller gets the same client")
		assert.Equal(t, 1, MustCountClients(t, db, org.ID))
	})

	t.Run("the_same_idempotency_key_in_another_organization_is_independent", func(t *testing.T) {
		t.Parallel()
		_, b, org := owner(t)
		other := b.MustCreateOrg(uniqueName("Second"))
		key := header{"Idempotency-Key", "shared-key"}

		r1 := b.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "Same"}, key)
		r2 := b.Do(http.MethodPost, "/api/v1/orgs/"+other.ID+"/clients", map[string]any{"name": "Same"}, key)

		MustStatus(t, r1, http.StatusCreated)
		MustStatus(t, r2, http.StatusCreated)
		var c1, c2 clientJSON
		r1.MustJSON(t, &c1)
		r2.MustJSON(t, &c2)
		assert.NotEqual(t, c1.ID, c2.ID)
		assert.Equal(t, 1, MustCountClients(t, db, org.ID))
		assert.Equal(t, 1, MustCountClients(t, db, other.ID))
	})
}

// mustList fetches one page of orgID's clients.
func mustList(t *testing.T, b *browser, orgID string, q url.Values) pageJSON {
	t.Helper()
	path := "/api/v1/orgs/" + orgID + "/clients"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	res := b.Do(http.MethodGet, path, nil)
	MustStatus(t, res, http.StatusOK)
	var page pageJSON
	res.MustJSON(t, &page)
	require.NotNil(t, page.Data, "data is an array, never null: %s", res.Body)
	return page
}

func names(cs []clientJSON) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}
