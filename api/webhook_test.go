package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// webhookEndpointJSON is a WebhookEndpoint as a client decodes it.
type webhookEndpointJSON struct {
	ID                 string     `json:"id"`
	URL                string     `json:"url"`
	Description        string     `json:"description"`
	Events             []string   `json:"events"`
	Enabled            bool       `json:"enabled"`
	DisabledReason     *string    `json:"disabled_reason"`
	FailingSince       *time.Time `json:"failing_since"`
	SecretRotatedUntil *time.Time `json:"secret_rotated_until"`
	LastDelivery       *struct {
		Status string    `json:"status"`
		At     time.Time `json:"at"`
	} `json:"last_delivery"`
}

// webhookCreatedJSON is the answer of create and rotate-secret.
type webhookCreatedJSON struct {
	Endpoint webhookEndpointJSON `json:"endpoint"`
	Secret   string              `json:"secret"`
}

// webhookDeliveryJSON is a WebhookDelivery (with the detail fields when read alone).
type webhookDeliveryJSON struct {
	ID             string  `json:"id"`
	EventID        string  `json:"event_id"`
	EventType      string  `json:"event_type"`
	Status         string  `json:"status"`
	Attempts       int     `json:"attempts"`
	LastStatusCode *int    `json:"last_status_code"`
	ReplayOf       *string `json:"replay_of"`
	DurationMS     *int    `json:"duration_ms"`
	RequestBody    string  `json:"request_body"`
	AttemptLog     []struct {
		Attempt    int  `json:"attempt"`
		StatusCode *int `json:"status_code"`
	} `json:"attempt_log"`
}

// webhookFixture is an organization on its Professional trial (which has api_access) and its owner.
type webhookFixture struct {
	srv   *testServer
	db    *storetest.DB
	owner *browser
	orgID string
}

func mustWebhookFixture(t *testing.T, srv *testServer, name string) webhookFixture {
	t.Helper()
	owner := srv.MustSignUp(t, name)
	return webhookFixture{srv: srv, db: srv.DB, owner: owner, orgID: owner.MustCreateOrg(uniqueName(name)).ID}
}

func (f webhookFixture) path(p string) string { return "/api/v1/orgs/" + f.orgID + "/webhooks" + p }

// mustCreate creates an endpoint at a public-looking URL (never dialled here: the workflows are recorded).
func (f webhookFixture) mustCreate(t *testing.T, body map[string]any) webhookCreatedJSON {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	if _, ok := body["url"]; !ok {
		body["url"] = "https://hooks.example.com/clientflow"
	}
	if _, ok := body["events"]; !ok {
		body["events"] = []string{"project.created", "task.completed"}
	}
	res := f.owner.Do(http.MethodPost, f.path(""), body)
	MustStatus(t, res, http.StatusCreated)
	var out webhookCreatedJSON
	res.MustJSON(t, &out)
	return out
}

// mustInsertDelivery writes a delivery row as the worker would have left it, created at createdAt, and
// returns its id (UUIDv7, so the log's order is the insertion order). A second delivery of an event is a
// replay of the first.
func (f webhookFixture) mustInsertDelivery(t *testing.T, endpointID, eventID, eventType, status string, createdAt time.Time) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	if eventID == "" {
		eventID = uuid.NewString()
	}
	body := fmt.Sprintf(`{"id": %q, "type": %q, "organization_id": %q, "data": {"n": 1}}`, eventID, eventType, f.orgID)
	var code any
	if status != domain.WebhookPending {
		code = map[string]int{domain.WebhookDelivered: 200, domain.WebhookFailed: 500}[status]
	}
	mustExec(t, f.db, `INSERT INTO webhook_deliveries (organization_id, id, endpoint_id, event_id, event_type, body, status,
		attempts, last_status_code, created_at, replay_of) VALUES (?0, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
		(SELECT min(id::text)::uuid FROM webhook_deliveries WHERE endpoint_id = ?2 AND event_id = ?3))`,
		f.orgID, id, endpointID, eventID, eventType, body, status, map[bool]int{true: 0, false: 4}[status == domain.WebhookPending],
		code, createdAt)
	return id
}

// mustDeliveries reads one page of an endpoint's log.
func (f webhookFixture) mustDeliveries(t *testing.T, endpointID string, q url.Values) ([]webhookDeliveryJSON, *string) {
	t.Helper()
	res := f.owner.Do(http.MethodGet, f.path("/"+endpointID+"/deliveries?"+q.Encode()), nil)
	MustStatus(t, res, http.StatusOK)
	var page struct {
		Data       []webhookDeliveryJSON `json:"data"`
		NextCursor *string               `json:"next_cursor"`
	}
	res.MustJSON(t, &page)
	return page.Data, page.NextCursor
}

