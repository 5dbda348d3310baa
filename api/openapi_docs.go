package api

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// documentAPI completes the generated OpenAPI document for its readers (the /developer page renders it):
// the guide that opens the reference (info.description), the tags in reading order with their
// descriptions and groups, and the outbound webhooks (OpenAPI 3.1 `webhooks`) with each event's payload
// schema. It runs once every route is registered, because parts of the guide are read from the routes
// themselves (which creates take an Idempotency-Key), so the prose cannot drift from the handlers.
func documentAPI(oapi *huma.OpenAPI) {
	oapi.Info.Description = apiGuide(idempotentRoutes(oapi))
	tags, groups := apiTags(oapi)
	oapi.Tags = tags
	if oapi.Extensions == nil {
		oapi.Extensions = map[string]any{}
	}
	// x-tagGroups (understood by Scalar, Redoc and others) folds the reference's two dozen tags into a
	// few sections.
	oapi.Extensions["x-tagGroups"] = groups
	oapi.Webhooks = webhookDocs(oapi.Components.Schemas)
}

// apiGuide is the Markdown guide at the top of the reference: everything a client needs that no single
// operation says. idempotent lists the routes that honour Idempotency-Key, one Markdown bullet each.
func apiGuide(idempotent []string) string {
	var b strings.Builder
	b.WriteString(`ClientFlow runs an agency's clients, projects, tasks, time, files and invoices. This reference is
generated from the server's own handlers, so it always describes the API this deployment runs.

Every route lives under ` + "`/api/v1`" + `; an organization's data under ` + "`/api/v1/orgs/{org_id}/…`" + `.
Bodies are JSON with ` + "`snake_case`" + ` fields, times are RFC 3339 in UTC, ids are UUIDs, dates are
` + "`YYYY-MM-DD`" + ` and money is an integer of minor units (cents) beside an ISO 4217 currency.

## Authentication

**API keys** are for scripts and integrations. A member holding the ` + "`api_keys.manage`" + ` permission
creates one on the organization's **API keys** page; the organization's plan must include API access
(otherwise ` + "`402 plan_feature_unavailable`" + `). The key is shown once: ClientFlow keeps only its SHA-256
hash, and shows its prefix and last four characters afterwards so you can recognise it. Keys look like
` + "`cf_live_…`" + ` (` + "`cf_test_…`" + ` on a non-production deployment) and expire after 30, 90 or 365 days, or never.
Send the key as a bearer token:

` + "```sh" + `
curl https://clientflow.example.com/api/v1/orgs/$ORG_ID/clients \
  -H "Authorization: Bearer $CLIENTFLOW_API_KEY"
` + "```" + `

- A key belongs to one organization and works on that organization's routes (` + "`/api/v1/orgs/{org_id}/…`" + `)
  only. Another organization's routes answer ` + "`404`" + `, routes outside organizations (your account,
  sign-in) ` + "`401`" + `.
- A key acts as the member who created it, with that member's **current** permissions narrowed to the key's
  scopes, if it has any: a key can never do more than its creator. A permission it lacks answers
  ` + "`403 forbidden`" + `.
- A key that is no good answers ` + "`401`" + ` with a code you can switch on: ` + "`api_key_invalid`" + ` (unknown, or
  its creator is no longer an active member), ` + "`api_key_revoked`" + ` or ` + "`api_key_expired`" + `. Using a revoked
  key also emails its creator and the organization's owners.
- Requests with a key skip the browser's cross-site (Origin) check and have a rate limit of their own.
  Requests with unknown keys count against the client IP at the sign-in rate, then answer ` + "`429`" + `.

**The session cookie** (` + "`" + sessionCookie + "`" + `, set by ` + "`POST /api/v1/auth/sign-in`" + `) is what the ClientFlow
app itself uses. Cookie-authenticated ` + "`POST`, `PUT`, `PATCH` and `DELETE`" + ` requests must come from the
app's own origin.

## Rate limits

| Routes | Limit | Counted per |
|---|---|---|
| the API with an API key, or anonymous | 120 requests in any 60 s | API key, else client IP |
| the API from the app (session cookie) | 600 requests in any 60 s | session |
| sign-in, sign-up and the other ` + "`/api/v1/auth/…`" + ` routes | 10 requests in any 10 s | client IP |

The windows slide. Every response under ` + "`/api`" + ` carries ` + "`RateLimit-Limit`" + ` and
` + "`RateLimit-Remaining`" + `; a refused request answers ` + "`429`" + ` with the code ` + "`rate_limited`" + ` and a
` + "`Retry-After`" + ` header in seconds. A self-hosted deployment sets the limits with
` + "`RATE_LIMIT_API_PER_MINUTE`" + `, ` + "`RATE_LIMIT_SESSION_PER_MINUTE`" + ` and ` + "`RATE_LIMIT_AUTH_PER_10S`" + `.

## Errors

Every error is an RFC 9457 problem document (` + "`Content-Type: application/problem+json`" + `):

` + "```json" + `
{
  "title": "Unprocessable Entity",
  "status": 422,
  "detail": "validation failed",
  "code": "validation_failed",
  "instance": "9f3c2a1b0e778c4a7b519d02",
  "errors": [
    { "message": "expected length <= 100", "location": "body.name", "value": "…" }
  ]
}
` + "```" + `

Switch on ` + "`code`" + `; ` + "`detail`" + ` is written for people and may change. ` + "`instance`" + ` is the request ID, also
sent as the ` + "`X-Request-Id`" + ` response header: quote it when you report a problem.

| Status | Code | Meaning |
|---|---|---|
| 400 | ` + "`bad_request`" + ` | The request could not be read (e.g. malformed JSON). |
| 401 | ` + "`unauthenticated`" + ` | No valid session or API key. |
| 401 | ` + "`api_key_invalid`, `api_key_revoked`, `api_key_expired`" + ` | The API key is unknown, revoked or expired (see Authentication). |
| 402 | ` + "`plan_limit_reached`" + ` | The create would pass a plan limit; ` + "`metric`, `limit`, `usage` and `plan`" + ` say which. |
| 402 | ` + "`plan_feature_unavailable`" + ` | The plan lacks the feature; ` + "`feature`" + ` names it and ` + "`plan`" + ` the plan that has it. |
| 402 | ` + "`subscription_restricted`" + ` | The trial ended unpaid or a payment failed past its grace period: the organization is read-only. |
| 403 | ` + "`forbidden`" + ` | The role or API key does not allow this, or a cookie request came from another site. |
| 404 | ` + "`not_found`" + ` | No such resource. Another organization's ids answer this too, so nothing leaks. |
| 405 | ` + "`method_not_allowed`" + ` | The route does not take this method. |
| 409 | ` + "`conflict`" + ` | The change conflicts with the current state (a duplicate, a stale state, a reused Idempotency-Key). |
| 409 | ` + "`subscription_exists`" + ` | A checkout for an organization that already has a subscription. |
| 410 | ` + "`invitation_unusable`" + ` | The invitation was used, revoked or has expired. |
| 413 | ` + "`payload_too_large`" + ` | The body passes its size limit (1 MiB for JSON). |
| 415 | ` + "`unsupported_media_type`" + ` | The body is not of a type the route accepts. |
| 422 | ` + "`validation_failed`" + ` | The input is invalid; ` + "`errors[]`" + ` names each field (` + "`location`" + `) and problem. |
| 429 | ` + "`rate_limited`" + ` | Too many requests; wait ` + "`Retry-After`" + ` seconds. |
| 500 | ` + "`internal`" + ` | Our fault, logged with the request ID; the body says no more. |
| 503 | ` + "`unavailable`" + ` | A dependency is briefly down; retry after ` + "`Retry-After`" + ` seconds. |

## Pagination

List routes that take ` + "`limit`" + ` (1–200, default 50) and ` + "`cursor`" + ` answer
` + "`{\"data\": […], \"next_cursor\": \"…\"}`" + `. Pass ` + "`next_cursor`" + ` back as ` + "`cursor`" + ` for the next page; it is
` + "`null`" + ` on the last one. Cursors are opaque: do not build, parse or keep them. Lists that are short by
nature (an organization's members, a project's columns) come whole.

## Idempotency

A create that would be costly to run twice accepts an ` + "`Idempotency-Key`" + ` header: any string up to 255
characters that you never reuse for another create (a random UUID is a good choice). Today these routes
honour it:

`)
	for _, r := range idempotent {
		b.WriteString(r + "\n")
	}
	b.WriteString(`
The first request with a key runs and its response is stored in the same transaction as what it created. A
repeat with the same key and the same body answers that stored response (same status and body) and
creates nothing, even while the first is still running (the repeat waits for it). Keys are remembered per
organization: the same key with a different body or on another route answers ` + "`409 conflict`" + `. A request
that failed stores nothing, so retrying it with its key runs it again. Other routes ignore the header.

## Webhooks

Webhooks push events to your server as they happen. A member holding ` + "`webhooks.manage`" + ` adds an endpoint
on the organization's **Webhooks** page (or with ` + "`POST /api/v1/orgs/{org_id}/webhooks`" + `): an ` + "`http(s)`" + ` URL,
the event types it wants and a signing secret ` + "`whsec_…`" + ` that is shown once. Each event type needs the read
permission of what it carries (` + "`projects.read`, `tasks.read`, `clients.read`, `invoices.read`, `members.read`" + `
for ` + "`project.*`, `task.*`, `client.*`, `invoice.*`, `team.*`" + `): you cannot point an endpoint at what you may
not read. The endpoint must be publicly reachable: loopback, private, link-local and cloud-metadata addresses are
refused when connecting, and redirects are not followed.

Each event is posted as JSON, one request per event and endpoint:

` + "```json" + `
{
  "id": "01938f6e-8c4a-7b51-9d02-5f3c2a1b0e77",
  "type": "task.completed",
  "created_at": "2026-12-09T10:15:00Z",
  "organization_id": "01938f6e-1d2c-7a44-8e10-2b7c9d3e4f50",
  "data": { "task_id": "…", "project_id": "…", "title": "Ship the homepage", "…": "…" }
}
` + "```" + `

` + "`id`" + ` is the event's id, the same on every delivery and replay of the event; ` + "`data`" + ` is the event's payload,
documented per event type in the Webhooks section of this reference. Payloads gain fields over time but
never lose or rename one, so ignore keys you do not know. The request carries these headers:

- ` + "`" + domain.WebhookEventHeader + "`" + `: the event type;
- ` + "`" + domain.WebhookDeliveryHeader + "`" + `: this delivery's id (a replay is a new delivery with a new id);
- ` + "`" + domain.WebhookSignatureHeader + "`" + `: ` + "`t=<unix seconds>,v1=<hex>`" + `.

**Verify the signature.** ` + "`v1`" + ` is the hex HMAC-SHA256 of ` + "`<t>.<raw body>`" + `, keyed with the endpoint's whole
secret string (` + "`whsec_…`" + ` included). Compute it over the exact bytes you received, before parsing the JSON,
compare it in constant time with each ` + "`v1`" + ` of the header, and refuse a ` + "`t`" + ` more than 5 minutes from your
clock (that stops replays of a captured request). After a secret rotation both the new and the old secret
sign during the grace period (24 hours unless chosen otherwise, at most 168), so the header carries two
` + "`v1`" + ` values and either secret verifies. The /developer page of the app has Go and Node code for this, tested
against our signer.

**Answer quickly.** Reply with any ` + "`2xx`" + ` within 10 seconds and do slow work afterwards.

**Retries.** A try that times out, fails to connect or answers ` + "`408`, `429` or `5xx`" + ` is retried after 1 s,
2 s and 4 s: four tries in all. Any other status fails the delivery at once. A delivery whose last try failed
is marked failed, and the organization's admins get one "webhook failures" email per endpoint per hour.
Answering ` + "`410 Gone`" + ` disables the endpoint at once; an endpoint that keeps failing for 24 hours is disabled
too, with an email. Re-enabling an endpoint starts it afresh.

**Duplicates and order.** Deliveries to different endpoints run concurrently, and a slow endpoint never delays
another. Events can arrive out of order and, rarely, more than once: de-duplicate on the envelope's ` + "`id`" + `.

**Log and replay.** Every delivery and each of its tries (status code, duration, the start of your response)
is in the endpoint's delivery log, filterable by status and event type. You can replay one delivery, or every
failed one since a time (up to 1,000 per call): a replay is a new delivery of the same event, with the same
` + "`id`" + `. **Send test** posts a signed ` + "`" + domain.WebhookPing + "`" + ` event once, without retries, and shows the outcome.

| Event | When |
|---|---|
`)
	for _, typ := range domain.WebhookEventTypes {
		fmt.Fprintf(&b, "| `%s` | %s |\n", typ, domain.WebhookEventDescriptions[typ])
	}
	fmt.Fprintf(&b, "| `%s` | %s |\n", domain.WebhookPing, webhookPingDescription)
	return b.String()
}

