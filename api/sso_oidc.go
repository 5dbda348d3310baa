package api

import (
	"context"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// (placeholder until the OIDC flow lands in this file)
func (s *Server) registerOIDCRoutes() {}

func (s *Server) oidcAuthURL(ctx context.Context, sec *store.SSOSecrets, state string, st *store.LoginState) (string, error) {
	return "", domain.Errorf(domain.EINVALID, "OIDC sign-in is not available yet.")
}

func (s *Server) registerGoogleRoutes() {}

func (s *Server) googleConfigured() bool { return false }
