package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// mustUserAndOrg creates a user who owns a new organization.
func mustUserAndOrg(t *testing.T, db *store.DB, email string) (*domain.User, *domain.Organization) {
	t.Helper()
	ctx := context.Background()
	u := &domain.User{Name: "Test " + email, Email: email, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	org, err := db.CreateOrganization(ctx, "Org of "+email, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u, org
}

func TestRowLevelSecurity(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()

	t.Run("every_table_with_organization_id_has_forced_rls_and_a_policy", func(t *testing.T) {
		var missing []string
		err := d.Owner.Bun().NewRaw(`
			SELECT c.relname FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
			WHERE c.relkind = 'r'
			  AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped)
			       OR c.relname = 'organizations')
			  -- domain_event_queue is the fan-out's cross-tenant outbox: ids only, no route reads it (see its migration).
			  AND c.relname <> 'domain_event_queue'
			  AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
			       OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
			ORDER BY 1`).Scan(ctx, &missing)
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Fatalf("tables without forced RLS and a policy: %v", missing)
		}
	})

	t.Run("app_role_is_neither_superuser_nor_owner_nor_bypassrls", func(t *testing.T) {
		var super, bypass bool
		var owns int
		err := d.App.Bun().NewRaw(`SELECT r.rolsuper, r.rolbypassrls,
			(SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relkind = 'r')
			FROM pg_roles r WHERE r.rolname = current_user`).Scan(ctx, &super, &bypass, &owns)
		if err != nil {
			t.Fatal(err)
		}
		if super || bypass || owns > 0 {
			t.Fatalf("app role: superuser=%v bypassrls=%v owns %d tables", super, bypass, owns)
		}
	})

	t.Run("app_role_without_tenant_setting_sees_no_rows", func(t *testing.T) {
		u, org := mustUserAndOrg(t, d.App, "rls@example.com")
		if err := d.App.CreateClient(ctx, org.ID, u.ID, &domain.Client{Name: "Hidden"}); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"clients", "organizations", "organization_memberships", "organization_settings"} {
			var n int
			if err := d.App.Bun().NewRaw("SELECT count(*) FROM "+table).Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: app role without app.org_id sees %d rows", table, n)
			}
			if err := d.Owner.Bun().NewRaw("SELECT count(*) FROM "+table).Scan(ctx, &n); err != nil || n == 0 {
				t.Errorf("%s: owner check saw %d rows (err %v); the rows should exist", table, n, err)
			}
		}
	})

	t.Run("seeing_your_memberships_elsewhere_does_not_let_you_change_them", func(t *testing.T) {
		u, orgA := mustUserAndOrg(t, d.App, "multi@example.com")
		orgB, err := d.App.CreateOrganization(ctx, "Multi B", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Scoped to org A, a careless statement that filters only by user must not reach org B.
		_, err = d.App.Bun().ExecContext(ctx, `BEGIN; SELECT set_config('app.org_id', '`+orgA.ID+`', true),
			set_config('app.user_id', '`+u.ID+`', true);
			UPDATE organization_memberships SET role = 'member' WHERE user_id = '`+u.ID+`';
			UPDATE organizations SET name = 'renamed' WHERE id IN ('`+orgA.ID+`', '`+orgB.ID+`'); COMMIT;`)
		if err != nil {
			t.Fatal(err)
		}
		var roleB, nameB string
		d.Owner.Bun().NewRaw("SELECT role FROM organization_memberships WHERE organization_id = ?", orgB.ID).Scan(ctx, &roleB)
		d.Owner.Bun().NewRaw("SELECT name FROM organizations WHERE id = ?", orgB.ID).Scan(ctx, &nameB)
		if roleB != domain.RoleOwner || nameB != "Multi B" {
			t.Fatalf("org B changed from org A's scope: role %q, name %q", roleB, nameB)
		}
	})

	t.Run("app_role_cannot_insert_a_row_for_another_tenant", func(t *testing.T) {
		_, orgA := mustUserAndOrg(t, d.App, "a-ins@example.com")
		_, orgB := mustUserAndOrg(t, d.App, "b-ins@example.com")
		_, err := d.App.Bun().ExecContext(ctx, `BEGIN; SELECT set_config('app.org_id', '`+orgA.ID+`', true);
			INSERT INTO clients (id, organization_id, name) VALUES (gen_random_uuid(), '`+orgB.ID+`', 'sneaky'); COMMIT;`)
		if err == nil {
			t.Fatal("insert into another tenant succeeded")
		}
		d.App.Bun().ExecContext(ctx, "ROLLBACK")
	})
}