func deliveryIDs(ds []webhookDeliveryJSON) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func TestWebhookEndpoints(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	f := mustWebhookFixture(t, srv, "Hooked Agency")

	t.Run("create_answers_the_secret_once_and_stores_it_sealed", func(t *testing.T) {
		created := f.mustCreate(t, map[string]any{"description": "  Zapier  "})
		assert.Regexp(t, `^whsec_[A-Za-z0-9_-]{43}$`, created.Secret)
		e := created.Endpoint
		assert.Equal(t, "https://hooks.example.com/clientflow", e.URL)
		assert.Equal(t, "Zapier", e.Description)
		assert.Equal(t, []string{"project.created", "task.completed"}, e.Events)
		assert.True(t, e.Enabled)
		assert.Nil(t, e.DisabledReason)
		assert.Nil(t, e.LastDelivery)

		res := f.owner.Do(http.MethodGet, f.path("/"+e.ID), nil)
		MustStatus(t, res, http.StatusOK)
		assert.NotContains(t, string(res.Body), "secret\"")
		assert.NotContains(t, string(res.Body), created.Secret)
		list := f.owner.Do(http.MethodGet, f.path(""), nil)
		MustStatus(t, list, http.StatusOK)
		assert.NotContains(t, string(list.Body), created.Secret)
		assert.Contains(t, string(list.Body), e.ID)

		var sealed []byte
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT secret FROM webhook_endpoints WHERE id = ?", e.ID).
			Scan(context.Background(), &sealed))
		assert.NotContains(t, string(sealed), created.Secret, "the row holds the sealed secret, not the plaintext")
		opened, err := domain.OpenWebhookSecret("test-session-secret", sealed)
		require.NoError(t, err)
		assert.Equal(t, created.Secret, string(opened), "the worker opens what the owner was shown")
	})

	t.Run("created_disabled_says_manual", func(t *testing.T) {
		e := f.mustCreate(t, map[string]any{"enabled": false}).Endpoint
		assert.False(t, e.Enabled)
		require.NotNil(t, e.DisabledReason)
		assert.Equal(t, "manual", *e.DisabledReason)
	})

	t.Run("validation", func(t *testing.T) {
		long := strings.Repeat("d", 501)
		cases := []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"ftp_scheme", map[string]any{"url": "ftp://hooks.example.com/x", "events": []string{"task.created"}}, "body.url"},
			{"no_host", map[string]any{"url": "https:///path", "events": []string{"task.created"}}, "body.url"},
			{"not_a_url", map[string]any{"url": "hooks.example.com", "events": []string{"task.created"}}, "body.url"},
			{"private_ip_literal", map[string]any{"url": "http://10.1.2.3/hook", "events": []string{"task.created"}}, "body.url"},
			{"metadata_address", map[string]any{"url": "http://169.254.169.254/latest", "events": []string{"task.created"}}, "body.url"},
			{"loopback_literal", map[string]any{"url": "http://127.0.0.1:8080/hook", "events": []string{"task.created"}}, "body.url"},
			{"localhost", map[string]any{"url": "http://localhost:8080/hook", "events": []string{"task.created"}}, "body.url"},
			{"credentials_in_url", map[string]any{"url": "https://u:p@hooks.example.com/", "events": []string{"task.created"}}, "body.url"},
			{"unknown_event", map[string]any{"url": "https://hooks.example.com/", "events": []string{"task.created", "task.exploded"}}, "body.events[1]"},
			{"ping_is_no_subscription", map[string]any{"url": "https://hooks.example.com/", "events": []string{"ping"}}, "body.events[0]"},
			{"empty_events", map[string]any{"url": "https://hooks.example.com/", "events": []string{}}, "body.events"},
			{"missing_events", map[string]any{"url": "https://hooks.example.com/"}, "body"},
			{"oversized_description", map[string]any{"url": "https://hooks.example.com/", "events": []string{"task.created"}, "description": long}, "body.description"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := MustProblem(t, f.owner.Do(http.MethodPost, f.path(""), c.body), http.StatusUnprocessableEntity, "validation_failed")
				assert.Contains(t, p.Locations(), c.field)
				if c.name == "unknown_event" {
					assert.Contains(t, p.Errors[0].Message, "task.exploded", "the message names the unknown type")
				}
			})
		}
		t.Run("update_checks_the_same", func(t *testing.T) {
			e := f.mustCreate(t, nil).Endpoint
			for field, body := range map[string]map[string]any{
				"body.url":       {"url": "http://192.168.1.10/hook"},
				"body.events[0]": {"events": []string{"invoice.drafted"}},
				"body.events":    {"events": []string{}},
			} {
				p := MustProblem(t, f.owner.Do(http.MethodPatch, f.path("/"+e.ID), body), http.StatusUnprocessableEntity, "validation_failed")
				assert.Contains(t, p.Locations(), field)
			}
			res := f.owner.Do(http.MethodGet, f.path("/"+e.ID), nil)
			var after webhookEndpointJSON
			res.MustJSON(t, &after)
			assert.Equal(t, e.URL, after.URL, "a refused update changes nothing")
		})
		t.Run("nothing_was_created", func(t *testing.T) {
			var n int
			require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM webhook_endpoints WHERE organization_id = ? AND url <> 'https://hooks.example.com/clientflow'",
				f.orgID).Scan(context.Background(), &n))
			assert.Zero(t, n)
		})
	})

	t.Run("update_disable_and_reenable", func(t *testing.T) {
		e := f.mustCreate(t, nil).Endpoint
		res := f.owner.Do(http.MethodPatch, f.path("/"+e.ID), map[string]any{"url": "https://other.example.com/in",
			"description": "Slack", "events": []string{"invoice.paid"}, "enabled": false})
		MustStatus(t, res, http.StatusOK)
		var got webhookEndpointJSON
		res.MustJSON(t, &got)
		assert.Equal(t, "https://other.example.com/in", got.URL)
		assert.Equal(t, "Slack", got.Description)
		assert.Equal(t, []string{"invoice.paid"}, got.Events)
		assert.False(t, got.Enabled)
		require.NotNil(t, got.DisabledReason)
		assert.Equal(t, "manual", *got.DisabledReason)

		// The worker disabled it after 24 hours of failures; enabling starts afresh.
		mustExec(t, db, "UPDATE webhook_endpoints SET disabled_reason = 'failing', failing_since = now() - interval '25 hours' WHERE id = ?", e.ID)
		res = f.owner.Do(http.MethodPatch, f.path("/"+e.ID), map[string]any{"enabled": true})
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &got)
		assert.True(t, got.Enabled)
		assert.Nil(t, got.DisabledReason)
		assert.Nil(t, got.FailingSince)
		assert.Equal(t, "Slack", got.Description, "fields not sent stay")
	})

	t.Run("delete", func(t *testing.T) {
		e := f.mustCreate(t, nil).Endpoint
		f.mustInsertDelivery(t, e.ID, "", "task.completed", domain.WebhookFailed, time.Now())
		MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/"+e.ID), nil), http.StatusNoContent)
		MustProblem(t, f.owner.Do(http.MethodGet, f.path("/"+e.ID), nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodDelete, f.path("/"+e.ID), nil), http.StatusNotFound, "not_found")
		var n int
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?", e.ID).
			Scan(context.Background(), &n))
		assert.Zero(t, n, "the log goes with the endpoint")
	})

	t.Run("rotate_keeps_the_previous_secret_until_the_grace_ends", func(t *testing.T) {
		created := f.mustCreate(t, nil)
		id := created.Endpoint.ID
		res := f.owner.Do(http.MethodPost, f.path("/"+id+"/rotate-secret"), map[string]any{"grace_hours": 48})
		MustStatus(t, res, http.StatusOK)
		var rotated webhookCreatedJSON
		res.MustJSON(t, &rotated)
		assert.Regexp(t, `^whsec_`, rotated.Secret)
		assert.NotEqual(t, created.Secret, rotated.Secret)
		require.NotNil(t, rotated.Endpoint.SecretRotatedUntil)
		assert.WithinDuration(t, time.Now().Add(48*time.Hour), *rotated.Endpoint.SecretRotatedUntil, time.Minute)

		var current, previous []byte
		require.NoError(t, db.Owner.Bun().QueryRowContext(context.Background(),
			"SELECT secret, previous_secret FROM webhook_endpoints WHERE id = ?", id).Scan(&current, &previous))
		for want, sealed := range map[string][]byte{rotated.Secret: current, created.Secret: previous} {
			opened, err := domain.OpenWebhookSecret("test-session-secret", sealed)
			require.NoError(t, err)
			assert.Equal(t, want, string(opened))
		}

		// Once the grace has passed, the endpoint no longer says it signs with two.
		mustExec(t, db, "UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ?", id)
		var got webhookEndpointJSON
		f.owner.Do(http.MethodGet, f.path("/"+id), nil).MustJSON(t, &got)
		assert.Nil(t, got.SecretRotatedUntil)

		t.Run("default_grace_is_24_hours", func(t *testing.T) {
			res := f.owner.Do(http.MethodPost, f.path("/"+id+"/rotate-secret"), nil)
			MustStatus(t, res, http.StatusOK)
			var r webhookCreatedJSON
			res.MustJSON(t, &r)
			require.NotNil(t, r.Endpoint.SecretRotatedUntil)
			assert.WithinDuration(t, time.Now().Add(24*time.Hour), *r.Endpoint.SecretRotatedUntil, time.Minute)
		})
		t.Run("zero_grace_drops_the_old_secret", func(t *testing.T) {
			res := f.owner.Do(http.MethodPost, f.path("/"+id+"/rotate-secret"), map[string]any{"grace_hours": 0})
			MustStatus(t, res, http.StatusOK)
			var r webhookCreatedJSON
			res.MustJSON(t, &r)
			assert.Nil(t, r.Endpoint.SecretRotatedUntil)
			var prev []byte
			require.NoError(t, db.Owner.Bun().NewRaw("SELECT previous_secret FROM webhook_endpoints WHERE id = ?", id).
				Scan(context.Background(), &prev))
			assert.Nil(t, prev)
		})
		t.Run("grace_out_of_range", func(t *testing.T) {
			for _, h := range []int{-1, 169} {
				p := MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+id+"/rotate-secret"), map[string]any{"grace_hours": h}),
					http.StatusUnprocessableEntity, "validation_failed")
				assert.Contains(t, p.Locations(), "body.grace_hours")
			}
		})
	})

	t.Run("list_shows_each_endpoints_last_delivery", func(t *testing.T) {
		g := mustWebhookFixture(t, srv, "Listing Agency")
		a, b := g.mustCreate(t, nil).Endpoint, g.mustCreate(t, nil).Endpoint
		g.mustInsertDelivery(t, a.ID, "", "task.completed", domain.WebhookFailed, time.Now().Add(-time.Hour))
		g.mustInsertDelivery(t, a.ID, "", "project.created", domain.WebhookDelivered, time.Now())
		res := g.owner.Do(http.MethodGet, g.path(""), nil)
		MustStatus(t, res, http.StatusOK)
		var list struct {
			Data       []webhookEndpointJSON `json:"data"`
			NextCursor *string               `json:"next_cursor"`
		}
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 2)
		assert.Equal(t, []string{a.ID, b.ID}, []string{list.Data[0].ID, list.Data[1].ID}, "oldest first")
		require.NotNil(t, list.Data[0].LastDelivery)
		assert.Equal(t, "delivered", list.Data[0].LastDelivery.Status)
		assert.Nil(t, list.Data[1].LastDelivery)
		assert.Nil(t, list.NextCursor)
	})
}

