package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

type invoiceJSON struct {
	ID         string  `json:"id"`
	Number     int     `json:"number"`
	Status     string  `json:"status"`
	ClientID   string  `json:"client_id"`
	ClientName string  `json:"client_name"`
	Currency   string  `json:"currency"`
	DueDate    string  `json:"due_date"`
	Subtotal   int64   `json:"subtotal"`
	Discount   int64   `json:"discount"`
	Tax        int64   `json:"tax"`
	Total      int64   `json:"total"`
	AmountPaid int64   `json:"amount_paid"`
	Balance    int64   `json:"balance"`
	PublicURL  *string `json:"public_url"`
	Lines      []struct {
		Description   string  `json:"description"`
		QuantityMilli int64   `json:"quantity_milli"`
		UnitPrice     int64   `json:"unit_price"`
		TaskID        *string `json:"task_id"`
		Amount        int64   `json:"amount"`
	} `json:"lines"`
	OrganizationName string `json:"organization_name"`
}

// invoiceSetup is an organization with a client (with an email), a project of that client at 150.00 an
// hour with one task, and its owner signed in.
type invoiceSetup struct {
	owner                          *browser
	orgID, clientID, projectID, ID string
	taskID                         string
}

func mustInvoiceSetup(t *testing.T, db *storetest.DB, srv *testServer, orgName string) invoiceSetup {
	t.Helper()
	owner := srv.MustSignUp(t, "Owner of "+orgName)
	org := owner.MustCreateOrg(orgName)
	client := owner.MustCreateClient(org.ID, map[string]any{"name": orgName + " Client", "email": "ap@" + strings.ToLower(strings.ReplaceAll(orgName, " ", "")) + ".example"})
	projectID := mustInsertProject(t, db, org.ID, orgName+" Website", projectRow{HourlyRate: int64p(15000)})
	_, err := db.Owner.Bun().ExecContext(context.Background(), "UPDATE projects SET client_id = ? WHERE id = ?", client.ID, projectID)
	require.NoError(t, err)
	return invoiceSetup{owner: owner, orgID: org.ID, clientID: client.ID, projectID: projectID,
		taskID: mustInsertTask(t, db, org.ID, projectID, "Homepage design")}
}

func (s invoiceSetup) base() string { return "/api/v1/orgs/" + s.orgID + "/invoices" }

// mustSentInvoice creates a one-line invoice and sends it, returning it with its public link.
func (s invoiceSetup) mustSentInvoice(t *testing.T, description string) invoiceJSON {
	t.Helper()
	res := s.owner.Do(http.MethodPost, s.base(), map[string]any{"client_id": s.clientID, "issue_date": "2026-02-01",
		"due_date": "2026-03-03", "lines": []map[string]any{{"description": description, "quantity_milli": 1000, "unit_price": 99900}}})
	MustStatus(t, res, http.StatusCreated)
	var inv invoiceJSON
	res.MustJSON(t, &inv)
	res = s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/send", nil)
	MustStatus(t, res, http.StatusOK)
	res.MustJSON(t, &inv)
	require.NotNil(t, inv.PublicURL)
	return inv
}

func publicPath(link string) string {
	return "/api/v1/public/invoices/" + link[strings.LastIndex(link, "/")+1:]
}