// idempotentRoutes lists, as Markdown bullets in path order, the operations taking an Idempotency-Key header.
func idempotentRoutes(oapi *huma.OpenAPI) []string {
	var out []string
	for _, path := range sortedKeys(oapi.Paths) {
		item := oapi.Paths[path]
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Patch, item.Delete} {
			if op == nil || !slices.ContainsFunc(op.Parameters, func(p *huma.Param) bool {
				return p.In == "header" && strings.EqualFold(p.Name, "Idempotency-Key")
			}) {
				continue
			}
			out = append(out, fmt.Sprintf("- `%s %s`: %s", op.Method, path, op.Summary))
		}
	}
	return out
}

// tagGroup is one section of the reference's navigation (the x-tagGroups extension).
type tagGroup struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

// tagDocs are the reference's sections in reading order, each tag with the sentence that opens it.
var tagDocs = []struct {
	group string
	tags  []huma.Tag
}{
	{"Account and access", []huma.Tag{
		{Name: "Auth", Description: "Sign up, sign in (with two-factor), sign out, verify an email address and reset a password. These routes set or clear the session cookie and have the stricter auth rate limit."},
		{Name: "Account", Description: "The signed-in user's profile, password, two-factor sign-in and sessions. Session cookie only: API keys work on organization routes."},
		{Name: "Organizations", Description: "Organizations you belong to, their settings and branding, ownership transfer and deletion."},
		{Name: "Members", Description: "The organization's members: list, change a role, suspend, remove."},
		{Name: "Invitations", Description: "Invite people by email, resend or revoke an invitation, and accept one."},
		{Name: "Roles", Description: "The permission catalogue, each role's permissions and per-member overrides."},
	}},
	{"Work", []huma.Tag{
		{Name: "Dashboard", Description: "The organization's home page: key figures, projects by status, monthly projects and revenue per currency, recent activity."},
		{Name: "Clients", Description: "The agency's clients, their contacts (client portal users) and an overview of each."},
		{Name: "Projects", Description: "Projects (optionally for a client), their members, archiving and budgets."},
		{Name: "Board", Description: "A project's kanban board: columns (statuses) and the task cards in them."},
		{Name: "Tasks", Description: "Tasks with assignees, priorities, due dates, subtasks and an audit log of every change."},
		{Name: "Comments", Description: "Comments on tasks, with mentions; internal ones stay hidden from the client portal."},
		{Name: "Files", Description: "Files on projects and tasks, downloaded through signed, expiring URLs, and optionally shared with the client."},
		{Name: "Templates", Description: "Project templates: columns and tasks to start a project from."},
		{Name: "Time", Description: "Time entries, the running timer, summaries and project budget burn."},
		{Name: "Activity", Description: "The organization's activity feed: what happened, newest first."},
	}},
	{"Billing", []huma.Tag{
		{Name: "Invoices", Description: "Invoices to clients: drafts (by hand or from unbilled time), sending, payments, PDFs and the client's link."},
		{Name: "Billing", Description: "The organization's own ClientFlow plan, subscription, usage and Stripe checkout."},
	}},
	{"Clients' view", []huma.Tag{
		{Name: "Client portal", Description: "What a client contact sees and does in the portal: shared projects, tasks, files, invoices and requests."},
	}},
	{"Notifications", []huma.Tag{
		{Name: "Notifications", Description: "In-app notifications, preferences per type and channel, web push subscriptions and one-click email unsubscribe."},
	}},
	{"Developer platform", []huma.Tag{
		{Name: "API keys", Description: "Organization API keys for `Authorization: Bearer` requests: create (shown once), list, revoke, delete."},
		{Name: "Webhooks", Description: "Outbound webhook endpoints, their signing secrets, the delivery log, test deliveries and replays. The events themselves are described in the Webhooks section below the operations."},
	}},
	{"Deployment", []huma.Tag{
		{Name: "Meta", Description: "Public settings of this deployment."},
		{Name: "Development", Description: "Local development helpers (the dev mailbox); they answer 404 outside development mode."},
	}},
}