func TestWebhookDeliveryLog(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	f := mustWebhookFixture(t, srv, "Logging Agency")
	e := f.mustCreate(t, nil).Endpoint
	other := f.mustCreate(t, nil).Endpoint
	start := time.Now().Add(-time.Hour)
	var all []string // newest first
	for i, d := range []struct{ typ, status string }{
		{"task.completed", "failed"}, {"project.created", "delivered"}, {"task.completed", "delivered"},
		{"project.created", "failed"}, {"task.completed", "pending"},
	} {
		all = append([]string{f.mustInsertDelivery(t, e.ID, "", d.typ, d.status, start.Add(time.Duration(i)*time.Minute))}, all...)
	}
	foreign := f.mustInsertDelivery(t, other.ID, "", "task.completed", "failed", start)

	t.Run("newest_first_in_pages", func(t *testing.T) {
		var got []string
		q := url.Values{"limit": {"2"}}
		for range 5 {
			page, next := f.mustDeliveries(t, e.ID, q)
			got = append(got, deliveryIDs(page)...)
			if next == nil {
				break
			}
			q.Set("cursor", *next)
		}
		assert.Equal(t, all, got)
	})
	t.Run("status_filter", func(t *testing.T) {
		page, next := f.mustDeliveries(t, e.ID, url.Values{"status": {"failed"}})
		assert.Equal(t, []string{all[1], all[4]}, deliveryIDs(page))
		assert.Nil(t, next)
		for _, d := range page {
			assert.Equal(t, "failed", d.Status)
		}
	})
	t.Run("event_filter_with_status_and_cursor", func(t *testing.T) {
		page, next := f.mustDeliveries(t, e.ID, url.Values{"event": {"task.completed"}, "limit": {"1"}})
		assert.Equal(t, []string{all[0]}, deliveryIDs(page))
		require.NotNil(t, next)
		page, _ = f.mustDeliveries(t, e.ID, url.Values{"event": {"task.completed"}, "status": {"delivered"}})
		assert.Equal(t, []string{all[2]}, deliveryIDs(page))
	})
	t.Run("bad_filters", func(t *testing.T) {
		for q, field := range map[string]string{"status=lost": "query.status", "event=task.exploded": "query.event",
			"cursor=not-a-cursor": "query.cursor", "limit=201": "query.limit"} {
			p := MustProblem(t, f.owner.Do(http.MethodGet, f.path("/"+e.ID+"/deliveries?"+q), nil),
				http.StatusUnprocessableEntity, "validation_failed")
			assert.Contains(t, p.Locations(), field, q)
		}
	})
	t.Run("one_delivery_with_attempts_and_body", func(t *testing.T) {
		mustExec(t, db, `INSERT INTO webhook_delivery_attempts (organization_id, delivery_id, attempt, status_code, duration_ms)
			VALUES (?0, ?1, 1, 500, 12), (?0, ?1, 2, 503, 9)`, f.orgID, all[4])
		res := f.owner.Do(http.MethodGet, f.path("/"+e.ID+"/deliveries/"+all[4]), nil)
		MustStatus(t, res, http.StatusOK)
		var d webhookDeliveryJSON
		res.MustJSON(t, &d)
		assert.Equal(t, "task.completed", d.EventType)
		require.Len(t, d.AttemptLog, 2)
		assert.Equal(t, 503, *d.AttemptLog[1].StatusCode)
		var env map[string]any
		require.NoError(t, json.Unmarshal([]byte(d.RequestBody), &env))
		assert.Equal(t, d.EventID, env["id"])
	})
	t.Run("a_delivery_of_another_endpoint_is_not_found", func(t *testing.T) {
		missing := MustProblem(t, f.owner.Do(http.MethodGet, f.path("/"+e.ID+"/deliveries/"+uuid.NewString()), nil), http.StatusNotFound, "not_found")
		p := MustProblem(t, f.owner.Do(http.MethodGet, f.path("/"+e.ID+"/deliveries/"+foreign), nil), http.StatusNotFound, "not_found")
		assert.Equal(t, missing.Detail, p.Detail)
		MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/deliveries/"+foreign+"/replay"), nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodGet, f.path("/"+uuid.NewString()+"/deliveries"), nil), http.StatusNotFound, "not_found")
	})
}

