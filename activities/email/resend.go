package email

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/resend/resend-go/v2"
)

// resendProvider sends through the Resend API, which deduplicates on the
// idempotency key for 24 hours: a retry after a lost response is harmless.
type resendProvider struct {
	client  *resend.Client
	from    string
	replyTo string
	// err is a configuration error reported on every Send.
	err error
}

// newResend builds the SDK client on a copy of httpClient that records response statuses.
func newResend(cfg Config, httpClient *http.Client) *resendProvider {
	recording := *httpClient
	recording.Transport = statusRecorder{next: transportOf(httpClient)}
	p := &resendProvider{
		client:  resend.NewCustomClient(&recording, cfg.ResendAPIKey),
		from:    cfg.From,
		replyTo: cfg.ReplyTo,
	}
	if cfg.ResendBaseURL != "" {
		p.setBaseURL(cfg.ResendBaseURL)
	}
	return p
}

// setBaseURL points the SDK elsewhere; the SDK resolves "emails" against it, so it must end in "/".
func (p *resendProvider) setBaseURL(raw string) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/") + "/")
	if err != nil || u.Host == "" {
		p.err = &PermanentError{Provider: "resend", Err: fmt.Errorf("invalid ResendBaseURL %q", raw)}
		return
	}
	p.client.BaseURL = u
}

// Name implements Provider.
func (p *resendProvider) Name() string { return "resend" }

// Send implements Provider.
func (p *resendProvider) Send(ctx context.Context, m Message) (string, error) {
	if p.err != nil {
		return "", p.err
	}
	var status int
	resp, err := p.client.Emails.SendWithOptions(withStatus(ctx, &status), p.request(m),
		&resend.SendEmailOptions{IdempotencyKey: m.IdempotencyKey})
	if err != nil {
		return "", classify(p.Name(), status, err)
	}
	return resp.Id, nil
}

// request maps a Message onto the SDK's request.
func (p *resendProvider) request(m Message) *resend.SendEmailRequest {
	req := &resend.SendEmailRequest{
		From:    fromHeader(p.from, m.FromName),
		To:      []string{m.To},
		Subject: m.Subject,
		Html:    m.HTML,
		Text:    m.Text,
		ReplyTo: p.replyTo,
		Headers: m.headers(),
	}
	if m.Tag != "" {
		req.Tags = []resend.Tag{{Name: "category", Value: m.Tag}}
	}
	return req
}

// transportOf returns the client's transport, or the default one it would use.
func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return http.DefaultTransport
}
