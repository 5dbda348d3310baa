package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// storedEvent is one domain_events row as a webhook delivery would read it.
type storedEvent struct {
	ID       string          `bun:"id"`
	Type     string          `bun:"type"`
	EntityID string          `bun:"entity_id"`
	Payload  json.RawMessage `bun:"payload"`
}

// eventLog reads an organization's events of the webhook types, in order, as the owner role (no RLS).
type eventLog struct {
	t     *testing.T
	d     *storetest.DB
	orgID string
	seen  int
}

func (l *eventLog) all() []storedEvent {
	l.t.Helper()
	var rows []storedEvent
	if err := l.d.Owner.Bun().NewRaw(`SELECT id::text, type, entity_id::text, payload::text AS payload FROM domain_events
		WHERE organization_id = ? AND type IN (?) ORDER BY id`, l.orgID, bun.In(domain.WebhookEventTypes)).
		Scan(context.Background(), &rows); err != nil {
		l.t.Fatal(err)
	}
	return rows
}

// since returns the webhook events written after the previous call.
func (l *eventLog) since() []storedEvent {
	l.t.Helper()
	rows := l.all()
	out := rows[l.seen:]
	l.seen = len(rows)
	return out
}

// decodePayload decodes ev's payload into the documented type of its event, refusing any key the type does
// not declare (so the documentation stays the whole truth), and checks every always-present field (no
// omitempty) is in the stored JSON.
func decodePayload(t *testing.T, ev storedEvent) any {
	t.Helper()
	zero, ok := domain.WebhookPayloads[ev.Type]
	if !ok {
		t.Fatalf("%s has no documented payload", ev.Type)
	}
	typ := reflect.TypeOf(zero)
	ptr := reflect.New(typ)
	dec := json.NewDecoder(bytes.NewReader(ev.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(ptr.Interface()); err != nil {
		t.Fatalf("%s payload %s does not decode into %s: %v", ev.Type, ev.Payload, typ.Name(), err)
	}
	var raw map[string]any
	if err := json.Unmarshal(ev.Payload, &raw); err != nil {
		t.Fatal(err)
	}
	for i := range typ.NumField() {
		tag := typ.Field(i).Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if _, present := raw[name]; !present && opts != "omitempty" {
			t.Errorf("%s payload %s lacks %q", ev.Type, ev.Payload, name)
		}
	}
	return ptr.Elem().Interface()
}

// only asserts evs are exactly the given types, in order.
func only(t *testing.T, step string, evs []storedEvent, types ...string) {
	t.Helper()
	got := make([]string, len(evs))
	for i, e := range evs {
		got[i] = e.Type
	}
	if !slices.Equal(got, types) {
		t.Fatalf("%s wrote %v, want %v", step, got, types)
	}
}

// TestWebhookEventPayloads performs every change that raises one of the twelve webhook events, through the
// store's public methods, and checks each step writes exactly its events with the documented payload filled
// in; repeated steps (a no-op update, an overdue run twice) write nothing more.
func TestWebhookEventPayloads(t *testing.T) {
	d := storetest.MustOpen(t)
	db := d.App
	ctx := context.Background()
	owner, org := mustUserAndOrg(t, db, "payloads@example.com")
	v := domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}
	log := &eventLog{t: t, d: d, orgID: org.ID}
	log.since()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// Clients.
	c := &domain.Client{Name: "Acme", Email: "billing@acme.example", Company: "Acme Ltd", Notes: "internal: slow payer"}
	must(db.CreateClient(ctx, org.ID, owner.ID, c))
	evs := log.since()
	only(t, "CreateClient", evs, domain.EventClientCreated)
	cp := decodePayload(t, evs[0]).(domain.ClientEventPayload)
	if cp.ClientID != c.ID || cp.Name != "Acme" || cp.Email != "billing@acme.example" || cp.Company != "Acme Ltd" ||
		cp.Status != domain.ClientActive || cp.PortalEnabled {
		t.Fatalf("client.created payload %+v", cp)
	}
	if strings.Contains(string(evs[0].Payload), "slow payer") {
		t.Fatalf("client payload leaks the internal notes: %s", evs[0].Payload)
	}
	rename := func(c *domain.Client) { c.Name, c.PortalEnabled = "Acme Corp", true }
	_, err := db.UpdateClient(ctx, org.ID, owner.ID, c.ID, rename)
	must(err)
	evs = log.since()
	only(t, "UpdateClient", evs, domain.EventClientUpdated)
	cp = decodePayload(t, evs[0]).(domain.ClientEventPayload)
	if cp.Name != "Acme Corp" || !cp.PortalEnabled || !slices.Equal(cp.Changed, []string{"name", "portal_enabled"}) {
		t.Fatalf("client.updated payload %+v", cp)
	}
	_, err = db.UpdateClient(ctx, org.ID, owner.ID, c.ID, rename)
	must(err)
	only(t, "the same UpdateClient again", log.since())

	// Projects.
	due := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	p := &domain.Project{Name: "Website", ClientID: c.ID, DueDate: &due}
	must(db.CreateProject(ctx, org.ID, v, p, ""))
	evs = log.since()
	only(t, "CreateProject", evs, domain.EventProjectCreated)
	pp := decodePayload(t, evs[0]).(domain.ProjectEventPayload)
	if pp.ProjectID != p.ID || pp.Name != "Website" || pp.ClientID == nil || *pp.ClientID != c.ID ||
		pp.Status != domain.ProjectPlanning || pp.DueDate == nil || *pp.DueDate != "2027-03-01" || pp.StartDate != nil || pp.Archived {
		t.Fatalf("project.created payload %+v", pp)
	}
	name, status := "Website v2", domain.ProjectActive
	_, err = db.UpdateProject(ctx, org.ID, v, p.ID, domain.ProjectUpdate{Name: &name, Status: &status})
	must(err)
	evs = log.since()
	only(t, "UpdateProject", evs, domain.EventProjectUpdated)
	pp = decodePayload(t, evs[0]).(domain.ProjectEventPayload)
	if pp.Name != name || pp.Status != status || !slices.Equal(pp.Changed, []string{"name", "status"}) {
		t.Fatalf("project.updated payload %+v", pp)
	}
	_, err = db.UpdateProject(ctx, org.ID, v, p.ID, domain.ProjectUpdate{Name: &name, Status: &status})
	must(err)
	only(t, "the same UpdateProject again", log.since())

	// Tasks.
	cols, err := db.Columns(ctx, org.ID, v, p.ID)
	must(err)
	var doneCol *domain.Column
	for _, col := range cols {
		if col.IsDone {
			doneCol = col
		}
	}
	if doneCol == nil {
		t.Fatal("the default board has no done column")
	}
	taskDue := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	task := &domain.Task{Title: "Design", AssigneeIDs: []string{owner.ID}, DueDate: &taskDue, Priority: domain.PriorityHigh,
		DescriptionHTML: "<p>internal brief</p>"}
	must(db.CreateTask(ctx, org.ID, v, p.ID, task))
	evs = log.since()
	only(t, "CreateTask", evs, domain.EventTaskCreated)
	tp := decodePayload(t, evs[0]).(domain.TaskEventPayload)
	if tp.TaskID != task.ID || tp.ProjectID != p.ID || tp.Number != 1 || tp.Title != "Design" || tp.ColumnID != cols[0].ID ||
		tp.Priority != domain.PriorityHigh || tp.DueDate == nil || *tp.DueDate != "2027-02-01" ||
		!slices.Equal(tp.AssigneeIDs, []string{owner.ID}) || !slices.Equal(tp.AssigneesAdded, []string{owner.ID}) ||
		tp.ColumnTo != cols[0].Name || tp.CompletedAt != nil || tp.Changed != nil {
		t.Fatalf("task.created payload %+v", tp)
	}
	if strings.Contains(string(evs[0].Payload), "internal brief") {
		t.Fatalf("task payload carries the description: %s", evs[0].Payload)
	}
	title := "Design the home page"
	_, err = db.UpdateTask(ctx, org.ID, v, p.ID, task.ID, domain.TaskUpdate{Title: &title})
	must(err)
	evs = log.since()
	only(t, "UpdateTask", evs, domain.EventTaskUpdated)
	tp = decodePayload(t, evs[0]).(domain.TaskEventPayload)
	if tp.Title != title || !slices.Equal(tp.Changed, []string{"title"}) || tp.ColumnFrom != "" || tp.ColumnTo != "" ||
		tp.Completed || tp.AssigneesAdded != nil {
		t.Fatalf("task.updated payload %+v", tp)
	}
	_, err = db.UpdateTask(ctx, org.ID, v, p.ID, task.ID, domain.TaskUpdate{Title: &title})
	must(err)
	only(t, "the same UpdateTask again", log.since())
	_, err = db.UpdateTask(ctx, org.ID, v, p.ID, task.ID, domain.TaskUpdate{ColumnID: &doneCol.ID})
	must(err)
	evs = log.since()
	only(t, "UpdateTask into the done column", evs, domain.EventTaskUpdated, domain.EventTaskCompleted)
	tp = decodePayload(t, evs[0]).(domain.TaskEventPayload)
	if !tp.Completed || tp.ColumnFrom != cols[0].Name || tp.ColumnTo != doneCol.Name || tp.ColumnID != doneCol.ID ||
		!slices.Equal(tp.Changed, []string{"column", "position"}) || tp.CompletedAt == nil {
		t.Fatalf("task.updated (completing) payload %+v", tp)
	}
	tp = decodePayload(t, evs[1]).(domain.TaskEventPayload)
	if tp.TaskID != task.ID || tp.CompletedAt == nil || tp.ColumnID != doneCol.ID || tp.Completed || tp.Changed != nil {
		t.Fatalf("task.completed payload %+v", tp)
	}
	_, err = db.MoveTask(ctx, org.ID, v, p.ID, task.ID, domain.TaskMove{ColumnID: doneCol.ID})
	must(err)
	evs = log.since()
	only(t, "MoveTask within the done column", evs, domain.EventTaskUpdated)
	if tp = decodePayload(t, evs[0]).(domain.TaskEventPayload); !slices.Equal(tp.Changed, []string{"position"}) {
		t.Fatalf("a reorder's task.updated payload %+v", tp)
	}
	must(db.CreateSubtask(ctx, org.ID, v, p.ID, task.ID, &domain.Subtask{Title: "Wireframes"}))
	evs = log.since()
	only(t, "CreateSubtask", evs, domain.EventTaskUpdated)
	if tp = decodePayload(t, evs[0]).(domain.TaskEventPayload); !slices.Equal(tp.Changed, []string{"subtasks"}) {
		t.Fatalf("a subtask's task.updated payload %+v", tp)
	}
	born := &domain.Task{Title: "Already done", ColumnID: doneCol.ID}
	must(db.CreateTask(ctx, org.ID, v, p.ID, born))
	evs = log.since()
	only(t, "CreateTask in the done column", evs, domain.EventTaskCreated, domain.EventTaskCompleted)
	if tp = decodePayload(t, evs[1]).(domain.TaskEventPayload); tp.TaskID != born.ID || tp.CompletedAt == nil {
		t.Fatalf("task.completed of a task created done %+v", tp)
	}

	// Invoices: sent, overdue (once however often the workflow runs), paid.
	inv := &domain.Invoice{ClientID: c.ID, ProjectID: p.ID, Currency: "USD", IssueDate: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),
		DueDate: time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC),
		Lines:   []domain.InvoiceLine{{Description: "Strategy", QuantityMilli: 2500, UnitPrice: 10000}}}
	must(db.CreateInvoice(ctx, org.ID, v, inv))
	hash := sha256.Sum256([]byte("payload-invoice"))
	_, err = db.SendInvoice(ctx, org.ID, v, inv.ID, hash[:])
	must(err)
	only(t, "CreateInvoice and SendInvoice", log.since())
	for range 2 {
		_, _, err = db.MarkInvoiceOverdue(ctx, org.ID, inv.ID)
		must(err)
	}
	evs = log.since()
	only(t, "MarkInvoiceOverdue twice", evs, domain.EventInvoiceOverdue)
	ip := decodePayload(t, evs[0]).(domain.InvoiceEventPayload)
	if ip.InvoiceID != inv.ID || ip.Number != inv.Number || ip.ClientID != c.ID || ip.ClientName != "Acme Corp" ||
		ip.ProjectID == nil || *ip.ProjectID != p.ID || ip.Status != domain.InvoiceOverdue || ip.Currency != "USD" ||
		ip.Total != 25000 || ip.AmountPaid != 0 || ip.Balance != 25000 || ip.IssueDate != "2026-01-10" ||
		ip.DueDate != "2026-02-09" || ip.PaidAt != nil {
		t.Fatalf("invoice.overdue payload %+v", ip)
	}
	_, err = db.RecordInvoicePayment(ctx, org.ID, v, inv.ID, &domain.InvoicePayment{Amount: 10000,
		PaidOn: time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC), Method: "bank_transfer"})
	must(err)
	only(t, "a part payment", log.since())
	_, err = db.RecordInvoicePayment(ctx, org.ID, v, inv.ID, &domain.InvoicePayment{Amount: 15000,
		PaidOn: time.Date(2026, 2, 21, 0, 0, 0, 0, time.UTC), Method: "bank_transfer"})
	must(err)
	evs = log.since()
	only(t, "the settling payment", evs, domain.EventInvoicePaid)
	ip = decodePayload(t, evs[0]).(domain.InvoiceEventPayload)
	if ip.Status != domain.InvoicePaid || ip.Total != 25000 || ip.AmountPaid != 25000 || ip.Balance != 0 || ip.PaidAt == nil {
		t.Fatalf("invoice.paid payload %+v", ip)
	}

	// Members: staff and a client contact join by invitation and leave by removal.
	staff := mustJoin(t, db, org.ID, owner.ID, "staffer@example.com", domain.RoleMember, "")
	evs = log.since()
	only(t, "a staff invitation accepted", evs, domain.EventMemberAdded)
	mp := decodePayload(t, evs[0]).(domain.MemberEventPayload)
	if mp.UserID != staff.ID || mp.Name != staff.Name || mp.Email != "staffer@example.com" || mp.Role != domain.RoleMember || mp.ClientID != nil {
		t.Fatalf("team.member_added payload %+v", mp)
	}
	contact := mustJoin(t, db, org.ID, owner.ID, "contact@acme.example", domain.RoleClient, c.ID)
	evs = log.since()
	only(t, "a contact invitation accepted", evs, domain.EventMemberAdded)
	mp = decodePayload(t, evs[0]).(domain.MemberEventPayload)
	if mp.UserID != contact.ID || mp.Role != domain.RoleClient || mp.ClientID == nil || *mp.ClientID != c.ID {
		t.Fatalf("team.member_added payload of a contact %+v", mp)
	}
	members, err := db.Members(ctx, org.ID)
	must(err)
	for _, m := range members {
		if m.UserID == staff.ID {
			_, err := db.RemoveMember(ctx, org.ID, owner.ID, m.ID, func(*domain.Member) error { return nil })
			must(err)
		}
	}
	evs = log.since()
	only(t, "RemoveMember", evs, domain.EventMemberRemoved)
	mp = decodePayload(t, evs[0]).(domain.MemberEventPayload)
	if mp.UserID != staff.ID || mp.Name != staff.Name || mp.Email != staff.Email || mp.Role != domain.RoleMember || mp.ClientID != nil {
		t.Fatalf("team.member_removed payload %+v", mp)
	}
	must(db.RemoveClientContact(ctx, org.ID, owner.ID, c.ID, contact.ID))
	evs = log.since()
	only(t, "RemoveClientContact", evs, domain.EventMemberRemoved)
	mp = decodePayload(t, evs[0]).(domain.MemberEventPayload)
	if mp.UserID != contact.ID || mp.Email != "contact@acme.example" || mp.Role != domain.RoleClient || mp.ClientID == nil || *mp.ClientID != c.ID {
		t.Fatalf("team.member_removed payload of a contact %+v", mp)
	}

	// Deleting the project.
	must(db.DeleteProject(ctx, org.ID, v, p.ID))
	evs = log.since()
	only(t, "DeleteProject", evs, domain.EventProjectDeleted)
	pp = decodePayload(t, evs[0]).(domain.ProjectEventPayload)
	if pp.ProjectID != p.ID || pp.Name != name || pp.Status != status || pp.ClientID == nil || *pp.ClientID != c.ID ||
		pp.DueDate == nil || *pp.DueDate != "2027-03-01" {
		t.Fatalf("project.deleted payload %+v", pp)
	}

	// Every one of the twelve was seen, and every event decodes (none of them carries an undocumented key).
	seen := map[string]bool{}
	for _, ev := range log.all() {
		decodePayload(t, ev)
		seen[ev.Type] = true
	}
	for _, typ := range domain.WebhookEventTypes {
		if !seen[typ] {
			t.Errorf("no %s was written", typ)
		}
	}
}

