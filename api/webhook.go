package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// WebhookEndpoint is an outbound webhook endpoint. Its signing secret is never part of it: the secret is
// shown once, when it is made (create and rotate-secret).
type WebhookEndpoint struct {
	ID          string   `json:"id" format:"uuid"`
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events" doc:"The event types delivered to this endpoint."`
	Enabled     bool     `json:"enabled"`
	// DisabledReason says why a disabled endpoint receives nothing.
	DisabledReason *string    `json:"disabled_reason" nullable:"true" enum:"manual,gone,failing" doc:"Why the endpoint is disabled: manual (switched off), gone (the receiver answered 410), failing (every delivery failed for 24 hours); null while enabled."`
	FailingSince   *time.Time `json:"failing_since" nullable:"true" doc:"Start of the current run of failed deliveries; null after a success."`
	// SecretRotatedUntil is the end of a rotation's grace period.
	SecretRotatedUntil *time.Time                   `json:"secret_rotated_until" nullable:"true" doc:"Until then deliveries are signed with the previous secret too (a second v1); null when only the current secret signs."`
	CreatedAt          time.Time                    `json:"created_at"`
	UpdatedAt          time.Time                    `json:"updated_at"`
	LastDelivery       *WebhookEndpointLastDelivery `json:"last_delivery" doc:"The newest delivery; null before the first."`
}

// WebhookEndpointLastDelivery is the status and time of an endpoint's newest delivery.
type WebhookEndpointLastDelivery struct {
	_      struct{}  `nullable:"true"` // null before the first delivery
	Status string    `json:"status" enum:"pending,delivered,failed"`
	At     time.Time `json:"at" doc:"When it completed, or was created while still pending."`
}

func webhookEndpointFrom(e *store.WebhookEndpoint) WebhookEndpoint {
	out := WebhookEndpoint{ID: e.ID, URL: e.URL, Description: e.Description, Events: e.Events, Enabled: e.Enabled,
		DisabledReason: e.DisabledReason, FailingSince: e.FailingSince, SecretRotatedUntil: e.SecretRotatedUntil,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if out.Events == nil {
		out.Events = []string{}
	}
	if l := e.LastDelivery; l != nil {
		out.LastDelivery = &WebhookEndpointLastDelivery{Status: l.Status, At: l.At}
	}
	return out
}

// WebhookEndpointList is an organization's endpoints, oldest first.
type WebhookEndpointList struct {
	Data       []WebhookEndpoint `json:"data"`
	NextCursor *string           `json:"next_cursor" doc:"Always null: every endpoint fits on one page."`
}

// webhookEventsDoc names the event types in the message refusing an unknown one.
var webhookEventsDoc = "The types are: " + strings.Join(domain.WebhookEventTypes, ", ") + "."

// WebhookEndpointCreate creates an endpoint.
type WebhookEndpointCreate struct {
	URL         string   `json:"url" minLength:"1" maxLength:"2048" doc:"The http(s) URL deliveries are POSTed to; private, loopback and reserved addresses are refused."`
	Description string   `json:"description,omitempty" maxLength:"500"`
	Events      []string `json:"events" minItems:"1" maxItems:"12" uniqueItems:"true" doc:"The event types to deliver; each needs the read permission of its entity (project.* projects.read, task.* tasks.read, client.* clients.read, invoice.* invoices.read, team.* members.read). One or more of: project.created, project.updated, project.deleted, task.created, task.updated, task.completed, client.created, client.updated, invoice.paid, invoice.overdue, team.member_added, team.member_removed."`
	Enabled     *bool    `json:"enabled,omitempty" doc:"Defaults to true."`
}

// WebhookEndpointUpdate changes the fields it carries. Enabling clears disabled_reason and failing_since.
type WebhookEndpointUpdate struct {
	URL         *string  `json:"url,omitempty" minLength:"1" maxLength:"2048"`
	Description *string  `json:"description,omitempty" maxLength:"500"`
	Events      []string `json:"events,omitempty" minItems:"1" maxItems:"12" uniqueItems:"true" doc:"Replaces the subscribed event types. Changing events or url needs the read permission of every subscribed event's entity, as on create."`
	Enabled     *bool    `json:"enabled,omitempty"`
}

// WebhookEndpointWithSecret is an endpoint with its signing secret, answered only when the secret is made.
type WebhookEndpointWithSecret struct {
	Endpoint WebhookEndpoint `json:"endpoint"`
	Secret   string          `json:"secret" doc:"The signing secret (whsec_…), shown only now. The HMAC-SHA256 key is this whole string."`
}

// WebhookSecretRotate rotates an endpoint's signing secret.
type WebhookSecretRotate struct {
	GraceHours *int `json:"grace_hours,omitempty" minimum:"0" maximum:"168" doc:"How long the old secret keeps signing beside the new one; default 24, 0 drops it at once."`
}

// WebhookEndpointPath addresses one endpoint of an organization.
type WebhookEndpointPath struct {
	OrgID      string `path:"org_id" format:"uuid" doc:"Organization ID."`
	EndpointID string `path:"endpoint_id" format:"uuid" doc:"Webhook endpoint ID."`
}

type webhookEndpointOutput struct{ Body WebhookEndpoint }

type webhookSecretOutput = secretOutput[WebhookEndpointWithSecret]

// webhookGate is the permission and plan feature every webhook route needs.
func webhookGate() map[string]any {
	return withExtensions(requires(domain.PermWebhooksManage), needsFeature(domain.FeatureAPIAccess))
}

func (s *Server) registerWebhooks() {
	base := "/api/v1/orgs/{org_id}/webhooks"
	one := base + "/{endpoint_id}"
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "list-webhook-endpoints", Method: http.MethodGet,
		Path: base, Summary: "List webhook endpoints, oldest first"}), s.listWebhookEndpoints)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "create-webhook-endpoint", Method: http.MethodPost,
		Path: base, Summary: "Create a webhook endpoint", DefaultStatus: http.StatusCreated,
		Description: "Answers the endpoint and its signing secret, which is shown only this once.",
		Errors:      []int{http.StatusUnprocessableEntity}}), s.createWebhookEndpoint)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "get-webhook-endpoint", Method: http.MethodGet,
		Path: one, Summary: "Get a webhook endpoint"}), s.getWebhookEndpoint)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "update-webhook-endpoint", Method: http.MethodPatch,
		Path: one, Summary: "Update a webhook endpoint",
		Description: "Enabling a disabled endpoint clears disabled_reason and failing_since.",
		Errors:      []int{http.StatusUnprocessableEntity}}), s.updateWebhookEndpoint)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "delete-webhook-endpoint", Method: http.MethodDelete,
		Path: one, Summary: "Delete a webhook endpoint and its delivery log", DefaultStatus: http.StatusNoContent}),
		s.deleteWebhookEndpoint)
	huma.Register(s.api, s.webhookOp(huma.Operation{OperationID: "rotate-webhook-secret", Method: http.MethodPost,
		Path: one + "/rotate-secret", Summary: "Rotate a webhook endpoint's signing secret",
		Description: "Answers the new secret, shown only this once. The old secret keeps signing beside it " +
			"(a second v1 in X-ClientFlow-Signature) until secret_rotated_until.",
		Errors: []int{http.StatusUnprocessableEntity}}), s.rotateWebhookSecret)
	s.registerWebhookDeliveries(one)
}

