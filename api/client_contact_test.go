package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// contactInvitationJSON is an invitation as the contacts routes show it.
type contactInvitationJSON struct {
	ID       string  `json:"id"`
	Email    string  `json:"email"`
	Role     string  `json:"role"`
	ClientID *string `json:"client_id"`
	Status   string  `json:"status"`
}

// contactListJSON is a client's contacts and pending contact invitations.
type contactListJSON struct {
	Data []struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
		Email  string `json:"email"`
		Status string `json:"status"`
	} `json:"data"`
	Invitations []contactInvitationJSON `json:"invitations"`
}

// portalClientJSON is a client with its portal fields.
type portalClientJSON struct {
	ID              string     `json:"id"`
	PortalEnabled   bool       `json:"portal_enabled"`
	PortalEnabledAt *time.Time `json:"portal_enabled_at"`
	ContactCount    int        `json:"contact_count"`
}

// contactFixture is a verified owner's organization with two clients.
type contactFixture struct {
	srv            *testServer
	db             *storetest.DB
	owner          *browser
	orgID          string
	acme, globex   string
	contactsOfAcme string
}

func mustContactFixture(t *testing.T, db *storetest.DB) contactFixture {
	t.Helper()
	srv, owner, org := invitingOwner(t, db)
	f := contactFixture{srv: srv, db: db, owner: owner, orgID: org.ID}
	f.acme = owner.MustCreateClient(org.ID, map[string]any{"name": "Acme"}).ID
	f.globex = owner.MustCreateClient(org.ID, map[string]any{"name": "Globex"}).ID
	f.contactsOfAcme = f.contacts(f.acme)
	return f
}

func (f contactFixture) contacts(clientID string) string {
	return "/api/v1/orgs/" + f.orgID + "/clients/" + clientID + "/contacts"
}

// mustInviteContact invites addr as a contact of clientID and returns the invitation and its token.
func (f contactFixture) mustInviteContact(t *testing.T, clientID, addr string) (contactInvitationJSON, string) {
	t.Helper()
	res := f.owner.Do(http.MethodPost, f.contacts(clientID), map[string]string{"email": addr})
	MustStatus(t, res, http.StatusCreated)
	var inv contactInvitationJSON
	res.MustJSON(t, &inv)
	return inv, lastInvitationToken(t, f.srv.Workflows, addr)
}

// mustContact invites a new person as a contact of clientID; they sign up and accept.
func (f contactFixture) mustContact(t *testing.T, name, clientID string) *browser {
	t.Helper()
	addr := uniqueEmail()
	_, token := f.mustInviteContact(t, clientID, addr)
	b := signUpAs(t, f.srv, name, addr)
	MustStatus(t, accept(b, token), http.StatusOK)
	return b
}

func (f contactFixture) mustClient(t *testing.T, id string) portalClientJSON {
	t.Helper()
	res := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/clients/"+id, nil)
	MustStatus(t, res, http.StatusOK)
	var c portalClientJSON
	res.MustJSON(t, &c)
	return c
}

// withoutClientPortal puts orgID on a Starter plan without the client portal. Every plan sold has it, so
// the test takes the feature out of Starter, which is why it needs a database of its own.
func withoutClientPortal(t *testing.T, db *storetest.DB, orgID string) {
	t.Helper()
	mustExec(t, db, "UPDATE plans SET features = array_remove(features, 'client_portal') WHERE id = 'starter'")
	mustExec(t, db, "UPDATE subscriptions SET plan_id = 'starter' WHERE organization_id = ?", orgID)
}

