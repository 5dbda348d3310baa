package api_test

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/api"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// notificationJSON and notificationListJSON are the inbox as a client decodes it.
type notificationJSON struct {
	ID        string     `json:"id"`
	Type      string     `json:"type"`
	Title     string     `json:"title"`
	ActorName string     `json:"actor_name"`
	ReadAt    *time.Time `json:"read_at"`
}

type notificationListJSON struct {
	Data        []notificationJSON `json:"data"`
	NextCursor  *string            `json:"next_cursor"`
	UnreadCount int                `json:"unread_count"`
}

type unreadJSON struct {
	UnreadCount int `json:"unread_count"`
}

// mustInsertNotification writes a notification for recipient as the schema owner (the fan-out's insert is
// tested with the fan-out) and returns its id; ids are UUIDv7, so later inserts sort newer.
func mustInsertNotification(t *testing.T, db *storetest.DB, orgID, recipientID, actorID, typ, title string) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	mustExec(t, db, `INSERT INTO notifications (organization_id, id, recipient_id, type, title, actor_id, source_key)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, id, recipientID, typ, title, actorID, "test/"+id)
	return id
}

func mustNotifications(t *testing.T, b *browser, orgID string, q url.Values) notificationListJSON {
	t.Helper()
	res := b.Do(http.MethodGet, "/api/v1/orgs/"+orgID+"/notifications?"+q.Encode(), nil)
	MustStatus(t, res, http.StatusOK)
	var l notificationListJSON
	res.MustJSON(t, &l)
	return l
}

func mustUnread(t *testing.T, r *response) int {
	t.Helper()
	MustStatus(t, r, http.StatusOK)
	var u unreadJSON
	r.MustJSON(t, &u)
	return u.UnreadCount
}

func TestNotifications(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	base := "/api/v1/orgs/" + f.org.ID + "/notifications"
	bob := f.srv.MustSignUp(t, "Bob of B")
	orgB := bob.MustCreateOrg(uniqueName("Org B"))
	// The member's inbox, oldest first: three assignments and two mentions, all by the owner.
	var mine []string
	for i, typ := range []string{"task_assigned", "mentioned", "task_assigned", "mentioned", "task_assigned"} {
		mine = append(mine, mustInsertNotification(t, db, f.org.ID, f.member.User.ID, f.owner.User.ID, typ, "Note "+string(rune('A'+i))))
	}
	ownersID := mustInsertNotification(t, db, f.org.ID, f.owner.User.ID, f.member.User.ID, "comment_added", "For the owner")
	bobsID := mustInsertNotification(t, db, orgB.ID, bob.User.ID, bob.User.ID, "task_assigned", "Victim note")

	t.Run("pages_newest_first_with_the_actor_and_the_unread_count", func(t *testing.T) {
		var seen []string
		q := url.Values{"limit": {"2"}}
		for range 3 {
			l := mustNotifications(t, f.member, f.org.ID, q)
			assert.Equal(t, 5, l.UnreadCount)
			for _, n := range l.Data {
				seen = append(seen, n.ID)
				assert.Equal(t, "Olga Owner", n.ActorName)
				assert.Nil(t, n.ReadAt)
			}
			if l.NextCursor == nil {
				break
			}
			q.Set("cursor", *l.NextCursor)
		}
		assert.Equal(t, []string{mine[4], mine[3], mine[2], mine[1], mine[0]}, seen)
	})

	t.Run("filters_by_type", func(t *testing.T) {
		l := mustNotifications(t, f.member, f.org.ID, url.Values{"type": {"mentioned"}})
		require.Len(t, l.Data, 2)
		assert.Equal(t, []string{mine[3], mine[1]}, []string{l.Data[0].ID, l.Data[1].ID})
		assert.Equal(t, 5, l.UnreadCount, "the count covers every unread notification, whatever the filter")
	})

	t.Run("bad_filters_are_422", func(t *testing.T) {
		p := MustProblem(t, f.member.Do(http.MethodGet, base+"?type=no_such_type", nil), http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"query.type"}, p.Locations())
		p = MustProblem(t, f.member.Do(http.MethodGet, base+"?cursor=garbage", nil), http.StatusUnprocessableEntity, "validation_failed")
		assert.Equal(t, []string{"query.cursor"}, p.Locations())
	})

	t.Run("mark_one_read_keeps_the_first_time", func(t *testing.T) {
		assert.Equal(t, 4, mustUnread(t, f.member.Do(http.MethodPost, base+"/"+mine[1]+"/read", nil)))
		first := mustNotifications(t, f.member, f.org.ID, url.Values{"type": {"mentioned"}}).Data[1]
		require.NotNil(t, first.ReadAt)
		assert.Equal(t, 4, mustUnread(t, f.member.Do(http.MethodPost, base+"/"+mine[1]+"/read", nil)))
		again := mustNotifications(t, f.member, f.org.ID, url.Values{"type": {"mentioned"}}).Data[1]
		assert.Equal(t, first.ReadAt, again.ReadAt)
		unread := mustNotifications(t, f.member, f.org.ID, url.Values{"unread": {"true"}})
		assert.Len(t, unread.Data, 4)
		assert.NotContains(t, []string{unread.Data[0].ID, unread.Data[1].ID, unread.Data[2].ID, unread.Data[3].ID}, mine[1])
		assert.Equal(t, 4, mustUnread(t, f.member.Do(http.MethodGet, base+"/unread-count", nil)))
	})

	t.Run("another_members_or_organizations_notification_is_not_found", func(t *testing.T) {
		missing := MustProblem(t, f.member.Do(http.MethodPost, base+"/"+uuid.NewString()+"/read", nil), http.StatusNotFound, "not_found")
		for name, path := range map[string]string{
			"the owner's, same organization": base + "/" + ownersID + "/read",
			"Bob's, through my organization": base + "/" + bobsID + "/read",
		} {
			p := MustProblem(t, f.member.Do(http.MethodPost, path, nil), http.StatusNotFound, "not_found")
			assert.Equal(t, missing.Detail, p.Detail, "%s must look like a missing one", name)
		}
		MustProblem(t, f.member.Do(http.MethodPost, "/api/v1/orgs/"+orgB.ID+"/notifications/"+bobsID+"/read", nil),
			http.StatusNotFound, "not_found")
		assert.Equal(t, 1, mustUnread(t, f.owner.Do(http.MethodGet, base+"/unread-count", nil)), "the owner's stays unread")
		assert.Equal(t, 1, mustUnread(t, bob.Do(http.MethodGet, "/api/v1/orgs/"+orgB.ID+"/notifications/unread-count", nil)))
		l := mustNotifications(t, f.owner, f.org.ID, nil)
		require.Len(t, l.Data, 1, "the owner sees only their own notification")
		assert.Equal(t, ownersID, l.Data[0].ID)
	})

	t.Run("mark_all_read", func(t *testing.T) {
		assert.Equal(t, 0, mustUnread(t, f.member.Do(http.MethodPost, base+"/read-all", nil)))
		assert.Empty(t, mustNotifications(t, f.member, f.org.ID, url.Values{"unread": {"true"}}).Data)
		assert.Len(t, mustNotifications(t, f.member, f.org.ID, nil).Data, 5)
		assert.Equal(t, 1, mustUnread(t, f.owner.Do(http.MethodGet, base+"/unread-count", nil)), "only the caller's are marked")
	})

	t.Run("a_client_contact_member_has_an_inbox_too", func(t *testing.T) {
		contact := f.srv.MustSignUp(t, "Clara Client")
		mustJoin(t, db, f.org.ID, contact, domain.RoleClient)
		mustInsertNotification(t, db, f.org.ID, contact.User.ID, f.owner.User.ID, "comment_added", "For the contact")
		assert.Equal(t, 1, mustUnread(t, contact.Do(http.MethodGet, base+"/unread-count", nil)))
		assert.Equal(t, 0, mustUnread(t, contact.Do(http.MethodPost, base+"/read-all", nil)))
	})

	t.Run("a_suspended_member_has_no_inbox", func(t *testing.T) {
		mustExec(t, db, "UPDATE organization_memberships SET status = 'suspended' WHERE organization_id = ? AND user_id = ?",
			f.org.ID, f.admin.User.ID)
		MustProblem(t, f.admin.Do(http.MethodGet, base, nil), http.StatusNotFound, "not_found")
	})
}

// preferenceJSON is one cell of the preferences matrix.
type preferenceJSON struct {
	Type    string `json:"type"`
	Label   string `json:"label"`
	Group   string `json:"group"`
	Channel string `json:"channel"`
	Enabled bool   `json:"enabled"`
	Default bool   `json:"default"`
	Locked  bool   `json:"locked"`
}

// mustPreferences reads b's matrix, keyed "type/channel".
func mustPreferences(t *testing.T, r *response) map[string]preferenceJSON {
	t.Helper()
	MustStatus(t, r, http.StatusOK)
	var body struct{ Data []preferenceJSON }
	r.MustJSON(t, &body)
	out := map[string]preferenceJSON{}
	for _, p := range body.Data {
		out[p.Type+"/"+p.Channel] = p
	}
	require.Len(t, out, len(body.Data), "each type and channel once")
	return out
}

func TestNotificationPreferences(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	path := "/api/v1/orgs/" + f.org.ID + "/notification-preferences"

	t.Run("the_matrix_starts_at_the_catalogue_defaults", func(t *testing.T) {
		m := mustPreferences(t, f.member.Do(http.MethodGet, path, nil))
		staffTypes := 0
		for _, nt := range domain.NotificationTypes {
			if !nt.Contact {
				staffTypes++
			}
		}
		assert.Len(t, m, staffTypes*len(domain.NotificationChannels), "every staff type, no client-contact type")
		assert.NotContains(t, m, "shared_file/email")
		assert.Equal(t, "client_portal", m["portal_request/email"].Group)
		assert.True(t, m["task_assigned/email"].Enabled)
		assert.False(t, m["task_status_changed/email"].Enabled, "noisy by email: off until chosen")
		assert.False(t, m["task_status_changed/email"].Default)
		assert.Equal(t, "tasks", m["task_assigned/in_app"].Group)
		assert.NotEmpty(t, m["task_assigned/in_app"].Label)
		assert.True(t, m["session_activity/email"].Locked)
		assert.True(t, m["session_activity/email"].Enabled)
		assert.False(t, m["session_activity/push"].Locked)
	})

	t.Run("a_client_contact_sees_the_portal_types_and_security_notices_only", func(t *testing.T) {
		contact := f.srv.MustSignUp(t, "Cora Contact")
		mustJoin(t, db, f.org.ID, contact, "client")
		m := mustPreferences(t, contact.Do(http.MethodGet, path, nil))
		want := 0
		for _, nt := range domain.NotificationTypes {
			if nt.Contact || nt.Group == "security" {
				want++
				assert.Contains(t, m, nt.Type+"/email")
			} else {
				assert.NotContains(t, m, nt.Type+"/email", "a staff type")
			}
		}
		assert.Len(t, m, want*len(domain.NotificationChannels))
		assert.True(t, m["shared_file/email"].Enabled)
		assert.Equal(t, "client_portal", m["request_updated/in_app"].Group)
	})

	t.Run("a_bulk_update_round_trips_and_is_the_callers_own", func(t *testing.T) {
		res := f.member.Do(http.MethodPut, path, map[string]any{"preferences": []map[string]any{
			{"type": "comment_added", "channel": "email", "enabled": false},
			{"type": "task_status_changed", "channel": "email", "enabled": true},
			{"type": "session_activity", "channel": "email", "enabled": true},
			{"type": "member_joined", "channel": "push", "enabled": true},
		}})
		m := mustPreferences(t, res)
		assert.False(t, m["comment_added/email"].Enabled)
		assert.True(t, m["comment_added/email"].Default)
		assert.True(t, m["task_status_changed/email"].Enabled)
		assert.True(t, m["member_joined/push"].Enabled)
		assert.True(t, m["comment_added/in_app"].Enabled, "cells left out keep their value")
		assert.Equal(t, m, mustPreferences(t, f.member.Do(http.MethodGet, path, nil)))
		theirs := mustPreferences(t, f.owner.Do(http.MethodGet, path, nil))
		assert.True(t, theirs["comment_added/email"].Enabled, "another member's choices are their own")

		m = mustPreferences(t, f.member.Do(http.MethodPut, path, map[string]any{"preferences": []map[string]any{
			{"type": "comment_added", "channel": "email", "enabled": true}}}))
		assert.True(t, m["comment_added/email"].Enabled, "a choice can be changed back")
	})

	t.Run("bad_bulk_updates_are_422_naming_the_entry_and_change_nothing", func(t *testing.T) {
		before := mustPreferences(t, f.member.Do(http.MethodGet, path, nil))
		ok := map[string]any{"type": "task_assigned", "channel": "push", "enabled": false}
		for _, tc := range []struct {
			name  string
			entry map[string]any
			want  string
		}{
			{"unknown_type", map[string]any{"type": "world_ended", "channel": "email", "enabled": false}, "body.preferences[2].type"},
			{"unknown_channel", map[string]any{"type": "task_assigned", "channel": "pigeon", "enabled": false}, "body.preferences[2].channel"},
			{"locked_channel_off", map[string]any{"type": "forced_logout", "channel": "email", "enabled": false}, "body.preferences[2].enabled"},
			{"same_cell_twice", ok, "body.preferences[2].channel"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := f.member.Do(http.MethodPut, path, map[string]any{"preferences": []map[string]any{
					{"type": "mentioned", "channel": "email", "enabled": false}, ok, tc.entry}})
				p := MustProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
				assert.Equal(t, []string{tc.want}, p.Locations())
				assert.Equal(t, before, mustPreferences(t, f.member.Do(http.MethodGet, path, nil)))
			})
		}
	})
}

// pushKeys returns a browser-like subscription key pair: a P-256 public key and a 16-byte secret, base64url.
func pushKeys(t *testing.T) map[string]any {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)
	return map[string]any{"p256dh": base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes()),
		"auth": base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef"))}
}

type pushSubscriptionJSON struct {
	ID        string `json:"id"`
	Endpoint  string `json:"endpoint"`
	UserAgent string `json:"user_agent"`
}

func TestPushSubscriptions(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	f := newTeam(t, db)
	base := "/api/v1/orgs/" + f.org.ID + "/push-subscriptions"
	endpoint := "https://updates.push.example.com/wpush/v2/abc"

	subscribe := func(b *browser, endpoint string, keys map[string]any) pushSubscriptionJSON {
		t.Helper()
		res := b.Do(http.MethodPost, base, map[string]any{"endpoint": endpoint, "keys": keys}, header{"User-Agent", "Firefox/140"})
		MustStatus(t, res, http.StatusCreated)
		var s pushSubscriptionJSON
		res.MustJSON(t, &s)
		return s
	}
	list := func(b *browser) []pushSubscriptionJSON {
		t.Helper()
		res := b.Do(http.MethodGet, base, nil)
		MustStatus(t, res, http.StatusOK)
		var body struct{ Data []pushSubscriptionJSON }
		res.MustJSON(t, &body)
		return body.Data
	}

	t.Run("subscribing_again_refreshes_the_same_subscription", func(t *testing.T) {
		first := subscribe(f.member, endpoint, pushKeys(t))
		assert.Equal(t, "Firefox/140", first.UserAgent)
		renewed := pushKeys(t)
		again := subscribe(f.member, endpoint, renewed)
		assert.Equal(t, first.ID, again.ID)
		assert.Equal(t, []pushSubscriptionJSON{first}, list(f.member))
		var p256dh string
		require.NoError(t, db.Owner.Bun().NewRaw("SELECT p256dh FROM push_subscriptions WHERE id = ?", first.ID).Scan(t.Context(), &p256dh))
		assert.Equal(t, renewed["p256dh"], p256dh, "the browser's new keys replace the old")
		assert.Empty(t, list(f.owner), "another member's subscriptions are not listed")
	})

	t.Run("another_member_subscribing_the_browser_takes_it_over", func(t *testing.T) {
		shared := endpoint + "/shared-browser"
		members := subscribe(f.member, shared, pushKeys(t))
		owners := subscribe(f.owner, shared, pushKeys(t))
		assert.NotEqual(t, members.ID, owners.ID)
		for _, s := range list(f.member) {
			assert.NotEqual(t, shared, s.Endpoint, "the member's subscription of the browser is gone")
		}
		assert.Equal(t, []pushSubscriptionJSON{owners}, list(f.owner))
		MustStatus(t, f.owner.Do(http.MethodDelete, base+"/"+owners.ID, nil), http.StatusNoContent)
	})

	t.Run("only_the_subscriber_can_delete_it", func(t *testing.T) {
		s := subscribe(f.member, endpoint+"/delete-me", pushKeys(t))
		missing := MustProblem(t, f.owner.Do(http.MethodDelete, base+"/"+uuid.NewString(), nil), http.StatusNotFound, "not_found")
		p := MustProblem(t, f.owner.Do(http.MethodDelete, base+"/"+s.ID, nil), http.StatusNotFound, "not_found")
		assert.Equal(t, missing.Detail, p.Detail)
		MustStatus(t, f.member.Do(http.MethodDelete, base+"/"+s.ID, nil), http.StatusNoContent)
		MustProblem(t, f.member.Do(http.MethodDelete, base+"/"+s.ID, nil), http.StatusNotFound, "not_found")
	})

	t.Run("malformed_subscriptions_are_422_naming_the_field", func(t *testing.T) {
		good := pushKeys(t)
		offCurve := append([]byte{4}, make([]byte, 64)...)
		offCurve[1] = 1
		for _, tc := range []struct {
			name     string
			endpoint string
			keys     map[string]any
			want     string
		}{
			{"http_endpoint", "http://push.example.com/x", good, "body.endpoint"},
			{"not_a_url", "push service", good, "body.endpoint"},
			{"endpoint_too_long", "https://push.example.com/" + strings.Repeat("a", 1000), good, "body.endpoint"},
			{"loopback_endpoint", "https://127.0.0.1/push", good, "body.endpoint"},
			{"localhost_endpoint", "https://localhost:8443/push", good, "body.endpoint"},
			{"p256dh_not_base64", endpoint, map[string]any{"p256dh": "not base64!", "auth": good["auth"]}, "body.keys.p256dh"},
			{"p256dh_too_short", endpoint, map[string]any{"p256dh": base64.RawURLEncoding.EncodeToString(make([]byte, 33)), "auth": good["auth"]}, "body.keys.p256dh"},
			{"p256dh_off_the_curve", endpoint, map[string]any{"p256dh": base64.RawURLEncoding.EncodeToString(offCurve), "auth": good["auth"]}, "body.keys.p256dh"},
			{"auth_of_15_bytes", endpoint, map[string]any{"p256dh": good["p256dh"], "auth": base64.RawURLEncoding.EncodeToString(make([]byte, 15))}, "body.keys.auth"},
			// A missing member is named on its object, as for every required field.
			{"auth_missing", endpoint, map[string]any{"p256dh": good["p256dh"]}, "body.keys"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := MustProblem(t, f.member.Do(http.MethodPost, base, map[string]any{"endpoint": tc.endpoint, "keys": tc.keys}),
					http.StatusUnprocessableEntity, "validation_failed")
				assert.Equal(t, []string{tc.want}, p.Locations())
			})
		}
	})
}

func TestPublicConfigNamesTheVAPIDKey(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	var cfg struct {
		VAPIDPublicKey *string `json:"vapid_public_key"`
	}
	MustStart(t, db).NewBrowser(t).Do(http.MethodGet, "/api/v1/config", nil).MustJSON(t, &cfg)
	require.NotNil(t, cfg.VAPIDPublicKey)
	assert.Empty(t, *cfg.VAPIDPublicKey, "empty when web push is not configured")

	key := "BLAsnPt6yAhPV68vRYx9tA6IauLotd-Rf54X1Lvkve25YwUrdMdO6QO0zFo_03-UmTMwFPa7OmfY_hmnhZoWcD8"
	srv := MustStart(t, db, func(d *api.Deps) { d.Config.VAPIDPublicKey = key })
	srv.NewBrowser(t).Do(http.MethodGet, "/api/v1/config", nil).MustJSON(t, &cfg)
	assert.Equal(t, key, *cfg.VAPIDPublicKey)
}

// A browser's push subscription lives as long as its session: signing out ends it (another browser of the
// same user keeps its own), and a password change moves it to the session that replaces the old one.
func TestPushSubscriptionFollowsTheSession(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db)
	laptop := srv.MustSignUp(t, "Ada")
	org := laptop.MustCreateOrg(uniqueName("Push"))
	phone := srv.NewBrowser(t)
	MustStatus(t, phone.signIn(laptop.User.Email, testPassword), http.StatusOK)
	base := "/api/v1/orgs/" + org.ID + "/push-subscriptions"
	subscribe := func(b *browser, endpoint string) {
		t.Helper()
		MustStatus(t, b.Do(http.MethodPost, base, map[string]any{"endpoint": endpoint, "keys": pushKeys(t)}), http.StatusCreated)
	}
	endpoints := func() []string {
		t.Helper()
		res := laptop.Do(http.MethodGet, base, nil)
		MustStatus(t, res, http.StatusOK)
		var body struct{ Data []pushSubscriptionJSON }
		res.MustJSON(t, &body)
		var out []string
		for _, s := range body.Data {
			out = append(out, s.Endpoint)
		}
		return out
	}
	subscribe(laptop, "https://push.example.com/laptop")
	subscribe(phone, "https://push.example.com/phone")

	MustStatus(t, laptop.Do(http.MethodPost, "/api/v1/me/password",
		map[string]string{"current_password": testPassword, "new_password": "a brand new passphrase"}), http.StatusNoContent)
	assert.ElementsMatch(t, []string{"https://push.example.com/laptop", "https://push.example.com/phone"}, endpoints(),
		"the laptop's subscription moved to its new session")

	MustStatus(t, phone.Do(http.MethodPost, "/api/v1/auth/sign-out", nil), http.StatusNoContent)
	assert.Equal(t, []string{"https://push.example.com/laptop"}, endpoints(), "the signed-out phone gets no more pushes")
}
