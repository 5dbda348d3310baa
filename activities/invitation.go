package activities

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/domain"
)

// ExpireInvitation expires the invitation if it is still pending and then emails the inviter once (keyed
// by the invitation); it reports whether the invitation is expired (false: it was accepted or revoked
// first). A retry after the update finds it already expired and still makes sure the email went out.
func (a *Activities) ExpireInvitation(ctx context.Context, orgID, invitationID string) (bool, error) {
	inv, err := a.DB.ExpireInvitation(ctx, orgID, invitationID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return false, temporal.NewNonRetryableApplicationError("invitation not found", "NotFound", err)
	}
	if err != nil {
		return false, err
	}
	if inv.Status != domain.InvitationExpired {
		return false, nil
	}
	if inv.InvitedBy == "" {
		return true, nil
	}
	inviter, err := a.DB.UserByID(ctx, inv.InvitedBy)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	org, err := a.DB.Organization(ctx, orgID)
	if err != nil {
		return false, err
	}
	return true, a.SendTemplatedEmail(ctx, domain.EmailRequest{Key: "invitation-expired/" + inv.ID, To: inviter.Email,
		Template: domain.EmailInvitationExpired,
		Data:     map[string]string{"Name": inviter.Name, "Email": inv.Email, "OrgName": org.Name}})
}
