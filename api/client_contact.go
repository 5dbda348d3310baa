package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// ClientContact is a person who follows a client's projects in the client portal.
type ClientContact struct {
	UserID   string    `json:"user_id" format:"uuid"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Status   string    `json:"status" enum:"active,suspended"`
	JoinedAt time.Time `json:"joined_at"`
}

// ClientContactList is a client's contacts (longest-standing first) and the pending invitations that
// would add more (newest first).
type ClientContactList struct {
	Data        []ClientContact `json:"data"`
	Invitations []Invitation    `json:"invitations"`
}

// ClientContactCreate invites an address as a contact of the client.
type ClientContactCreate struct {
	Email string `json:"email" maxLength:"254"`
}

// ContactInvitationPath addresses one pending invitation to become a contact of a client.
type ContactInvitationPath struct {
	ClientPath
	InvitationID string `path:"invitation_id" format:"uuid" doc:"Invitation ID."`
}

// ClientContactPath addresses one contact of a client by their user ID.
type ClientContactPath struct {
	ClientPath
	UserID string `path:"user_id" format:"uuid" doc:"The contact's user ID."`
}

func (s *Server) registerClientContacts() {
	tags := []string{"Clients"}
	base := "/api/v1/orgs/{org_id}/clients/{client_id}/contacts"
	errs := []int{http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-client-contacts", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: withExtensions(requires(domain.PermClientsRead), needsFeature(domain.FeatureClientPortal)),
		Summary:    "List a client's contacts and pending contact invitations", Errors: errs,
	}, s.listClientContacts)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-client-contact", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Extensions:    withExtensions(requires(domain.PermClientsWrite), needsFeature(domain.FeatureClientPortal)),
		DefaultStatus: http.StatusCreated,
		Summary:       "Invite someone as a contact of the client",
		Description: "Emails an invitation (role client, linked to this client) that expires after 7 days; accepting it " +
			"opens the client portal to them. An address that is already a member of the organization, staff or " +
			"another client's contact, answers 409. Only a verified inviter can invite.",
		Errors: append(errs, http.StatusConflict, http.StatusUnprocessableEntity),
	}, s.createClientContact)
	huma.Register(s.api, huma.Operation{
		OperationID: "remove-client-contact", Method: http.MethodDelete, Path: base + "/{user_id}", Tags: tags,
		Security: security, DefaultStatus: http.StatusNoContent,
		Extensions: withExtensions(requires(domain.PermClientsWrite), needsFeature(domain.FeatureClientPortal)),
		Summary:    "Remove a contact from the client",
		Description: "Ends their membership of the organization: the portal (and everything else here) answers 404 " +
			"to them from their next request.",
		Errors: errs,
	}, s.removeClientContact)
	huma.Register(s.api, huma.Operation{
		OperationID: "revoke-client-contact-invitation", Method: http.MethodDelete, Path: base + "/invitations/{invitation_id}",
		Tags: tags, Security: security, DefaultStatus: http.StatusNoContent,
		Extensions: withExtensions(requires(domain.PermClientsWrite), needsFeature(domain.FeatureClientPortal)),
		Summary:    "Revoke a pending invitation to become a contact of the client",
		Errors:     append(errs, http.StatusGone),
	}, s.revokeClientContactInvitation)
}

func (s *Server) listClientContacts(ctx context.Context, in *ClientPath) (*struct{ Body ClientContactList }, error) {
	contacts, invs, err := s.db.ClientContacts(ctx, in.OrgID, in.ClientID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ClientContactList{Data: make([]ClientContact, len(contacts)), Invitations: make([]Invitation, len(invs))}
	for i, c := range contacts {
		out.Data[i] = ClientContact{UserID: c.UserID, Name: c.Name, Email: c.Email, Status: c.Status, JoinedAt: c.JoinedAt}
	}
	for i, inv := range invs {
		out.Invitations[i] = invitationFrom(inv)
	}
	return &struct{ Body ClientContactList }{Body: out}, nil
}

func (s *Server) createClientContact(ctx context.Context, in *struct {
	ClientPath
	Body ClientContactCreate
}) (*invitationOutput, error) {
	p := principalFrom(ctx)
	addr, err := inviteeAddress(p, in.Body.Email)
	if err != nil {
		return nil, problem(ctx, err)
	}
	inv := domain.ContactInvitation(in.OrgID, in.ClientID, addr, p.User.ID)
	if err := s.invite(ctx, inv); err != nil {
		return nil, problem(ctx, err)
	}
	return &invitationOutput{Body: invitationFrom(inv)}, nil
}

func (s *Server) revokeClientContactInvitation(ctx context.Context, in *ContactInvitationPath) (*struct{}, error) {
	return s.revoke(ctx, in.OrgID, func(ctx context.Context) (*domain.Invitation, error) {
		return s.db.RevokeContactInvitation(ctx, in.OrgID, in.ClientID, in.InvitationID)
	})
}

func (s *Server) removeClientContact(ctx context.Context, in *ClientContactPath) (*struct{}, error) {
	if err := s.db.RemoveClientContact(ctx, in.OrgID, principalFrom(ctx).User.ID, in.ClientID, in.UserID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}