func TestInvoices(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)

	t.Run("time_to_invoice_to_paid", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Journey Agency")
		mustLogTime(t, s.owner, s.orgID, map[string]any{"project_id": s.projectID, "task_id": s.taskID, "date": "2026-01-05", "minutes": 90})
		mustLogTime(t, s.owner, s.orgID, map[string]any{"project_id": s.projectID, "date": "2026-01-06", "minutes": 20})

		res := s.owner.Do(http.MethodGet, "/api/v1/orgs/"+s.orgID+"/projects/"+s.projectID+"/unbilled-time?from=2026-01-01&to=2026-01-31", nil)
		MustStatus(t, res, http.StatusOK)
		assert.JSONEq(t, `{"entries":2,"minutes":110,"hourly_rate":15000}`, string(res.Body))

		body := map[string]any{"project_id": s.projectID, "from": "2026-01-01", "to": "2026-01-31", "tax_rate_bp": 750}
		key := header{"Idempotency-Key", "from-time-1"}
		res = s.owner.Do(http.MethodPost, s.base()+"/from-time", body, key)
		MustStatus(t, res, http.StatusCreated)
		var inv invoiceJSON
		res.MustJSON(t, &inv)
		// 1.5 h × 150.00 = 225.00 and 0.333 h × 150.00 = 49.95; 7.5 % tax per line: 16.875 → 16.88 and 3.74625 → 3.75.
		require.Len(t, inv.Lines, 2)
		assert.Equal(t, int64(1500), inv.Lines[0].QuantityMilli)
		assert.Equal(t, int64(333), inv.Lines[1].QuantityMilli)
		assert.Equal(t, int64(27495), inv.Subtotal)
		assert.Equal(t, int64(1688+375), inv.Tax)
		assert.Equal(t, inv.Subtotal+inv.Tax, inv.Total)
		assert.Equal(t, "draft", inv.Status)
		assert.Equal(t, "USD", inv.Currency)

		replay := s.owner.Do(http.MethodPost, s.base()+"/from-time", body, key)
		MustStatus(t, replay, http.StatusCreated)
		assert.JSONEq(t, string(res.Body), string(replay.Body), "a replayed key returns the first response")
		MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/from-time", body), http.StatusConflict, "conflict")

		res = s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/send", nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &inv)
		require.NotNil(t, inv.PublicURL)
		assert.Equal(t, "sent", inv.Status)
		var sentEmail bool
		for _, e := range srv.Workflows.Emails() {
			if e.Template == "invoice_available" && e.Key == "invoice-available/"+inv.ID {
				sentEmail = true
				assert.Equal(t, "ap@journeyagency.example", e.To)
				assert.Equal(t, *inv.PublicURL, e.Data["InvoiceURL"])
			}
		}
		assert.True(t, sentEmail, "the client gets the invoice-available email")
		var watched bool
		for _, w := range srv.Workflows.InvoiceWatches() {
			if w.InvoiceID == inv.ID {
				watched = true
				assert.Equal(t, inv.DueDate, w.DueAt.AddDate(0, 0, -1).Format(time.DateOnly), "overdue from the day after the due date")
			}
		}
		assert.True(t, watched, "sending starts the overdue workflow")
		MustProblem(t, s.owner.Do(http.MethodPatch, s.base()+"/"+inv.ID, map[string]any{"notes": "late edit"}), http.StatusConflict, "conflict")

		res = s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/payments", map[string]any{"amount": 10000, "paid_on": "2026-02-10"})
		MustStatus(t, res, http.StatusCreated)
		res.MustJSON(t, &inv)
		assert.Equal(t, "sent", inv.Status)
		MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/payments",
			map[string]any{"amount": inv.Balance + 1, "paid_on": "2026-02-11"}), http.StatusUnprocessableEntity, "validation_failed")
		res = s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/payments", map[string]any{"amount": inv.Balance, "paid_on": "2026-02-11", "method": "card"})
		MustStatus(t, res, http.StatusCreated)
		res.MustJSON(t, &inv)
		assert.Equal(t, "paid", inv.Status)
		assert.Equal(t, int64(0), inv.Balance)
		assert.Contains(t, srv.Workflows.SettledInvoices(), inv.ID, "paying ends the overdue workflow")

		res = s.owner.Do(http.MethodGet, s.base()+"?status=paid", nil)
		MustStatus(t, res, http.StatusOK)
		var list struct{ Data []invoiceJSON }
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, inv.ID, list.Data[0].ID)
	})

	t.Run("pdf_shows_the_org_client_lines_totals_and_status", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Pdf Studio")
		inv := s.mustSentInvoice(t, "Brand workshop")
		res := s.owner.Do(http.MethodGet, s.base()+"/"+inv.ID+"/pdf", nil)
		MustStatus(t, res, http.StatusOK)
		assert.Equal(t, "application/pdf", res.Header.Get("Content-Type"))
		require.True(t, bytes.HasPrefix(res.Body, []byte("%PDF-")))
		for _, want := range []string{"Pdf Studio", "Invoice 1", "Pdf Studio Client", "Brand workshop", "999.00 USD",
			"Due date: 2026-03-03", "Balance due", "UNPAID"} {
			assert.Contains(t, string(res.Body), want)
		}
	})

	t.Run("the_public_link_shows_only_its_invoice", func(t *testing.T) {
		a := mustInvoiceSetup(t, db, srv, "Link Agency A")
		b := mustInvoiceSetup(t, db, srv, "Link Agency B")
		invA := a.mustSentInvoice(t, "Work for A")
		invB := b.mustSentInvoice(t, "Secret work for B")
		anon := srv.NewBrowser(t)

		res := anon.Do(http.MethodGet, publicPath(*invA.PublicURL), nil)
		MustStatus(t, res, http.StatusOK)
		var pub invoiceJSON
		res.MustJSON(t, &pub)
		assert.Equal(t, invA.Number, pub.Number)
		assert.Equal(t, "Link Agency A", pub.OrganizationName)
		assert.NotContains(t, string(res.Body), "Link Agency B")
		assert.NotContains(t, string(res.Body), "Secret work")

		pdf := anon.Do(http.MethodGet, publicPath(*invB.PublicURL)+"/pdf", nil)
		MustStatus(t, pdf, http.StatusOK)
		assert.Contains(t, string(pdf.Body), "Secret work for B")
		assert.NotContains(t, string(pdf.Body), "Link Agency A")

		for _, bad := range []string{"not-a-token", strings.Repeat("A", 43), invA.ID} {
			MustProblem(t, anon.Do(http.MethodGet, "/api/v1/public/invoices/"+bad, nil), http.StatusNotFound, "not_found")
			MustProblem(t, anon.Do(http.MethodGet, "/api/v1/public/invoices/"+bad+"/pdf", nil), http.StatusNotFound, "not_found")
		}
	})

	t.Run("bad_input_is_refused", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Strict Agency")
		other := mustInvoiceSetup(t, db, srv, "Other Agency")
		line := []map[string]any{{"description": "x", "quantity_milli": 1000, "unit_price": 100}}
		for name, body := range map[string]map[string]any{
			"due_before_issue":      {"client_id": s.clientID, "issue_date": "2026-02-02", "due_date": "2026-02-01", "lines": line},
			"another_orgs_client":   {"client_id": other.clientID, "issue_date": "2026-02-01", "due_date": "2026-02-01", "lines": line},
			"negative_price":        {"client_id": s.clientID, "issue_date": "2026-02-01", "due_date": "2026-02-01", "lines": []map[string]any{{"description": "x", "quantity_milli": 1000, "unit_price": -1}}},
			"discount_over_100":     {"client_id": s.clientID, "issue_date": "2026-02-01", "due_date": "2026-02-01", "discount_bp": 10001, "lines": line},
			"missing_dates":         {"client_id": s.clientID, "lines": line},
			"quantity_out_of_range": {"client_id": s.clientID, "issue_date": "2026-02-01", "due_date": "2026-02-01", "lines": []map[string]any{{"description": "x", "quantity_milli": 1000000001, "unit_price": 1}}},
		} {
			t.Run(name, func(t *testing.T) {
				MustProblem(t, s.owner.Do(http.MethodPost, s.base(), body), http.StatusUnprocessableEntity, "validation_failed")
			})
		}
		res := s.owner.Do(http.MethodPost, s.base(), map[string]any{"client_id": s.clientID, "issue_date": "2026-02-01",
			"due_date": "2026-02-01", "lines": []map[string]any{}})
		MustStatus(t, res, http.StatusCreated)
		var empty invoiceJSON
		res.MustJSON(t, &empty)
		MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/"+empty.ID+"/send", nil), http.StatusUnprocessableEntity, "validation_failed")
		MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/"+empty.ID+"/void", nil), http.StatusConflict, "conflict")
		MustStatus(t, s.owner.Do(http.MethodDelete, s.base()+"/"+empty.ID, nil), http.StatusNoContent)
	})

	t.Run("invoice_activity_is_hidden_from_members_without_invoices_read", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Feed Agency")
		s.mustSentInvoice(t, "Feed line")
		member := srv.MustSignUp(t, "Feed member")
		mustJoin(t, db, s.orgID, member, "member")
		feed := "/api/v1/orgs/" + s.orgID + "/activity"
		ownerFeed := s.owner.Do(http.MethodGet, feed, nil)
		MustStatus(t, ownerFeed, http.StatusOK)
		assert.Contains(t, string(ownerFeed.Body), "invoice.sent")
		memberFeed := member.Do(http.MethodGet, feed, nil)
		MustStatus(t, memberFeed, http.StatusOK)
		assert.Contains(t, string(memberFeed.Body), "client.created", "the member still sees the rest of the feed")
		assert.NotContains(t, string(memberFeed.Body), "invoice.")
	})

	t.Run("a_client_with_invoices_cannot_be_deleted", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Keeper Agency")
		s.mustSentInvoice(t, "Kept")
		MustProblem(t, s.owner.Do(http.MethodDelete, "/api/v1/orgs/"+s.orgID+"/clients/"+s.clientID, nil), http.StatusConflict, "conflict")
	})
}

