package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// OwnershipTransferRequest names the member who becomes the owner; the current owner becomes an admin.
type OwnershipTransferRequest struct {
	MemberID string `json:"member_id" format:"uuid" doc:"Membership ID of an active member."`
}

// OrganizationDeleteRequest confirms a deletion by repeating the organization's name exactly.
type OrganizationDeleteRequest struct {
	ConfirmName string `json:"confirm_name" maxLength:"100"`
}

func (s *Server) registerOrganizationLifecycle() {
	tags := []string{"Organizations"}
	huma.Register(s.api, huma.Operation{
		OperationID: "transfer-organization-ownership", Method: http.MethodPost,
		Path: "/api/v1/orgs/{org_id}/transfer-ownership", Tags: tags, Security: security,
		Extensions:    evenWhenRestricted(requires(domain.PermSettingsManage)),
		Summary:       "Make another active member the owner (owner only); you become an admin",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.transferOwnership)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-organization", Method: http.MethodDelete, Path: "/api/v1/orgs/{org_id}", Tags: tags,
		Security: security, Extensions: evenWhenRestricted(requires(domain.PermSettingsManage)),
		Summary: "Delete the organization and all its data (owner only)",
		Description: "Confirm with the organization's exact name. The organization disappears at once; its data " +
			"is removed in the background by a durable workflow.",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, s.deleteOrganization)
}

func (s *Server) transferOwnership(ctx context.Context, in *struct {
	OrgPath
	Body OwnershipTransferRequest
}) (*struct{}, error) {
	p := principalFrom(ctx)
	if p.Role != domain.RoleOwner {
		return nil, problem(ctx, domain.Errorf(domain.EFORBIDDEN, "Only the owner can transfer ownership."))
	}
	// Both emails commit with the transfer (the workflow outbox): a Temporal outage delays them, never
	// loses them, and never undoes the transfer.
	var mail []queuedEmail
	err := s.db.Atomically(ctx, in.OrgID, p.User.ID, func(ctx context.Context) error {
		t, err := s.db.TransferOwnership(ctx, in.OrgID, p.User.ID, in.Body.MemberID)
		if err != nil {
			return err
		}
		mail, err = s.queueEmails(ctx, s.transferEmails(in.OrgID, t)...)
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.sendQueued(ctx, mail)
	return nil, nil
}

// transferEmails announce the transfer to both people; the keys carry a fresh transfer ID, so a later
// transfer between the same two people is announced again while a retried start of this one is not.
func (s *Server) transferEmails(orgID string, t *store.OwnershipTransfer) []domain.EmailRequest {
	transferID := uuid.Must(uuid.NewV7()).String()
	var reqs []domain.EmailRequest
	for _, to := range []struct {
		user *domain.User
		role string
	}{{t.PreviousOwner, domain.RoleAdmin}, {t.NewOwner, domain.RoleOwner}} {
		reqs = append(reqs, domain.EmailRequest{
			Key: "ownership-transfer/" + transferID + "/" + to.user.ID, To: to.user.Email,
			Template: domain.EmailOwnershipTransfer,
			Data: map[string]string{"Name": to.user.Name, "OrgName": t.OrganizationName, "NewRole": to.role,
				"PreviousOwnerName": t.PreviousOwner.Name, "NewOwnerName": t.NewOwner.Name,
				"OrgURL": s.cfg.AppURL + "/orgs/" + orgID},
		})
	}
	return reqs
}

func (s *Server) deleteOrganization(ctx context.Context, in *struct {
	OrgPath
	Body OrganizationDeleteRequest
}) (*struct{}, error) {
	p := principalFrom(ctx)
	if p.Role != domain.RoleOwner {
		return nil, problem(ctx, domain.Errorf(domain.EFORBIDDEN, "Only the owner can delete the organization."))
	}
	// The deletion's start commits with the mark (the workflow outbox): the owner's request succeeds while
	// Temporal is down, and the relay starts the deletion once it is back.
	start := domain.OrganizationDeletionStart(in.OrgID)
	err := s.db.MarkOrganizationDeleting(ctx, in.OrgID, p.User.ID, in.Body.ConfirmName, func(ctx context.Context) error {
		if err := s.db.RecordAudit(ctx, in.OrgID, domain.AuditEntry{Action: domain.AuditOrganizationDeletionStarted,
			EntityType: "organization", EntityID: in.OrgID}); err != nil {
			return err
		}
		return s.db.EnqueueStarts(ctx, &start)
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.startNow(ctx, start, func(ctx context.Context) error { return s.Workflows.StartOrganizationDeletion(ctx, in.OrgID) })
	return nil, nil
}
