package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

// stripeMockVersion is the stripe-mock the tests install from the Go module proxy when .bin lacks it.
const stripeMockVersion = "v0.203.0"

const testWebhookSecret = "whsec_test_secret"

// mustStripeMock starts stripe-mock on free 127.0.0.1 ports (HTTP and HTTPS) for the test and returns its
// HTTP base URL. The binary is STRIPE_MOCK, else the repository's .bin/stripe-mock, installed there with
// `go install` when missing.
func mustStripeMock(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("STRIPE_MOCK")
	if bin == "" {
		root, err := filepath.Abs("..")
		require.NoError(t, err)
		bin = filepath.Join(root, ".bin", "stripe-mock")
		if _, err := os.Stat(bin); err != nil {
			cmd := exec.Command("go", "install", "github.com/stripe/stripe-mock@"+stripeMockVersion)
			cmd.Env = append(os.Environ(), "GOBIN="+filepath.Dir(bin))
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "install stripe-mock: %s", out)
		}
	}
	httpPort, httpsPort := freePort(t), freePort(t)
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:"+httpPort, "-https-addr", "127.0.0.1:"+httpsPort)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+httpPort, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return "http://127.0.0.1:" + httpPort
		}
		require.True(t, time.Now().Before(deadline), "stripe-mock did not start: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	_, port, _ := strings.Cut(l.Addr().String(), ":")
	return port
}

// withStripe configures Stripe mode against the stripe-mock at base.
func withStripe(base string) option {
	return func(d *api.Deps) {
		d.Config.StripeSecretKey = "sk_test_123"
		d.Config.StripeWebhookSecret = testWebhookSecret
		d.Config.StripePriceIDStarter = "price_starter"
		d.Config.StripePriceIDProfessional = "price_professional"
		d.Config.StripeAPIBase = base
	}
}

// signedEvent is a Stripe event body and its signature header made with the SDK's test helper.
func signedEvent(t *testing.T, secret string, at time.Time, event map[string]any) ([]byte, string) {
	t.Helper()
	body, err := json.Marshal(event)
	require.NoError(t, err)
	p := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at})
	return p.Payload, p.Header
}

func subscriptionEvent(id, typ, orgID, status string, created int64) map[string]any {
	return map[string]any{"id": id, "object": "event", "type": typ, "created": created, "api_version": "2025-01-27.acacia",
		"data": map[string]any{"object": map[string]any{
			"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": status,
			"cancel_at_period_end": false, "metadata": map[string]string{"organization_id": orgID},
			"items": map[string]any{"data": []map[string]any{{"current_period_end": created + 30*86400,
				"price": map[string]any{"id": "price_starter"}}}},
		}}}
}

func mustCountStripeEvents(t *testing.T, db *storetest.DB, id string) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM stripe_events WHERE id = ?", id).Scan(context.Background(), &n))
	return n
}