func TestRolePermissionsOnInvoiceRoutes(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	s := mustInvoiceSetup(t, db, srv, "Role Agency")
	sent := s.mustSentInvoice(t, "Retainer")

	// want is the status per role for: list, create, get, pdf.
	for _, tc := range []struct {
		role string
		want [4]int
	}{
		{"admin", [4]int{200, 201, 200, 200}},
		{"manager", [4]int{200, 201, 200, 200}},
		{"member", [4]int{403, 403, 403, 403}},
		// A client contact reads their client's invoices in the portal; the staff invoice routes refuse them.
		{"client", [4]int{403, 403, 403, 403}},
	} {
		t.Run(tc.role, func(t *testing.T) {
			b := MustStart(t, db).MustSignUp(t, "A "+tc.role)
			mustJoin(t, db, s.orgID, b, tc.role)
			got := [4]int{
				b.Do(http.MethodGet, s.base(), nil).Status,
				b.Do(http.MethodPost, s.base(), map[string]any{"client_id": s.clientID, "issue_date": "2026-02-01",
					"due_date": "2026-02-01", "lines": []map[string]any{}}).Status,
				b.Do(http.MethodGet, s.base()+"/"+sent.ID, nil).Status,
				b.Do(http.MethodGet, s.base()+"/"+sent.ID+"/pdf", nil).Status,
			}
			if got != tc.want {
				t.Fatalf("list/create/get/pdf = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestInvoiceWritesNeedARoleThatSeesEveryProject(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	MustStatus(t, f.admin.Do(http.MethodPut, f.path(t, f.member, "/permissions"), map[string]any{"overrides": []map[string]any{
		{"permission": "invoices.read", "granted": true}, {"permission": "invoices.write", "granted": true},
	}}), http.StatusOK)
	c := f.owner.MustCreateClient(f.org.ID, map[string]any{"name": "Acme"})
	body := map[string]any{"client_id": c.ID, "issue_date": "2026-02-01", "due_date": "2026-03-01",
		"lines": []map[string]any{{"description": "Design", "quantity_milli": 1000, "unit_price": 10000}}}
	invoices := "/api/v1/orgs/" + f.org.ID + "/invoices"
	MustProblem(t, f.member.Do(http.MethodPost, invoices, body), http.StatusForbidden, "forbidden")
	MustStatus(t, f.admin.Do(http.MethodPost, invoices, body), http.StatusCreated)
}