func TestWebhookTestAndReplay(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	f := mustWebhookFixture(t, srv, "Replaying Agency")
	e := f.mustCreate(t, nil).Endpoint

	t.Run("send_test_answers_the_outcome_of_its_single_try", func(t *testing.T) {
		// The worker's single try, in its place: one attempt answered 204 in 31 ms.
		srv.Workflows.RunWebhookTests(func(_ context.Context, ref domain.WebhookDeliveryRef) error {
			mustExec(t, db, `UPDATE webhook_deliveries SET status = 'delivered', attempts = 1, last_status_code = 204,
				duration_ms = 31, completed_at = now() WHERE id = ?`, ref.DeliveryID)
			return nil
		})
		defer srv.Workflows.RunWebhookTests(nil)
		res := f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/test"), nil)
		MustStatus(t, res, http.StatusOK)
		var d webhookDeliveryJSON
		res.MustJSON(t, &d)
		assert.Equal(t, "ping", d.EventType)
		assert.Equal(t, "delivered", d.Status)
		assert.Equal(t, 204, *d.LastStatusCode)
		assert.Equal(t, 31, *d.DurationMS)
		sent := srv.Workflows.WebhookTestsSent()
		require.NotEmpty(t, sent)
		assert.Equal(t, domain.WebhookDeliveryRef{OrganizationID: f.orgID, DeliveryID: d.ID, SingleAttempt: true}, sent[len(sent)-1])

		var one webhookDeliveryJSON
		f.owner.Do(http.MethodGet, f.path("/"+e.ID+"/deliveries/"+d.ID), nil).MustJSON(t, &one)
		var env struct{ Data struct{ Message string } }
		require.NoError(t, json.Unmarshal([]byte(one.RequestBody), &env))
		assert.NotEmpty(t, env.Data.Message)
		assert.Contains(t, one.RequestBody, `"organization_id": "`+f.orgID+`"`)
		assert.Contains(t, one.RequestBody, `"type": "ping"`)
	})

	t.Run("send_test_when_temporal_is_down_answers_503_and_leaves_no_row", func(t *testing.T) {
		before := countDeliveries(t, db, e.ID)
		srv.Workflows.FailWebhookStarts(true)
		defer srv.Workflows.FailWebhookStarts(false)
		res := f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/test"), nil)
		MustProblem(t, res, http.StatusServiceUnavailable, "unavailable")
		assert.NotEmpty(t, res.Header.Get("Retry-After"))
		assert.Equal(t, before, countDeliveries(t, db, e.ID))
	})

	t.Run("replay_one_makes_a_new_delivery_of_the_same_event", func(t *testing.T) {
		eventID := uuid.NewString()
		orig := f.mustInsertDelivery(t, e.ID, eventID, "task.completed", domain.WebhookFailed, time.Now().Add(-time.Minute))
		res := f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/deliveries/"+orig+"/replay"), nil)
		MustStatus(t, res, http.StatusAccepted)
		var d webhookDeliveryJSON
		res.MustJSON(t, &d)
		assert.NotEqual(t, orig, d.ID)
		assert.Equal(t, eventID, d.EventID)
		assert.Equal(t, "task.completed", d.EventType)
		assert.Equal(t, "pending", d.Status)
		require.NotNil(t, d.ReplayOf)
		assert.Equal(t, orig, *d.ReplayOf)
		assert.Contains(t, srv.Workflows.WebhookDeliveriesStarted(),
			domain.WebhookDeliveryRef{OrganizationID: f.orgID, DeliveryID: d.ID})
		var origBody, replayBody string
		require.NoError(t, db.Owner.Bun().QueryRowContext(context.Background(),
			"SELECT (SELECT body::text FROM webhook_deliveries WHERE id = ?), (SELECT body::text FROM webhook_deliveries WHERE id = ?)",
			orig, d.ID).Scan(&origBody, &replayBody))
		assert.Equal(t, origBody, replayBody)

		t.Run("a_pending_delivery_cannot_be_replayed", func(t *testing.T) {
			MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/deliveries/"+d.ID+"/replay"), nil), http.StatusConflict, "conflict")
		})
		t.Run("nor_its_event_again_while_the_replay_is_pending", func(t *testing.T) {
			p := MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/deliveries/"+orig+"/replay"), nil), http.StatusConflict, "conflict")
			assert.Contains(t, p.Detail, "still being attempted")
		})
	})

	t.Run("replay_when_temporal_is_down_answers_503_and_leaves_no_row", func(t *testing.T) {
		orig := f.mustInsertDelivery(t, e.ID, "", "task.completed", domain.WebhookFailed, time.Now().Add(-time.Minute))
		before := countDeliveries(t, db, e.ID)
		srv.Workflows.FailWebhookStarts(true)
		defer srv.Workflows.FailWebhookStarts(false)
		MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/deliveries/"+orig+"/replay"), nil),
			http.StatusServiceUnavailable, "unavailable")
		assert.Equal(t, before, countDeliveries(t, db, e.ID))
	})

	t.Run("replay_failed_since", func(t *testing.T) {
		g := mustWebhookFixture(t, srv, "Bulk Agency")
		ep := g.mustCreate(t, nil).Endpoint
		since := time.Now().Add(-time.Hour)
		g.mustInsertDelivery(t, ep.ID, "", "task.completed", domain.WebhookFailed, since.Add(-time.Minute)) // before
		want := map[string]bool{}
		for range 3 {
			ev := uuid.NewString()
			g.mustInsertDelivery(t, ep.ID, ev, "task.completed", domain.WebhookFailed, since.Add(time.Minute))
			want[ev] = true
		}
		// An event that failed twice is replayed once; one delivered on a replay is not re-sent; pings never.
		twice := uuid.NewString()
		g.mustInsertDelivery(t, ep.ID, twice, "project.created", domain.WebhookFailed, since.Add(2*time.Minute))
		g.mustInsertDelivery(t, ep.ID, twice, "project.created", domain.WebhookFailed, since.Add(3*time.Minute))
		want[twice] = true
		healed := uuid.NewString()
		g.mustInsertDelivery(t, ep.ID, healed, "project.created", domain.WebhookFailed, since.Add(2*time.Minute))
		g.mustInsertDelivery(t, ep.ID, healed, "project.created", domain.WebhookDelivered, since.Add(4*time.Minute))
		g.mustInsertDelivery(t, ep.ID, "", "ping", domain.WebhookFailed, since.Add(2*time.Minute))
		g.mustInsertDelivery(t, ep.ID, "", "task.completed", domain.WebhookDelivered, since.Add(2*time.Minute))
		startsBefore := len(srv.Workflows.WebhookDeliveriesStarted())

		res := g.owner.Do(http.MethodPost, g.path("/"+ep.ID+"/replay"), map[string]any{"status": "failed",
			"since": since.UTC().Format(time.RFC3339Nano)})
		MustStatus(t, res, http.StatusAccepted)
		var out struct{ Replayed int }
		res.MustJSON(t, &out)
		assert.Equal(t, len(want), out.Replayed)

		pending, _ := g.mustDeliveries(t, ep.ID, url.Values{"status": {"pending"}})
		got := map[string]bool{}
		for _, d := range pending {
			got[d.EventID] = true
			assert.NotNil(t, d.ReplayOf)
		}
		assert.Equal(t, want, got)
		assert.Len(t, srv.Workflows.WebhookDeliveriesStarted(), startsBefore+len(want))

		again := g.owner.Do(http.MethodPost, g.path("/"+ep.ID+"/replay"), map[string]any{"status": "failed",
			"since": since.UTC().Format(time.RFC3339)})
		MustStatus(t, again, http.StatusAccepted)
		again.MustJSON(t, &out)
		assert.Zero(t, out.Replayed, "events already on their way are not replayed twice")
	})

	t.Run("replay_failed_since_validation", func(t *testing.T) {
		for name, body := range map[string]map[string]any{
			"future":       {"status": "failed", "since": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)},
			"not_rfc3339":  {"status": "failed", "since": "yesterday"},
			"date_only":    {"status": "failed", "since": "2026-01-05"},
			"other_status": {"status": "delivered", "since": "2026-01-05T00:00:00Z"},
		} {
			t.Run(name, func(t *testing.T) {
				MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+e.ID+"/replay"), body), http.StatusUnprocessableEntity, "validation_failed")
			})
		}
	})

	t.Run("a_disabled_endpoint_gets_no_new_deliveries", func(t *testing.T) {
		d := f.mustCreate(t, map[string]any{"enabled": false}).Endpoint
		failed := f.mustInsertDelivery(t, d.ID, "", "task.completed", domain.WebhookFailed, time.Now().Add(-time.Minute))
		MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+d.ID+"/test"), nil), http.StatusConflict, "conflict")
		MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+d.ID+"/deliveries/"+failed+"/replay"), nil), http.StatusConflict, "conflict")
		MustProblem(t, f.owner.Do(http.MethodPost, f.path("/"+d.ID+"/replay"), map[string]any{"status": "failed",
			"since": "2026-01-01T00:00:00Z"}), http.StatusConflict, "conflict")
	})
}

