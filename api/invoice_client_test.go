package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// TestInvoiceClientLink covers what the client of an invoice gets: a link the agency can replace, a public
// JSON with nothing internal in it, and a zero-total invoice that can be marked paid.
func TestInvoiceClientLink(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)

	t.Run("resending_the_link_replaces_it_and_the_old_one_stops_working", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Resend Agency")
		inv := s.mustSentInvoice(t, "Logo work")
		anon := srv.NewBrowser(t)
		MustStatus(t, anon.Do(http.MethodGet, publicPath(*inv.PublicURL), nil), http.StatusOK)

		res := s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/resend-link", nil)
		MustStatus(t, res, http.StatusOK)
		var resent invoiceJSON
		res.MustJSON(t, &resent)
		require.NotNil(t, resent.PublicURL)
		assert.NotEqual(t, *inv.PublicURL, *resent.PublicURL)
		assert.Equal(t, "sent", resent.Status)

		MustProblem(t, anon.Do(http.MethodGet, publicPath(*inv.PublicURL), nil), http.StatusNotFound, "not_found")
		MustProblem(t, anon.Do(http.MethodGet, publicPath(*inv.PublicURL)+"/pdf", nil), http.StatusNotFound, "not_found")
		res = anon.Do(http.MethodGet, publicPath(*resent.PublicURL), nil)
		MustStatus(t, res, http.StatusOK)
		var pub invoiceJSON
		res.MustJSON(t, &pub)
		assert.Equal(t, inv.Number, pub.Number)

		var mailed []string
		for _, e := range srv.Workflows.Emails() {
			if strings.HasPrefix(e.Key, "invoice-link/"+inv.ID+"/") {
				mailed = append(mailed, e.To+" "+e.Data["InvoiceURL"]+" "+e.BrandOrg)
			}
		}
		assert.Equal(t, []string{"ap@resendagency.example " + *resent.PublicURL + " " + s.orgID}, mailed,
			"the client gets the new link once, in the organization's branding")
		assert.Contains(t, srv.Workflows.ReplacedLinks(), inv.ID+" "+*resent.PublicURL, "reminders carry the new link")
	})

	t.Run("a_draft_or_void_invoice_has_no_link_to_resend", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "No Link Agency")
		res := s.owner.Do(http.MethodPost, s.base(), map[string]any{"client_id": s.clientID, "issue_date": "2026-02-01",
			"due_date": "2026-03-03", "lines": []map[string]any{{"description": "Draft", "quantity_milli": 1000, "unit_price": 100}}})
		MustStatus(t, res, http.StatusCreated)
		var draft invoiceJSON
		res.MustJSON(t, &draft)
		MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/"+draft.ID+"/resend-link", nil), http.StatusConflict, "conflict")

		voided := s.mustSentInvoice(t, "To be voided")
		MustStatus(t, s.owner.Do(http.MethodPost, s.base()+"/"+voided.ID+"/void", nil), http.StatusOK)
		MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/"+voided.ID+"/resend-link", nil), http.StatusConflict, "conflict")
		MustStatus(t, srv.NewBrowser(t).Do(http.MethodGet, publicPath(*voided.PublicURL), nil), http.StatusOK)
	})

	t.Run("another_organization_cannot_resend_the_link", func(t *testing.T) {
		a := mustInvoiceSetup(t, db, srv, "Link Owner Agency")
		b := mustInvoiceSetup(t, db, srv, "Link Thief Agency")
		inv := a.mustSentInvoice(t, "Not yours")
		MustProblem(t, b.owner.Do(http.MethodPost, "/api/v1/orgs/"+b.orgID+"/invoices/"+inv.ID+"/resend-link", nil),
			http.StatusNotFound, "not_found")
		MustStatus(t, srv.NewBrowser(t).Do(http.MethodGet, publicPath(*inv.PublicURL), nil), http.StatusOK)
	})

	t.Run("the_public_invoice_json_has_no_internal_fields", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Private Agency")
		mustLogTime(t, s.owner, s.orgID, map[string]any{"project_id": s.projectID, "task_id": s.taskID, "date": "2026-01-05", "minutes": 60})
		res := s.owner.Do(http.MethodPost, s.base()+"/from-time", map[string]any{"project_id": s.projectID, "from": "2026-01-01", "to": "2026-01-31"})
		MustStatus(t, res, http.StatusCreated)
		var inv invoiceJSON
		res.MustJSON(t, &inv)
		require.NotNil(t, inv.Lines[0].TaskID, "the staff view names the billed task")
		res = s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/send", nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &inv)
		MustStatus(t, s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/payments", map[string]any{"amount": 100,
			"paid_on": "2026-02-02", "note": "Paid late, chased twice by phone"}), http.StatusCreated)

		res = srv.NewBrowser(t).Do(http.MethodGet, publicPath(*inv.PublicURL), nil)
		MustStatus(t, res, http.StatusOK)
		var pub map[string]json.RawMessage
		res.MustJSON(t, &pub)
		assert.Equal(t, []string{"amount_paid", "balance", "brand_color", "client_name", "currency", "discount", "due_date",
			"issue_date", "lines", "notes", "number", "organization_name", "paid_at", "status", "subtotal", "tax", "total"},
			slices.Sorted(maps.Keys(pub)))
		var lines []map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(pub["lines"], &lines))
		require.Len(t, lines, 1)
		assert.Equal(t, []string{"amount", "description", "discount", "id", "quantity_milli", "tax", "tax_rate_bp", "unit_price"},
			slices.Sorted(maps.Keys(lines[0])))
		body := string(res.Body)
		for _, secret := range []string{inv.ID, s.clientID, s.projectID, s.taskID, s.owner.User.ID, "chased twice", "ap@privateagency.example"} {
			assert.NotContains(t, body, secret)
		}
	})

	t.Run("a_zero_total_invoice_is_marked_paid_with_amount_0", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Free Agency")
		res := s.owner.Do(http.MethodPost, s.base(), map[string]any{"client_id": s.clientID, "issue_date": "2026-02-01",
			"due_date": "2026-03-03", "lines": []map[string]any{{"description": "Goodwill fix", "quantity_milli": 1000, "unit_price": 0}}})
		MustStatus(t, res, http.StatusCreated)
		var inv invoiceJSON
		res.MustJSON(t, &inv)
		require.Zero(t, inv.Total)
		MustStatus(t, s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/send", nil), http.StatusOK)

		res = s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/payments", map[string]any{"amount": 0, "paid_on": "2026-02-02"})
		MustStatus(t, res, http.StatusCreated)
		var paid struct {
			invoiceJSON
			Payments []json.RawMessage `json:"payments"`
		}
		res.MustJSON(t, &paid)
		assert.Equal(t, "paid", paid.Status)
		assert.Empty(t, paid.Payments, "no money changed hands, so no payment is recorded")
		assert.Contains(t, srv.Workflows.SettledInvoices(), inv.ID)
		MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/payments", map[string]any{"amount": 0, "paid_on": "2026-02-02"}),
			http.StatusConflict, "conflict")
	})

	t.Run("amount_0_does_not_pay_an_invoice_that_is_owed_money", func(t *testing.T) {
		s := mustInvoiceSetup(t, db, srv, "Owed Agency")
		inv := s.mustSentInvoice(t, "Real work")
		p := MustProblem(t, s.owner.Do(http.MethodPost, s.base()+"/"+inv.ID+"/payments", map[string]any{"amount": 0, "paid_on": "2026-02-02"}),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"body.amount"}, p.Locations())
		res := s.owner.Do(http.MethodGet, s.base()+"/"+inv.ID, nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &inv)
		assert.Equal(t, "sent", inv.Status)
	})
}
