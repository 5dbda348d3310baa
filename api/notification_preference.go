package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// NotificationPreference is one cell of the caller's preferences matrix: a type on a channel.
type NotificationPreference struct {
	Type    string `json:"type"`
	Label   string `json:"label" doc:"What the type means, for the preferences page."`
	Group   string `json:"group" enum:"tasks,comments,team,billing,security,client_portal"`
	Channel string `json:"channel" enum:"in_app,email,push"`
	Enabled bool   `json:"enabled"`
	Default bool   `json:"default" doc:"Whether the channel is on for this type until the member chooses."`
	Locked  bool   `json:"locked" doc:"The member cannot switch this channel off (security notices by email)."`
}

// NotificationPreferences is the whole matrix, types in display order, channels in_app, email, push.
type NotificationPreferences struct {
	Data []NotificationPreference `json:"data"`
}

// NotificationPreferenceChange is one choice of a bulk update.
type NotificationPreferenceChange struct {
	Type    string `json:"type" maxLength:"60" doc:"A notification type, e.g. task_assigned."`
	Channel string `json:"channel" enum:"in_app,email,push"`
	Enabled bool   `json:"enabled"`
}

// NotificationPreferencesUpdate records several choices at once: all of them, or none when one is invalid.
type NotificationPreferencesUpdate struct {
	Preferences []NotificationPreferenceChange `json:"preferences" maxItems:"100"`
}

func (s *Server) registerNotificationPreferences() {
	tags := []string{"Notifications"}
	path := "/api/v1/orgs/{org_id}/notification-preferences"
	errs := []int{http.StatusUnauthorized, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "get-notification-preferences", Method: http.MethodGet, Path: path, Tags: tags, Security: security,
		Extensions: ownAccount(), Summary: "Your notification preferences: every type on every channel",
		Errors: errs,
	}, s.getNotificationPreferences)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-notification-preferences", Method: http.MethodPut, Path: path, Tags: tags, Security: security,
		Extensions: ownAccount(), Summary: "Change several notification preferences at once",
		Description: "Types and channels left out keep their current choice. An unknown type or channel, the same " +
			"pair twice, or switching off a locked channel answers 422 naming the entry, and nothing changes. " +
			"Answers the whole matrix.",
		Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.updateNotificationPreferences)
}

func (s *Server) getNotificationPreferences(ctx context.Context, in *OrgPath) (*struct{ Body NotificationPreferences }, error) {
	return s.notificationPreferences(ctx, in.OrgID)
}

func (s *Server) updateNotificationPreferences(ctx context.Context, in *struct {
	OrgPath
	Body NotificationPreferencesUpdate
}) (*struct{ Body NotificationPreferences }, error) {
	prefs := make([]domain.NotificationPreference, len(in.Body.Preferences))
	for i, p := range in.Body.Preferences {
		prefs[i] = domain.NotificationPreference{Type: p.Type, Channel: p.Channel, Enabled: p.Enabled}
	}
	if err := s.db.SetPreferences(ctx, in.OrgID, principalFrom(ctx).User.ID, prefs); err != nil {
		return nil, problem(ctx, err)
	}
	return s.notificationPreferences(ctx, in.OrgID)
}

// notificationPreferences answers the caller's matrix with each type's catalogue entry: the types a client
// contact can receive for a contact (the portal's and their account's security notices), the staff types
// for everyone else.
func (s *Server) notificationPreferences(ctx context.Context, orgID string) (*struct{ Body NotificationPreferences }, error) {
	p := principalFrom(ctx)
	prefs, err := s.db.Preferences(ctx, orgID, p.User.ID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	contact := p.Role == domain.RoleClient
	out := NotificationPreferences{Data: make([]NotificationPreference, 0, len(prefs))}
	for _, pref := range prefs {
		t, _ := domain.LookupNotificationType(pref.Type)
		if t.Contact != contact && t.Group != "security" {
			continue
		}
		out.Data = append(out.Data, NotificationPreference{Type: pref.Type, Label: t.Label, Group: t.Group, Channel: pref.Channel,
			Enabled: pref.Enabled, Default: domain.NotificationDefault(t, pref.Channel), Locked: domain.NotificationLocked(t, pref.Channel)})
	}
	return &struct{ Body NotificationPreferences }{Body: out}, nil
}