// apiTags returns the tags the document's operations use, with their descriptions, in reading order, and
// the groups that navigate them. A tag missing from tagDocs still appears (under "Other"), so a new
// feature's routes are never hidden by the grouping.
func apiTags(oapi *huma.OpenAPI) ([]*huma.Tag, []tagGroup) {
	used := map[string]bool{}
	for _, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Patch, item.Delete} {
			if op != nil {
				for _, t := range op.Tags {
					used[t] = true
				}
			}
		}
	}
	var tags []*huma.Tag
	var groups []tagGroup
	for _, g := range tagDocs {
		group := tagGroup{Name: g.group}
		for _, t := range g.tags {
			if used[t.Name] {
				tags = append(tags, &t)
				group.Tags = append(group.Tags, t.Name)
				delete(used, t.Name)
			}
		}
		if len(group.Tags) > 0 {
			groups = append(groups, group)
		}
	}
	if len(used) > 0 {
		other := tagGroup{Name: "Other", Tags: sortedKeys(used)}
		for _, name := range other.Tags {
			tags = append(tags, &huma.Tag{Name: name})
		}
		groups = append(groups, other)
	}
	return tags, groups
}

// WebhookPingData is the data of the signed test delivery ("Send test").
type WebhookPingData struct {
	Message string `json:"message" doc:"A fixed sentence saying this is a test." example:"This is a test delivery from ClientFlow."`
}

