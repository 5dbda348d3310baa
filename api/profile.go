package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// UpdateProfileRequest changes what is given and keeps the rest.
type UpdateProfileRequest struct {
	Name      *string `json:"name,omitempty" minLength:"1" maxLength:"100"`
	Timezone  *string `json:"timezone,omitempty" maxLength:"64" doc:"IANA time zone, e.g. Europe/Paris."`
	AvatarURL *string `json:"avatar_url,omitempty" maxLength:"2048" doc:"An https URL; empty removes the avatar."`
}

func (s *Server) registerProfile() {
	huma.Register(s.api, huma.Operation{
		OperationID: "update-profile", Method: http.MethodPatch, Path: "/api/v1/me", Tags: []string{"Account"},
		Summary: "Update the signed-in user's profile", Security: security,
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, s.updateProfile)
}

func (s *Server) updateProfile(ctx context.Context, in *struct{ Body UpdateProfileRequest }) (*struct{ Body User }, error) {
	u := principalFrom(ctx).User
	name, tz, avatar := u.Name, u.Timezone, u.AvatarURL
	if in.Body.Name != nil {
		name = strings.TrimSpace(*in.Body.Name)
		if err := domain.ValidateName("body.name", name, 100); err != nil {
			return nil, problem(ctx, err)
		}
	}
	if in.Body.Timezone != nil {
		tz = *in.Body.Timezone
		if err := domain.ValidateTimezone("body.timezone", tz); err != nil {
			return nil, problem(ctx, err)
		}
	}
	if in.Body.AvatarURL != nil {
		avatar = strings.TrimSpace(*in.Body.AvatarURL)
		if err := domain.ValidateAvatarURL("body.avatar_url", avatar); err != nil {
			return nil, problem(ctx, err)
		}
	}
	updated, err := s.db.UpdateProfile(ctx, u.ID, name, tz, avatar)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body User }{Body: userFrom(updated)}, nil
}
