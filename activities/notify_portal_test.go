package activities_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
)

// portalFixture adds the client portal to a notifyFixture: the project Website belongs to the client
// Acme, whose contacts are Ana and Abe; Gus is a contact of Globex (another client of the same
// organization, its own project Intranet), Ivy a contact of Initech, whose portal is off. Nils is a member
// on no project. All portals but Initech's are enabled.
type portalFixture struct {
	*notifyFixture
	acme, globex, initech string
	intranet              string
	ana, abe, gus, ivy    string
	nils                  string
}

func mustPortalFixture(t *testing.T) *portalFixture {
	t.Helper()
	ctx := context.Background()
	f := &portalFixture{notifyFixture: mustNotifyFixture(t)}
	f.acme, f.globex, f.initech = f.client(t, "Acme", true), f.client(t, "Globex", true), f.client(t, "Initech", false)
	f.exec(t, `UPDATE projects SET client_id = ? WHERE organization_id = ? AND id = ?`, f.acme, f.orgID, f.projectID)
	p := &domain.Project{Name: "Intranet", ClientID: f.globex}
	require.NoError(t, f.db.App.CreateProject(ctx, f.orgID, f.olgaV, p, ""))
	f.intranet = p.ID
	f.ana, f.abe = f.contact(t, "Ana", f.acme), f.contact(t, "Abe", f.acme)
	f.gus, f.ivy = f.contact(t, "Gus", f.globex), f.contact(t, "Ivy", f.initech)
	f.nils = f.user(t, "Nils")
	f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'member')`,
		uuid.NewString(), f.orgID, f.nils)
	f.fanOut(t)
	return f
}

func (f *portalFixture) client(t *testing.T, name string, portal bool) string {
	t.Helper()
	id := uuid.NewString()
	f.exec(t, `INSERT INTO clients (id, organization_id, name, portal_enabled, portal_enabled_at)
		VALUES (?, ?, ?, ?, CASE WHEN ? THEN now() END)`, id, f.orgID, name, portal, portal)
	return id
}

// contact adds a user as a contact (role client) of clientID.
func (f *portalFixture) contact(t *testing.T, name, clientID string) string {
	t.Helper()
	id := f.user(t, name)
	f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role, client_id) VALUES (?, ?, ?, 'client', ?)`,
		uuid.NewString(), f.orgID, id, clientID)
	return id
}

// event records a domain event as the API would (the queue's trigger picks it up).
func (f *portalFixture) event(t *testing.T, typ, entityType, entityID, projectID, actorID string, payload map[string]any) {
	t.Helper()
	body, err := json.Marshal(payload)
	require.NoError(t, err)
	var project any
	if projectID != "" {
		project = projectID
	}
	f.exec(t, `INSERT INTO domain_events (id, organization_id, type, entity_type, entity_id, project_id, actor_id, payload)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), f.orgID, typ, entityType, entityID, project,
		actorID, string(body))
}

// file stores a file of projectID, shared with its client or not.
func (f *portalFixture) file(t *testing.T, projectID, name string, shared bool) string {
	t.Helper()
	id := uuid.NewString()
	f.exec(t, `INSERT INTO files (id, organization_id, project_id, uploader_id, name, content_type, size_bytes, storage_key,
		shared_with_client) VALUES (?, ?, ?, ?, ?, 'application/pdf', 10, ?, ?)`, id, f.orgID, projectID, f.olga, name,
		"test/"+id, shared)
	return id
}

// request is a task of the Website project that Ana sent from the portal, assigned to Bea.
func (f *portalFixture) request(t *testing.T, title string) *domain.Task {
	t.Helper()
	task := &domain.Task{Title: title, AssigneeIDs: []string{f.bea}}
	require.NoError(t, f.db.App.CreateTask(context.Background(), f.orgID, f.olgaV, f.projectID, task))
	f.exec(t, `UPDATE tasks SET requester_id = ?, created_by = ? WHERE organization_id = ? AND id = ?`, f.ana, f.ana, f.orgID, task.ID)
	f.fanOut(t)
	return task
}

// links lists the links of recipient's notifications of type typ.
func (f *portalFixture) links(t *testing.T, recipient, typ string) []string {
	t.Helper()
	var out []string
	require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT link FROM notifications WHERE organization_id = ? AND recipient_id = ?
		AND type = ? ORDER BY id`, f.orgID, recipient, typ).Scan(context.Background(), &out))
	return out
}

