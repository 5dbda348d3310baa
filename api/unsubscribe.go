package api

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/unsubscribe"
)

// The unsubscribe link of a notification email works without signing in: its signed token (see package
// unsubscribe) names one member, one organization and one notification type, and can only switch that
// type's email off. GET shows what the link does and asks to confirm, so a mail scanner following links
// changes nothing; POST (the page's button, or a mail client's RFC 8058 one-click request to the
// List-Unsubscribe URL) does it. Every answer is a small HTML page a person can read, errors included.

// UnsubscribeInput carries the token in the query (the link in the email and the List-Unsubscribe URL).
type UnsubscribeInput struct {
	Token string `query:"token" doc:"The signed token from the email's unsubscribe link."`
}

// UnsubscribeConfirmInput also accepts the token as a form field (the confirm page's button); RFC 8058
// clients post List-Unsubscribe=One-Click to the URL, token in its query.
type UnsubscribeConfirmInput struct {
	UnsubscribeInput
	formToken string
}

// maxUnsubscribeForm bounds the form read: a token is at most 400 characters.
const maxUnsubscribeForm = 2 << 10

// Resolve reads the optional form body. Huma would make a RawBody field required, and a one-click client
// may post nothing; a body that is no form simply carries no token.
func (in *UnsubscribeConfirmInput) Resolve(ctx huma.Context) []error {
	if body, err := io.ReadAll(io.LimitReader(ctx.BodyReader(), maxUnsubscribeForm)); err == nil {
		if form, err := url.ParseQuery(string(body)); err == nil {
			in.formToken = form.Get("token")
		}
	}
	return nil
}

func (s *Server) registerUnsubscribe() {
	tags := []string{"Notifications"}
	huma.Register(s.api, huma.Operation{OperationID: "get-unsubscribe", Method: http.MethodGet,
		Path: unsubscribe.Path, Tags: tags, Summary: "Show what an email's unsubscribe link switches off",
		Description: "Needs no session: the token is the permission. Answers an HTML page with a confirm " +
			"button; a bad token is 400, a security notice (cannot be switched off) 422.",
		Responses: unsubscribeResponses()}, s.unsubscribePage)
	huma.Register(s.api, huma.Operation{OperationID: "unsubscribe", Method: http.MethodPost,
		Path: unsubscribe.Path, Tags: tags, Summary: "Switch one notification type's email off (one-click)",
		Description: "Needs no session. The token comes in the query (RFC 8058 one-click POST to the " +
			"List-Unsubscribe URL) or as the form field `token`. Switching off twice is harmless. Answers an " +
			"HTML page; a bad token is 400, a security notice 422.",
		// Documented here, read by UnsubscribeConfirmInput.Resolve: a one-click client may post no body.
		RequestBody: &huma.RequestBody{Description: "`token=…` from the confirm page, or `List-Unsubscribe=One-Click`.",
			Content: map[string]*huma.MediaType{"application/x-www-form-urlencoded": {Schema: &huma.Schema{Type: "string"}}}},
		Responses: unsubscribeResponses()}, s.unsubscribe)
}

// unsubscribeResponses documents the HTML pages the two operations answer.
func unsubscribeResponses() map[string]*huma.Response {
	page := func(d string) *huma.Response {
		return &huma.Response{Description: d, Content: map[string]*huma.MediaType{"text/html": {Schema: &huma.Schema{Type: "string"}}}}
	}
	return map[string]*huma.Response{"200": page("The page: what the link switches off, or that it did."),
		"400": page("The link is not valid."), "404": page("The organization or account is gone."),
		"422": page("Security notices cannot be switched off.")}
}

func (s *Server) unsubscribePage(ctx context.Context, in *UnsubscribeInput) (*huma.StreamResponse, error) {
	return s.unsubscribeAnswer(ctx, in.Token, false), nil
}

func (s *Server) unsubscribe(ctx context.Context, in *UnsubscribeConfirmInput) (*huma.StreamResponse, error) {
	token := in.Token
	if in.formToken != "" {
		token = in.formToken
	}
	return s.unsubscribeAnswer(ctx, token, true), nil
}

