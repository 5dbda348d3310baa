package store_test

import (
	"context"
	"crypto/sha256"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// invoiceFixture is an organization with a client, a project of that client billed at 120.00 an hour, a
// task on it, and its owner as viewer.
type invoiceFixture struct {
	orgID, clientID, projectID, taskID string
	v                                  domain.Viewer
}

func mustInvoiceFixture(t *testing.T, db *store.DB, email string) invoiceFixture {
	t.Helper()
	ctx := context.Background()
	u, org := mustUserAndOrg(t, db, email)
	f := invoiceFixture{orgID: org.ID, v: domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}}
	c := &domain.Client{Name: "Acme", Email: "billing@acme.example"}
	if err := db.CreateClient(ctx, org.ID, u.ID, c); err != nil {
		t.Fatal(err)
	}
	rate := int64(12000)
	p := &domain.Project{Name: "Website", ClientID: c.ID, HourlyRate: &rate}
	if err := db.CreateProject(ctx, org.ID, f.v, p, ""); err != nil {
		t.Fatal(err)
	}
	task := &domain.Task{Title: "Design"}
	if err := db.CreateTask(ctx, org.ID, f.v, p.ID, task); err != nil {
		t.Fatal(err)
	}
	f.clientID, f.projectID, f.taskID = c.ID, p.ID, task.ID
	return f
}

func (f invoiceFixture) mustLog(t *testing.T, db *store.DB, day string, minutes int, taskID string, billable bool) *domain.TimeEntry {
	t.Helper()
	d := mustDay(t, day)
	e, err := db.CreateTimeEntry(context.Background(), f.orgID, f.v, domain.ManualEntryInput{ProjectID: f.projectID,
		TaskID: taskID, Date: &d, Minutes: minutes, Billable: billable})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (f invoiceFixture) draft() *domain.Invoice {
	return &domain.Invoice{ClientID: f.clientID, IssueDate: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),
		DueDate: time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC),
		Lines:   []domain.InvoiceLine{{Description: "Strategy", QuantityMilli: 2500, UnitPrice: 10000, TaxRateBP: 2000}}}
}

