package domain_test

import (
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
)

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{"Ada Lovelace": "AL", "ada": "A", "  élodie  martin dupont": "ÉM", "": ""} {
		if got := domain.Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInvitationAcceptable(t *testing.T) {
	now := time.Now()
	inv := domain.Invitation{Email: "ada@example.com", Status: domain.InvitationPending, ExpiresAt: now.Add(time.Hour)}
	if err := inv.CheckAcceptable("ADA@example.com ", now); err != nil {
		t.Errorf("the invited address (any case) is refused: %v", err)
	}
	if code := domain.ErrorCode(inv.CheckAcceptable("eve@example.com", now)); code != domain.EFORBIDDEN {
		t.Errorf("another address: code %q, want forbidden", code)
	}
	if code := domain.ErrorCode(inv.CheckAcceptable("ada@example.com", now.Add(2*time.Hour))); code != domain.EGONE {
		t.Errorf("past its expiry (before the workflow ran): code %q, want %s", code, domain.EGONE)
	}
	inv.Status = domain.InvitationRevoked
	if code := domain.ErrorCode(inv.CheckAcceptable("ada@example.com", now)); code != domain.EGONE {
		t.Errorf("revoked: code %q, want %s", code, domain.EGONE)
	}
}

func TestCheckGrantable(t *testing.T) {
	actor := []domain.Permission{domain.PermClientsRead}
	if err := domain.CheckGrantable(actor, nil, []domain.Permission{domain.PermClientsRead}); err != nil {
		t.Errorf("granting a held permission: %v", err)
	}
	if err := domain.CheckGrantable(actor, []domain.Permission{domain.PermBillingManage}, []domain.Permission{domain.PermBillingManage}); err != nil {
		t.Errorf("keeping an existing permission: %v", err)
	}
	if code := domain.ErrorCode(domain.CheckGrantable(actor, nil, []domain.Permission{domain.PermBillingManage})); code != domain.EFORBIDDEN {
		t.Errorf("granting an unheld permission: code %q, want forbidden", code)
	}
}
