package store

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

// Response is a stored API response for an idempotent create.
type Response struct {
	Status int
	Body   json.RawMessage
	// Replayed is true when the response comes from an earlier request with the same key.
	Replayed bool
}

// Idempotent runs create at most once per (orgID, key). The key row and everything create writes share one
// transaction: a failed create leaves no key behind, and a concurrent duplicate waits for the first to
// commit, then gets the stored response. Reusing a key for a different request is ECONFLICT.
func (db *DB) Idempotent(ctx context.Context, orgID, userID, key, operation string, requestHash []byte,
	create func(ctx context.Context) (status int, body any, err error)) (*Response, error) {
	var out *Response
	err := db.inTenant(ctx, orgID, userID, func(ctx context.Context, tx bun.Tx) error {
		var uid *string
		if userID != "" {
			uid = &userID
		}
		res, err := tx.NewRaw(`INSERT INTO api_idempotency_keys
			(organization_id, key, user_id, operation, request_hash, status_code, response_body)
			VALUES (?, ?, ?, ?, ?, 0, '{}') ON CONFLICT DO NOTHING`, orgID, key, uid, operation, requestHash).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			out, err = storedResponse(ctx, tx, orgID, key, operation, requestHash)
			return err
		}
		status, body, err := create(ctx)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		_, err = tx.NewRaw(`UPDATE api_idempotency_keys SET status_code = ?, response_body = ?
			WHERE organization_id = ? AND key = ?`, status, string(raw), orgID, key).Exec(ctx)
		out = &Response{Status: status, Body: raw}
		return err
	})
	return out, err
}

func storedResponse(ctx context.Context, tx bun.Tx, orgID, key, operation string, requestHash []byte) (*Response, error) {
	var row struct {
		Operation    string `bun:"operation"`
		RequestHash  []byte `bun:"request_hash"`
		StatusCode   int    `bun:"status_code"`
		ResponseBody string `bun:"response_body"`
	}
	err := tx.NewRaw(`SELECT operation, request_hash, status_code, response_body::text AS response_body
		FROM api_idempotency_keys WHERE organization_id = ? AND key = ?`, orgID, key).Scan(ctx, &row)
	if err != nil {
		return nil, err
	}
	if row.Operation != operation || !bytes.Equal(row.RequestHash, requestHash) {
		return nil, domain.Errorf(domain.ECONFLICT, "This Idempotency-Key was already used for a different request.")
	}
	return &Response{Status: row.StatusCode, Body: json.RawMessage(row.ResponseBody), Replayed: true}, nil
}