// webhookOp completes a webhook operation with the tag, security, gate and the errors every one can answer.
func (s *Server) webhookOp(op huma.Operation) huma.Operation {
	op.Tags, op.Security, op.Extensions = []string{"Webhooks"}, security, webhookGate()
	op.Errors = append([]int{http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden,
		http.StatusNotFound}, op.Errors...)
	return op
}

func (s *Server) listWebhookEndpoints(ctx context.Context, in *OrgPath) (*struct{ Body WebhookEndpointList }, error) {
	es, err := s.db.WebhookEndpoints(ctx, in.OrgID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := WebhookEndpointList{Data: make([]WebhookEndpoint, len(es))}
	for i, e := range es {
		out.Data[i] = webhookEndpointFrom(e)
	}
	return &struct{ Body WebhookEndpointList }{Body: out}, nil
}

func (s *Server) createWebhookEndpoint(ctx context.Context, in *struct {
	OrgPath
	Body WebhookEndpointCreate
}) (*webhookSecretOutput, error) {
	b := in.Body
	e := &store.WebhookEndpoint{URL: strings.TrimSpace(b.URL), Description: strings.TrimSpace(b.Description),
		Events: b.Events, Enabled: b.Enabled == nil || *b.Enabled}
	if err := s.validateWebhookEndpoint(e); err != nil {
		return nil, problem(ctx, err)
	}
	if err := checkWebhookEventAccess(principalFrom(ctx).Permissions, e.Events); err != nil {
		return nil, problem(ctx, err)
	}
	secret, sealed, err := s.newWebhookSecret()
	if err != nil {
		return nil, problem(ctx, err)
	}
	if err := s.db.CreateWebhookEndpoint(ctx, in.OrgID, principalFrom(ctx).User.ID, e, sealed); err != nil {
		return nil, problem(ctx, err)
	}
	return &webhookSecretOutput{CacheControl: noStore, Body: WebhookEndpointWithSecret{Endpoint: webhookEndpointFrom(e), Secret: secret}}, nil
}

func (s *Server) getWebhookEndpoint(ctx context.Context, in *WebhookEndpointPath) (*webhookEndpointOutput, error) {
	e, err := s.db.WebhookEndpoint(ctx, in.OrgID, in.EndpointID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &webhookEndpointOutput{Body: webhookEndpointFrom(e)}, nil
}

func (s *Server) updateWebhookEndpoint(ctx context.Context, in *struct {
	WebhookEndpointPath
	Body WebhookEndpointUpdate
}) (*webhookEndpointOutput, error) {
	b, held := in.Body, principalFrom(ctx).Permissions
	e, err := s.db.UpdateWebhookEndpoint(ctx, in.OrgID, in.EndpointID, func(e *store.WebhookEndpoint) error {
		if b.URL != nil {
			e.URL = strings.TrimSpace(*b.URL)
		}
		if b.Description != nil {
			e.Description = strings.TrimSpace(*b.Description)
		}
		if b.Events != nil {
			e.Events = b.Events
		}
		if b.Enabled != nil {
			e.Enabled = *b.Enabled
		}
		if err := s.validateWebhookEndpoint(e); err != nil {
			return err
		}
		// Pointing an endpoint elsewhere or changing its events decides who receives the payloads: the caller
		// must be able to read every event it then subscribes to (also those kept from before).
		if b.URL != nil || b.Events != nil {
			return checkWebhookEventAccess(held, e.Events)
		}
		return nil
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &webhookEndpointOutput{Body: webhookEndpointFrom(e)}, nil
}

func (s *Server) deleteWebhookEndpoint(ctx context.Context, in *WebhookEndpointPath) (*struct{}, error) {
	if err := s.db.DeleteWebhookEndpoint(ctx, in.OrgID, in.EndpointID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// defaultWebhookGrace is how long a rotated-out secret keeps signing when the request names no grace.
const defaultWebhookGrace = 24

func (s *Server) rotateWebhookSecret(ctx context.Context, in *struct {
	WebhookEndpointPath
	Body *WebhookSecretRotate
}) (*webhookSecretOutput, error) {
	grace := defaultWebhookGrace
	if in.Body != nil && in.Body.GraceHours != nil {
		grace = *in.Body.GraceHours
	}
	secret, sealed, err := s.newWebhookSecret()
	if err != nil {
		return nil, problem(ctx, err)
	}
	e, err := s.db.RotateWebhookSecret(ctx, in.OrgID, in.EndpointID, sealed, time.Duration(grace)*time.Hour)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &webhookSecretOutput{CacheControl: noStore, Body: WebhookEndpointWithSecret{Endpoint: webhookEndpointFrom(e), Secret: secret}}, nil
}

// validateWebhookEndpoint checks what a create or update sets: the URL (scheme, host, no private or
// loopback literal unless WEBHOOK_ALLOW_LOOPBACK), and the event types (non-empty, known, no repeats).
// Errors: EINVALID naming the field.
func (s *Server) validateWebhookEndpoint(e *store.WebhookEndpoint) error {
	if err := domain.ValidateWebhookURL(e.URL, s.cfg.WebhookAllowLoopback); err != nil {
		// The domain names the field "url"; the API's locations are body.<field>.
		var de *domain.Error
		if errors.As(err, &de) {
			for i := range de.Fields {
				de.Fields[i].Field = "body." + de.Fields[i].Field
			}
		}
		return err
	}
	if len(e.Events) == 0 {
		return domain.Invalid("body.events", "Choose at least one event type.")
	}
	seen := map[string]bool{}
	for i, ev := range e.Events {
		if !domain.IsWebhookEvent(ev) {
			return domain.Invalid(fmt.Sprintf("body.events[%d]", i), fmt.Sprintf("%q is not a webhook event type. %s",
				ev, webhookEventsDoc))
		}
		if seen[ev] {
			return domain.Invalid(fmt.Sprintf("body.events[%d]", i), fmt.Sprintf("%q is listed twice.", ev))
		}
		seen[ev] = true
	}
	return nil
}

// checkWebhookEventAccess refuses events whose payloads the caller may not read (their entity's read
// permission, domain.WebhookEventPermission), naming them and the missing permission, as an API key's scopes
// beyond its creator's are refused. held is the principal's effective permissions (an API key's are already
// narrowed to its scopes). Errors: EINVALID on body.events.
func checkWebhookEventAccess(held []domain.Permission, events []string) error {
	missing, byPerm := domain.WebhookEventsUnreadable(held, events)
	if len(missing) == 0 {
		return nil
	}
	parts := make([]string, len(missing))
	for i, p := range missing {
		parts[i] = string(p) + " (for " + strings.Join(byPerm[p], ", ") + ")"
	}
	return domain.Invalid("body.events", "An endpoint cannot receive what you may not read: you do not hold "+
		strings.Join(parts, "; ")+".")
}

// newWebhookSecret mints a signing secret ("whsec_" + 32 random bytes, base64url) and seals it under
// SESSION_SECRET for the row. The whole string, prefix included, is the HMAC key: a receiver pastes what it
// was shown and signs with it, nothing to decode.
func (s *Server) newWebhookSecret() (secret string, sealed []byte, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	secret = "whsec_" + base64.RawURLEncoding.EncodeToString(raw)
	sealed, err = domain.SealWebhookSecret(s.cfg.SessionSecret, []byte(secret))
	return secret, sealed, err
}
