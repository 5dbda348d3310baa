package activities

import (
	"testing"

	"github.com/clientflow/clientflow/domain"
)

// TestNotificationEmailBranding: an email to a client contact carries the organization's branding
// (EmailRequest.BrandOrg), a staff notification's email stays the neutral ClientFlow one.
func TestNotificationEmailBranding(t *testing.T) {
	a := &Activities{AppURL: "https://app.test", SessionSecret: "secret"}
	in := domain.NotificationEmailBatch{OrganizationID: "0190c0de-0000-7000-8000-000000000001",
		RecipientID: "0190c0de-0000-7000-8000-000000000002"}
	for _, nt := range domain.NotificationTypes {
		n := &domain.Notification{ID: "0190c0de-0000-7000-8000-000000000003", Type: nt.Type, Title: "t",
			Link: "/client-portal/" + in.OrganizationID}
		req := a.notificationEmail(in, "someone@example.com", "Acme", []*domain.Notification{n})
		want := ""
		if nt.Contact {
			want = in.OrganizationID
		}
		if req.BrandOrg != want {
			t.Errorf("%s: BrandOrg %q, want %q", nt.Type, req.BrandOrg, want)
		}
		if err := req.Validate(); err != nil {
			t.Errorf("%s: %v", nt.Type, err)
		}
	}
}