const webhookPingDescription = "A test delivery sent by **Send test**: one try, no retries, never replayed."

// webhookDocs describes every outbound webhook (each event type and the ping) as an OpenAPI 3.1 webhook:
// the POST a receiver gets, its headers, the envelope with the event's payload as `data`, and what the
// receiver's answer means. The payload structs are registered in reg, so their schemas land in components.
func webhookDocs(reg huma.Registry) map[string]*huma.PathItem {
	out := map[string]*huma.PathItem{}
	add := func(typ, description string, payload reflect.Type) {
		name := "Webhook" + pascal(typ)
		data := reg.Schema(payload, true, name+"Data")
		// Payloads gain fields over time (never lose one): a receiver validating against this schema must
		// accept keys it does not know yet, so the "no additional properties" Huma writes for inputs is lifted.
		if s := reg.SchemaFromRef(data.Ref); s != nil {
			s.AdditionalProperties = nil
		}
		reg.Map()[name] = webhookEnvelopeSchema(typ, data)
		out[typ] = &huma.PathItem{Post: &huma.Operation{
			OperationID: "webhook-" + strings.NewReplacer(".", "-", "_", "-").Replace(typ),
			Summary:     typ,
			Description: description,
			Parameters:  webhookHeaders(typ),
			RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
				"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/" + name}},
			}},
			Responses: map[string]*huma.Response{
				"2XX": {Description: "Delivered. The start of your answer (up to 2,000 characters) is kept in the delivery log."},
				"410": {Description: "Gone: the endpoint is disabled at once and gets nothing more until it is enabled again."},
				"default": {Description: "This try failed. A timeout (10 s), connection failure, 408, 429 or 5xx is " +
					"retried after 1 s, 2 s and 4 s; any other status fails the delivery at once."},
			},
		}}
	}
	for _, typ := range domain.WebhookEventTypes {
		add(typ, domain.WebhookEventDescriptions[typ], payloadType(domain.WebhookPayloads[typ]))
	}
	add(domain.WebhookPing, webhookPingDescription, reflect.TypeFor[WebhookPingData]())
	return out
}

