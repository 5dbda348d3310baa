package api

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// PushSubscription is one browser subscribed to the caller's web push notifications. The keys are not
// shown back.
type PushSubscription struct {
	ID            string     `json:"id" format:"uuid"`
	Endpoint      string     `json:"endpoint" doc:"The push service URL the browser gave."`
	UserAgent     string     `json:"user_agent"`
	CreatedAt     time.Time  `json:"created_at"`
	LastSuccessAt *time.Time `json:"last_success_at" doc:"When a push last reached it; null if none yet."`
}

func pushSubscriptionFrom(p *domain.PushSubscription) PushSubscription {
	return PushSubscription{ID: p.ID, Endpoint: p.Endpoint, UserAgent: p.UserAgent, CreatedAt: p.CreatedAt,
		LastSuccessAt: p.LastSuccessAt}
}

// PushSubscriptionList is the caller's push subscriptions in the organization.
type PushSubscriptionList struct {
	Data []PushSubscription `json:"data"`
}

// PushSubscriptionKeys are the browser's encryption keys for the subscription (RFC 8291).
type PushSubscriptionKeys struct {
	P256dh string `json:"p256dh" maxLength:"200" doc:"base64url of the browser's uncompressed P-256 public key (65 bytes)."`
	Auth   string `json:"auth" maxLength:"100" doc:"base64url of the 16-byte authentication secret."`
}

// PushSubscriptionCreate is what PushSubscription.toJSON() gives in the browser.
type PushSubscriptionCreate struct {
	Endpoint string               `json:"endpoint" maxLength:"1000" doc:"The push service's https URL."`
	Keys     PushSubscriptionKeys `json:"keys"`
}

// PushSubscriptionPath addresses one of the caller's push subscriptions.
type PushSubscriptionPath struct {
	OrgID          string `path:"org_id" format:"uuid" doc:"Organization ID."`
	SubscriptionID string `path:"subscription_id" format:"uuid" doc:"Push subscription ID."`
}

func (s *Server) registerPushSubscriptions() {
	tags := []string{"Notifications"}
	base := "/api/v1/orgs/{org_id}/push-subscriptions"
	errs := []int{http.StatusUnauthorized, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-push-subscriptions", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: ownAccount(), Summary: "List the browsers receiving your web push notifications", Errors: errs,
	}, s.listPushSubscriptions)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-push-subscription", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Extensions: ownAccount(), Summary: "Subscribe this browser to your web push notifications",
		Description: "Send the browser's PushSubscription JSON. The subscription lasts as long as this session: once " +
			"it is signed out, revoked or expired, the browser gets no more pushes. Subscribing an endpoint again " +
			"refreshes its keys and session; another member's subscription of the same endpoint is removed. " +
			"The endpoint must be an https URL on a public host name.",
		DefaultStatus: http.StatusCreated, Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.createPushSubscription)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-push-subscription", Method: http.MethodDelete, Path: base + "/{subscription_id}", Tags: tags,
		Security: security, Extensions: ownAccount(), Summary: "Unsubscribe a browser from your web push notifications",
		DefaultStatus: http.StatusNoContent, Errors: errs,
	}, s.deletePushSubscription)
}

func (s *Server) listPushSubscriptions(ctx context.Context, in *OrgPath) (*struct{ Body PushSubscriptionList }, error) {
	subs, err := s.db.ListPushSubscriptions(ctx, in.OrgID, principalFrom(ctx).User.ID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := PushSubscriptionList{Data: make([]PushSubscription, len(subs))}
	for i, p := range subs {
		out.Data[i] = pushSubscriptionFrom(p)
	}
	return &struct{ Body PushSubscriptionList }{Body: out}, nil
}

func (s *Server) createPushSubscription(ctx context.Context, in *struct {
	OrgPath
	UserAgent string `header:"User-Agent" hidden:"true"`
	Body      PushSubscriptionCreate
}) (*struct{ Body PushSubscription }, error) {
	if err := publicEndpoint(in.Body.Endpoint); err != nil {
		return nil, problem(ctx, err)
	}
	sub := &domain.PushSubscription{Endpoint: in.Body.Endpoint, P256dh: in.Body.Keys.P256dh, Auth: in.Body.Keys.Auth,
		UserAgent: in.UserAgent}
	p := principalFrom(ctx)
	if err := s.db.SavePushSubscription(ctx, in.OrgID, p.User.ID, p.SessionID, sub); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body PushSubscription }{Body: pushSubscriptionFrom(sub)}, nil
}

// publicEndpoint refuses endpoints that name this machine or a network address instead of a push service's
// host name, so a subscription cannot aim the push sender at internal services. (Push services are public
// host names: fcm.googleapis.com, updates.push.services.mozilla.com, web.push.apple.com, …) The store
// checks the rest of the shape.
func publicEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if net.ParseIP(host) != nil || host == "localhost" || strings.HasSuffix(host, ".localhost") ||
		(host != "" && !strings.Contains(host, ".")) {
		return domain.Invalid("body.endpoint", "must be on a push service's public host name")
	}
	return nil
}

func (s *Server) deletePushSubscription(ctx context.Context, in *PushSubscriptionPath) (*struct{}, error) {
	if err := s.db.DeletePushSubscription(ctx, in.OrgID, principalFrom(ctx).User.ID, in.SubscriptionID); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{}{}, nil
}