// mustOutsider adds a member to f's organization who is on none of its projects, and returns them as viewer.
func (f invoiceFixture) mustOutsider(t *testing.T, d *storetest.DB, email string) domain.Viewer {
	t.Helper()
	ctx := context.Background()
	u := &domain.User{Name: "Member", Email: email, PasswordHash: "x"}
	if err := d.App.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
		VALUES (gen_random_uuid(), ?, ?, 'member')`, f.orgID, u.ID); err != nil {
		t.Fatal(err)
	}
	return domain.Viewer{UserID: u.ID, Role: domain.RoleMember}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustEventTypes(t *testing.T, d *storetest.DB, orgID, invoiceID string) []string {
	t.Helper()
	var types []string
	if err := d.Owner.Bun().NewRaw(`SELECT type FROM domain_events WHERE organization_id = ? AND entity_id = ? ORDER BY id`,
		orgID, invoiceID).Scan(context.Background(), &types); err != nil {
		t.Fatal(err)
	}
	return types
}

func mustEntryInvoice(t *testing.T, d *storetest.DB, entryID string) (invoiceID *string, billed bool) {
	t.Helper()
	var row struct {
		InvoiceID *string    `bun:"invoice_id"`
		BilledAt  *time.Time `bun:"billed_at"`
	}
	if err := d.Owner.Bun().NewRaw("SELECT invoice_id, billed_at FROM time_entries WHERE id = ?", entryID).
		Scan(context.Background(), &row); err != nil {
		t.Fatal(err)
	}
	return row.InvoiceID, row.BilledAt != nil
}

func TestInvoices(t *testing.T) {
	d := storetest.MustOpen(t)
	db := d.App
	ctx := context.Background()

	t.Run("eight_concurrent_creates_get_distinct_consecutive_numbers", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "numbers@example.com")
		var wg sync.WaitGroup
		numbers := make([]int, 8)
		errs := make([]error, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inv := f.draft()
				errs[i] = db.CreateInvoice(ctx, f.orgID, f.v, inv)
				numbers[i] = inv.Number
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		slices.Sort(numbers)
		if !slices.Equal(numbers, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
			t.Fatalf("numbers = %v", numbers)
		}
	})

	t.Run("create_stores_totals_in_the_org_currency_and_records_the_event", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "create@example.com")
		inv := f.draft()
		if err := db.CreateInvoice(ctx, f.orgID, f.v, inv); err != nil {
			t.Fatal(err)
		}
		got, err := db.Invoice(ctx, f.orgID, f.v, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Currency != "USD" || got.Subtotal != 25000 || got.Tax != 5000 || got.Total != 30000 || len(got.Lines) != 1 ||
			got.Status != domain.InvoiceDraft || got.ClientName != "Acme" {
			t.Fatalf("stored invoice = %+v", got)
		}
		if types := mustEventTypes(t, d, f.orgID, inv.ID); !slices.Equal(types, []string{domain.EventInvoiceCreated}) {
			t.Fatalf("events = %v", types)
		}
	})

	t.Run("another_orgs_client_is_refused", func(t *testing.T) {
		a := mustInvoiceFixture(t, db, "refs-a@example.com")
		b := mustInvoiceFixture(t, db, "refs-b@example.com")
		inv := a.draft()
		inv.ClientID = b.clientID
		if err := db.CreateInvoice(ctx, a.orgID, a.v, inv); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("err = %v, want validation_failed", err)
		}
	})

	t.Run("a_project_of_another_client_is_refused", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "refs-client@example.com")
		other := &domain.Client{Name: "Globex"}
		if err := db.CreateClient(ctx, f.orgID, f.v.UserID, other); err != nil {
			t.Fatal(err)
		}
		inv := f.draft()
		inv.ClientID, inv.ProjectID = other.ID, f.projectID // Website is Acme's project
		if err := db.CreateInvoice(ctx, f.orgID, f.v, inv); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("err = %v, want validation_failed", err)
		}
		inv.ClientID = f.clientID
		if err := db.CreateInvoice(ctx, f.orgID, f.v, inv); err != nil {
			t.Fatalf("the project's own client: %v", err)
		}
	})

	// The store checks visibility itself: a viewer who cannot see the project cannot name it on an invoice
	// (even if the API let their role write invoices), and the refusal is the one a missing project gets.
	t.Run("a_project_the_viewer_cannot_see_is_refused_like_a_missing_one", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "refs-hidden@example.com")
		u := &domain.User{Name: "Member", Email: "refs-hidden-member@example.com", PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
			VALUES (gen_random_uuid(), ?, ?, 'member')`, f.orgID, u.ID); err != nil {
			t.Fatal(err)
		}
		member := domain.Viewer{UserID: u.ID, Role: domain.RoleMember}
		missing := f.draft()
		missing.ProjectID = "00000000-0000-4000-8000-000000000000"
		want := db.CreateInvoice(ctx, f.orgID, f.v, missing)
		if domain.ErrorCode(want) != domain.EINVALID {
			t.Fatalf("missing project: err = %v, want validation_failed", want)
		}
		hidden := f.draft()
		hidden.ProjectID = f.projectID
		if err := db.CreateInvoice(ctx, f.orgID, member, hidden); err == nil || err.Error() != want.Error() {
			t.Fatalf("create naming a hidden project: err = %v, want %v", err, want)
		}
		plain := f.draft()
		if err := db.CreateInvoice(ctx, f.orgID, f.v, plain); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateInvoice(ctx, f.orgID, member, plain.ID, domain.InvoiceUpdate{ProjectID: &f.projectID}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("a member updating a draft they cannot see: err = %v, want not_found", err)
		}
		if _, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO project_members (organization_id, project_id, user_id)
			VALUES (?, ?, ?)`, f.orgID, f.projectID, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateInvoice(ctx, f.orgID, member, hidden); err != nil {
			t.Fatalf("once on the project: %v", err)
		}
		if got, err := db.Invoice(ctx, f.orgID, f.v, hidden.ID); err != nil || got.ProjectID != f.projectID {
			t.Fatalf("the invoice names the project: %+v, %v", got, err)
		}
	})

	// Every write naming an invoice by ID reads it with the caller's own visibility, so the store refuses an
	// invoice of a project the caller cannot see even if the API let their role write: a member who is not
	// on the project gets exactly the answer a missing invoice gets, and nothing changes; the owner goes through.
	t.Run("writes_by_id_refuse_an_invoice_the_viewer_cannot_see_like_a_missing_one", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "hidden-writes@example.com")
		member := f.mustOutsider(t, d, "hidden-writes-member@example.com")
		for _, tc := range []struct {
			name  string
			sent  bool // the write needs a sent invoice rather than a draft
			write func(v domain.Viewer, id string) error
		}{
			{"delete", false, func(v domain.Viewer, id string) error { return db.DeleteInvoice(ctx, f.orgID, v, id) }},
			{"send", false, func(v domain.Viewer, id string) error {
				hash := sha256.Sum256([]byte("hidden-writes-send"))
				_, err := db.SendInvoice(ctx, f.orgID, v, id, hash[:])
				return err
			}},
			{"record_payment", true, func(v domain.Viewer, id string) error {
				_, err := db.RecordInvoicePayment(ctx, f.orgID, v, id,
					&domain.InvoicePayment{Amount: 1000, PaidOn: mustDay(t, "2026-01-20"), Method: "card"})
				return err
			}},
			{"void", true, func(v domain.Viewer, id string) error {
				_, err := db.VoidInvoice(ctx, f.orgID, v, id)
				return err
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				inv := f.draft()
				inv.ProjectID = f.projectID
				if err := db.CreateInvoice(ctx, f.orgID, f.v, inv); err != nil {
					t.Fatal(err)
				}
				if tc.sent {
					hash := sha256.Sum256([]byte("hidden-writes-" + tc.name))
					if _, err := db.SendInvoice(ctx, f.orgID, f.v, inv.ID, hash[:]); err != nil {
						t.Fatal(err)
					}
				}
				missing := tc.write(f.v, "00000000-0000-4000-8000-000000000000")
				if domain.ErrorCode(missing) != domain.ENOTFOUND {
					t.Fatalf("a missing invoice: err = %v, want not_found", missing)
				}
				before, err := db.Invoice(ctx, f.orgID, f.v, inv.ID)
				if err != nil {
					t.Fatal(err)
				}
				events := mustEventTypes(t, d, f.orgID, inv.ID)
				if err := tc.write(member, inv.ID); err == nil || err.Error() != missing.Error() {
					t.Fatalf("a member not on the project: err = %v, want %v", err, missing)
				}
				after, err := db.Invoice(ctx, f.orgID, f.v, inv.ID)
				if err != nil || !reflect.DeepEqual(after, before) {
					t.Fatalf("the refused write changed the invoice:\n%+v (%v)\nwas\n%+v", after, err, before)
				}
				if got := mustEventTypes(t, d, f.orgID, inv.ID); !slices.Equal(got, events) {
					t.Fatalf("the refused write recorded events %v, had %v", got, events)
				}
				if err := tc.write(f.v, inv.ID); err != nil {
					t.Fatalf("the owner: %v", err)
				}
				if got := mustEventTypes(t, d, f.orgID, inv.ID); len(got) != len(events)+1 {
					t.Fatalf("the owner's write recorded events %v after %v, want one more", got, events)
				}
			})
		}
	})

	t.Run("lifecycle_edit_send_pay_partially_then_fully", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "life@example.com")
		inv := f.draft()
		if err := db.CreateInvoice(ctx, f.orgID, f.v, inv); err != nil {
			t.Fatal(err)
		}
		disc := 1000
		upd, err := db.UpdateInvoice(ctx, f.orgID, f.v, inv.ID, domain.InvoiceUpdate{DiscountBP: &disc})
		if err != nil {
			t.Fatal(err)
		}
		// 25000 - 2500 discount + 20 % of 22500 = 27000.
		if upd.Total != 27000 || upd.Lines[0].Discount != 2500 {
			t.Fatalf("after discount: total %d, line discount %d", upd.Total, upd.Lines[0].Discount)
		}
		hash := sha256.Sum256([]byte("token-life"))
		if _, err := db.SendInvoice(ctx, f.orgID, f.v, inv.ID, hash[:]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateInvoice(ctx, f.orgID, f.v, inv.ID, domain.InvoiceUpdate{DiscountBP: &disc}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("editing a sent invoice: err = %v, want conflict", err)
		}
		if err := db.DeleteInvoice(ctx, f.orgID, f.v, inv.ID); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("deleting a sent invoice: err = %v, want conflict", err)
		}
		paid, err := db.RecordInvoicePayment(ctx, f.orgID, f.v, inv.ID,
			&domain.InvoicePayment{Amount: 7000, PaidOn: mustDay(t, "2026-01-20"), Method: "card"})
		if err != nil {
			t.Fatal(err)
		}
		if paid.Status != domain.InvoiceSent || paid.Balance() != 20000 {
			t.Fatalf("after partial payment: %s, balance %d", paid.Status, paid.Balance())
		}
		if _, err := db.RecordInvoicePayment(ctx, f.orgID, f.v, inv.ID,
			&domain.InvoicePayment{Amount: 20001, PaidOn: mustDay(t, "2026-01-21"), Method: "card"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("overpaying: err = %v, want validation_failed", err)
		}
		paid, err = db.RecordInvoicePayment(ctx, f.orgID, f.v, inv.ID,
			&domain.InvoicePayment{Amount: 20000, PaidOn: mustDay(t, "2026-01-21"), Method: "bank_transfer"})
		if err != nil {
			t.Fatal(err)
		}
		if paid.Status != domain.InvoicePaid || paid.PaidAt == nil || len(paid.Payments) != 2 {
			t.Fatalf("after full payment: %+v", paid)
		}
		if _, err := db.VoidInvoice(ctx, f.orgID, f.v, inv.ID); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("voiding a paid invoice: err = %v, want conflict", err)
		}
		want := []string{domain.EventInvoiceCreated, domain.EventInvoiceUpdated, domain.EventInvoiceSent,
			domain.EventInvoicePaymentRecorded, domain.EventInvoicePaymentRecorded, domain.EventInvoicePaid}
		if types := mustEventTypes(t, d, f.orgID, inv.ID); !slices.Equal(types, want) {
			t.Fatalf("events = %v, want %v", types, want)
		}
	})

	t.Run("from_time_bills_each_entry_once_grouped_per_task", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "fromtime@example.com")
		onTask1 := f.mustLog(t, db, "2026-03-02", 20, f.taskID, true)
		onTask2 := f.mustLog(t, db, "2026-03-03", 70, f.taskID, true)
		noTask := f.mustLog(t, db, "2026-03-04", 30, "", true)
		notBillable := f.mustLog(t, db, "2026-03-04", 45, "", false)
		outside := f.mustLog(t, db, "2026-04-01", 60, "", true)
		in := domain.InvoiceFromTime{ProjectID: f.projectID, From: mustDay(t, "2026-03-01"), To: mustDay(t, "2026-03-31")}

		preview, err := db.UnbilledTime(ctx, f.orgID, f.v, f.projectID, in.From, in.To)
		if err != nil {
			t.Fatal(err)
		}
		if preview.Entries != 3 || preview.Minutes != 120 || preview.HourlyRate != 12000 {
			t.Fatalf("preview = %+v", preview)
		}
		inv, err := db.CreateInvoiceFromTime(ctx, f.orgID, f.v, in)
		if err != nil {
			t.Fatal(err)
		}
		// 90 minutes on the task = 1.5 h; 30 minutes without = 0.5 h; both at 120.00.
		if len(inv.Lines) != 2 || inv.Lines[0].QuantityMilli != 1500 || inv.Lines[0].TaskID != f.taskID ||
			inv.Lines[1].QuantityMilli != 500 || inv.Lines[1].UnitPrice != 12000 || inv.Total != 24000 || inv.ClientID != f.clientID {
			t.Fatalf("invoice from time = %+v", inv)
		}
		for _, e := range []*domain.TimeEntry{onTask1, onTask2, noTask} {
			if id, billed := mustEntryInvoice(t, d, e.ID); id == nil || *id != inv.ID || !billed {
				t.Errorf("entry %s: invoice %v billed %v", e.ID, id, billed)
			}
		}
		for _, e := range []*domain.TimeEntry{notBillable, outside} {
			if id, billed := mustEntryInvoice(t, d, e.ID); id != nil || billed {
				t.Errorf("entry %s should stay unbilled", e.ID)
			}
		}
		if _, err := db.CreateInvoiceFromTime(ctx, f.orgID, f.v, in); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("second run: err = %v, want conflict (nothing to bill)", err)
		}
		// Deleting the draft gives the time back.
		if err := db.DeleteInvoice(ctx, f.orgID, f.v, inv.ID); err != nil {
			t.Fatal(err)
		}
		if id, billed := mustEntryInvoice(t, d, noTask.ID); id != nil || billed {
			t.Fatal("deleting the draft left its entries billed")
		}
	})

	t.Run("two_concurrent_from_time_runs_never_bill_an_entry_twice", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "race@example.com")
		for i := range 5 {
			f.mustLog(t, db, "2026-05-0"+string(rune('1'+i)), 60, f.taskID, true)
		}
		in := domain.InvoiceFromTime{ProjectID: f.projectID, From: mustDay(t, "2026-05-01"), To: mustDay(t, "2026-05-31")}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.CreateInvoiceFromTime(ctx, f.orgID, f.v, in)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if domain.ErrorCode(err) != domain.ECONFLICT {
				t.Fatal(err)
			}
		}
		var billedLines, invoices int
		if err := d.Owner.Bun().NewRaw(`SELECT (SELECT count(*) FROM invoice_lines WHERE organization_id = ?0),
			(SELECT count(*) FROM invoices WHERE organization_id = ?0)`, f.orgID).Scan(ctx, &billedLines, &invoices); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || invoices != 1 || billedLines != 1 {
			t.Fatalf("successes %d, invoices %d, lines %d; want 1, 1, 1", ok, invoices, billedLines)
		}
	})

	t.Run("void_releases_the_time_and_overdue_is_idempotent", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "void@example.com")
		e := f.mustLog(t, db, "2026-06-01", 60, "", true)
		inv, err := db.CreateInvoiceFromTime(ctx, f.orgID, f.v,
			domain.InvoiceFromTime{ProjectID: f.projectID, From: mustDay(t, "2026-06-01"), To: mustDay(t, "2026-06-01")})
		if err != nil {
			t.Fatal(err)
		}
		hash := sha256.Sum256([]byte("token-void"))
		if _, err := db.SendInvoice(ctx, f.orgID, f.v, inv.ID, hash[:]); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, _, err := db.MarkInvoiceOverdue(ctx, f.orgID, inv.ID); err != nil {
				t.Fatal(err)
			}
		}
		voided, err := db.VoidInvoice(ctx, f.orgID, f.v, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if voided.Status != domain.InvoiceVoid {
			t.Fatalf("status = %s", voided.Status)
		}
		if _, changed, err := db.MarkInvoiceOverdue(ctx, f.orgID, inv.ID); err != nil || changed {
			t.Fatalf("overdue after void: changed %v err %v", changed, err)
		}
		if id, billed := mustEntryInvoice(t, d, e.ID); id != nil || billed {
			t.Fatal("voiding left the entry billed")
		}
		want := []string{domain.EventInvoiceCreated, domain.EventInvoiceSent, domain.EventInvoiceOverdue, domain.EventInvoiceVoided}
		if types := mustEventTypes(t, d, f.orgID, inv.ID); !slices.Equal(types, want) {
			t.Fatalf("events = %v, want %v", types, want)
		}
	})

	t.Run("public_token_reads_only_its_own_invoice", func(t *testing.T) {
		a := mustInvoiceFixture(t, db, "public-a@example.com")
		b := mustInvoiceFixture(t, db, "public-b@example.com")
		invA, invB := a.draft(), b.draft()
		invB.Notes = "Victim notes"
		for _, x := range []struct {
			f   invoiceFixture
			inv *domain.Invoice
			tok string
		}{{a, invA, "token-a"}, {b, invB, "token-b"}} {
			if err := db.CreateInvoice(ctx, x.f.orgID, x.f.v, x.inv); err != nil {
				t.Fatal(err)
			}
			hash := sha256.Sum256([]byte(x.tok))
			if _, err := db.SendInvoice(ctx, x.f.orgID, x.f.v, x.inv.ID, hash[:]); err != nil {
				t.Fatal(err)
			}
		}
		hashA := sha256.Sum256([]byte("token-a"))
		got, err := db.InvoiceByPublicToken(ctx, hashA[:])
		if err != nil {
			t.Fatal(err)
		}
		if got.Invoice.ID != invA.ID || got.OrgName != "Org of public-a@example.com" || len(got.Invoice.Lines) != 1 {
			t.Fatalf("public invoice = %+v", got)
		}
		unknown := sha256.Sum256([]byte("token-c"))
		if _, err := db.InvoiceByPublicToken(ctx, unknown[:]); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("unknown token: err = %v, want not_found", err)
		}
	})

	t.Run("client_contacts_see_only_sent_invoices_of_their_projects", func(t *testing.T) {
		f := mustInvoiceFixture(t, db, "contact@example.com")
		inv := f.draft()
		inv.ProjectID = f.projectID
		if err := db.CreateInvoice(ctx, f.orgID, f.v, inv); err != nil {
			t.Fatal(err)
		}
		contact := domain.Viewer{UserID: f.v.UserID, Role: domain.RoleClient}
		if _, err := db.Invoice(ctx, f.orgID, contact, inv.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("a client contact read a draft: err = %v", err)
		}
	})
}