func TestStripe(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	mock := mustStripeMock(t)

	t.Run("checkout_creates_the_customer_once_and_returns_the_session_url", func(t *testing.T) {
		srv := MustStart(t, db, withStripe(mock))
		owner := srv.MustSignUp(t, "Paying Owner")
		org := owner.MustCreateOrg(uniqueName("Paying"))
		assert.Equal(t, "stripe", mustBilling(t, owner, org.ID).Mode)

		res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/checkout", map[string]any{"plan_id": "starter"})
		MustStatus(t, res, http.StatusOK)
		var out struct {
			URL string `json:"url"`
		}
		res.MustJSON(t, &out)
		assert.NotEmpty(t, out.URL)
		var customer string
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT stripe_customer_id FROM subscriptions WHERE organization_id = ?", org.ID).
			Scan(context.Background(), &customer))
		assert.True(t, strings.HasPrefix(customer, "cus_"), customer)

		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/portal", nil), http.StatusOK)
		var again string
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT stripe_customer_id FROM subscriptions WHERE organization_id = ?", org.ID).
			Scan(context.Background(), &again))
		assert.Equal(t, customer, again, "the customer is created once per organization")

		res = owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/billing/invoices", nil)
		MustStatus(t, res, http.StatusOK)
		var invoices []map[string]any
		res.MustJSON(t, &invoices)
		assert.NotEmpty(t, invoices, "stripe-mock answers a list with one fixture invoice")
	})

	t.Run("checkout_is_refused_while_a_stripe_subscription_is_live", func(t *testing.T) {
		srv := MustStart(t, db, withStripe(mock))
		owner := srv.MustSignUp(t, "Subscribed Owner")
		org := owner.MustCreateOrg(uniqueName("Subscribed"))
		for _, status := range []string{"active", "past_due", "trialing", "restricted"} {
			mustExec(t, db, "UPDATE subscriptions SET stripe_subscription_id = 'sub_live', status = ? WHERE organization_id = ?",
				status, org.ID)
			p := MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/checkout",
				map[string]any{"plan_id": "professional"}), http.StatusConflict, "subscription_exists")
			assert.Contains(t, p.Detail, "billing portal", status)
			assert.True(t, mustBilling(t, owner, org.ID).HasSubscription, status)
		}
		mustExec(t, db, "UPDATE subscriptions SET status = 'canceled' WHERE organization_id = ?", org.ID)
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/checkout",
			map[string]any{"plan_id": "starter"}), http.StatusOK)
	})

	t.Run("self_hosted_mode_has_no_checkout_and_no_webhook", func(t *testing.T) {
		srv := MustStart(t, db)
		owner := srv.MustSignUp(t, "Self Owner")
		org := owner.MustCreateOrg(uniqueName("Self"))
		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/checkout", map[string]any{"plan_id": "starter"}),
			http.StatusConflict, "conflict")
		res := owner.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/billing/invoices", nil)
		MustStatus(t, res, http.StatusOK)
		assert.JSONEq(t, "[]", string(res.Body))
	})

	t.Run("in_stripe_mode_the_plan_changes_only_through_checkout", func(t *testing.T) {
		srv := MustStart(t, db, withStripe(mock))
		owner := srv.MustSignUp(t, "Direct Owner")
		org := owner.MustCreateOrg(uniqueName("Direct"))
		MustProblem(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/billing/plan", map[string]any{"plan_id": "starter"}),
			http.StatusConflict, "conflict")
	})

	t.Run("a_valid_event_is_stored_and_delivered_once_however_often_it_arrives", func(t *testing.T) {
		srv := MustStart(t, db, withStripe(mock))
		owner := srv.MustSignUp(t, "Hooked Owner")
		org := owner.MustCreateOrg(uniqueName("Hooked"))
		id := "evt_" + strings.ReplaceAll(uniqueName("x"), " ", "")
		body, sig := signedEvent(t, testWebhookSecret, time.Now(),
			subscriptionEvent(id, "customer.subscription.updated", org.ID, "active", time.Now().Unix()))

		for range 5 {
			MustStatus(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/webhooks/stripe", body,
				header{"Stripe-Signature", sig}), http.StatusNoContent)
		}

		assert.Equal(t, 1, mustCountStripeEvents(t, db, id))
		events := srv.Workflows.StripeEvents()
		require.Len(t, events, 1)
		assert.Equal(t, org.ID, events[0].OrganizationID)
		assert.Equal(t, "starter", events[0].PlanID)
		assert.Equal(t, "active", events[0].SubscriptionStatus)
		require.NotNil(t, events[0].CurrentPeriodEnd)
	})

	t.Run("bad_signatures_and_stale_timestamps_answer_400_and_store_nothing", func(t *testing.T) {
		srv := MustStart(t, db, withStripe(mock))
		owner := srv.MustSignUp(t, "Forged Owner")
		org := owner.MustCreateOrg(uniqueName("Forged"))
		for name, tc := range map[string]struct {
			secret string
			at     time.Time
		}{
			"wrong_secret":    {"whsec_attacker", time.Now()},
			"six_minutes_old": {testWebhookSecret, time.Now().Add(-6 * time.Minute)},
		} {
			t.Run(name, func(t *testing.T) {
				id := "evt_" + name
				body, sig := signedEvent(t, tc.secret, tc.at,
					subscriptionEvent(id, "customer.subscription.deleted", org.ID, "canceled", time.Now().Unix()))
				MustProblem(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/webhooks/stripe", body,
					header{"Stripe-Signature", sig}), http.StatusBadRequest, "bad_request")
				assert.Equal(t, 0, mustCountStripeEvents(t, db, id))
			})
		}
		MustProblem(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/webhooks/stripe", `{"id":"evt_x"}`),
			http.StatusBadRequest, "bad_request")
		assert.Empty(t, srv.Workflows.StripeEvents())
	})

	t.Run("an_event_for_a_customer_is_routed_to_its_organization", func(t *testing.T) {
		srv := MustStart(t, db, withStripe(mock))
		owner := srv.MustSignUp(t, "Routed Owner")
		org := owner.MustCreateOrg(uniqueName("Routed"))
		customer := "cus_routed_" + strings.ReplaceAll(uniqueName("c"), " ", "")
		mustExec(t, db, "UPDATE subscriptions SET stripe_customer_id = ? WHERE organization_id = ?", customer, org.ID)
		id := fmt.Sprintf("evt_failed_%d", time.Now().UnixNano())
		body, sig := signedEvent(t, testWebhookSecret, time.Now(), map[string]any{"id": id, "object": "event",
			"type": "invoice.payment_failed", "created": time.Now().Unix(),
			"data": map[string]any{"object": map[string]any{"id": "in_1", "object": "invoice", "customer": customer,
				"amount_due": 1900, "currency": "usd", "hosted_invoice_url": "https://invoice.stripe.test/in_1"}}})

		MustStatus(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/webhooks/stripe", body,
			header{"Stripe-Signature", sig}), http.StatusNoContent)

		events := srv.Workflows.StripeEvents()
		require.Len(t, events, 1)
		assert.Equal(t, org.ID, events[0].OrganizationID)
		assert.Equal(t, "in_1", events[0].InvoiceID)
		assert.EqualValues(t, 1900, events[0].AmountDue)
	})
	t.Run("voided_and_uncollectible_invoices_reach_the_workflows_to_end_their_dunning", func(t *testing.T) {
		srv := MustStart(t, db, withStripe(mock))
		owner := srv.MustSignUp(t, "Voided Owner")
		org := owner.MustCreateOrg(uniqueName("Voided"))
		for i, typ := range []string{"invoice.voided", "invoice.marked_uncollectible"} {
			id := fmt.Sprintf("evt_settled_%d_%d", i, time.Now().UnixNano())
			body, sig := signedEvent(t, testWebhookSecret, time.Now(), map[string]any{"id": id, "object": "event",
				"type": typ, "created": time.Now().Unix(),
				"data": map[string]any{"object": map[string]any{"id": "in_void", "object": "invoice", "customer": "cus_v",
					"metadata": map[string]string{"organization_id": org.ID}, "amount_due": 1900, "currency": "usd"}}})
			MustStatus(t, srv.NewBrowser(t).Do(http.MethodPost, "/api/v1/webhooks/stripe", body,
				header{"Stripe-Signature", sig}), http.StatusNoContent)
		}
		events := srv.Workflows.StripeEvents()
		require.Len(t, events, 2)
		assert.Equal(t, "in_void", events[1].InvoiceID)
		assert.Equal(t, "invoice.marked_uncollectible", events[1].Type)
	})
}