func countDeliveries(t *testing.T, db *storetest.DB, endpointID string) int {
	t.Helper()
	var n int
	require.NoError(t, db.Owner.Bun().NewRaw("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?", endpointID).
		Scan(context.Background(), &n))
	return n
}

// TestWebhooksAcrossTenants: another organization's endpoint or delivery, aimed at through one's own
// organization, is not found, and nothing of it changes.
func TestWebhooksAcrossTenants(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	a, b := mustWebhookFixture(t, srv, "Attacker"), mustWebhookFixture(t, srv, "Victim")
	victim := b.mustCreate(t, map[string]any{"description": "Victim hook"}).Endpoint
	delivery := b.mustInsertDelivery(t, victim.ID, "", "task.completed", domain.WebhookFailed, time.Now().Add(-time.Minute))
	before := MustSnapshotOrg(t, db, b.orgID)
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/" + victim.ID}, {http.MethodPatch, "/" + victim.ID}, {http.MethodDelete, "/" + victim.ID},
		{http.MethodPost, "/" + victim.ID + "/rotate-secret"}, {http.MethodPost, "/" + victim.ID + "/test"},
		{http.MethodGet, "/" + victim.ID + "/deliveries"}, {http.MethodGet, "/" + victim.ID + "/deliveries/" + delivery},
		{http.MethodPost, "/" + victim.ID + "/deliveries/" + delivery + "/replay"}, {http.MethodPost, "/" + victim.ID + "/replay"},
	} {
		t.Run(r.method+r.path, func(t *testing.T) {
			var body any
			switch {
			case r.method == http.MethodPatch:
				body = map[string]any{"description": "Hijacked"}
			case strings.HasSuffix(r.path, "/replay") && !strings.Contains(r.path, "deliveries"):
				body = map[string]any{"status": "failed", "since": "2026-01-01T00:00:00Z"}
			}
			res := a.owner.Do(r.method, a.path(r.path), body)
			MustProblem(t, res, http.StatusNotFound, "not_found")
			assert.NotContains(t, string(res.Body), "Victim")
		})
	}
	assert.Equal(t, before, MustSnapshotOrg(t, db, b.orgID), "org B's webhooks changed")
}