// comment writes a comment by authorID on taskID with its comment.created event, as the staff and portal
// comment routes do.
func (f *portalFixture) comment(t *testing.T, taskID, authorID string, internal bool) {
	t.Helper()
	id := uuid.NewString()
	f.exec(t, `INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html, internal)
		VALUES (?, ?, ?, ?, '{"type":"doc"}', '<p>ok</p>', ?)`, id, f.orgID, taskID, authorID, internal)
	f.event(t, domain.EventCommentCreated, "comment", id, f.projectID, authorID, map[string]any{"task_id": taskID, "mentions": []string{}})
}

// TestPortalNotifications: each client-portal event reaches exactly its audience, contacts only through
// the portal types (while their client's portal is on and the project is shared with it), staff only
// through the staff types.
func TestPortalNotifications(t *testing.T) {
	f := mustPortalFixture(t)
	ctx := context.Background()
	staff := []string{f.olga, f.bea, f.carl, f.dora, f.nils}
	contacts := []string{f.ana, f.abe, f.gus, f.ivy}

	t.Run("portal_enabled_tells_the_clients_contacts_and_nobody_else", func(t *testing.T) {
		f.event(t, domain.EventClientPortalEnabled, "client", f.acme, "", f.olga, map[string]any{"client_id": f.acme, "client_name": "Acme"})
		f.event(t, domain.EventClientPortalEnabled, "client", f.initech, "", f.olga, map[string]any{"client_id": f.initech, "client_name": "Initech"})
		f.fanOut(t)
		for _, c := range []string{f.ana, f.abe} {
			assert.Equal(t, []string{"/client-portal/" + f.orgID}, f.links(t, c, domain.NotifyPortalEnabled))
			assert.Equal(t, 1, f.deliveries(t, c, domain.NotifyPortalEnabled, domain.ChannelEmail), "emailed")
		}
		assert.Zero(t, f.inbox(t, f.gus, domain.NotifyPortalEnabled), "another client's contact")
		assert.Zero(t, f.inbox(t, f.ivy, domain.NotifyPortalEnabled), "a client whose portal was switched off again")
		for _, s := range staff {
			assert.Zero(t, f.inbox(t, s, domain.NotifyPortalEnabled))
		}
	})

	t.Run("a_shared_file_tells_the_contacts_of_the_projects_client_while_it_is_shared", func(t *testing.T) {
		shared := f.file(t, f.projectID, "brief.pdf", true)
		f.event(t, domain.EventFileShared, "file", shared, f.projectID, f.bea, map[string]any{"file_id": shared, "project_id": f.projectID, "name": "brief.pdf"})
		unshared := f.file(t, f.projectID, "internal.pdf", false)
		f.event(t, domain.EventFileShared, "file", unshared, f.projectID, f.bea, map[string]any{"file_id": unshared, "project_id": f.projectID, "name": "internal.pdf"})
		f.fanOut(t)
		for _, c := range []string{f.ana, f.abe} {
			assert.Equal(t, []string{"/client-portal/" + f.orgID + "/files?project=" + f.projectID}, f.links(t, c, domain.NotifySharedFile),
				"the shared file only: the other one was unshared before the fan-out ran")
			assert.Equal(t, 1, f.deliveries(t, c, domain.NotifySharedFile, domain.ChannelEmail))
		}
		assert.Zero(t, f.inbox(t, f.gus, domain.NotifySharedFile), "another client's contact")
		for _, s := range staff {
			assert.Zero(t, f.inbox(t, s, domain.NotifySharedFile))
		}

		// Globex's project hidden from the portal, or Acme's portal off: nobody hears of a shared file.
		f.exec(t, `UPDATE projects SET portal_shared = false WHERE organization_id = ? AND id = ?`, f.orgID, f.intranet)
		hidden := f.file(t, f.intranet, "roadmap.pdf", true)
		f.event(t, domain.EventFileShared, "file", hidden, f.intranet, f.bea, map[string]any{"file_id": hidden, "project_id": f.intranet, "name": "roadmap.pdf"})
		f.exec(t, `UPDATE clients SET portal_enabled = false WHERE organization_id = ? AND id = ?`, f.orgID, f.acme)
		later := f.file(t, f.projectID, "later.pdf", true)
		f.event(t, domain.EventFileShared, "file", later, f.projectID, f.bea, map[string]any{"file_id": later, "project_id": f.projectID, "name": "later.pdf"})
		f.fanOut(t)
		f.exec(t, `UPDATE clients SET portal_enabled = true WHERE organization_id = ? AND id = ?`, f.orgID, f.acme)
		assert.Zero(t, f.inbox(t, f.gus, domain.NotifySharedFile), "a project not shared with the portal")
		assert.Equal(t, 1, f.inbox(t, f.ana, domain.NotifySharedFile), "a client whose portal is off")
	})

	t.Run("a_request_tells_the_team_who_sees_the_project_never_a_contact", func(t *testing.T) {
		task := f.request(t, "New hero image")
		f.event(t, domain.EventTaskRequested, "task", task.ID, f.projectID, f.ana, map[string]any{"task_id": task.ID,
			"project_id": f.projectID, "requester_id": f.ana, "title": "New hero image"})
		f.fanOut(t)
		want := "/orgs/" + f.orgID + "/projects/" + f.projectID + "/board?task=" + task.ID
		for _, s := range []string{f.olga, f.bea, f.carl, f.dora} {
			assert.Equal(t, []string{want}, f.links(t, s, domain.NotifyPortalRequest), "the owner and the project's members")
		}
		assert.Zero(t, f.inbox(t, f.nils, domain.NotifyPortalRequest), "a member not on the project")
		for _, c := range contacts {
			assert.Zero(t, f.inbox(t, c, domain.NotifyPortalRequest))
		}
	})

	t.Run("the_requester_follows_moves_and_staff_replies_but_never_internal_notes", func(t *testing.T) {
		task := f.request(t, "Fix the footer")
		cols, err := f.db.App.Columns(ctx, f.orgID, f.olgaV, f.projectID)
		require.NoError(t, err)
		carl := domain.Viewer{UserID: f.carl, Role: domain.RoleMember}
		_, err = f.db.App.MoveTask(ctx, f.orgID, carl, f.projectID, task.ID, domain.TaskMove{ColumnID: cols[1].ID})
		require.NoError(t, err)
		f.fanOut(t)
		portalLink := "/client-portal/" + f.orgID + "/projects/" + f.projectID + "/tasks/" + task.ID
		assert.Equal(t, []string{portalLink}, f.links(t, f.ana, domain.NotifyRequestUpdated), "the move")
		assert.Zero(t, f.inbox(t, f.ana, domain.NotifyTaskStatusChanged), "the creator, but a contact: not the staff notice")
		assert.Equal(t, 1, f.inbox(t, f.bea, domain.NotifyTaskStatusChanged), "the assignee keeps the staff notice")
		assert.Zero(t, f.inbox(t, f.abe, domain.NotifyRequestUpdated), "another contact of the same client")

		beaComments := f.inbox(t, f.bea, domain.NotifyCommentAdded)
		f.comment(t, task.ID, f.carl, true)
		f.fanOut(t)
		assert.Len(t, f.links(t, f.ana, domain.NotifyRequestUpdated), 1, "an internal note tells the requester nothing")
		assert.Equal(t, beaComments+1, f.inbox(t, f.bea, domain.NotifyCommentAdded), "the staff watchers hear of it")

		f.comment(t, task.ID, f.bea, false)
		f.fanOut(t)
		assert.Equal(t, []string{portalLink, portalLink}, f.links(t, f.ana, domain.NotifyRequestUpdated), "a staff reply")
		assert.Equal(t, 2, f.deliveries(t, f.ana, domain.NotifyRequestUpdated, domain.ChannelEmail), "each emailed")

		f.comment(t, task.ID, f.abe, false)
		f.fanOut(t)
		assert.Len(t, f.links(t, f.ana, domain.NotifyRequestUpdated), 2, "another contact's comment is not a staff reply")
		assert.Equal(t, beaComments+2, f.inbox(t, f.bea, domain.NotifyCommentAdded), "a contact's comment tells the staff watchers")

		f.comment(t, task.ID, f.ana, false)
		f.fanOut(t)
		assert.Len(t, f.links(t, f.ana, domain.NotifyRequestUpdated), 2, "the requester's own comment")
		assert.Equal(t, beaComments+3, f.inbox(t, f.bea, domain.NotifyCommentAdded), "the requester's comment tells the assignee")
		for _, c := range contacts {
			assert.Zero(t, f.inbox(t, c, domain.NotifyCommentAdded), "never the staff notice to a contact")
		}

		_, err = f.db.App.MoveTask(ctx, f.orgID, carl, f.projectID, task.ID, domain.TaskMove{ColumnID: cols[len(cols)-1].ID})
		require.NoError(t, err)
		f.fanOut(t)
		var titles []string
		require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT title FROM notifications WHERE recipient_id = ? AND type = ? ORDER BY id`,
			f.ana, domain.NotifyRequestUpdated).Scan(ctx, &titles))
		require.Len(t, titles, 3, "the completion")
		assert.Contains(t, titles[2], "Fix the footer")
	})

	t.Run("staff_notifications_never_reach_a_client_role_member", func(t *testing.T) {
		// A client-role member put on the project before contacts existed (the API no longer adds them),
		// assigned and mentioned there: the staff audiences (assignees, mentions, watchers, a project's
		// team) still leave them out.
		leo := f.user(t, "Leo")
		f.exec(t, `INSERT INTO organization_memberships (id, organization_id, user_id, role) VALUES (?, ?, ?, 'client')`,
			uuid.NewString(), f.orgID, leo)
		f.exec(t, `INSERT INTO project_members (organization_id, project_id, user_id) VALUES (?, ?, ?)`, f.orgID, f.projectID, leo)
		task := f.task(t, f.olgaV)
		f.event(t, domain.EventTaskUpdated, "task", task.ID, f.projectID, f.olga, map[string]any{"number": task.Number,
			"title": task.Title, "assignees_added": []string{leo}})
		f.event(t, domain.EventTaskMentioned, "task", task.ID, f.projectID, f.olga, map[string]any{"mentioned_user_id": leo, "in": "description"})
		f.event(t, domain.EventTaskRequested, "task", task.ID, f.projectID, f.ana, map[string]any{"task_id": task.ID,
			"project_id": f.projectID, "requester_id": f.ana, "title": "Launch page"})
		f.fanOut(t)
		var n int
		require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT count(*) FROM notifications WHERE organization_id = ? AND recipient_id = ?`,
			f.orgID, leo).Scan(ctx, &n))
		assert.Zero(t, n, "not assigned, not mentioned, not a request")
		assert.Equal(t, 2, f.inbox(t, f.bea, domain.NotifyPortalRequest), "the request still reached the team")

		// A security notice is about the member's own account: it reaches a contact too.
		_, err := f.acts.Notify(ctx, domain.Notice{OrganizationID: f.orgID, Type: domain.NotifySessionActivity,
			RecipientIDs: []string{f.ana}, Title: "New sign-in", SourceKey: "test/contact-sign-in"})
		require.NoError(t, err)
		assert.Equal(t, 1, f.inbox(t, f.ana, domain.NotifySessionActivity))
		_, err = f.acts.Notify(ctx, domain.Notice{OrganizationID: f.orgID, Type: domain.NotifyTrialEnding,
			RecipientIDs: []string{f.ana}, Title: "Trial ends", SourceKey: "test/contact-trial"})
		require.NoError(t, err)
		assert.Zero(t, f.inbox(t, f.ana, domain.NotifyTrialEnding), "billing notices are staff business")
	})

	t.Run("a_contacts_email_opens_the_portal_and_can_unsubscribe", func(t *testing.T) {
		var id, address string
		require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT n.id, u.email FROM notifications n JOIN users u ON u.id = n.recipient_id
			WHERE n.organization_id = ? AND n.recipient_id = ? AND n.type = ?`, f.orgID, f.abe, domain.NotifySharedFile).
			Scan(ctx, &id, &address))
		require.NoError(t, f.acts.SendNotificationEmail(ctx, domain.NotificationEmailBatch{OrganizationID: f.orgID,
			RecipientID: f.abe, NotificationIDs: []string{id}}))
		var subject, html, text string
		require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT subject, html, text_body FROM email_outbox WHERE to_address = ?`, address).
			Scan(ctx, &subject, &html, &text))
		assert.Equal(t, "New file: brief.pdf", subject)
		assert.Contains(t, html, `href="http://app.test/client-portal/`+f.orgID+`/files?project=`+f.projectID+`"`)
		assert.Contains(t, text, "Bea shared brief.pdf with you.")
		assert.Contains(t, html, "http://app.test/api/v1/unsubscribe?token=")
		assert.Contains(t, text, "Don't want shared file emails?")
		assert.False(t, strings.Contains(html, "/orgs/"+f.orgID), "no link into the staff workspace")
		assert.Contains(t, html, "&copy; Notify Agency", "the agency's branding, not ClientFlow's")

		// The team's email about a request stays the neutral ClientFlow one.
		require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT n.id, u.email FROM notifications n JOIN users u ON u.id = n.recipient_id
			WHERE n.organization_id = ? AND n.recipient_id = ? AND n.type = ? ORDER BY n.id LIMIT 1`, f.orgID, f.carl,
			domain.NotifyPortalRequest).Scan(ctx, &id, &address))
		require.NoError(t, f.acts.SendNotificationEmail(ctx, domain.NotificationEmailBatch{OrganizationID: f.orgID,
			RecipientID: f.carl, NotificationIDs: []string{id}}))
		require.NoError(t, f.db.Owner.Bun().NewRaw(`SELECT html FROM email_outbox WHERE to_address = ?`, address).Scan(ctx, &html))
		assert.Contains(t, html, "&copy; ClientFlow")
		assert.Contains(t, html, `href="http://app.test/orgs/`+f.orgID+`/projects/`)
	})
}
