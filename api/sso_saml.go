package api

import (
	"context"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
)

// (placeholder until the SAML flow lands in this file)
func (s *Server) registerSAMLRoutes() {}

func (s *Server) samlAuthURL(ctx context.Context, sec *store.SSOSecrets, state string, st *store.LoginState) (string, error) {
	return "", domain.Errorf(domain.EINVALID, "SAML sign-in is not available yet.")
}

func (s *Server) checkSAMLMetadata(ctx context.Context, metadataURL, xml string) error {
	if metadataURL == "" && xml == "" {
		return domain.Invalid("body.saml_metadata_xml", "Enter the IdP's metadata URL or paste its metadata XML.")
	}
	return nil
}
