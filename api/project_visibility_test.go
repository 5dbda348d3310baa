package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// TestProjectVisibility is a security regression suite: a member who is not on a project must not learn
// it exists, through any project route, list or feed.
func TestProjectVisibility(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("member_not_on_project_gets_404_and_sees_nothing", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, member := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Member")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		mustJoin(t, db, org.ID, member, "member")
		// Write and delete rights get past the permission check, so only visibility can answer.
		MustStatus(t, owner.Do(http.MethodPut, "/api/v1/orgs/"+org.ID+"/members/"+mustMemberOf(t, owner, org.ID, member).ID+"/permissions",
			map[string]any{"overrides": []map[string]any{{"permission": "projects.write", "granted": true},
				{"permission": "projects.delete", "granted": true}}}), http.StatusOK)
		client := owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"})
		secret := owner.MustCreateProject(org.ID, map[string]any{"name": "Secret", "client_id": client.ID})
		base := "/api/v1/orgs/" + org.ID + "/projects/" + secret.ID
		missing := MustProblem(t, member.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects/"+secret.ID[:30]+"000000", nil),
			http.StatusNotFound, "not_found")

		before := MustSnapshotOrg(t, db, org.ID)
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, base}, {http.MethodPatch, base}, {http.MethodDelete, base},
			{http.MethodGet, base + "/members"}, {http.MethodPost, base + "/members"},
			{http.MethodDelete, base + "/members/" + owner.User.ID},
		} {
			var body any
			switch r.method {
			case http.MethodPatch:
				body = map[string]any{"name": "Peeked"}
			case http.MethodPost:
				body = map[string]any{"user_id": member.User.ID}
			}
			p := MustProblem(t, member.Do(r.method, r.path, body), http.StatusNotFound, "not_found")
			assert.Equal(t, missing.Detail, p.Detail, "%s %s", r.method, r.path)
			assert.NotContains(t, p.Detail, "Secret")
		}
		assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID), "a hidden project changed")
		assert.Empty(t, mustListProjects(t, member, org.ID, nil))
		for _, a := range mustActivity(t, member, org.ID, nil) {
			assert.NotEqual(t, secret.ID, a.EntityID, "activity leaks %s", a.Type)
		}
		res := member.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/clients/"+client.ID+"/overview", nil)
		MustStatus(t, res, http.StatusOK)
		var overview struct {
			Projects []projectJSON  `json:"projects"`
			Activity []activityJSON `json:"activity"`
		}
		res.MustJSON(t, &overview)
		assert.Empty(t, overview.Projects)
		for _, a := range overview.Activity {
			assert.Nil(t, a.ProjectID, "overview activity leaks %s", a.Type)
		}
	})

	// The unbilled-time preview once answered 200 with the project's time and hourly rate to anyone holding
	// invoices.read, while the project itself answered 404.
	unbilled := func(t *testing.T, role string, overrides ...string) {
		srv := MustStart(t, db)
		owner, reader := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Reader")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		mustJoin(t, db, org.ID, reader, role)
		if len(overrides) > 0 {
			var grants []map[string]any
			for _, p := range overrides {
				grants = append(grants, map[string]any{"permission": p, "granted": true})
			}
			MustStatus(t, owner.Do(http.MethodPut, "/api/v1/orgs/"+org.ID+"/members/"+mustMemberOf(t, owner, org.ID, reader).ID+"/permissions",
				map[string]any{"overrides": grants}), http.StatusOK)
		}
		acme, other := owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"}), owner.MustCreateClient(org.ID, map[string]any{"name": "Other"})
		secret := owner.MustCreateProject(org.ID, map[string]any{"name": "Secret", "client_id": acme.ID, "hourly_rate": 12345})
		theirs := owner.MustCreateProject(org.ID, map[string]any{"name": "Theirs", "client_id": other.ID})
		MustStatus(t, owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/projects/"+theirs.ID+"/members",
			map[string]any{"user_id": reader.User.ID}), http.StatusCreated)
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": secret.ID, "date": "2026-01-05", "minutes": 90})
		path := func(id string) string {
			return "/api/v1/orgs/" + org.ID + "/projects/" + id + "/unbilled-time?from=2026-01-01&to=2026-01-31"
		}
		res := owner.Do(http.MethodGet, path(secret.ID), nil)
		MustStatus(t, res, http.StatusOK)
		assert.Contains(t, string(res.Body), "12345", "the owner sees the rate, so the route itself works")
		MustStatus(t, reader.Do(http.MethodGet, path(theirs.ID), nil), http.StatusOK)

		res = reader.Do(http.MethodGet, path(secret.ID), nil)
		p := MustProblem(t, res, http.StatusNotFound, "not_found")
		assert.NotContains(t, string(res.Body), "12345")
		missing := MustProblem(t, reader.Do(http.MethodGet, path(uuid.NewString()), nil), http.StatusNotFound, "not_found")
		assert.Equal(t, missing.Detail, p.Detail, "a hidden project must look exactly like a missing one")
	}
	t.Run("client_contact_cannot_read_unbilled_time", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, contact := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Contact")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		acme, other := owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"}), owner.MustCreateClient(org.ID, map[string]any{"name": "Other"})
		mustJoinContact(t, db, org.ID, contact, other.ID)
		secret := owner.MustCreateProject(org.ID, map[string]any{"name": "Secret", "client_id": acme.ID, "hourly_rate": 12345})
		theirs := owner.MustCreateProject(org.ID, map[string]any{"name": "Theirs", "client_id": other.ID, "hourly_rate": 12345})
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": secret.ID, "date": "2026-01-05", "minutes": 90})
		mustLogTime(t, owner, org.ID, map[string]any{"project_id": theirs.ID, "date": "2026-01-05", "minutes": 90})
		// The preview is the staff workspace's: the route gate refuses a contact whichever client's project it is.
		for _, id := range []string{secret.ID, theirs.ID, uuid.NewString()} {
			res := contact.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects/"+id+"/unbilled-time?from=2026-01-01&to=2026-01-31", nil)
			MustProblem(t, res, http.StatusForbidden, "forbidden")
			assert.NotContains(t, string(res.Body), "12345")
		}
	})
	t.Run("member_with_invoices_read_override_cannot_read_unbilled_time", func(t *testing.T) {
		unbilled(t, "member", "invoices.read")
	})

	t.Run("adding_a_member_reveals_the_project_and_removing_hides_it", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, member := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Member")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		mustJoin(t, db, org.ID, member, "member")
		p := owner.MustCreateProject(org.ID, map[string]any{"name": "Shared"})
		members := "/api/v1/orgs/" + org.ID + "/projects/" + p.ID + "/members"

		MustStatus(t, owner.Do(http.MethodPost, members, map[string]any{"user_id": member.User.ID}), http.StatusCreated)
		MustStatus(t, owner.Do(http.MethodPost, members, map[string]any{"user_id": member.User.ID}), http.StatusCreated)
		res := owner.Do(http.MethodGet, members, nil)
		MustStatus(t, res, http.StatusOK)
		var list struct {
			Data []struct {
				UserID string `json:"user_id"`
				Name   string `json:"name"`
			}
		}
		res.MustJSON(t, &list)
		assert.Len(t, list.Data, 2)
		require.Len(t, mustListProjects(t, member, org.ID, nil), 1)
		MustStatus(t, member.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects/"+p.ID, nil), http.StatusOK)
		types := []string{}
		for _, a := range mustActivity(t, member, org.ID, url.Values{"project_id": {p.ID}}) {
			types = append(types, a.Type)
		}
		assert.Equal(t, []string{"project.member_added", "project.created"}, types)
		// Managing members needs projects.write, which members lack.
		MustProblem(t, member.Do(http.MethodDelete, members+"/"+owner.User.ID, nil), http.StatusForbidden, "forbidden")

		MustStatus(t, owner.Do(http.MethodDelete, members+"/"+member.User.ID, nil), http.StatusNoContent)
		MustProblem(t, member.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/projects/"+p.ID, nil), http.StatusNotFound, "not_found")
		MustProblem(t, owner.Do(http.MethodDelete, members+"/"+member.User.ID, nil), http.StatusNotFound, "not_found")
	})

	t.Run("only_active_org_members_can_be_added", func(t *testing.T) {
		srv := MustStart(t, db)
		owner, outsider, suspended := srv.MustSignUp(t, "Owner"), srv.MustSignUp(t, "Outsider"), srv.MustSignUp(t, "Suspended")
		org := owner.MustCreateOrg(uniqueName("Agency"))
		mustJoin(t, db, org.ID, suspended, "member")
		_, err := db.Owner.Bun().NewRaw("UPDATE organization_memberships SET status = 'suspended' WHERE user_id = ?",
			suspended.User.ID).Exec(t.Context())
		require.NoError(t, err)
		p := owner.MustCreateProject(org.ID, map[string]any{"name": "Closed"})
		members := "/api/v1/orgs/" + org.ID + "/projects/" + p.ID + "/members"
		before := MustSnapshotOrg(t, db, org.ID)
		for _, id := range []string{outsider.User.ID, suspended.User.ID, "not-a-uuid"} {
			prob := MustProblem(t, owner.Do(http.MethodPost, members, map[string]any{"user_id": id}),
				http.StatusUnprocessableEntity, "validation_failed")
			assert.Equal(t, []string{"body.user_id"}, prob.Locations())
		}
		assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID))
	})
}