// TestWebhookEventPayloadsOfBulkPaths covers the paths that change many things at once: a project from a
// template (task.created per template task, task.completed for those in a done column), a column deleted
// into a done column (task.updated and task.completed per task), and a client deleted with a project and
// its contacts (project.updated per detached project, team.member_removed per contact).
func TestWebhookEventPayloadsOfBulkPaths(t *testing.T) {
	d := storetest.MustOpen(t)
	db := d.App
	ctx := context.Background()
	owner, org := mustUserAndOrg(t, db, "bulk-payloads@example.com")
	v := domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}
	log := &eventLog{t: t, d: d, orgID: org.ID}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	tpl := &domain.Template{Name: "Launch", Body: domain.TemplateBody{
		Columns: []domain.TemplateColumn{{Name: "Backlog", Color: "#888888"}, {Name: "Shipped", Color: "#00aa00", IsDone: true}},
		Tasks: []domain.TemplateTask{{Title: "Plan", Column: 0, Priority: domain.PriorityLow, Subtasks: []string{}},
			{Title: "Kick-off", Column: 1, Priority: domain.PriorityMedium, Subtasks: []string{}}}}}
	must(db.CreateTemplate(ctx, org.ID, owner.ID, tpl))
	log.since()
	p := &domain.Project{Name: "Launch"}
	must(db.CreateProject(ctx, org.ID, v, p, tpl.ID))
	evs := log.since()
	only(t, "CreateProject from a template", evs, domain.EventProjectCreated, domain.EventTaskCreated,
		domain.EventTaskCreated, domain.EventTaskCompleted)
	if pp := decodePayload(t, evs[0]).(domain.ProjectEventPayload); pp.Tasks != 2 {
		t.Fatalf("project.created payload %+v", pp)
	}
	plan := decodePayload(t, evs[1]).(domain.TaskEventPayload)
	kickoff := decodePayload(t, evs[2]).(domain.TaskEventPayload)
	if plan.Title != "Plan" || plan.Number != 1 || plan.ColumnTo != "Backlog" || plan.CompletedAt != nil || plan.ProjectID != p.ID ||
		kickoff.Title != "Kick-off" || kickoff.Number != 2 || kickoff.ColumnTo != "Shipped" || kickoff.CompletedAt == nil {
		t.Fatalf("template task.created payloads %+v %+v", plan, kickoff)
	}
	if done := decodePayload(t, evs[3]).(domain.TaskEventPayload); done.TaskID != kickoff.TaskID {
		t.Fatalf("task.completed of the template's done task %+v", done)
	}
	cols, err := db.Columns(ctx, org.ID, v, p.ID)
	must(err)
	must(db.DeleteColumn(ctx, org.ID, v, p.ID, cols[0].ID, cols[1].ID))
	evs = log.since()
	only(t, "DeleteColumn into the done column", evs, domain.EventTaskUpdated, domain.EventTaskCompleted)
	moved := decodePayload(t, evs[0]).(domain.TaskEventPayload)
	if moved.TaskID != plan.TaskID || moved.ColumnFrom != "Backlog" || moved.ColumnTo != "Shipped" || !moved.Completed ||
		moved.ColumnID != cols[1].ID || moved.CompletedAt == nil {
		t.Fatalf("task.updated of a task moved by a column deletion %+v", moved)
	}

	c := &domain.Client{Name: "Globex"}
	must(db.CreateClient(ctx, org.ID, owner.ID, c))
	a := mustJoin(t, db, org.ID, owner.ID, "a@globex.example", domain.RoleClient, c.ID)
	b := mustJoin(t, db, org.ID, owner.ID, "b@globex.example", domain.RoleClient, c.ID)
	billed := &domain.Project{Name: "Globex site", ClientID: c.ID}
	must(db.CreateProject(ctx, org.ID, v, billed, ""))
	log.since()
	must(db.DeleteClient(ctx, org.ID, owner.ID, c.ID))
	evs = log.since()
	only(t, "DeleteClient with a project and two contacts", evs, domain.EventProjectUpdated, domain.EventMemberRemoved,
		domain.EventMemberRemoved)
	if pp := decodePayload(t, evs[0]).(domain.ProjectEventPayload); pp.ProjectID != billed.ID || pp.ClientID != nil ||
		!slices.Equal(pp.Changed, []string{"client_id"}) {
		t.Fatalf("project.updated of a project whose client was deleted %+v", pp)
	}
	evs = evs[1:]
	for i, who := range []*domain.User{a, b} {
		mp := decodePayload(t, evs[i]).(domain.MemberEventPayload)
		if mp.UserID != who.ID || mp.Email != who.Email || mp.Name != who.Name || mp.Role != domain.RoleClient ||
			mp.ClientID == nil || *mp.ClientID != c.ID {
			t.Fatalf("team.member_removed payload of a deleted client's contact %+v", mp)
		}
	}
}

// mustJoin invites email (as a contact of clientID when set) and has a new user of that address accept.
func mustJoin(t *testing.T, db *store.DB, orgID, inviterID, email, role, clientID string) *domain.User {
	t.Helper()
	ctx := context.Background()
	hash := sha256.Sum256([]byte("invite " + email))
	if err := db.CreateInvitation(ctx, &domain.Invitation{OrganizationID: orgID, Email: email, Role: role,
		ClientID: clientID, InvitedBy: inviterID}, hash[:]); err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Name: "Joiner " + email, Email: email, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AcceptInvitation(ctx, hash[:], u.ID, func(*domain.Invitation) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return u
}
