package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/config"
	"github.com/clientflow/clientflow/domain"
)

// APIKey is an organization's API key as the settings page shows it: never the key itself.
type APIKey struct {
	ID       string `json:"id" format:"uuid"`
	Name     string `json:"name"`
	Prefix   string `json:"prefix" doc:"The key's first 12 characters, e.g. cf_live_1a2B."`
	LastFour string `json:"last_four" doc:"The key's last 4 characters."`
	// Scopes narrow what the key may do; null means every permission its creator holds.
	Scopes     []domain.Permission `json:"scopes" nullable:"true" doc:"The permissions the key is limited to; null means all of its creator's. Either way the key never does more than its creator currently may."`
	CreatedBy  APIKeyCreator       `json:"created_by"`
	CreatedAt  time.Time           `json:"created_at"`
	ExpiresAt  *time.Time          `json:"expires_at" nullable:"true" doc:"null: never expires."`
	RevokedAt  *time.Time          `json:"revoked_at" nullable:"true"`
	LastUsedAt *time.Time          `json:"last_used_at" nullable:"true" doc:"Updated at most once a minute."`
	LastUsedIP *string             `json:"last_used_ip" nullable:"true"`
	Status     string              `json:"status" enum:"active,expired,revoked"`
}

// APIKeyCreator is the member a key acts as.
type APIKeyCreator struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name"`
}

func apiKeyFrom(k *domain.APIKey, now time.Time) APIKey {
	return APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, LastFour: k.LastFour, Scopes: k.Scopes,
		CreatedBy: APIKeyCreator{ID: k.CreatedBy, Name: k.CreatedByName}, CreatedAt: k.CreatedAt,
		ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt, LastUsedIP: optional(k.LastUsedIP),
		Status: k.Status(now)}
}

// APIKeyList is one page of keys, newest first.
type APIKeyList struct {
	Data       []APIKey `json:"data"`
	NextCursor *string  `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page."`
}

// APIKeyCreate creates a key.
type APIKeyCreate struct {
	Name      string `json:"name" minLength:"1" maxLength:"100"`
	ExpiresIn string `json:"expires_in" enum:"30d,90d,365d,never" doc:"How long the key works."`
	// Scopes limits the key; omitted or null gives it every permission of its creator.
	Scopes []domain.Permission `json:"scopes,omitempty" nullable:"true" minItems:"1" maxItems:"100" doc:"A subset of your own permissions; omit (or null) for all of them."`
}

// APIKeyCreated is a new key with the key itself, shown this once.
type APIKeyCreated struct {
	APIKey APIKey `json:"api_key"`
	Key    string `json:"key" doc:"The full key. It is shown only in this response: store it now."`
}

// APIKeyPath addresses one key of an organization.
type APIKeyPath struct {
	OrgID string `path:"org_id" format:"uuid" doc:"Organization ID."`
	KeyID string `path:"key_id" format:"uuid" doc:"API key ID."`
}

func (s *Server) registerAPIKeys() {
	tags := []string{"API keys"}
	base := "/api/v1/orgs/{org_id}/api-keys"
	ext := withExtensions(requires(domain.PermAPIKeysManage), needsFeature(domain.FeatureAPIAccess))
	errs := []int{http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-api-keys", Method: http.MethodGet, Path: base, Tags: tags, Security: security,
		Extensions: ext, Summary: "List the organization's API keys, newest first",
		Description: "The keys themselves are never shown again after creation: only their prefix and last four.",
		Errors:      append(errs, http.StatusUnprocessableEntity),
	}, s.listAPIKeys)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-api-key", Method: http.MethodPost, Path: base, Tags: tags, Security: security,
		Extensions: ext, Summary: "Create an API key", DefaultStatus: http.StatusCreated,
		Description: "The key acts as you, within this organization only, with your current permissions " +
			"narrowed to `scopes`. The response carries the full key once; only its SHA-256 is stored. " +
			"Send it as `Authorization: Bearer <key>`.",
		Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.createAPIKey)
	huma.Register(s.api, huma.Operation{
		OperationID: "revoke-api-key", Method: http.MethodPost, Path: base + "/{key_id}/revoke", Tags: tags,
		Security: security, Extensions: ext, Summary: "Revoke an API key",
		Description: "From the next request on, the key answers 401 api_key_revoked. Using it again emails its " +
			"creator and the owners (once per day). Revoking twice keeps the first revocation.",
		Errors: errs,
	}, s.revokeAPIKey)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-api-key", Method: http.MethodDelete, Path: base + "/{key_id}", Tags: tags,
		Security: security, Extensions: ext, Summary: "Delete an API key", DefaultStatus: http.StatusNoContent,
		Description: "The key stops working at once and is forgotten: it then answers 401 api_key_invalid.",
		Errors:      errs,
	}, s.deleteAPIKey)
}