// payloadType is the struct type documented for a payload value of domain.WebhookPayloads.
func payloadType(v any) reflect.Type {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// webhookEnvelopeSchema is the body of one event type's delivery: domain.WebhookEnvelope with its type
// fixed and data described by the event's payload schema.
func webhookEnvelopeSchema(typ string, data *huma.Schema) *huma.Schema {
	str := func(format, doc string) *huma.Schema {
		return &huma.Schema{Type: huma.TypeString, Format: format, Description: doc}
	}
	return &huma.Schema{
		Type:        huma.TypeObject,
		Description: "The body of a `" + typ + "` delivery.",
		Required:    []string{"id", "type", "created_at", "organization_id", "data"},
		Properties: map[string]*huma.Schema{
			"id": str("uuid", "The event id: the same on every delivery and replay of this event, so de-duplicate on it."),
			"type": {Type: huma.TypeString, Enum: []any{typ}, Description: "The event type (also in the " +
				domain.WebhookEventHeader + " header)."},
			"created_at":      str("date-time", "When the event happened."),
			"organization_id": str("uuid", "The organization the event belongs to."),
			"data":            data,
		},
	}
}

// webhookHeaders are the headers of every delivery of typ.
func webhookHeaders(typ string) []*huma.Param {
	return []*huma.Param{
		{Name: domain.WebhookSignatureHeader, In: "header", Required: true,
			Description: "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" keyed with the endpoint's secret>`; " +
				"two `v1` values while a rotated secret is in its grace period.",
			Schema:  &huma.Schema{Type: huma.TypeString},
			Example: "t=1765275300,v1=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"},
		{Name: domain.WebhookEventHeader, In: "header", Required: true, Description: "The event type.",
			Schema: &huma.Schema{Type: huma.TypeString, Enum: []any{typ}}},
		{Name: domain.WebhookDeliveryHeader, In: "header", Required: true,
			Description: "This delivery's id, as in the delivery log; a replay has a new one.",
			Schema:      &huma.Schema{Type: huma.TypeString, Format: "uuid"}},
	}
}

// pascal turns an event type into a schema name part: "team.member_added" → "TeamMemberAdded".
func pascal(typ string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(typ, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// sortedKeys returns m's keys in order, so the document is the same on every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