func TestClientContacts(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("invite_accept_makes_a_contact_of_the_client_who_uses_the_portal", func(t *testing.T) {
		f := mustContactFixture(t, db)
		addr := uniqueEmail()
		inv, token := f.mustInviteContact(t, f.acme, addr)
		assert.Equal(t, "client", inv.Role)
		require.NotNil(t, inv.ClientID)
		assert.Equal(t, f.acme, *inv.ClientID)
		assert.Equal(t, "pending", inv.Status)
		var mail domain.EmailRequest
		for _, e := range f.srv.Workflows.Emails() {
			if e.To == addr {
				mail = e
			}
		}
		assert.Equal(t, f.orgID, mail.BrandOrg, "the contact's invitation carries the organization's branding")

		res := f.owner.Do(http.MethodGet, f.contactsOfAcme, nil)
		MustStatus(t, res, http.StatusOK)
		var list contactListJSON
		res.MustJSON(t, &list)
		assert.Empty(t, list.Data)
		require.Len(t, list.Invitations, 1)
		assert.Equal(t, inv.ID, list.Invitations[0].ID)
		var other contactListJSON
		res = f.owner.Do(http.MethodGet, f.contacts(f.globex), nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &other)
		assert.Empty(t, other.Invitations, "another client's list does not show the invitation")

		contact := signUpAs(t, f.srv, "Carla Contact", addr)
		res = accept(contact, token)
		MustStatus(t, res, http.StatusOK)
		var accepted struct {
			Role     string  `json:"role"`
			ClientID *string `json:"client_id"`
		}
		res.MustJSON(t, &accepted)
		assert.Equal(t, "client", accepted.Role)
		require.NotNil(t, accepted.ClientID)
		assert.Equal(t, f.acme, *accepted.ClientID)

		res = contact.Do(http.MethodGet, "/api/v1/me", nil)
		MustStatus(t, res, http.StatusOK)
		var me struct {
			Memberships []struct {
				Organization struct{ ID string } `json:"organization"`
				Role         string              `json:"role"`
				ClientID     *string             `json:"client_id"`
				Features     []string            `json:"features"`
			} `json:"memberships"`
		}
		res.MustJSON(t, &me)
		require.Len(t, me.Memberships, 1)
		assert.Equal(t, f.orgID, me.Memberships[0].Organization.ID)
		require.NotNil(t, me.Memberships[0].ClientID)
		assert.Equal(t, f.acme, *me.Memberships[0].ClientID)
		assert.Contains(t, me.Memberships[0].Features, domain.FeatureClientPortal, "trials run on Professional")
		assert.Contains(t, me.Memberships[0].Features, domain.FeatureInvoices)

		res = f.owner.Do(http.MethodGet, "/api/v1/me", nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &me)
		require.Len(t, me.Memberships, 1)
		assert.Nil(t, me.Memberships[0].ClientID, "staff have no client")
		assert.NotEmpty(t, me.Memberships[0].Features)

		res = f.owner.Do(http.MethodGet, f.contactsOfAcme, nil)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &list)
		require.Len(t, list.Data, 1)
		assert.Equal(t, contact.User.ID, list.Data[0].UserID)
		assert.Equal(t, "Carla Contact", list.Data[0].Name)
		assert.Equal(t, addr, list.Data[0].Email)
		assert.Equal(t, "active", list.Data[0].Status)
		assert.Empty(t, list.Invitations, "the accepted invitation is no longer pending")
		assert.Equal(t, 1, f.mustClient(t, f.acme).ContactCount)
		assert.Equal(t, 0, f.mustClient(t, f.globex).ContactCount)
		res = f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/clients", nil)
		MustStatus(t, res, http.StatusOK)
		var page struct{ Data []portalClientJSON }
		res.MustJSON(t, &page)
		counts := map[string]int{}
		for _, c := range page.Data {
			counts[c.ID] = c.ContactCount
		}
		assert.Equal(t, map[string]int{f.acme: 1, f.globex: 0}, counts)

		var found bool
		for _, m := range mustMembersWithClient(t, f.owner, f.orgID) {
			if m.UserID == contact.User.ID {
				found = true
				require.NotNil(t, m.ClientID)
				assert.Equal(t, f.acme, *m.ClientID)
			} else {
				assert.Nil(t, m.ClientID)
			}
		}
		assert.True(t, found, "the contact is in the member list")
	})

	t.Run("contact_is_kept_out_of_the_staff_workspace_and_other_organizations", func(t *testing.T) {
		f := mustContactFixture(t, db)
		contact := f.mustContact(t, "Carla Contact", f.acme)
		org := "/api/v1/orgs/" + f.orgID
		for _, path := range []string{"/projects", "/clients", "/clients/" + f.acme, "/members", "/invoices", "/settings"} {
			MustProblem(t, contact.Do(http.MethodGet, org+path, nil), http.StatusForbidden, "forbidden")
		}
		MustProblem(t, contact.Do(http.MethodPost, org+"/projects", map[string]any{"name": "Mine"}), http.StatusForbidden, "forbidden")
		for _, path := range []string{"", "/notifications", "/notifications/unread-count", "/notification-preferences", "/push-subscriptions"} {
			MustStatus(t, contact.Do(http.MethodGet, org+path, nil), http.StatusOK)
		}

		elsewhere := f.srv.MustSignUp(t, "Other Owner").MustCreateOrg(uniqueName("Elsewhere"))
		MustProblem(t, contact.Do(http.MethodGet, "/api/v1/orgs/"+elsewhere.ID+"/notifications", nil), http.StatusNotFound, "not_found")
		MustProblem(t, contact.Do(http.MethodGet, "/api/v1/orgs/"+elsewhere.ID, nil), http.StatusNotFound, "not_found")
	})

	t.Run("an_address_already_in_the_organization_is_a_clear_409", func(t *testing.T) {
		f := mustContactFixture(t, db)
		staff := f.srv.MustSignUp(t, "Sam Staff")
		mustJoin(t, db, f.orgID, staff, "member")
		p := MustProblem(t, f.owner.Do(http.MethodPost, f.contactsOfAcme, map[string]string{"email": staff.User.Email}),
			http.StatusConflict, "conflict")
		assert.Contains(t, p.Detail, "already a member of this organization")
		MustProblem(t, f.owner.Do(http.MethodPost, f.contactsOfAcme, map[string]string{"email": f.owner.User.Email}),
			http.StatusConflict, "conflict")

		globexContact := f.mustContact(t, "Gina Globex", f.globex)
		p = MustProblem(t, f.owner.Do(http.MethodPost, f.contactsOfAcme, map[string]string{"email": globexContact.User.Email}),
			http.StatusConflict, "conflict")
		assert.Contains(t, p.Detail, "already a member of this organization")
		MustProblem(t, f.owner.Do(http.MethodPost, f.contacts(f.globex), map[string]string{"email": globexContact.User.Email}),
			http.StatusConflict, "conflict")

		pending := uniqueEmail()
		f.mustInviteContact(t, f.acme, pending)
		MustProblem(t, f.owner.Do(http.MethodPost, f.contacts(f.globex), map[string]string{"email": pending}),
			http.StatusConflict, "conflict")
		assert.Equal(t, 2, mustCount(t, db, "SELECT count(*) FROM organization_invitations WHERE organization_id = ? AND client_id IS NOT NULL", f.orgID),
			"the refused invitations were not stored")
	})

	t.Run("bad_input_and_unknown_clients", func(t *testing.T) {
		f := mustContactFixture(t, db)
		p := MustProblem(t, f.owner.Do(http.MethodPost, f.contactsOfAcme, map[string]string{"email": "not an address"}),
			http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Locations(), "body.email")
		MustProblem(t, f.owner.Do(http.MethodPost, f.contacts(uuid.NewString()), map[string]string{"email": uniqueEmail()}),
			http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodGet, f.contacts(uuid.NewString()), nil), http.StatusNotFound, "not_found")

		// Contacts are invited from their client only: the staff invitation route refuses the role.
		p = MustProblem(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/invitations",
			map[string]string{"email": uniqueEmail(), "role": "client"}), http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Locations(), "body.role")
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM organization_invitations WHERE organization_id = ?", f.orgID))
	})

	t.Run("a_pending_contact_invitation_is_revoked_through_its_client", func(t *testing.T) {
		f := mustContactFixture(t, db)
		addr := uniqueEmail()
		inv, token := f.mustInviteContact(t, f.acme, addr)
		staff, _ := mustInvite(t, f.owner, f.orgID, uniqueEmail(), "member")
		revoke := func(clientID, id string) *response {
			return f.owner.Do(http.MethodDelete, f.contacts(clientID)+"/invitations/"+id, nil)
		}
		MustProblem(t, revoke(f.globex, inv.ID), http.StatusNotFound, "not_found")
		MustProblem(t, revoke(f.acme, staff.ID), http.StatusNotFound, "not_found")
		MustStatus(t, revoke(f.acme, inv.ID), http.StatusNoContent)
		MustProblem(t, revoke(f.acme, inv.ID), http.StatusGone, "invitation_unusable")
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM organization_invitations WHERE organization_id = ? AND status = 'pending'", f.orgID),
			"only the staff invitation is still pending")
		MustProblem(t, accept(signUpAs(t, f.srv, "Late Contact", addr), token), http.StatusGone, "invitation_unusable")
	})

	t.Run("contacts_take_no_seat", func(t *testing.T) {
		f := mustContactFixture(t, db)
		mustExec(t, db, "UPDATE subscriptions SET plan_id = 'starter' WHERE organization_id = ?", f.orgID)
		for _, name := range []string{"Sam Staff", "Sue Staff"} {
			mustJoin(t, db, f.orgID, f.srv.MustSignUp(t, name), "member")
		}
		MustProblem(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/invitations",
			map[string]string{"email": uniqueEmail(), "role": "member"}), http.StatusPaymentRequired, "plan_limit_reached")
		f.mustContact(t, "Carla Contact", f.acme)
		f.mustInviteContact(t, f.globex, uniqueEmail())
		res := f.owner.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/billing", nil)
		MustStatus(t, res, http.StatusOK)
		var billing struct {
			Usage []struct {
				Metric string `json:"metric"`
				Usage  int64  `json:"usage"`
			} `json:"usage"`
		}
		res.MustJSON(t, &billing)
		seats := int64(-1)
		for _, u := range billing.Usage {
			if u.Metric == "members" {
				seats = u.Usage
			}
		}
		assert.Equal(t, int64(3), seats, "the contact is not counted among the seats")
	})

	t.Run("one_person_is_a_contact_in_several_organizations", func(t *testing.T) {
		f := mustContactFixture(t, db)
		g := mustContactFixture(t, db)
		addr := uniqueEmail()
		_, first := f.mustInviteContact(t, f.acme, addr)
		_, second := g.mustInviteContact(t, g.globex, addr)
		contact := signUpAs(t, f.srv, "Multi Contact", addr)
		MustStatus(t, accept(contact, first), http.StatusOK)
		MustStatus(t, accept(contact, second), http.StatusOK)
		assert.Equal(t, 2, mustCount(t, db, "SELECT count(*) FROM organization_memberships WHERE user_id = ? AND role = 'client'", contact.User.ID))
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM organization_memberships WHERE user_id = ? AND organization_id = ? AND client_id = ?",
			contact.User.ID, g.orgID, g.globex))
	})

	t.Run("removing_a_contact_ends_their_membership", func(t *testing.T) {
		f := mustContactFixture(t, db)
		contact := f.mustContact(t, "Carla Contact", f.acme)
		staff := f.srv.MustSignUp(t, "Sam Staff")
		mustJoin(t, db, f.orgID, staff, "member")
		MustStatus(t, contact.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/notifications", nil), http.StatusOK)

		// Only this client's contacts go through this route: another client's path and staff answer 404.
		MustProblem(t, f.owner.Do(http.MethodDelete, f.contacts(f.globex)+"/"+contact.User.ID, nil), http.StatusNotFound, "not_found")
		MustProblem(t, f.owner.Do(http.MethodDelete, f.contactsOfAcme+"/"+staff.User.ID, nil), http.StatusNotFound, "not_found")
		MustStatus(t, staff.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/projects", nil), http.StatusOK)

		MustStatus(t, f.owner.Do(http.MethodDelete, f.contactsOfAcme+"/"+contact.User.ID, nil), http.StatusNoContent)
		MustProblem(t, contact.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/notifications", nil), http.StatusNotFound, "not_found")
		assert.Equal(t, 0, f.mustClient(t, f.acme).ContactCount)
		assert.Equal(t, 1, mustCount(t, db, `SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'team.member_removed'
			AND entity_id = ?`, f.orgID, contact.User.ID), "the removal ends the contact's live streams")
		MustProblem(t, f.owner.Do(http.MethodDelete, f.contactsOfAcme+"/"+contact.User.ID, nil), http.StatusNotFound, "not_found")
	})

	t.Run("a_contact_stays_a_contact_until_removed", func(t *testing.T) {
		f := mustContactFixture(t, db)
		contact := f.mustContact(t, "Carla Contact", f.acme)
		staff := f.srv.MustSignUp(t, "Sam Staff")
		mustJoin(t, db, f.orgID, staff, "member")
		members := "/api/v1/orgs/" + f.orgID + "/members/"

		p := MustProblem(t, f.owner.Do(http.MethodPut, members+mustMemberOf(t, f.owner, f.orgID, contact).ID+"/role",
			map[string]string{"role": "member"}), http.StatusConflict, "conflict")
		assert.Contains(t, p.Detail, "re-invite")
		p = MustProblem(t, f.owner.Do(http.MethodPut, members+mustMemberOf(t, f.owner, f.orgID, staff).ID+"/role",
			map[string]string{"role": "client"}), http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Locations(), "body.role")
		assert.Equal(t, 1, mustCount(t, db, "SELECT count(*) FROM organization_memberships WHERE organization_id = ? AND role = 'client'", f.orgID))

		project := f.owner.MustCreateProject(f.orgID, map[string]any{"name": "Site", "client_id": f.acme})
		p = MustProblem(t, f.owner.Do(http.MethodPost, "/api/v1/orgs/"+f.orgID+"/projects/"+project.ID+"/members",
			map[string]any{"user_id": contact.User.ID}), http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Locations(), "body.user_id")
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM project_members WHERE organization_id = ? AND user_id = ?", f.orgID, contact.User.ID))
	})

	t.Run("deleting_the_client_removes_its_contacts", func(t *testing.T) {
		f := mustContactFixture(t, db)
		contact := f.mustContact(t, "Carla Contact", f.acme)
		MustStatus(t, f.owner.Do(http.MethodDelete, "/api/v1/orgs/"+f.orgID+"/clients/"+f.acme, nil), http.StatusNoContent)
		MustProblem(t, contact.Do(http.MethodGet, "/api/v1/orgs/"+f.orgID+"/notifications", nil), http.StatusNotFound, "not_found")
		assert.Equal(t, 1, mustCount(t, db, `SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'team.member_removed'
			AND entity_id = ?`, f.orgID, contact.User.ID))
	})

	t.Run("switching_the_portal_on_records_one_event_per_enabling", func(t *testing.T) {
		f := mustContactFixture(t, db)
		assert.False(t, f.mustClient(t, f.acme).PortalEnabled, "the portal is off until staff enable it")
		patch := func(on bool) portalClientJSON {
			res := f.owner.Do(http.MethodPatch, "/api/v1/orgs/"+f.orgID+"/clients/"+f.acme, map[string]any{"portal_enabled": on})
			MustStatus(t, res, http.StatusOK)
			var c portalClientJSON
			res.MustJSON(t, &c)
			return c
		}
		enabled := func() int {
			return mustCount(t, db, `SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'client.portal_enabled'
				AND entity_id = ? AND payload->>'client_id' = ? AND payload->>'client_name' = 'Acme'`, f.orgID, f.acme, f.acme)
		}
		c := patch(true)
		assert.True(t, c.PortalEnabled)
		require.NotNil(t, c.PortalEnabledAt)
		assert.WithinDuration(t, time.Now(), *c.PortalEnabledAt, time.Minute)
		assert.Equal(t, 1, enabled())
		assert.Equal(t, *c.PortalEnabledAt, *patch(true).PortalEnabledAt, "enabling again changes nothing")
		assert.Equal(t, 1, enabled())

		c = patch(false)
		assert.False(t, c.PortalEnabled)
		assert.Nil(t, c.PortalEnabledAt)
		assert.Equal(t, 1, enabled())
		patch(true)
		assert.Equal(t, 2, enabled(), "each enabling is one event")
		assert.Equal(t, 0, mustCount(t, db, "SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'client.portal_enabled' AND entity_id = ?",
			f.orgID, f.globex))
	})

	t.Run("without_the_client_portal_feature_contacts_and_enabling_answer_402", func(t *testing.T) {
		db := storetest.MustOpen(t)
		f := mustContactFixture(t, db)
		MustStatus(t, f.owner.Do(http.MethodPatch, "/api/v1/orgs/"+f.orgID+"/clients/"+f.globex, map[string]any{"portal_enabled": true}), http.StatusOK)
		withoutClientPortal(t, db, f.orgID)
		for _, res := range []*response{
			f.owner.Do(http.MethodGet, f.contactsOfAcme, nil),
			f.owner.Do(http.MethodPost, f.contactsOfAcme, map[string]string{"email": uniqueEmail()}),
			f.owner.Do(http.MethodDelete, f.contactsOfAcme+"/"+uuid.NewString(), nil),
			f.owner.Do(http.MethodPatch, "/api/v1/orgs/"+f.orgID+"/clients/"+f.acme, map[string]any{"portal_enabled": true}),
		} {
			MustProblem(t, res, http.StatusPaymentRequired, "plan_feature_unavailable")
			assert.Contains(t, string(res.Body), `"feature":"client_portal"`)
		}
		assert.False(t, f.mustClient(t, f.acme).PortalEnabled)
		// A downgrade keeps the data and lets staff switch the portal off; other client edits still work.
		MustStatus(t, f.owner.Do(http.MethodPatch, "/api/v1/orgs/"+f.orgID+"/clients/"+f.globex, map[string]any{"portal_enabled": false}), http.StatusOK)
		MustStatus(t, f.owner.Do(http.MethodPatch, "/api/v1/orgs/"+f.orgID+"/clients/"+f.acme, map[string]any{"notes": "still here"}), http.StatusOK)
	})
}

// memberWithClientJSON is a member with the client a contact belongs to.
type memberWithClientJSON struct {
	UserID   string  `json:"user_id"`
	ClientID *string `json:"client_id"`
}

func mustMembersWithClient(t *testing.T, b *browser, orgID string) []memberWithClientJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/members", nil)
	MustStatus(t, res, http.StatusOK)
	var list struct{ Data []memberWithClientJSON }
	res.MustJSON(t, &list)
	return list.Data
}

// TestPortalFlagsOnStaffRoutes covers what staff set for the portal on their own routes: project sharing,
// files shared with the client, internal comments, and the requester of a task.
func TestPortalFlagsOnStaffRoutes(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)

	t.Run("projects_are_shared_with_comments_by_default_and_switch", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		type flags struct {
			PortalShared   bool `json:"portal_shared"`
			PortalComments bool `json:"portal_comments"`
		}
		read := func(res *response, want int) flags {
			MustStatus(t, res, want)
			var p flags
			res.MustJSON(t, &p)
			return p
		}
		assert.Equal(t, flags{true, true}, read(f.owner.Do(http.MethodGet, f.path(""), nil), http.StatusOK))
		base := "/api/v1/orgs/" + f.orgID + "/projects"
		assert.Equal(t, flags{false, true}, read(f.owner.Do(http.MethodPost, base, map[string]any{"name": "Internal", "portal_shared": false}), http.StatusCreated))
		assert.Equal(t, flags{true, false}, read(f.owner.Do(http.MethodPost, base, map[string]any{"name": "Quiet", "portal_comments": false}), http.StatusCreated))

		assert.Equal(t, flags{false, true}, read(f.owner.Do(http.MethodPatch, f.path(""), map[string]any{"portal_shared": false}), http.StatusOK))
		assert.Equal(t, flags{false, false}, read(f.owner.Do(http.MethodPatch, f.path(""), map[string]any{"portal_comments": false}), http.StatusOK))
		assert.Equal(t, flags{false, false}, read(f.owner.Do(http.MethodPatch, f.path(""), map[string]any{"name": "Renamed"}), http.StatusOK),
			"a PATCH without the switches leaves them")
		assert.Equal(t, flags{false, false}, read(f.owner.Do(http.MethodGet, f.path(""), nil), http.StatusOK))
		assert.Equal(t, 1, mustCount(t, db, `SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'project.updated'
			AND payload->'changed' ? 'portal_shared'`, f.orgID))
		MustProblem(t, f.owner.Do(http.MethodPatch, f.path(""), map[string]any{"portal_shared": "yes"}), http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("files_are_shared_with_the_client_on_upload_or_later", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		member := srv.MustSignUp(t, "Mia Member")
		mustJoin(t, db, f.orgID, member, "member")
		mustAddToProject(t, db, f.orgID, f.project, member)
		type sharedJSON struct {
			ID               string `json:"id"`
			SharedWithClient bool   `json:"shared_with_client"`
		}
		up := func(b *browser, shared string) *response {
			return uploadWithFields(b, f.path("/files"), "brief.png", pngBytes, map[string]string{"shared_with_client": shared})
		}
		sharedEvents := func(fileID string) int {
			return mustCount(t, db, `SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'file.shared'
				AND entity_id = ? AND project_id = ? AND payload->>'file_id' = ? AND payload->>'project_id' = ? AND payload->>'name' = 'brief.png'`,
				f.orgID, fileID, f.project, fileID, f.project)
		}

		res := up(f.owner, "true")
		MustStatus(t, res, http.StatusCreated)
		var shared sharedJSON
		res.MustJSON(t, &shared)
		assert.True(t, shared.SharedWithClient)
		assert.Equal(t, 1, sharedEvents(shared.ID))

		res = up(member, "")
		MustStatus(t, res, http.StatusCreated)
		var own sharedJSON
		res.MustJSON(t, &own)
		assert.False(t, own.SharedWithClient)
		assert.Equal(t, 0, sharedEvents(own.ID))
		p := MustProblem(t, up(f.owner, "yes"), http.StatusUnprocessableEntity, "validation_failed")
		assert.Contains(t, p.Locations(), "body.shared_with_client")

		patch := func(b *browser, id string, on bool) *response {
			return b.Do(http.MethodPatch, f.path("/files/"+id), map[string]any{"shared_with_client": on})
		}
		res = patch(member, own.ID, true)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &own)
		assert.True(t, own.SharedWithClient)
		assert.Equal(t, 1, sharedEvents(own.ID))
		MustStatus(t, patch(member, own.ID, true), http.StatusOK)
		assert.Equal(t, 1, sharedEvents(own.ID), "sharing a shared file again tells nobody")

		// A member changes only their own files; files.delete holders (the owner) change any.
		MustProblem(t, patch(member, shared.ID, false), http.StatusForbidden, "forbidden")
		res = patch(f.owner, own.ID, false)
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &own)
		assert.False(t, own.SharedWithClient)
		res = f.owner.Do(http.MethodGet, f.path("/files"), nil)
		MustStatus(t, res, http.StatusOK)
		var list struct{ Data []sharedJSON }
		res.MustJSON(t, &list)
		got := map[string]bool{}
		for _, x := range list.Data {
			got[x.ID] = x.SharedWithClient
		}
		assert.Equal(t, map[string]bool{shared.ID: true, own.ID: false}, got)
		MustProblem(t, patch(f.owner, uuid.NewString(), true), http.StatusNotFound, "not_found")
	})

	t.Run("internal_comments_round_trip", func(t *testing.T) {
		f := newCommentFixture(t, db)
		body := commentBody("Budget is tight", "<p>Budget is tight</p>")
		body["internal"] = true
		type internalJSON struct {
			ID       string `json:"id"`
			Internal bool   `json:"internal"`
		}
		res := f.member.Do(http.MethodPost, f.comments(), body)
		MustStatus(t, res, http.StatusCreated)
		var internal internalJSON
		res.MustJSON(t, &internal)
		assert.True(t, internal.Internal)
		res = f.member.Do(http.MethodPost, f.comments(), commentBody("Hello", "<p>Hello</p>"))
		MustStatus(t, res, http.StatusCreated)
		var public internalJSON
		res.MustJSON(t, &public)
		assert.False(t, public.Internal)

		res = f.owner.Do(http.MethodGet, f.comments(), nil)
		MustStatus(t, res, http.StatusOK)
		var list struct{ Data []internalJSON }
		res.MustJSON(t, &list)
		assert.Equal(t, []internalJSON{internal, public}, list.Data)
		assert.Equal(t, 1, mustCount(t, db, `SELECT count(*) FROM domain_events WHERE organization_id = ? AND type = 'comment.created'
			AND entity_id = ? AND (payload->>'internal')::boolean`, f.orgID, internal.ID), "the fan-out can tell an internal comment")
		// Editing keeps the flag.
		res = f.member.Do(http.MethodPatch, f.comments()+"/"+internal.ID, commentBody("Budget is fine", "<p>Budget is fine</p>"))
		MustStatus(t, res, http.StatusOK)
		res.MustJSON(t, &internal)
		assert.True(t, internal.Internal)
	})

	t.Run("a_requested_task_names_its_requester", func(t *testing.T) {
		srv := MustStart(t, db)
		f := mustWorkFixture(t, srv)
		client := f.owner.MustCreateClient(f.orgID, map[string]any{"name": "Acme"})
		contact := srv.MustSignUp(t, "Rita Requester")
		mustJoinContact(t, db, f.orgID, contact, client.ID)
		requested := f.mustCreateTask(t, map[string]any{"title": "New landing page"})
		staffTask := f.mustCreateTask(t, map[string]any{"title": "Internal"})
		mustExec(t, db, "UPDATE tasks SET requester_id = ? WHERE organization_id = ? AND id = ?", contact.User.ID, f.orgID, requested.ID)

		type requesterJSON struct {
			Requester *struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"requester"`
		}
		read := func(id string) requesterJSON {
			res := f.owner.Do(http.MethodGet, f.path("/tasks/"+id), nil)
			MustStatus(t, res, http.StatusOK)
			var r requesterJSON
			res.MustJSON(t, &r)
			return r
		}
		got := read(requested.ID)
		require.NotNil(t, got.Requester)
		assert.Equal(t, contact.User.ID, got.Requester.ID)
		assert.Equal(t, "Rita Requester", got.Requester.Name)
		assert.Nil(t, read(staffTask.ID).Requester)

		res := f.owner.Do(http.MethodGet, f.path("/board"), nil)
		MustStatus(t, res, http.StatusOK)
		var board struct {
			Columns []struct {
				Tasks []struct {
					ID string `json:"id"`
					requesterJSON
				} `json:"tasks"`
			} `json:"columns"`
		}
		res.MustJSON(t, &board)
		cards := map[string]string{}
		for _, col := range board.Columns {
			for _, c := range col.Tasks {
				cards[c.ID] = ""
				if c.Requester != nil {
					cards[c.ID] = c.Requester.ID + " " + c.Requester.Name
				}
			}
		}
		assert.Equal(t, map[string]string{requested.ID: contact.User.ID + " Rita Requester", staffTask.ID: ""}, cards,
			"the board's cards name the requester too")
	})
}

// uploadWithFields posts content as a multipart file named name after the given form fields.
func uploadWithFields(b *browser, path, name string, content []byte, fields map[string]string) *response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		require.NoError(b.t, w.WriteField(k, v))
	}
	part, err := w.CreateFormFile("file", name)
	require.NoError(b.t, err)
	_, err = part.Write(content)
	require.NoError(b.t, err)
	require.NoError(b.t, w.Close())
	return b.Do(http.MethodPost, path, body.Bytes(), header{"Content-Type", w.FormDataContentType()})
}