// unsubscribeAnswer checks token and, when apply, switches its type's email off; it answers the page.
func (s *Server) unsubscribeAnswer(ctx context.Context, token string, apply bool) *huma.StreamResponse {
	target, err := unsubscribe.Parse([]byte(s.cfg.SessionSecret), token)
	if err != nil {
		return unsubscribePageFor(http.StatusBadRequest, unsubscribeView{State: "invalid", AppURL: s.cfg.AppURL})
	}
	v := unsubscribeView{Token: token, AppURL: s.cfg.AppURL,
		PreferencesURL: unsubscribe.PreferencesURL(s.cfg.AppURL, target.OrganizationID)}
	nt, ok := domain.LookupNotificationType(target.Type)
	if !ok {
		// Signed by us, so a type since removed from the catalogue: nothing of it is sent any more.
		return unsubscribePageFor(http.StatusBadRequest, unsubscribeView{State: "invalid", AppURL: s.cfg.AppURL})
	}
	v.Label = nt.Label
	if domain.NotificationLocked(nt, domain.ChannelEmail) {
		v.State = "locked"
		return unsubscribePageFor(http.StatusUnprocessableEntity, v)
	}
	org, err := s.db.Organization(ctx, target.OrganizationID)
	if err == nil && apply {
		err = s.db.SwitchOffEmail(ctx, target.OrganizationID, target.UserID, target.Type)
	}
	switch {
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		v.State = "gone"
		return unsubscribePageFor(http.StatusNotFound, v)
	case err != nil:
		s.logger.ErrorContext(ctx, "unsubscribe", "org_id", target.OrganizationID, "type", target.Type, "err", err)
		v.State = "failed"
		return unsubscribePageFor(http.StatusServiceUnavailable, v)
	}
	v.OrgName, v.State = org.Name, "confirm"
	if apply {
		v.State = "done"
	}
	return unsubscribePageFor(http.StatusOK, v)
}

// unsubscribeView is what the page shows; State is confirm, done, locked, gone, failed or invalid.
type unsubscribeView struct {
	State, Token, Label, OrgName, AppURL, PreferencesURL string
}

// unsubscribePageFor renders the page with status. Its own CSP allows the inline styles and a form that
// posts to this origin, nothing else.
func unsubscribePageFor(status int, v unsubscribeView) *huma.StreamResponse {
	var b bytes.Buffer
	if err := unsubscribeTemplate.Execute(&b, v); err != nil {
		b.Reset()
		b.WriteString("Unsubscribe: " + http.StatusText(status))
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "text/html; charset=utf-8")
		hc.SetHeader("Content-Length", strconv.Itoa(b.Len()))
		hc.SetHeader("Cache-Control", "no-store")
		hc.SetHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
		hc.SetStatus(status)
		_, _ = hc.BodyWriter().Write(b.Bytes())
	}}
}

var unsubscribeTemplate = template.Must(template.New("unsubscribe").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Unsubscribe – ClientFlow</title>
<style>body{margin:0;background:#f4f4f5;font:16px/1.5 system-ui,Arial,sans-serif;color:#18181b}
main{max-width:480px;margin:48px auto;padding:32px;background:#fff;border-radius:8px}
h1{font-size:22px;margin:0 0 16px}p{margin:0 0 16px}a{color:#4f46e5}
button{font:inherit;font-weight:bold;color:#fff;background:#4f46e5;border:0;border-radius:6px;padding:10px 20px;cursor:pointer}</style>
</head><body><main>
{{- if eq .State "confirm"}}
<h1>Unsubscribe from these emails?</h1>
<p>You will no longer get emails for <strong>“{{.Label}}”</strong> from <strong>{{.OrgName}}</strong>. You still see them in the app, and your other emails stay as they are.</p>
<form method="post" action="/api/v1/unsubscribe"><input type="hidden" name="token" value="{{.Token}}"><button type="submit">Unsubscribe</button></form>
{{- else if eq .State "done"}}
<h1>You are unsubscribed</h1>
<p>You will no longer get emails for <strong>“{{.Label}}”</strong> from <strong>{{.OrgName}}</strong>.</p>
<p>Changed your mind? Turn them back on in your <a href="{{.PreferencesURL}}">notification preferences</a>.</p>
{{- else if eq .State "locked"}}
<h1>These emails cannot be switched off</h1>
<p><strong>“{{.Label}}”</strong> is a security notice: it is how we tell you someone else may be using your account, so it always reaches you.</p>
<p>You can choose every other notification in your <a href="{{.PreferencesURL}}">notification preferences</a>.</p>
{{- else if eq .State "gone"}}
<h1>Nothing to unsubscribe from</h1>
<p>The organization or the account this link was for no longer exists, so you get no more emails from it.</p>
{{- else if eq .State "failed"}}
<h1>That did not work this time</h1>
<p>We could not save your choice just now. Please open the link again in a minute.</p>
{{- else}}
<h1>This unsubscribe link is not valid</h1>
<p>It may have been cut short by your mail program. Open it again from the email, or sign in to <a href="{{.AppURL}}">ClientFlow</a> and choose your emails in your notification preferences.</p>
{{- end}}
</main></body></html>
`))
