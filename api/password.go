package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// resetTokenLifetime bounds how long a reset link in a mailbox stays dangerous.
const resetTokenLifetime = time.Hour

// ForgotPasswordRequest asks for a password reset link.
type ForgotPasswordRequest struct {
	Email string `json:"email" maxLength:"254"`
}

// ResetPasswordRequest sets a new password with the token from a reset link.
type ResetPasswordRequest struct {
	Token    string `json:"token" minLength:"1" maxLength:"200"`
	Password string `json:"password" minLength:"8" maxLength:"128"`
}

// ChangePasswordRequest changes the signed-in user's password.
type ChangePasswordRequest struct {
	CurrentPassword string `json:"current_password" maxLength:"128"`
	NewPassword     string `json:"new_password" minLength:"8" maxLength:"128"`
}

func (s *Server) registerPassword() {
	huma.Register(s.api, huma.Operation{
		OperationID: "forgot-password", Method: http.MethodPost, Path: "/api/v1/auth/forgot-password", Tags: []string{"Auth"},
		Summary:       "Email a password reset link",
		Description:   "Always answers 202, whether or not an account has this email, so it reveals none.",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusTooManyRequests},
	}, s.forgotPassword)
	huma.Register(s.api, huma.Operation{
		OperationID: "reset-password", Method: http.MethodPost, Path: "/api/v1/auth/reset-password", Tags: []string{"Auth"},
		Summary:       "Choose a new password with a reset token",
		Description:   "The token works once, for an hour. Every session of the user is revoked: sign in afresh.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.resetPassword)
	huma.Register(s.api, huma.Operation{
		OperationID: "change-password", Method: http.MethodPost, Path: "/api/v1/me/password", Tags: []string{"Account"},
		Summary: "Change the password",
		Description: "Rotates the calling session (a new cookie; the old token is revoked). " +
			"The user's other sessions are kept; revoke them from the sessions list.",
		Security: security, DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, s.changePassword)
}

func (s *Server) forgotPassword(ctx context.Context, in *struct{ Body ForgotPasswordRequest }) (*struct{}, error) {
	u, err := s.db.UserByEmail(ctx, domain.NormalizeEmail(in.Body.Email))
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return &struct{}{}, nil
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	token, err := randomToken()
	if err != nil {
		return nil, problem(ctx, err)
	}
	// The email's start commits with the token (the workflow outbox): a Temporal outage delays the email,
	// never loses it. Answering an error would tell a caller the account exists, so nothing after the
	// commit can fail the request.
	var mail []queuedEmail
	err = s.db.Atomically(ctx, "", "", func(ctx context.Context) error {
		id, err := s.db.CreatePasswordResetToken(ctx, u.ID, s.tokenHash(token), time.Now().Add(resetTokenLifetime))
		if err != nil {
			return err
		}
		mail, err = s.queueEmails(ctx, domain.EmailRequest{
			Key: "password-reset/" + id, To: u.Email, Template: domain.EmailPasswordReset,
			Data: map[string]string{"Name": u.Name, "ResetURL": s.cfg.AppURL + "/reset-password?token=" + url.QueryEscape(token)},
		})
		return err
	})
	if err != nil {
		return nil, problem(ctx, err)
	}
	s.sendQueued(ctx, mail)
	return &struct{}{}, nil
}

func (s *Server) resetPassword(ctx context.Context, in *struct{ Body ResetPasswordRequest }) (*struct{}, error) {
	if err := domain.ValidatePassword("body.password", in.Body.Password); err != nil {
		return nil, problem(ctx, err)
	}
	hash, err := HashPassword(in.Body.Password)
	if err != nil {
		return nil, problem(ctx, err)
	}
	err = s.db.ResetPassword(ctx, s.tokenHash(in.Body.Token), hash)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, problem(ctx, domain.Invalid("body.token", "is invalid or expired"))
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{}{}, nil
}

func (s *Server) changePassword(ctx context.Context, in *struct {
	Body      ChangePasswordRequest
	UserAgent string `header:"User-Agent" hidden:"true"`
}) (*struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}, error) {
	p := principalFrom(ctx)
	if ok, err := argon2id.ComparePasswordAndHash(in.Body.CurrentPassword, p.User.PasswordHash); err != nil || !ok {
		return nil, problem(ctx, domain.Invalid("body.current_password", "is incorrect"))
	}
	if err := domain.ValidatePassword("body.new_password", in.Body.NewPassword); err != nil {
		return nil, problem(ctx, err)
	}
	hash, err := HashPassword(in.Body.NewPassword)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out, sessionID, err := s.openSession(ctx, p.User, in.UserAgent)
	if err != nil {
		return nil, err
	}
	if err := s.db.ChangePassword(ctx, p.User.ID, hash, p.SessionID, sessionID); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct {
		SetCookie http.Cookie `header:"Set-Cookie"`
	}{SetCookie: out.SetCookie}, nil
}
