package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Organization is a workspace (tenant).
type Organization struct {
	ID        string    `json:"id" format:"uuid"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func organizationFrom(o *domain.Organization) Organization {
	return Organization{ID: o.ID, Name: o.Name, Slug: o.Slug, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
}

// Membership is one organization the user belongs to and their role there.
type Membership struct {
	Organization Organization `json:"organization"`
	Role         string       `json:"role" enum:"owner,admin,manager,member,client"`
	// Permissions are the member's effective permissions here; the SPA hides what is not allowed.
	Permissions []domain.Permission `json:"permissions"`
	ClientID    *string             `json:"client_id" format:"uuid" nullable:"true" doc:"The client a contact (role client) belongs to: they use the client portal. Null for staff."`
	Features    []string            `json:"features" doc:"The organization's plan features; the SPA shows an upgrade prompt for the others."`
	// HeldBy names who can do what this member cannot, so the SPA's disabled controls can say whom to ask.
	HeldBy map[string][]string `json:"held_by" doc:"For each permission this member lacks: the roles that hold it here, most powerful first (owner always)."`
}

// OrganizationCreate creates a workspace.
type OrganizationCreate struct {
	Name string `json:"name" minLength:"1" maxLength:"100"`
}

// OrgPath is the organization in a tenant route.
type OrgPath struct {
	OrgID string `path:"org_id" format:"uuid" doc:"Organization ID."`
}

func (s *Server) registerOrganizations() {
	huma.Register(s.api, huma.Operation{
		OperationID: "create-organization", Method: http.MethodPost, Path: "/api/v1/orgs", Tags: []string{"Organizations"},
		Summary: "Create an organization (you become its owner)", DefaultStatus: http.StatusCreated, Security: security,
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, s.createOrganization)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-organization", Method: http.MethodGet, Path: "/api/v1/orgs/{org_id}", Tags: []string{"Organizations"},
		Summary: "Get an organization you belong to", Security: security, Extensions: portalRoute(),
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.getOrganization)
}

func (s *Server) createOrganization(ctx context.Context, in *struct{ Body OrganizationCreate }) (*struct{ Body Organization }, error) {
	name := strings.TrimSpace(in.Body.Name)
	if err := domain.ValidateName("body.name", name, 100); err != nil {
		return nil, problem(ctx, err)
	}
	// The Subscription workflow (trial reminder and end) and the due-date reminders commit with the
	// organization (the workflow outbox), so they run even when Temporal was down at creation.
	var org *domain.Organization
	var sub, due domain.WorkflowStart
	err := s.db.Atomically(ctx, "", "", func(ctx context.Context) (err error) {
		if org, err = s.db.CreateOrganization(ctx, name, principalFrom(ctx).User.ID); err != nil {
			return err
		}
		sub, due = domain.SubscriptionStart(org.ID), domain.DueRemindersStart(org.ID)
		return s.db.EnqueueStarts(ctx, &sub, &due)
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.startNow(ctx, sub, func(ctx context.Context) error { return s.Workflows.StartSubscription(ctx, org.ID) })
	s.startNow(ctx, due, func(ctx context.Context) error { return s.Workflows.StartDueReminders(ctx, org.ID) })
	return &struct{ Body Organization }{Body: organizationFrom(org)}, nil
}

func (s *Server) getOrganization(ctx context.Context, in *OrgPath) (*struct{ Body Organization }, error) {
	org, err := s.db.Organization(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body Organization }{Body: organizationFrom(org)}, nil
}
