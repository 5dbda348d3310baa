package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/store/storetest"
)

// featureProblemJSON is a plan_feature_unavailable problem with its extension members.
type featureProblemJSON struct {
	Code    string `json:"code"`
	Feature string `json:"feature"`
	Plan    string `json:"plan"`
}

// featureFixtures are the records the gated requests act on, made while the plan still had every feature.
type featureFixtures struct {
	invoiceSetup
	// drafts and sent invoices, one per request that consumes one.
	draftToEdit, draftToDelete, draftToSend string
	sentToResend, sentToPay, sentToVoid     string
}

// featureRoute is one request a plan feature gates: answered 402 without the feature, wantAfter with it.
type featureRoute struct {
	name        string
	operationID string
	feature     string
	method      string
	path        func(f featureFixtures) string
	body        func(f featureFixtures) map[string]any
	wantAfter   int
}

// constBody is a request body that needs no fixture.
func constBody(body map[string]any) func(featureFixtures) map[string]any {
	return func(featureFixtures) map[string]any { return body }
}

// requestBody is the row's body, nil (no body) when it has none.
func (r featureRoute) requestBody(f featureFixtures) any {
	if r.body == nil {
		return nil
	}
	return r.body(f)
}

// featureRoutes lists the gated requests. Rows of routes other helpers build (issue 11) run once their
// operation is in the OpenAPI document: see the skip in TestPlanFeatures.
var featureRoutes = []featureRoute{
	{"create_invoice", "create-invoice", "invoices", http.MethodPost,
		func(f featureFixtures) string { return f.base() },
		func(f featureFixtures) map[string]any {
			return map[string]any{"client_id": f.clientID, "issue_date": "2026-02-01", "due_date": "2026-03-03",
				"lines": []map[string]any{{"description": "Gated", "quantity_milli": 1000, "unit_price": 500}}}
		}, http.StatusCreated},
	{"create_invoice_from_time", "create-invoice-from-time", "invoices", http.MethodPost,
		func(f featureFixtures) string { return f.base() + "/from-time" },
		func(f featureFixtures) map[string]any {
			return map[string]any{"project_id": f.projectID, "from": "2026-01-01", "to": "2026-01-31"}
		}, http.StatusCreated},
	{"update_draft", "update-invoice", "invoices", http.MethodPatch,
		func(f featureFixtures) string { return f.base() + "/" + f.draftToEdit },
		constBody(map[string]any{"notes": "Edited"}), http.StatusOK},
	{"delete_draft", "delete-invoice", "invoices", http.MethodDelete,
		func(f featureFixtures) string { return f.base() + "/" + f.draftToDelete }, nil, http.StatusNoContent},
	{"send", "send-invoice", "invoices", http.MethodPost,
		func(f featureFixtures) string { return f.base() + "/" + f.draftToSend + "/send" }, nil, http.StatusOK},
	{"resend_link", "resend-invoice-link", "invoices", http.MethodPost,
		func(f featureFixtures) string { return f.base() + "/" + f.sentToResend + "/resend-link" }, nil, http.StatusOK},
	{"record_payment", "record-invoice-payment", "invoices", http.MethodPost,
		func(f featureFixtures) string { return f.base() + "/" + f.sentToPay + "/payments" },
		constBody(map[string]any{"amount": 100, "paid_on": "2026-02-02"}), http.StatusCreated},
	{"void", "void-invoice", "invoices", http.MethodPost,
		func(f featureFixtures) string { return f.base() + "/" + f.sentToVoid + "/void" }, nil, http.StatusOK},
	// custom_branding (H3's routes).
	{"remove_logo", "delete-organization-logo", "custom_branding", http.MethodDelete,
		func(f featureFixtures) string { return "/api/v1/orgs/" + f.orgID + "/settings/logo" }, nil, http.StatusOK},
	// client_portal: the portal (H2) previewed by staff, and client contacts (H1).
	{"portal_preview", "get-portal", "client_portal", http.MethodGet,
		func(f featureFixtures) string { return "/api/v1/orgs/" + f.orgID + "/portal?client_id=" + f.clientID }, nil, http.StatusOK},
	{"invite_contact", "create-client-contact", "client_portal", http.MethodPost,
		func(f featureFixtures) string {
			return "/api/v1/orgs/" + f.orgID + "/clients/" + f.clientID + "/contacts"
		},
		constBody(map[string]any{"email": "contact-gated@example.com"}), http.StatusCreated},
}

