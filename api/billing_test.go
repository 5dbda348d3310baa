package api_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// billingJSON is the billing body as the browser app decodes it.
type billingJSON struct {
	Mode     string  `json:"mode"`
	Status   string  `json:"status"`
	Writable bool    `json:"writable"`
	Plan     planRef `json:"plan"`
	// HasSubscription is whether a live Stripe subscription exists.
	HasSubscription bool `json:"has_subscription"`
	Usage           []struct {
		Metric string `json:"metric"`
		Usage  int64  `json:"usage"`
		Limit  *int64 `json:"limit"`
	} `json:"usage"`
}

type planRef struct {
	ID     string `json:"id"`
	Limits struct {
		Clients *int64 `json:"clients"`
	} `json:"limits"`
}

// limitProblemJSON is a plan_limit_reached problem with its extension members.
type limitProblemJSON struct {
	Code   string `json:"code"`
	Metric string `json:"metric"`
	Limit  *int64 `json:"limit"`
	Usage  *int64 `json:"usage"`
	Plan   string `json:"plan"`
}

func mustBilling(t *testing.T, b *browser, orgID string) billingJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/billing", nil)
	MustStatus(t, res, http.StatusOK)
	var out billingJSON
	res.MustJSON(t, &out)
	return out
}

// mustExec runs SQL as the schema owner (no RLS), to set up states the API only reaches over time.
func mustExec(t *testing.T, db *storetest.DB, query string, args ...any) {
	t.Helper()
	_, err := db.Owner.Bun().ExecContext(context.Background(), query, args...)
	require.NoError(t, err)
}