// TestWebhooksNeedAPIAccess: a Starter organization (no api_access) gets 402 on every webhook route.
func TestWebhooksNeedAPIAccess(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	f := mustWebhookFixture(t, srv, "Starter Agency")
	e := f.mustCreate(t, nil).Endpoint
	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, ""}, {http.MethodPost, ""}, {http.MethodGet, "/" + e.ID}, {http.MethodPost, "/" + e.ID + "/test"},
		{http.MethodGet, "/" + e.ID + "/deliveries"},
	} {
		var body any
		if r.method == http.MethodPost && r.path == "" {
			body = map[string]any{"url": "https://hooks.example.com/x", "events": []string{"task.created"}}
		}
		res := f.owner.Do(r.method, f.path(r.path), body)
		MustProblem(t, res, http.StatusPaymentRequired, "plan_feature_unavailable")
		var p featureProblemJSON
		res.MustJSON(t, &p)
		assert.Equal(t, "api_access", p.Feature)
		assert.Equal(t, "professional", p.Plan)
	}
}

// mustWebhookDelivery creates an endpoint of orgID and a test delivery to it (left pending: the recorded
// workflows deliver nothing), for the suites that aim routes at them.
func mustWebhookDelivery(t *testing.T, b *browser, orgID string) (endpointID, deliveryID string) {
	t.Helper()
	res := b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/webhooks", map[string]any{
		"url": "https://hooks.example.com/victim", "events": []string{"task.created"}, "description": "Victim hook"})
	MustStatus(t, res, http.StatusCreated)
	var created webhookCreatedJSON
	res.MustJSON(t, &created)
	res = b.Do(http.MethodPost, "/api/v1/orgs/"+orgID+"/webhooks/"+created.Endpoint.ID+"/test", nil)
	MustStatus(t, res, http.StatusOK)
	var d webhookDeliveryJSON
	res.MustJSON(t, &d)
	return created.Endpoint.ID, d.ID
}

