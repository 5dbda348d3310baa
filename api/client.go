package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// Client is a customer of the agency.
type Client struct {
	ID      string `json:"id" format:"uuid"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Phone   string `json:"phone"`
	Company string `json:"company"`
	Website string `json:"website"`
	Notes   string `json:"notes"`
	Status  string `json:"status" enum:"active,archived"`
	// PortalEnabled opens the client portal to the client's contacts.
	PortalEnabled   bool       `json:"portal_enabled"`
	PortalEnabledAt *time.Time `json:"portal_enabled_at" nullable:"true" doc:"When the portal was last switched on; null while off."`
	ContactCount    int        `json:"contact_count" doc:"How many people are contacts of this client."`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func clientFrom(c *domain.Client) Client {
	return Client{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, Company: c.Company, Website: c.Website,
		Notes: c.Notes, Status: c.Status, PortalEnabled: c.PortalEnabled, PortalEnabledAt: c.PortalEnabledAt,
		ContactCount: c.ContactCount, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// ClientList is one page of clients.
type ClientList struct {
	Data       []Client `json:"data"`
	NextCursor *string  `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

// ClientCreate creates a client. Only name is required.
type ClientCreate struct {
	Name    string `json:"name" minLength:"1" maxLength:"200"`
	Email   string `json:"email,omitempty" maxLength:"254"`
	Phone   string `json:"phone,omitempty" maxLength:"50"`
	Company string `json:"company,omitempty" maxLength:"200"`
	Website string `json:"website,omitempty" maxLength:"2048"`
	Notes   string `json:"notes,omitempty" maxLength:"10000"`
	Status  string `json:"status,omitempty" enum:"active,archived"`
}

// ClientUpdate changes the fields it carries and leaves the rest.
type ClientUpdate struct {
	Name    *string `json:"name,omitempty" minLength:"1" maxLength:"200"`
	Email   *string `json:"email,omitempty" maxLength:"254"`
	Phone   *string `json:"phone,omitempty" maxLength:"50"`
	Company *string `json:"company,omitempty" maxLength:"200"`
	Website *string `json:"website,omitempty" maxLength:"2048"`
	Notes   *string `json:"notes,omitempty" maxLength:"10000"`
	Status  *string `json:"status,omitempty" enum:"active,archived"`
	// PortalEnabled true opens the client portal to the client's contacts and tells them (once per enabling).
	PortalEnabled *bool `json:"portal_enabled,omitempty" doc:"true opens the client portal to the client's contacts and emails them; needs the client_portal plan feature."`
}

// ClientPath addresses one client of an organization.
type ClientPath struct {
	OrgID    string `path:"org_id" format:"uuid" doc:"Organization ID."`
	ClientID string `path:"client_id" format:"uuid" doc:"Client ID."`
}

type clientOutput struct{ Body Client }

func (s *Server) registerClients() {
	tags := []string{"Clients"}
	base := "/api/v1/orgs/{org_id}/clients"
	errs := []int{http.StatusUnauthorized, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-clients", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermClientsRead),
		Summary:    "List clients, newest first", Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.listClients)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-client", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Extensions: requires(domain.PermClientsWrite),
		Summary:    "Create a client", DefaultStatus: http.StatusCreated,
		Description: "Send an Idempotency-Key header to make retries safe: a repeat returns the first response.",
		Errors:      append(errs, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity),
	}, s.createClient)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-client", Method: http.MethodGet, Path: base + "/{client_id}", Tags: tags, Security: security,
		Extensions: requires(domain.PermClientsRead),
		Summary:    "Get a client", Errors: errs,
	}, s.getClient)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-client", Method: http.MethodPatch, Path: base + "/{client_id}", Tags: tags, Security: security,
		Extensions: requires(domain.PermClientsWrite),
		Summary:    "Update a client",
		Errors:     append(errs, http.StatusPaymentRequired, http.StatusForbidden, http.StatusUnprocessableEntity),
	}, s.updateClient)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-client", Method: http.MethodDelete, Path: base + "/{client_id}", Tags: tags, Security: security,
		Extensions: requires(domain.PermClientsDelete),
		Summary:    "Delete a client", DefaultStatus: http.StatusNoContent, Errors: append(errs, http.StatusForbidden),
	}, s.deleteClient)
}

func (s *Server) listClients(ctx context.Context, in *struct {
	OrgPath
	Q      string `query:"q" maxLength:"200" doc:"Case-insensitive match on name, email and company."`
	Status string `query:"status" enum:"active,archived"`
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor" maxLength:"200"`
}) (*struct{ Body ClientList }, error) {
	cs, next, err := s.db.Clients(ctx, in.OrgID, domain.ClientFilter{Query: in.Q, Status: in.Status, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := ClientList{Data: make([]Client, len(cs))}
	for i, c := range cs {
		out.Data[i] = clientFrom(c)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body ClientList }{Body: out}, nil
}

func (s *Server) createClient(ctx context.Context, in *struct {
	OrgPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes the create safe to retry."`
	Body           ClientCreate
}) (*clientOutput, error) {
	p := principalFrom(ctx)
	create := func(ctx context.Context) (int, any, error) {
		b := in.Body
		c := &domain.Client{Name: b.Name, Email: b.Email, Phone: b.Phone, Company: b.Company, Website: b.Website,
			Notes: b.Notes, Status: b.Status}
		if err := s.db.CreateClient(ctx, in.OrgID, p.User.ID, c); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, clientFrom(c), nil
	}
	if in.IdempotencyKey == "" {
		_, body, err := create(ctx)
		if err != nil {
			return nil, problem(ctx, err)
		}
		return &clientOutput{Body: body.(Client)}, nil
	}
	reqJSON, _ := json.Marshal(in.Body)
	hash := sha256.Sum256(reqJSON)
	res, err := s.db.Idempotent(ctx, in.OrgID, p.User.ID, in.IdempotencyKey, "create-client", hash[:], create)
	if err != nil {
		return nil, problem(ctx, err)
	}
	var out clientOutput
	if err := json.Unmarshal(res.Body, &out.Body); err != nil {
		return nil, problem(ctx, err)
	}
	return &out, nil
}

func (s *Server) getClient(ctx context.Context, in *ClientPath) (*clientOutput, error) {
	c, err := s.db.Client(ctx, in.OrgID, in.ClientID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &clientOutput{Body: clientFrom(c)}, nil
}

func (s *Server) updateClient(ctx context.Context, in *struct {
	ClientPath
	Body ClientUpdate
}) (*clientOutput, error) {
	b := in.Body
	// Switching the portal off stays possible after a downgrade; switching it on needs the feature.
	if b.PortalEnabled != nil && *b.PortalEnabled && !slices.Contains(principalFrom(ctx).Features, domain.FeatureClientPortal) {
		return nil, problem(ctx, domain.FeatureUnavailable(domain.FeatureClientPortal))
	}
	upd := domain.ClientUpdate{Name: b.Name, Email: b.Email, Phone: b.Phone, Company: b.Company, Website: b.Website,
		Notes: b.Notes, Status: b.Status, PortalEnabled: b.PortalEnabled}
	c, err := s.db.UpdateClient(ctx, in.OrgID, principalFrom(ctx).User.ID, in.ClientID, func(c *domain.Client) { upd.Apply(c) })
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &clientOutput{Body: clientFrom(c)}, nil
}

func (s *Server) deleteClient(ctx context.Context, in *ClientPath) (*struct{}, error) {
	if err := s.db.DeleteClient(ctx, in.OrgID, principalFrom(ctx).User.ID, in.ClientID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}
