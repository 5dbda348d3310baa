package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Invitation is a pending (or past) invitation to join an organization.
type Invitation struct {
	ID        string    `json:"id" format:"uuid"`
	Email     string    `json:"email"`
	Role      string    `json:"role" enum:"admin,manager,member,client"`
	ClientID  *string   `json:"client_id" format:"uuid" nullable:"true" doc:"The client the invitee becomes a contact of; null for staff."`
	Status    string    `json:"status" enum:"pending,accepted,revoked,expired"`
	InvitedBy string    `json:"invited_by" doc:"User ID of the inviter; empty when that account is gone."`
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`
}

func invitationFrom(inv *domain.Invitation) Invitation {
	return Invitation{ID: inv.ID, Email: inv.Email, Role: inv.Role, ClientID: optional(inv.ClientID),
		Status: inv.EffectiveStatus(time.Now()), InvitedBy: inv.InvitedBy, ExpiresAt: inv.ExpiresAt, CreatedAt: inv.CreatedAt}
}

// InvitationList is an organization's pending invitations.
type InvitationList struct {
	Data []Invitation `json:"data"`
}

// InvitationCreate invites an address with a staff role (client contacts are invited from their client).
type InvitationCreate struct {
	Email string `json:"email" maxLength:"254"`
	Role  string `json:"role" enum:"admin,manager,member,client" doc:"client is refused here: invite contacts from their client (create-client-contact)."`
}

// InvitationPreview is what anyone holding an invitation link may see, before signing in.
type InvitationPreview struct {
	OrganizationName string `json:"organization_name"`
	InviterName      string `json:"inviter_name"`
	Email            string `json:"email"`
	// Contact tells the accept page the invitee will use the client portal.
	Contact   bool      `json:"contact" doc:"true when accepting makes the invitee a client contact (the client portal)."`
	Role      string    `json:"role" enum:"admin,manager,member,client"`
	Status    string    `json:"status" enum:"pending,accepted,revoked,expired"`
	ExpiresAt time.Time `json:"expires_at"`
}

// InvitationAccept accepts an invitation with the token from its link.
type InvitationAccept struct {
	Token string `json:"token" minLength:"1" maxLength:"200"`
}

// InvitationAccepted is the membership an accepted invitation created.
type InvitationAccepted struct {
	OrganizationID string  `json:"organization_id" format:"uuid"`
	Role           string  `json:"role" enum:"admin,manager,member,client"`
	ClientID       *string `json:"client_id" format:"uuid" nullable:"true" doc:"Set for a client contact: send them to /client-portal/{organization_id}."`
	EmailVerified  bool    `json:"email_verified" doc:"Whether the user's address is verified now (accepting proves it)."`
}

// InvitationPath addresses one invitation of an organization.
type InvitationPath struct {
	OrgID        string `path:"org_id" format:"uuid" doc:"Organization ID."`
	InvitationID string `path:"invitation_id" format:"uuid" doc:"Invitation ID."`
}

type invitationOutput struct{ Body Invitation }

func (s *Server) registerInvitations() {
	tags := []string{"Invitations"}
	base := "/api/v1/orgs/{org_id}/invitations"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-invitations", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermMembersRead), Summary: "List pending invitations, newest first", Errors: errs,
	}, s.listInvitations)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-invitation", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermMembersManage), DefaultStatus: http.StatusCreated,
		Summary:     "Invite someone by email",
		Description: "Only a verified inviter can invite. The invitation expires after 7 days.",
		Errors:      append(errs, http.StatusConflict, http.StatusUnprocessableEntity),
	}, s.createInvitation)
	huma.Register(s.api, huma.Operation{
		OperationID: "revoke-invitation", Method: http.MethodDelete, Path: base + "/{invitation_id}", Tags: tags,
		Security: security, Extensions: requires(domain.PermMembersManage), DefaultStatus: http.StatusNoContent,
		Summary: "Revoke a pending invitation", Errors: append(errs, http.StatusGone),
	}, s.revokeInvitation)
	huma.Register(s.api, huma.Operation{
		OperationID: "resend-invitation", Method: http.MethodPost, Path: base + "/{invitation_id}/resend", Tags: tags,
		Security: security, Extensions: requires(domain.PermMembersManage),
		Summary:     "Resend a pending invitation",
		Description: "Emails a new link (the old one stops working); the expiry date stays as it was.",
		Errors:      append(errs, http.StatusGone),
	}, s.resendInvitation)
	huma.Register(s.api, huma.Operation{
		OperationID: "preview-invitation", Method: http.MethodGet, Path: "/api/v1/invitations/{token}", Tags: tags,
		Summary: "See an invitation before signing in", Errors: []int{http.StatusNotFound},
	}, s.previewInvitation)
	huma.Register(s.api, huma.Operation{
		OperationID: "accept-invitation", Method: http.MethodPost, Path: "/api/v1/invitations/accept", Tags: tags,
		Security: security, Summary: "Accept an invitation as the signed-in user",
		Description: "The signed-in user's email must be the invited address; accepting verifies that address.",
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
			http.StatusGone, http.StatusUnprocessableEntity},
	}, s.acceptInvitation)
}

func (s *Server) listInvitations(ctx context.Context, in *OrgPath) (*struct{ Body InvitationList }, error) {
	invs, err := s.db.PendingInvitations(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := InvitationList{Data: make([]Invitation, len(invs))}
	for i, inv := range invs {
		out.Data[i] = invitationFrom(inv)
	}
	return &struct{ Body InvitationList }{Body: out}, nil
}

func (s *Server) createInvitation(ctx context.Context, in *struct {
	OrgPath
	Body InvitationCreate
}) (*invitationOutput, error) {
	p := principalFrom(ctx)
	addr, err := inviteeAddress(p, in.Body.Email)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if err := domain.ValidateInvitationRole("body.role", in.Body.Role); err != nil {
		return nil, problem(ctx, err)
	}
	sets, err := s.db.RolePermissionSets(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	// Inviting someone with a role grants its permissions (see changeMemberRole).
	if err := domain.CheckGrantable(p.Permissions, nil, rolePermissions(sets, in.Body.Role)); err != nil {
		return nil, problem(ctx, err)
	}
	inv := &domain.Invitation{OrganizationID: in.OrgID, Email: addr, Role: in.Body.Role, InvitedBy: p.User.ID}
	if err := s.invite(ctx, inv); err != nil {
		return nil, problem(ctx, err)
	}
	return &invitationOutput{Body: invitationFrom(inv)}, nil
}

// inviteeAddress checks that p may invite people (a verified address) and normalises the invitee's.
// Errors: EFORBIDDEN, EINVALID.
func inviteeAddress(p *principal, email string) (string, error) {
	if p.User.EmailVerifiedAt == nil {
		return "", domain.Errorf(domain.EFORBIDDEN, "Verify your email address before inviting people.")
	}
	addr := domain.NormalizeEmail(email)
	return addr, domain.ValidateEmail("body.email", addr)
}

// invite stores inv (staff or a client's contact) and sends its link. The expiry timer and the email commit
// with the invitation (the workflow outbox): a Temporal outage delays them, never loses them. The accept
// path checks expires_at itself, so a late timer never lets an old invitation through.
func (s *Server) invite(ctx context.Context, inv *domain.Invitation) error {
	token, hash, err := s.newInvitationToken()
	if err != nil {
		return err
	}
	org, err := s.db.Organization(ctx, inv.OrganizationID)
	if err != nil {
		return err
	}
	inviter := principalFrom(ctx).User
	var expiry domain.WorkflowStart
	var mail []queuedEmail
	err = s.db.Atomically(ctx, inv.OrganizationID, inviter.ID, func(ctx context.Context) (err error) {
		if err := s.db.CreateInvitation(ctx, inv, hash); err != nil {
			return err
		}
		if err := s.db.RecordAudit(ctx, inv.OrganizationID, invitationAudit(inv, domain.AuditMemberInvited,
			domain.AuditClientContactInvited)); err != nil {
			return err
		}
		expiry = domain.InvitationExpiryStart(*inv)
		if err := s.db.EnqueueStarts(ctx, &expiry); err != nil {
			return err
		}
		mail, err = s.queueEmails(ctx, s.invitationEmail(org.Name, inv, inviter.Name, token, "invitation/"+inv.ID))
		return err
	})
	if err != nil {
		return err
	}
	s.startNow(ctx, expiry, func(ctx context.Context) error { return s.Workflows.StartInvitationExpiry(ctx, *inv) })
	s.sendQueued(ctx, mail)
	return nil
}

// invitationAudit is the audit row of an invitation change: staffAction for a staff invitation (entity
// invitation), contactAction for a client contact's (entity client, the portal the contact would enter).
func invitationAudit(inv *domain.Invitation, staffAction, contactAction string) domain.AuditEntry {
	meta := map[string]any{"invitation_id": inv.ID, "email": inv.Email, "role": inv.Role}
	if inv.ClientID != "" {
		return domain.AuditEntry{Action: contactAction, EntityType: "client", EntityID: inv.ClientID, Metadata: meta}
	}
	return domain.AuditEntry{Action: staffAction, EntityType: "invitation", EntityID: inv.ID, Metadata: meta}
}

func (s *Server) revokeInvitation(ctx context.Context, in *InvitationPath) (*struct{}, error) {
	return s.revoke(ctx, in.OrgID, func(ctx context.Context) (*domain.Invitation, error) {
		return s.db.RevokeInvitation(ctx, in.OrgID, in.InvitationID)
	})
}

// revoke runs revoke (a store revocation) and tells the invitee, in one transaction, then cuts the expiry
// timer short.
func (s *Server) revoke(ctx context.Context, orgID string, revoke func(context.Context) (*domain.Invitation, error)) (*struct{}, error) {
	org, err := s.db.Organization(ctx, orgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	var inv *domain.Invitation
	var mail []queuedEmail
	err = s.db.Atomically(ctx, orgID, principalFrom(ctx).User.ID, func(ctx context.Context) (err error) {
		if inv, err = revoke(ctx); err != nil {
			return err
		}
		if err := s.db.RecordAudit(ctx, orgID, invitationAudit(inv, domain.AuditMemberInvitationRevoked,
			domain.AuditClientContactInvitationRevoked)); err != nil {
			return err
		}
		mail, err = s.queueEmails(ctx, invitationEmailRequest(org.Name, inv, "invitation-revoked/"+inv.ID,
			domain.EmailInvitationRevoked, nil))
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	// Best-effort: the signal only cuts the timer short. A missed one is harmless because the expiry
	// workflow's update touches the invitation only while it is still pending (store.ExpireInvitation).
	if err := s.Workflows.InvitationRevoked(ctx, inv.ID); err != nil {
		s.logger.WarnContext(ctx, "signal invitation revoked", "err", err, "invitation_id", inv.ID)
	}
	s.sendQueued(ctx, mail)
	return &struct{}{}, nil
}

func (s *Server) resendInvitation(ctx context.Context, in *InvitationPath) (*invitationOutput, error) {
	token, hash, err := s.newInvitationToken()
	if err != nil {
		return nil, problem(ctx, err)
	}
	org, err := s.db.Organization(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	p := principalFrom(ctx)
	var inv *domain.Invitation
	var mail []queuedEmail
	err = s.db.Atomically(ctx, in.OrgID, p.User.ID, func(ctx context.Context) (err error) {
		if inv, err = s.db.ResendInvitation(ctx, in.OrgID, in.InvitationID, hash); err != nil {
			return err
		}
		if err := s.db.RecordAudit(ctx, in.OrgID, invitationAudit(inv, domain.AuditMemberInvitationResent,
			domain.AuditMemberInvitationResent)); err != nil {
			return err
		}
		// Each resend is its own email: the key carries the new token's hash prefix.
		mail, err = s.queueEmails(ctx, s.invitationEmail(org.Name, inv, p.User.Name, token,
			"invitation/"+inv.ID+"/"+base64.RawURLEncoding.EncodeToString(hash[:9])))
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.sendQueued(ctx, mail)
	return &invitationOutput{Body: invitationFrom(inv)}, nil
}

func (s *Server) previewInvitation(ctx context.Context, in *struct {
	Token string `path:"token" maxLength:"200"`
}) (*struct{ Body InvitationPreview }, error) {
	pv, err := s.db.InvitationByToken(ctx, s.tokenHash(in.Token))
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body InvitationPreview }{Body: InvitationPreview{OrganizationName: pv.OrganizationName,
		InviterName: pv.InviterName, Email: pv.Email, Contact: pv.ClientID != "", Role: pv.Role, Status: pv.EffectiveStatus(time.Now()),
		ExpiresAt: pv.ExpiresAt}}, nil
}

func (s *Server) acceptInvitation(ctx context.Context, in *struct{ Body InvitationAccept }) (*struct{ Body InvitationAccepted }, error) {
	u := principalFrom(ctx).User
	inv, verified, err := s.db.AcceptInvitation(ctx, s.tokenHash(in.Body.Token), u.ID, func(inv *domain.Invitation) error {
		return inv.CheckAcceptable(u.Email, time.Now())
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	// Best-effort signals: each only cuts a timer short. The expiry workflow updates the invitation only
	// while it is pending, and the welcome workflow re-reads the user before its reminder.
	if err := s.Workflows.InvitationAccepted(ctx, inv.ID); err != nil {
		s.logger.WarnContext(ctx, "signal invitation accepted", "err", err, "invitation_id", inv.ID)
	}
	if verified {
		if err := s.Workflows.EmailVerified(ctx, u.ID); err != nil {
			s.logger.WarnContext(ctx, "signal welcome workflow", "err", err, "user_id", u.ID)
		}
	}
	return &struct{ Body InvitationAccepted }{Body: InvitationAccepted{OrganizationID: inv.OrganizationID, Role: inv.Role,
		ClientID: optional(inv.ClientID), EmailVerified: verified || u.EmailVerifiedAt != nil}}, nil
}

// newInvitationToken mints a random link token and the hash stored for it (keyed like session tokens).
func (s *Server) newInvitationToken() (token string, hash []byte, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(raw)
	return token, s.tokenHash(token), nil
}

// invitationEmail is the email that gives the invitee the accept link.
func (s *Server) invitationEmail(orgName string, inv *domain.Invitation, inviterName, token, key string) domain.EmailRequest {
	return invitationEmailRequest(orgName, inv, key, domain.EmailInvitation, map[string]string{
		"InviterName": inviterName,
		"Role":        inv.Role,
		"ExpiresAt":   inv.ExpiresAt.UTC().Format("2 January 2006, 15:04 MST"),
		"AcceptURL":   s.cfg.AppURL + "/invitations/accept?token=" + url.QueryEscape(token),
	})
}

// invitationEmailRequest is one email about an invitation to the invitee; a client contact's carries the
// organization's branding (it goes to the agency's client).
func invitationEmailRequest(orgName string, inv *domain.Invitation, key, template string, data map[string]string) domain.EmailRequest {
	all := map[string]string{"OrgName": orgName, "Email": inv.Email}
	for k, v := range data {
		all[k] = v
	}
	req := domain.EmailRequest{Key: key, To: inv.Email, Template: template, Data: all}
	if inv.ClientID != "" {
		req.BrandOrg = inv.OrganizationID
	}
	return req
}