// TestWebhookEventsNeedReadPermission: webhooks.manage alone subscribes to no payload its holder may not read.
func TestWebhookEventsNeedReadPermission(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	f := mustWebhookFixture(t, srv, "Guarded Hooks")
	// A custom manager role: webhooks.manage and everything but invoices.read.
	mgr := srv.MustSignUp(t, "Hook Manager")
	mustJoin(t, db, f.orgID, mgr, "manager")
	perms := append(slices.DeleteFunc(domain.DefaultRolePermissions("manager"), func(p domain.Permission) bool {
		return p == domain.PermInvoicesRead
	}), domain.PermWebhooksManage)
	MustStatus(t, f.owner.Do(http.MethodPut, "/api/v1/orgs/"+f.orgID+"/roles/manager", map[string]any{"permissions": perms}), http.StatusOK)
	hook := func(events ...string) map[string]any {
		return map[string]any{"url": "https://hooks.example.com/guarded", "events": events}
	}

	t.Run("create_refuses_events_without_their_read_permission", func(t *testing.T) {
		p := MustProblem(t, mgr.Do(http.MethodPost, f.path(""), hook("task.created", "invoice.paid", "invoice.overdue")),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.events"}, p.Locations())
		assert.Contains(t, p.Errors[0].Message, "invoices.read (for invoice.paid, invoice.overdue)")
		MustStatus(t, mgr.Do(http.MethodPost, f.path(""), hook("task.created", "client.updated", "team.member_added")),
			http.StatusCreated)
	})

	t.Run("update_refuses_them_too_and_changes_nothing", func(t *testing.T) {
		res := mgr.Do(http.MethodPost, f.path(""), hook("task.created"))
		MustStatus(t, res, http.StatusCreated)
		var created webhookCreatedJSON
		res.MustJSON(t, &created)
		id := created.Endpoint.ID
		p := MustProblem(t, mgr.Do(http.MethodPatch, f.path("/"+id), map[string]any{"events": []string{"invoice.paid"}}),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Errors[0].Message, "invoice.paid")
		var after webhookEndpointJSON
		f.owner.Do(http.MethodGet, f.path("/"+id), nil).MustJSON(t, &after)
		assert.Equal(t, []string{"task.created"}, after.Events)
	})

	t.Run("an_owners_invoice_endpoint_cannot_be_pointed_elsewhere", func(t *testing.T) {
		e := f.mustCreate(t, map[string]any{"events": []string{"invoice.paid"}}).Endpoint
		MustProblem(t, mgr.Do(http.MethodPatch, f.path("/"+e.ID), map[string]any{"url": "https://attacker.example.com/"}),
			http.StatusUnprocessableEntity, "validation_failed")
		// Switching it off or describing it moves no payload anywhere.
		MustStatus(t, mgr.Do(http.MethodPatch, f.path("/"+e.ID), map[string]any{"enabled": false, "description": "paused"}),
			http.StatusOK)

		// Its delivery log shows the manager the deliveries, never an invoice's payload.
		d := f.mustInsertDelivery(t, e.ID, "", "invoice.paid", domain.WebhookDelivered, time.Now())
		var seen struct {
			RequestBody *string `json:"request_body"`
		}
		res := mgr.Do(http.MethodGet, f.path("/"+e.ID+"/deliveries/"+d), nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &seen)
		assert.Nil(t, seen.RequestBody, "no invoices.read, no invoice payload")
		f.owner.Do(http.MethodGet, f.path("/"+e.ID+"/deliveries/"+d), nil).MustJSON(t, &seen)
		assert.NotNil(t, seen.RequestBody, "the owner reads it")
	})

	t.Run("the_owner_subscribes_to_every_event", func(t *testing.T) {
		e := f.mustCreate(t, map[string]any{"events": domain.WebhookEventTypes}).Endpoint
		assert.Equal(t, domain.WebhookEventTypes, e.Events)
	})

	t.Run("an_api_key_is_held_to_its_scopes", func(t *testing.T) {
		_, key := mustCreateAPIKey(t, f.owner, f.orgID, map[string]any{"name": "hooks only", "expires_in": "30d",
			"scopes": []string{"webhooks.manage", "tasks.read"}})
		p := MustProblem(t, bearer(srv, t, key, http.MethodPost, f.path(""), hook("task.created", "client.created")),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Errors[0].Message, "clients.read (for client.created)")
		MustStatus(t, bearer(srv, t, key, http.MethodPost, f.path(""), hook("task.created", "task.completed")), http.StatusCreated)
	})
}
