package store

import (
	"context"

	"github.com/clientflow/clientflow/domain"
)

// SetLoginSAMLRequest records the ID of the AuthnRequest sent for the unexpired sign-in in flight with this
// state hash: the IdP's response must answer that request (InResponseTo). The state is stored before the
// request is made (beginLogin), hence a separate write. Errors: ENOTFOUND.
func (db *DB) SetLoginSAMLRequest(ctx context.Context, stateHash []byte, requestID string) error {
	res, err := db.bun.NewRaw(`UPDATE sso_login_states SET saml_request_id = ? WHERE state_hash = ? AND expires_at > now()`,
		requestID, stateHash).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "This sign-in has expired. Start again.")
	}
	return nil
}