func TestClients(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	u, org := mustUserAndOrg(t, d.App, "owner@example.com")
	_, other := mustUserAndOrg(t, d.App, "other@example.com")

	t.Run("create_list_search_and_paginate", func(t *testing.T) {
		for i := 0; i < 5; i++ {
			c := &domain.Client{Name: fmt.Sprintf("Client %d", i), Company: "Globex", Email: fmt.Sprintf("C%d@Example.com", i)}
			if err := d.App.CreateClient(ctx, org.ID, u.ID, c); err != nil {
				t.Fatal(err)
			}
			if c.Email != fmt.Sprintf("c%d@example.com", i) {
				t.Fatalf("email not normalised: %q", c.Email)
			}
		}
		page1, next, err := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 3})
		if err != nil || len(page1) != 3 || next == "" {
			t.Fatalf("page1: %d rows, next %q, err %v", len(page1), next, err)
		}
		if page1[0].Name != "Client 4" {
			t.Fatalf("newest first: got %q", page1[0].Name)
		}
		page2, next2, err := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 3, Cursor: next})
		if err != nil || len(page2) != 2 || next2 != "" {
			t.Fatalf("page2: %d rows, next %q, err %v", len(page2), next2, err)
		}
		found, _, err := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 50, Query: "CLIENT 3"})
		if err != nil || len(found) != 1 || found[0].Name != "Client 3" {
			t.Fatalf("search: %v %v", found, err)
		}
		none, _, _ := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 50, Query: "%"})
		if len(none) != 0 {
			t.Fatalf("a %% in the query must match literally, got %d rows", len(none))
		}
	})

	t.Run("another_tenants_client_is_not_found", func(t *testing.T) {
		c := &domain.Client{Name: "Mine"}
		if err := d.App.CreateClient(ctx, org.ID, u.ID, c); err != nil {
			t.Fatal(err)
		}
		if _, err := d.App.Client(ctx, other.ID, c.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("read: want not_found, got %v", err)
		}
		_, err := d.App.UpdateClient(ctx, other.ID, u.ID, c.ID, func(c *domain.Client) { c.Name = "stolen" })
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("update: want not_found, got %v", err)
		}
		if err := d.App.DeleteClient(ctx, other.ID, u.ID, c.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("delete: want not_found, got %v", err)
		}
		got, err := d.App.Client(ctx, org.ID, c.ID)
		if err != nil || got.Name != "Mine" {
			t.Fatalf("row changed: %v %v", got, err)
		}
	})

	t.Run("invalid_update_writes_nothing", func(t *testing.T) {
		c := &domain.Client{Name: "Valid"}
		if err := d.App.CreateClient(ctx, org.ID, u.ID, c); err != nil {
			t.Fatal(err)
		}
		_, err := d.App.UpdateClient(ctx, org.ID, u.ID, c.ID, func(c *domain.Client) { c.Name = ""; c.Email = "nope" })
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("want validation_failed, got %v", err)
		}
		got, _ := d.App.Client(ctx, org.ID, c.ID)
		if got.Name != "Valid" || got.Email != "" {
			t.Fatalf("row changed: %+v", got)
		}
	})
}

func TestIdempotent(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	u, org := mustUserAndOrg(t, d.App, "idem@example.com")
	create := func(ctx context.Context) (int, any, error) {
		c := &domain.Client{Name: "Once"}
		if err := d.App.CreateClient(ctx, org.ID, u.ID, c); err != nil {
			return 0, nil, err
		}
		return 201, map[string]string{"id": c.ID}, nil
	}

	t.Run("concurrent_duplicates_create_once_and_replay_the_first_response", func(t *testing.T) {
		var wg sync.WaitGroup
		bodies := make([]string, 8)
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := d.App.Idempotent(ctx, org.ID, u.ID, "key-1", "clients.create", []byte("h"), create)
				if err != nil {
					t.Error(err)
					return
				}
				var body map[string]string
				if err := json.Unmarshal(res.Body, &body); err != nil {
					t.Error(err)
				}
				bodies[i] = body["id"]
			}()
		}
		wg.Wait()
		for _, b := range bodies[1:] {
			if b == "" || b != bodies[0] {
				t.Fatalf("responses differ: %v", bodies)
			}
		}
		list, _, _ := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 50, Query: "Once"})
		if len(list) != 1 {
			t.Fatalf("want 1 client, got %d", len(list))
		}
	})

	t.Run("same_key_for_a_different_request_is_a_conflict", func(t *testing.T) {
		_, err := d.App.Idempotent(ctx, org.ID, u.ID, "key-1", "clients.create", []byte("other"), create)
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("want conflict, got %v", err)
		}
	})
}

