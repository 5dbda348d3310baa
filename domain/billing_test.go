package domain_test

import (
	"testing"

	"github.com/clientflow/clientflow/domain"
)

func TestSubscriptionStatusFromStripe(t *testing.T) {
	for stripe, want := range map[string]string{
		"trialing": domain.SubscriptionTrialing, "active": domain.SubscriptionActive, "past_due": domain.SubscriptionPastDue,
		"unpaid": domain.SubscriptionRestricted, "canceled": domain.SubscriptionCanceled, "paused": domain.SubscriptionCanceled,
		// An incomplete subscription's first payment is pending or expired: the local state must not change.
		"incomplete": "", "incomplete_expired": "",
	} {
		if got := domain.SubscriptionStatusFromStripe(stripe); got != want {
			t.Errorf("SubscriptionStatusFromStripe(%q) = %q, want %q", stripe, got, want)
		}
	}
}

func TestSubscriptionStatusRank(t *testing.T) {
	order := []string{domain.SubscriptionCanceled, domain.SubscriptionActive, domain.SubscriptionPastDue, domain.SubscriptionTrialing}
	for i := 1; i < len(order); i++ {
		if domain.SubscriptionStatusRank(order[i-1]) <= domain.SubscriptionStatusRank(order[i]) {
			t.Errorf("%s must outrank %s", order[i-1], order[i])
		}
	}
}