// TestProjectRoutesHideTheProject is a security regression suite: keep it forever. It walks every
// operation of the OpenAPI document inside a project (a {project_id} in the path, a time entry of the
// project, or a project_id in the body) as three people who must not see the project, each holding every
// permission so that only the visibility rule can answer: a member not on the project, a client contact
// on another client's project, and a suspended member who is on it. Each call must answer like the same
// call aimed at IDs that exist nowhere (404 for every route with the project in its path) and change
// nothing.
func TestProjectRoutesHideTheProject(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	owner := srv.MustSignUp(t, "Owner")
	org := owner.MustCreateOrg(uniqueName("Agency"))
	acme := owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"})
	other := owner.MustCreateClient(org.ID, map[string]any{"name": "Other"})
	secret := owner.MustCreateProject(org.ID, map[string]any{"name": "Secret", "client_id": acme.ID, "hourly_rate": 12345})
	theirs := owner.MustCreateProject(org.ID, map[string]any{"name": "Theirs", "client_id": other.ID})
	// Both portals are on, so the portal's routes answer from their rule and not from a switched-off portal.
	mustExec(t, db, "UPDATE clients SET portal_enabled = true WHERE organization_id = ?", org.ID)
	board := mustInsertBoard(t, db, org.ID, secret.ID)
	commentID, fileID := mustInsertCommentAndFile(t, db, org.ID, secret.ID, board.Task, owner.User.ID)
	entry := mustLogTime(t, owner, org.ID, map[string]any{"project_id": secret.ID, "task_id": board.Task, "date": "2026-01-05", "minutes": 90})
	invoice := crossTenantInvoice(acme.ID)
	invoice["project_id"] = secret.ID
	res := owner.Do(http.MethodPost, "/api/v1/orgs/"+org.ID+"/invoices", invoice)
	MustStatus(t, res, http.StatusCreated)
	var draft invoiceJSON
	res.MustJSON(t, &draft)
	ids := walkIDs{"org_id": org.ID, "project_id": secret.ID, "invoice_id": draft.ID, "column_id": board.Column, "task_id": board.Task,
		"subtask_id": board.Subtask, "comment_id": commentID, "file_id": fileID, "entry_id": entry.ID,
		"user_id": owner.User.ID, "client_id": acme.ID}

	personas := map[string]*browser{
		"member_not_on_project":              mustPersona(t, db, owner, org.ID, "member"),
		"client_contact_of_another_client":   mustPersona(t, db, owner, org.ID, "client"),
		"suspended_member_who_is_on_project": mustPersona(t, db, owner, org.ID, "member"),
	}
	contact := personas["client_contact_of_another_client"]
	mustExec(t, db, "UPDATE organization_memberships SET client_id = ? WHERE organization_id = ? AND user_id = ?",
		other.ID, org.ID, contact.User.ID)
	// A contact never joins a project: they follow their own client's projects in the portal, which works.
	MustStatus(t, contact.Do(http.MethodGet, "/api/v1/orgs/"+org.ID+"/portal/projects/"+theirs.ID, nil), http.StatusOK)
	suspended := personas["suspended_member_who_is_on_project"]
	mustAddToProject(t, db, org.ID, secret.ID, suspended)
	mustExec(t, db, "UPDATE organization_memberships SET status = 'suspended' WHERE organization_id = ? AND user_id = ?",
		org.ID, suspended.User.ID)

	w := mustWalker(t)
	ops := w.operations(t, func(o walkOp) bool {
		return o.hasParam("org_id") && (o.hasParam("project_id") || o.hasParam("entry_id") || w.bodyProperty(o, "project_id"))
	})
	for name, b := range personas {
		for _, o := range ops {
			t.Run(name+"_gets_404_for_"+o.ID, func(t *testing.T) {
				hidden, err := w.request(o, ids)
				require.NoError(t, err, "the walker cannot exercise this route: teach it (walkIDs or walkBodies)")
				// The preview's client stays: a missing project of the same client's portal.
				missing, err := w.request(o, ids.fresh("org_id", "client_id"))
				require.NoError(t, err)
				before := MustSnapshotOrg(t, db, org.ID)

				res := hidden.do(b)

				assert.Equal(t, before, MustSnapshotOrg(t, db, org.ID), "the hidden project's rows changed")
				assert.NotContains(t, string(res.Body), "Secret")
				assert.NotContains(t, string(res.Body), "12345")
				want := http.StatusNotFound
				if !o.hasParam("project_id") && !o.hasParam("entry_id") && res.Status == http.StatusForbidden {
					// A route naming the project only in its body may refuse the role before reading it.
					want = http.StatusForbidden
				}
				if b == contact && !o.Portal {
					// The route gate refuses contacts every staff route before anything is read.
					want = http.StatusForbidden
				}
				p := MustProblem(t, res, want, map[int]string{http.StatusNotFound: "not_found", http.StatusForbidden: "forbidden"}[want])
				gone := MustProblem(t, missing.do(b), want, p.Code)
				assert.Equal(t, gone.Detail, p.Detail, "a hidden project must answer exactly like a missing one")
			})
		}
	}
}

// mustPersona signs up someone who joins orgID with role and is then granted every permission by an
// override, so a request they make is refused by the visibility rule or not at all.
func mustPersona(t *testing.T, db *storetest.DB, owner *browser, orgID, role string) *browser {
	t.Helper()
	b := owner.srv.MustSignUp(t, "Persona "+role)
	mustJoin(t, db, orgID, b, role)
	var grants []map[string]any
	for _, p := range domain.AllPermissions() {
		grants = append(grants, map[string]any{"permission": p, "granted": true})
	}
	MustStatus(t, owner.Do(http.MethodPut, "/api/v1/orgs/"+orgID+"/members/"+mustMemberOf(t, owner, orgID, b).ID+"/permissions",
		map[string]any{"overrides": grants}), http.StatusOK)
	return b
}