func (s *Server) listAPIKeys(ctx context.Context, in *struct {
	OrgPath
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor" maxLength:"200"`
}) (*struct{ Body APIKeyList }, error) {
	keys, next, err := s.db.APIKeys(ctx, in.OrgID, in.Limit, in.Cursor)
	if err != nil {
		return nil, problem(ctx, err)
	}
	now := time.Now()
	out := APIKeyList{Data: make([]APIKey, len(keys))}
	for i, k := range keys {
		out.Data[i] = apiKeyFrom(k, now)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return &struct{ Body APIKeyList }{Body: out}, nil
}

func (s *Server) createAPIKey(ctx context.Context, in *struct {
	OrgPath
	Body APIKeyCreate
}) (*secretOutput[APIKeyCreated], error) {
	p := principalFrom(ctx)
	name := strings.TrimSpace(in.Body.Name)
	if err := domain.ValidateName("body.name", name, 100); err != nil {
		return nil, problem(ctx, err)
	}
	if err := checkAPIKeyScopes(p.Permissions, in.Body.Scopes); err != nil {
		return nil, problem(ctx, err)
	}
	key, err := domain.NewAPIKey(s.cfg.Env == config.EnvProduction)
	if err != nil {
		return nil, problem(ctx, err)
	}
	k := &domain.APIKey{Name: name, Prefix: key[:domain.APIKeyShownPrefix], LastFour: key[len(key)-4:]}
	scopes := in.Body.Scopes
	if scopes == nil && p.APIKeyID != "" {
		// No scopes would mean all of the creator's permissions: a key creating a key passes on only what it
		// holds itself, so a narrowly scoped key cannot mint a wider one that outlives its revocation.
		scopes = p.Permissions
	}
	if scopes != nil {
		k.Scopes = domain.InCatalogueOrder(scopes)
	}
	if d := domain.APIKeyExpiries[in.Body.ExpiresIn]; d > 0 {
		at := time.Now().UTC().Add(d).Truncate(time.Microsecond)
		k.ExpiresAt = &at
	}
	if err := s.db.CreateAPIKey(ctx, in.OrgID, p.User.ID, k, domain.HashAPIKey(key)); err != nil {
		return nil, problem(ctx, err)
	}
	return &secretOutput[APIKeyCreated]{CacheControl: noStore, Body: APIKeyCreated{APIKey: apiKeyFrom(k, time.Now()), Key: key}}, nil
}

// secretOutput is a response carrying a credential shown once (a new API key, a webhook signing secret):
// no cache may keep it.
type secretOutput[T any] struct {
	CacheControl string `header:"Cache-Control"`
	Body         T
}

const noStore = "no-store"

// checkAPIKeyScopes refuses scopes outside the catalogue or beyond what the creator holds, naming them.
// Errors: EINVALID.
func checkAPIKeyScopes(creator, scopes []domain.Permission) error {
	var unknown []string
	for _, sc := range scopes {
		if !domain.ValidPermission(sc) {
			unknown = append(unknown, string(sc))
		}
	}
	if len(unknown) > 0 {
		return domain.Invalid("body.scopes", "Unknown permissions: "+strings.Join(unknown, ", ")+".")
	}
	if extra := domain.APIKeyScopesBeyond(creator, scopes); len(extra) > 0 {
		names := make([]string, len(extra))
		for i, e := range extra {
			names[i] = string(e)
		}
		return domain.Invalid("body.scopes", "A key cannot do more than you: you do not hold "+strings.Join(names, ", ")+".")
	}
	return nil
}

func (s *Server) revokeAPIKey(ctx context.Context, in *APIKeyPath) (*struct{ Body APIKey }, error) {
	k, err := s.db.RevokeAPIKey(ctx, in.OrgID, principalFrom(ctx).User.ID, in.KeyID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body APIKey }{Body: apiKeyFrom(k, time.Now())}, nil
}

func (s *Server) deleteAPIKey(ctx context.Context, in *APIKeyPath) (*struct{}, error) {
	if err := s.db.DeleteAPIKey(ctx, in.OrgID, in.KeyID); err != nil {
		return nil, problem(ctx, err)
	}
	return nil, nil
}

// exposureTimeout bounds the background work of one exposure notice (claim, queue, fast-path start).
const exposureTimeout = 10 * time.Second

// noteRevokedKeyUse emails the creator and the owners that a revoked key was used again, at most once per
// key per day. It returns at once: the refused request never waits. The claim and the queued emails commit
// in one transaction (the workflow outbox), so a claimed notice is sent even if Temporal is away; if the
// process dies before the claim, the next use claims it.
func (s *Server) noteRevokedKeyUse(ctx context.Context, orgID, keyID, ip string) {
	if _, busy := s.exposureInFlight.LoadOrStore(keyID, true); busy {
		return // a claim for this key is running: it decides for this use too
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exposureTimeout)
	go func() {
		defer cancel()
		defer s.exposureInFlight.Delete(keyID)
		day := time.Now().UTC().Format(time.DateOnly)
		var mail []queuedEmail
		err := s.db.Atomically(ctx, orgID, "", func(ctx context.Context) error {
			e, err := s.db.ClaimAPIKeyExposure(ctx, orgID, keyID)
			if err != nil || e == nil {
				return err
			}
			reqs := make([]domain.EmailRequest, len(e.Recipients))
			for i, u := range e.Recipients {
				reqs[i] = domain.EmailRequest{Key: "api-key-exposed/" + keyID + "/" + day + "/" + u.ID, To: u.Email,
					Template: domain.EmailAPIKeyExposed, Data: map[string]string{
						"Name": u.Name, "OrgName": e.OrgName, "KeyName": e.Key.Name,
						"KeyHint": e.Key.Prefix + "…" + e.Key.LastFour, "CreatorName": e.Key.CreatedByName,
						"IP": ip, "At": time.Now().UTC().Format("Mon 2 Jan 2006 15:04 UTC"),
						"KeysURL": s.cfg.AppURL + "/orgs/" + orgID + "/api-keys"}}
			}
			mail, err = s.queueEmails(ctx, reqs...)
			return err
		})
		if err != nil {
			s.logger.WarnContext(ctx, "api key exposure: queue notice", "org_id", orgID, "key_id", keyID, "err", err)
			return
		}
		s.sendQueued(ctx, mail)
	}()
}