func TestOutboxClaimIsIdempotent(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	e := store.OutboxEmail{IdempotencyKey: "welcome/1", To: "a@example.com", Subject: "Hi", HTML: "<p>Hi</p>", Text: "Hi", Provider: "mailbox"}
	sent, err := d.App.ClaimEmail(ctx, e)
	if err != nil || sent {
		t.Fatalf("first claim: sent=%v err=%v", sent, err)
	}
	if err := d.App.MarkEmailSent(ctx, e.IdempotencyKey, "m-1"); err != nil {
		t.Fatal(err)
	}
	if sent, err = d.App.ClaimEmail(ctx, e); err != nil || !sent {
		t.Fatalf("second claim: sent=%v err=%v", sent, err)
	}
	box, err := d.App.Mailbox(ctx, 10)
	if err != nil || len(box) != 1 || box[0].Subject != "Hi" {
		t.Fatalf("mailbox: %+v %v", box, err)
	}
}

func TestMigrationsRollBackAndReapply(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	m, err := store.NewMigrator(d.Owner)
	if err != nil {
		t.Fatal(err)
	}
	if rolled, err := m.Down(ctx); err != nil || len(rolled) == 0 {
		t.Fatalf("down: %v %v", rolled, err)
	}
	if applied, err := m.Up(ctx); err != nil || len(applied) == 0 {
		t.Fatalf("up again: %v %v", applied, err)
	}
}

func TestSessionPrincipal(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	u, org := mustUserAndOrg(t, d.App, "sess@example.com")
	_, other := mustUserAndOrg(t, d.App, "sess-other@example.com")
	s := &store.Session{UserID: u.ID, TokenHash: []byte("token-1"), ExpiresAt: time.Now().Add(time.Hour)}
	if err := d.App.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	expired := &store.Session{UserID: u.ID, TokenHash: []byte("token-old"), ExpiresAt: time.Now().Add(-time.Second)}
	if err := d.App.CreateSession(ctx, expired); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, org, wantRole string
	}{
		{"member_gets_their_role", org.ID, domain.RoleOwner},
		{"non_member_gets_no_role", other.ID, ""},
		{"no_org_asked_gets_no_role", "", ""},
		{"malformed_org_gets_no_role", "not-a-uuid", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := d.App.SessionPrincipal(ctx, []byte("token-1"), tc.org)
			if err != nil || p.User.ID != u.ID || p.Role != tc.wantRole {
				t.Fatalf("got %+v %v, want role %q", p, err, tc.wantRole)
			}
		})
	}
	t.Run("expired_session_is_refused", func(t *testing.T) {
		if _, err := d.App.SessionPrincipal(ctx, []byte("token-old"), ""); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
			t.Fatalf("want unauthenticated, got %v", err)
		}
	})
	t.Run("revoked_session_is_refused_on_the_next_request", func(t *testing.T) {
		if err := d.App.RevokeSession(ctx, []byte("token-1")); err != nil {
			t.Fatal(err)
		}
		if _, err := d.App.SessionPrincipal(ctx, []byte("token-1"), org.ID); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
			t.Fatalf("want unauthenticated, got %v", err)
		}
	})
}

func TestClientWritesRecordEventsAndUsage(t *testing.T) {
	d := storetest.MustOpen(t)
	ctx := context.Background()
	u, org := mustUserAndOrg(t, d.App, "events@example.com")
	events := func() []string {
		var types []string
		if err := d.Owner.Bun().NewRaw("SELECT type FROM domain_events WHERE organization_id = ? ORDER BY id", org.ID).Scan(ctx, &types); err != nil {
			t.Fatal(err)
		}
		return types
	}
	usage := func() int {
		var n int
		d.Owner.Bun().NewRaw("SELECT coalesce(sum(value), 0) FROM usage_counters WHERE organization_id = ? AND metric = 'clients'", org.ID).Scan(ctx, &n)
		return n
	}
	c := &domain.Client{Name: "Evented"}
	if err := d.App.CreateClient(ctx, org.ID, u.ID, c); err != nil {
		t.Fatal(err)
	}
	if err := d.App.CreateClient(ctx, org.ID, u.ID, &domain.Client{Name: ""}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("invalid create: %v", err)
	}
	if _, err := d.App.UpdateClient(ctx, org.ID, u.ID, c.ID, func(c *domain.Client) { c.Company = "Evented Ltd" }); err != nil {
		t.Fatal(err)
	}
	if err := d.App.DeleteClient(ctx, org.ID, u.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	want := []string{domain.EventClientCreated, domain.EventClientUpdated, domain.EventClientDeleted}
	if got := events(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events %v, want %v (a failed write must record nothing)", got, want)
	}
	if got := usage(); got != 1 {
		t.Fatalf("clients usage %d, want 1", got)
	}
}