func TestBilling(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("plans_are_public_with_their_limits", func(t *testing.T) {
		srv := MustStart(t, db)
		res := srv.NewBrowser(t).Do(http.MethodGet, "/api/v1/plans", nil)
		MustStatus(t, res, http.StatusOK)
		var plans []planRef
		res.MustJSON(t, &plans)
		require.Len(t, plans, 2)
		assert.Equal(t, "starter", plans[0].ID)
		require.NotNil(t, plans[0].Limits.Clients)
		assert.EqualValues(t, 20, *plans[0].Limits.Clients)
		assert.Nil(t, plans[1].Limits.Clients, "professional has unlimited clients")
	})

	t.Run("a_new_organization_is_on_a_professional_trial_and_its_workflow_starts", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Trial Owner")
		org := owner.MustCreateOrg(uniqueName("Trial"))
		b := mustBilling(t, owner, org.ID)
		assert.Equal(t, "self_hosted", b.Mode)
		assert.Equal(t, "trialing", b.Status)
		assert.Equal(t, "professional", b.Plan.ID)
		assert.True(t, b.Writable)
		assert.Equal(t, []string{org.ID}, srv.Workflows.SubscriptionsStarted())
	})

	t.Run("the_create_over_the_limit_gets_402_and_writes_nothing", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Limited Owner")
		org := owner.MustCreateOrg(uniqueName("Limited"))
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)
		for i := range 20 {
			owner.MustCreateClient(org.ID, map[string]any{"name": fmt.Sprintf("Client %d", i)})
		}

		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "One too many"})

		MustProblem(t, res, http.StatusPaymentRequired, "plan_limit_reached")
		var p limitProblemJSON
		res.MustJSON(t, &p)
		assert.Equal(t, "clients", p.Metric)
		assert.Equal(t, "starter", p.Plan)
		require.NotNil(t, p.Limit)
		require.NotNil(t, p.Usage)
		assert.EqualValues(t, 20, *p.Limit)
		assert.EqualValues(t, 20, *p.Usage)
		assert.Equal(t, 20, MustCountClients(t, db, org.ID))
	})

	t.Run("parallel_creates_with_three_slots_left_admit_exactly_three", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Racing Owner")
		org := owner.MustCreateOrg(uniqueName("Racing"))
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)
		for i := range 17 {
			owner.MustCreateClient(org.ID, map[string]any{"name": fmt.Sprintf("Client %d", i)})
		}
		statuses := make([]int, 8)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() {
				statuses[i] = owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients",
					map[string]any{"name": fmt.Sprintf("Racer %d", i)}).Status
			})
		}
		wg.Wait()
		counts := map[int]int{}
		for _, s := range statuses {
			counts[s]++
		}
		assert.Equal(t, map[int]int{http.StatusCreated: 3, http.StatusPaymentRequired: 5}, counts)
		assert.Equal(t, 20, MustCountClients(t, db, org.ID))
	})

	t.Run("crossing_80_and_100_percent_emails_the_owner_once_each", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Alerted Owner")
		org := owner.MustCreateOrg(uniqueName("Alerted"))
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)
		for i := range 20 {
			owner.MustCreateClient(org.ID, map[string]any{"name": fmt.Sprintf("Client %d", i)})
		}
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "Refused"}), http.StatusPaymentRequired)

		var templates []string
		for _, e := range srv.Workflows.Emails() {
			if e.Template == "usage_warning" || e.Template == "quota_reached" {
				templates = append(templates, e.Template)
				assert.Equal(t, owner.User.Email, e.To)
				assert.Equal(t, "clients", e.Data["Metric"])
			}
		}
		assert.Equal(t, []string{"usage_warning", "quota_reached"}, templates)
	})

	t.Run("a_restricted_organization_is_read_only_but_can_pick_a_plan", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Expired Owner")
		org := owner.MustCreateOrg(uniqueName("Expired"))
		c := owner.MustCreateClient(org.ID, map[string]any{"name": "Kept"})
		mustExec(t, db, "UPDATE subscriptions SET trial_ends_at = now() - interval '1 minute' WHERE organization_id = ?", org.ID)

		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "New"}),
			http.StatusPaymentRequired, "subscription_restricted")
		MustProblem(t, owner.Do(http.MethodPatch, "/api/v1/orgs/"+org.ID+"/clients/"+c.ID, map[string]any{"name": "Renamed"}),
			http.StatusPaymentRequired, "subscription_restricted")
		MustStatus(t, owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients/"+c.ID, nil), http.StatusOK)
		MustProblem(t, owner.Do(http.MethodDelete, "/api/v1/orgs/"+org.ID, map[string]any{"confirm_name": "not its name"}),
			http.StatusUnprocessableEntity, "validation_failed") // leaving stays possible: no 402 in the way
		b := mustBilling(t, owner, org.ID)
		assert.Equal(t, "restricted", b.Status)
		assert.False(t, b.Writable)

		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "professional"}), http.StatusOK)
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/clients", map[string]any{"name": "New"}), http.StatusCreated)
	})

	t.Run("a_member_cannot_change_plan_but_can_ask_the_owner", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Asked Owner")
		org := owner.MustCreateOrg(uniqueName("Asked"))
		member := srv.MustSignUp(t, "Asking Member")
		mustJoin(t, db, org.ID, member, "member")

		MustProblem(t, member.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "starter"}),
			http.StatusForbidden, "forbidden")
		MustStatus(t, member.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/upgrade-request",
			map[string]any{"message": "We need more clients"}), http.StatusAccepted)
		MustStatus(t, member.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/upgrade-request", map[string]any{}),
			http.StatusAccepted)

		var keys []string
		for _, e := range srv.Workflows.Emails() {
			if e.Template == "upgrade_request" {
				keys = append(keys, e.Key)
				assert.Equal(t, owner.User.Email, e.To)
				assert.Equal(t, "Asking Member", e.Data["RequesterName"])
			}
		}
		require.Len(t, keys, 2)
		assert.Equal(t, keys[0], keys[1], "the same day's requests share one key, so the owner gets one email")
	})

	t.Run("an_invitation_takes_a_seat_and_the_one_over_the_member_limit_gets_402", func(t *testing.T) {
		_, owner, org := invitingOwner(t, db)
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)
		mustInvite(t, owner, org.ID, uniqueEmail(), "member")
		mustInvite(t, owner, org.ID, uniqueEmail(), "member")

		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invitations", map[string]any{"email": uniqueEmail(), "role": "member"})

		MustProblem(t, res, http.StatusPaymentRequired, "plan_limit_reached")
		var p limitProblemJSON
		res.MustJSON(t, &p)
		assert.Equal(t, "members", p.Metric)
		assert.EqualValues(t, 3, *p.Limit)
		assert.EqualValues(t, 3, *p.Usage, "the owner and two open invitations")
		var pending int
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM organization_invitations WHERE organization_id = ?", org.ID).
			Scan(context.Background(), &pending))
		assert.Equal(t, 2, pending)
	})

	t.Run("an_upload_over_the_storage_limit_gets_402_and_records_nothing", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)
		mustExec(t, db, "UPDATE plans SET storage_bytes = 20 WHERE id = 'starter'")
		t.Cleanup(func() { mustExec(t, db, "UPDATE plans SET storage_bytes = 2147483648 WHERE id = 'starter'") })
		files := "/api/v1/orgs/" + f.orgID + "/projects/" + f.project + "/files"
		mustUpload(t, f.owner, files, "small.txt", []byte("twelve bytes"), "")

		res := upload(f.owner, files, "big.txt", "text/plain", []byte("eleven byte"), "")

		MustProblem(t, res, http.StatusPaymentRequired, "plan_limit_reached")
		var p limitProblemJSON
		res.MustJSON(t, &p)
		assert.Equal(t, "storage_bytes", p.Metric)
		assert.EqualValues(t, 20, *p.Limit)
		assert.EqualValues(t, 12, *p.Usage, "what was stored before the refused upload")
		var n int
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM files WHERE organization_id = ?", f.orgID).
			Scan(context.Background(), &n))
		assert.Equal(t, 1, n)
		assert.Len(t, storedFiles(t, srv.FilesDir), 1, "the refused upload's bytes are removed")
	})

	t.Run("an_unknown_plan_is_invalid", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Typo Owner")
		org := owner.MustCreateOrg(uniqueName("Typo"))
		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "enterprise"}),
			http.StatusUnprocessableEntity, "validation_failed")
	})
}
