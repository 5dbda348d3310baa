package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// defaultEmailJSBaseURL is the public EmailJS REST API.
const defaultEmailJSBaseURL = "https://api.emailjs.com"

// maxErrorBody caps how much of a provider's error body ends up in logs.
const maxErrorBody = 512

// emailjsProvider sends through the EmailJS REST API. The account must allow
// API calls from non-browser applications, or EmailJS answers 403 (permanent).
// EmailJS has no idempotency keys and returns no message id: the Outbox is the
// only guard against double sends, and the id we return is our own.
type emailjsProvider struct {
	client   *http.Client
	endpoint string
	cfg      Config
}

// newEmailJS builds the provider; Config carries the keys.
func newEmailJS(cfg Config, httpClient *http.Client) *emailjsProvider {
	base := cfg.EmailJSBaseURL
	if base == "" {
		base = defaultEmailJSBaseURL
	}
	return &emailjsProvider{
		client:   httpClient,
		endpoint: strings.TrimSuffix(base, "/") + "/api/v1.0/email/send",
		cfg:      cfg,
	}
}

// emailjsRequest is the body of POST /api/v1.0/email/send.
type emailjsRequest struct {
	ServiceID      string            `json:"service_id"`
	TemplateID     string            `json:"template_id"`
	UserID         string            `json:"user_id"`
	AccessToken    string            `json:"accessToken"`
	TemplateParams map[string]string `json:"template_params"`
}

// Name implements Provider.
func (p *emailjsProvider) Name() string { return "emailjs" }

// Send implements Provider.
func (p *emailjsProvider) Send(ctx context.Context, m Message) (string, error) {
	req, err := p.newRequest(ctx, m)
	if err != nil {
		return "", &PermanentError{Provider: p.Name(), Err: err}
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return "", classify(p.Name(), 0, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		// EmailJS explains failures in a plain-text body, e.g. "The Public Key is invalid".
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return "", classify(p.Name(), resp.StatusCode, errors.New(strings.TrimSpace(string(body))))
	}
	return "emailjs_" + rand.Text(), nil
}

// newRequest builds the API call; the template on EmailJS's side must use these params.
func (p *emailjsProvider) newRequest(ctx context.Context, m Message) (*http.Request, error) {
	params := map[string]string{"to_email": m.To, "subject": m.Subject, "html": m.HTML, "text": m.Text,
		"reply_to": p.cfg.ReplyTo}
	if m.FromName != "" {
		// The EmailJS template may show it as the sender's name ({{from_name}}).
		params["from_name"] = m.FromName
	}
	body, err := json.Marshal(emailjsRequest{
		ServiceID:      p.cfg.EmailJSServiceID,
		TemplateID:     p.cfg.EmailJSTemplateID,
		UserID:         p.cfg.EmailJSPublicKey,
		AccessToken:    p.cfg.EmailJSPrivateKey,
		TemplateParams: params,
	})
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}
