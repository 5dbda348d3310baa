package worker_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/store/storetest"
)

// startStripeMock runs stripe-mock (STRIPE_MOCK, else the repository's .bin/stripe-mock; skipped when
// neither exists) behind a proxy that records each request's method, path and idempotency key.
func startStripeMock(t *testing.T) (base string, requests func() []string) {
	t.Helper()
	bin := os.Getenv("STRIPE_MOCK")
	if bin == "" {
		root, err := filepath.Abs("..")
		require.NoError(t, err)
		bin = filepath.Join(root, ".bin", "stripe-mock")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skip("stripe-mock not installed (the api tests install it)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	l2, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	httpsAddr := l2.Addr().String()
	l2.Close()
	cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", httpsAddr)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(20 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		require.True(t, time.Now().Before(deadline), "stripe-mock did not start: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
	target, _ := url.Parse("http://" + addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	var seen []string
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("Idempotency-Key"))
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// TestCancelStripeSubscription: deleting an organization cancels its Stripe subscription once per
// organization (a retry is the same idempotent request) and asks Stripe nothing when there is none.
func TestCancelStripeSubscription(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	base, requests := startStripeMock(t)
	acts := billingActivities(db)
	acts.Stripe = api.NewStripeClient(config.Config{StripeSecretKey: "sk_test_123", StripeAPIBase: base,
		StripeWebhookSecret: "whsec_x", StripePriceIDStarter: "price_s", StripePriceIDProfessional: "price_p"})
	require.NotNil(t, acts.Stripe)

	paying := billingOrg(t, db, "Paying Doomed")
	_, err := db.Owner.Bun().ExecContext(ctx, `UPDATE subscriptions SET status = 'active', stripe_customer_id = 'cus_doomed',
		stripe_subscription_id = 'sub_doomed' WHERE organization_id = ?`, paying)
	require.NoError(t, err)
	require.NoError(t, acts.CancelStripeSubscription(ctx, paying))
	require.NoError(t, acts.CancelStripeSubscription(ctx, paying), "a retry is harmless")
	want := "DELETE /v1/subscriptions/sub_doomed cancel-subscription-" + paying
	assert.Equal(t, []string{want, want}, requests())

	trial := billingOrg(t, db, "Trial Doomed")
	require.NoError(t, acts.CancelStripeSubscription(ctx, trial))
	assert.Len(t, requests(), 2, "no subscription, no request")

	selfHosted := &activities.Activities{DB: db.App}
	require.NoError(t, selfHosted.CancelStripeSubscription(ctx, paying), "without Stripe it does nothing")
}
