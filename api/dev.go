package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// PublicConfig is what the browser app needs to know about this deployment.
type PublicConfig struct {
	Environment string `json:"environment" enum:"development,test,production"`
	AppName     string `json:"app_name"`
	// VAPIDPublicKey is what the browser subscribes to web push with (applicationServerKey).
	VAPIDPublicKey string `json:"vapid_public_key" doc:"base64url VAPID public key for PushManager.subscribe; empty when web push is not configured."`
}

// MailboxMessage is one email caught by the local dev mailbox.
type MailboxMessage struct {
	ID        string    `json:"id" format:"uuid"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	HTML      string    `json:"html"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// MailboxList is the newest dev-mailbox messages.
type MailboxList struct {
	Data []MailboxMessage `json:"data"`
}

func (s *Server) registerDev() {
	huma.Register(s.api, huma.Operation{
		OperationID: "get-config", Method: http.MethodGet, Path: "/api/v1/config", Tags: []string{"Meta"},
		Summary: "Public settings of this deployment",
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body PublicConfig }, error) {
		return &struct{ Body PublicConfig }{Body: PublicConfig{Environment: s.cfg.Env, AppName: "ClientFlow",
			VAPIDPublicKey: s.cfg.VAPIDPublicKey}}, nil
	})
	huma.Register(s.api, huma.Operation{
		OperationID: "list-dev-mailbox", Method: http.MethodGet, Path: "/api/v1/dev/mailbox", Tags: []string{"Development"},
		Summary: "Emails caught by the local dev mailbox (development mode only)", Security: security,
		Errors: []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.mailbox)
}

func (s *Server) mailbox(ctx context.Context, _ *struct{}) (*struct{ Body MailboxList }, error) {
	if !s.cfg.IsDevelopment() {
		return nil, huma.Error404NotFound("The dev mailbox exists only in development mode.")
	}
	msgs, err := s.db.Mailbox(ctx, 100)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := MailboxList{Data: make([]MailboxMessage, len(msgs))}
	for i, m := range msgs {
		out.Data[i] = MailboxMessage{ID: m.ID, To: m.To, Subject: m.Subject, HTML: m.HTML, Text: m.Text, CreatedAt: m.CreatedAt}
	}
	return &struct{ Body MailboxList }{Body: out}, nil
}