// TestPlanFeatures: an organization whose plan lacks a feature gets 402 plan_feature_unavailable, naming the
// feature and the plan that has it, on every route the feature gates, and keeps reading what it has; after
// upgrading, the same requests succeed. Starter includes the client portal, so the client_portal rows run
// against a Starter plan stripped of it (this test's own database).
func TestPlanFeatures(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	ops := documentOperations(t)
	f := mustFeatureFixtures(t, db, srv)
	mustExec(t, db, "UPDATE plans SET features = array_remove(features, 'client_portal') WHERE id = 'starter'")
	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/billing/plan", map[string]any{"plan_id": "starter"}), http.StatusOK)

	rows := make([]featureRoute, 0, len(featureRoutes))
	for _, r := range featureRoutes {
		if _, ok := ops[r.operationID]; !ok {
			t.Logf("%s: operation %s is not built yet; its row waits for it", r.name, r.operationID)
			continue
		}
		rows = append(rows, r)
	}

	t.Run("without_the_feature", func(t *testing.T) {
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				res := f.owner.Do(r.method, r.path(f), r.requestBody(f))
				MustProblem(t, res, http.StatusPaymentRequired, "plan_feature_unavailable")
				var p featureProblemJSON
				res.MustJSON(t, &p)
				assert.Equal(t, r.feature, p.Feature)
				assert.Equal(t, map[string]string{"invoices": "professional", "custom_branding": "professional",
					"client_portal": "starter"}[r.feature], p.Plan)
				assert.Equal(t, r.feature, ops[r.operationID].Feature, "the OpenAPI document names the feature")
			})
		}
		t.Run("invoices_stay_readable", func(t *testing.T) {
			MustStatus(t, f.owner.Do(http.MethodGet, f.base(), nil), http.StatusOK)
			MustStatus(t, f.owner.Do(http.MethodGet, f.base()+"/"+f.sentToPay, nil), http.StatusOK)
			MustStatus(t, f.owner.Do(http.MethodGet, f.base()+"/"+f.sentToPay+"/pdf", nil), http.StatusOK)
		})
		t.Run("time_tracking_stays_open_on_starter", func(t *testing.T) {
			mustLogTime(t, f.owner, f.orgID, map[string]any{"project_id": f.projectID, "date": "2026-01-07", "minutes": 15})
		})
		t.Run("nothing_changed", func(t *testing.T) {
			var inv invoiceJSON
			res := f.owner.Do(http.MethodGet, f.base()+"/"+f.draftToSend, nil)
			MustStatus(t, res, http.StatusOK)
			res.MustJSON(t, &inv)
			assert.Equal(t, "draft", inv.Status)
			MustStatus(t, f.owner.Do(http.MethodGet, f.base()+"/"+f.draftToDelete, nil), http.StatusOK)
		})
	})

	MustStatus(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/billing/plan", map[string]any{"plan_id": "professional"}), http.StatusOK)

	t.Run("after_upgrading", func(t *testing.T) {
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				MustStatus(t, f.owner.Do(r.method, r.path(f), r.requestBody(f)), r.wantAfter)
			})
		}
	})
}

// TestInvoiceWritesNeedTheInvoicesFeature fails when an invoice route that changes something is registered
// without needsFeature(invoices): reads stay open (a downgrade keeps the data), every write is gated.
func TestInvoiceWritesNeedTheInvoicesFeature(t *testing.T) {
	t.Parallel()
	writes := 0
	for id, op := range documentOperations(t) {
		if !op.tagged("Invoices") || strings.HasPrefix(op.Path, "/api/v1/public/") {
			continue
		}
		if op.Method == http.MethodGet {
			assert.Empty(t, op.Feature, "%s reads and must stay open", id)
			continue
		}
		writes++
		assert.Equal(t, "invoices", op.Feature, "%s writes and must need the invoices feature", id)
	}
	assert.GreaterOrEqual(t, writes, 8)
}

// documentOperation is an operation of the OpenAPI document as the feature tests read it.
type documentOperation struct {
	Method, Path string
	Tags         []string `json:"tags"`
	Feature      string   `json:"x-feature"`
}

func (o documentOperation) tagged(tag string) bool {
	for _, t := range o.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// documentOperations reads the generated OpenAPI document's operations by ID.
func documentOperations(t *testing.T) map[string]documentOperation {
	t.Helper()
	raw, err := api.OpenAPIDocument()
	require.NoError(t, err)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			documentOperation
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	out := map[string]documentOperation{}
	for path, methods := range doc.Paths {
		for method, op := range methods {
			o := op.documentOperation
			o.Method, o.Path = strings.ToUpper(method), path
			out[op.OperationID] = o
		}
	}
	return out
}

// mustFeatureFixtures builds an organization on its Professional trial with the invoices and time the gated
// requests act on.
func mustFeatureFixtures(t *testing.T, db *storetest.DB, srv *testServer) featureFixtures {
	t.Helper()
	f := featureFixtures{invoiceSetup: mustInvoiceSetup(t, db, srv, "Gated Agency")}
	mustVerify(t, db, f.owner) // inviting a contact needs a verified address
	mustExec(t, db, "UPDATE clients SET portal_enabled = true, portal_enabled_at = now() WHERE id = ?", f.clientID)
	mustLogTime(t, f.owner, f.orgID, map[string]any{"project_id": f.projectID, "task_id": f.taskID, "date": "2026-01-05", "minutes": 90})
	draft := func(description string) string {
		res := f.owner.Do(http.MethodPost, f.base(), map[string]any{"client_id": f.clientID, "issue_date": "2026-02-01",
			"due_date": "2026-03-03", "lines": []map[string]any{{"description": description, "quantity_milli": 1000, "unit_price": 1000}}})
		MustStatus(t, res, http.StatusCreated)
		var inv invoiceJSON
		res.MustJSON(t, &inv)
		return inv.ID
	}
	f.draftToEdit, f.draftToDelete, f.draftToSend = draft("To edit"), draft("To delete"), draft("To send")
	f.sentToResend, f.sentToPay, f.sentToVoid = f.mustSentInvoice(t, "To resend").ID, f.mustSentInvoice(t, "To pay").ID,
		f.mustSentInvoice(t, "To void").ID
	return f
}
