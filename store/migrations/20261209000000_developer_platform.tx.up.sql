-- Developer platform (issue 12): organization API keys and outbound webhooks with their delivery log.

-- An API key acts for the member who created it, within its organization only. Only the SHA-256 of the whole
-- key is stored; prefix and last_four are what the settings page shows afterwards. scopes NULL means every
-- permission the creator holds (the effective set is always the creator's current permissions ∩ scopes).
CREATE TABLE api_keys (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id              uuid NOT NULL,
  name            text NOT NULL CHECK (name <> '' AND length(name) <= 100),
  prefix          text NOT NULL CHECK (length(prefix) <= 40),
  last_four       text NOT NULL CHECK (length(last_four) = 4),
  key_hash        bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
  scopes          text[],
  created_by      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz,
  revoked_at      timestamptz,
  revoked_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  last_used_at    timestamptz,
  last_used_ip    text CHECK (length(last_used_ip) <= 64),
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX api_keys_org_created_idx ON api_keys (organization_id, created_at DESC, id DESC);

-- The auth middleware meets a bearer key before it knows whether the key belongs to the organization in the
-- URL. This function, owned by the migrating role, answers the one key whose full hash the caller holds (the
-- hash is as secret as the key), so the middleware can tell a key of another organization (404) from an
-- unknown one (401) without the app role reading api_keys across tenants.
CREATE FUNCTION api_key_by_hash(hash bytea,
  OUT out_id uuid, OUT out_organization_id uuid, OUT out_created_by uuid, OUT out_scopes text[],
  OUT out_expires_at timestamptz, OUT out_revoked_at timestamptz, OUT out_last_used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, organization_id, created_by, scopes, expires_at, revoked_at, last_used_at
    FROM api_keys WHERE key_hash = hash
$$;
REVOKE ALL ON FUNCTION api_key_by_hash(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_key_by_hash(bytea) TO clientflow_app;

-- An outbound webhook endpoint. secret is sealed (AES-GCM under a key derived from SESSION_SECRET); after a
-- rotation previous_secret also signs until previous_secret_expires_at. failing_since is the start of the
-- current run of failed deliveries (NULL after a success); 24 hours of it disables the endpoint.
CREATE TABLE webhook_endpoints (
  organization_id            uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id                         uuid NOT NULL,
  url                        text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  description                text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  events                     text[] NOT NULL CHECK (cardinality(events) > 0),
  enabled                    boolean NOT NULL DEFAULT true,
  disabled_reason            text CHECK (disabled_reason IN ('manual', 'gone', 'failing')),
  secret                     bytea NOT NULL,
  previous_secret            bytea,
  previous_secret_expires_at timestamptz,
  failing_since              timestamptz,
  created_by                 uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX webhook_endpoints_org_created_idx ON webhook_endpoints (organization_id, created_at, id);
-- The fan-out looks up the enabled endpoints subscribed to an event type.
CREATE INDEX webhook_endpoints_events_idx ON webhook_endpoints USING gin (events) WHERE enabled;

-- One delivery of one event to one endpoint. body is the JSON envelope exactly as sent ({id, type, created_at,
-- organization_id, data}); a replay is a new delivery (replay_of set) with the same event id and body, so a
-- receiver can de-duplicate on the event id. The first delivery of an event to an endpoint is unique, which
-- makes the fan-out's insert idempotent.
CREATE TABLE webhook_deliveries (
  organization_id  uuid NOT NULL,
  id               uuid NOT NULL,
  endpoint_id      uuid NOT NULL,
  event_id         uuid NOT NULL,
  event_type       text NOT NULL CHECK (event_type ~ '^[a-z_]+\.[a-z_]+$' OR event_type = 'ping'),
  body             jsonb NOT NULL,
  replay_of        uuid,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error       text CHECK (length(last_error) <= 1000),
  response_excerpt text CHECK (length(response_excerpt) <= 2000),
  duration_ms      integer,
  next_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, endpoint_id) REFERENCES webhook_endpoints (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX webhook_deliveries_first_idx ON webhook_deliveries (organization_id, endpoint_id, event_id)
  WHERE replay_of IS NULL;
-- The delivery log, newest first (ids are UUIDv7), and its status filter.
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (organization_id, endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (organization_id, endpoint_id, status, id DESC);

-- Every try of a delivery: its HTTP status (NULL when no answer), error, duration and the start of the answer.
-- (delivery, attempt) is unique, so an activity retried after a lost worker records its try once.
CREATE TABLE webhook_delivery_attempts (
  organization_id  uuid NOT NULL,
  delivery_id      uuid NOT NULL,
  attempt          integer NOT NULL CHECK (attempt > 0),
  status_code      integer,
  error            text CHECK (length(error) <= 1000),
  response_excerpt text CHECK (length(response_excerpt) <= 2000),
  duration_ms      integer NOT NULL DEFAULT 0,
  started_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, delivery_id, attempt),
  FOREIGN KEY (organization_id, delivery_id) REFERENCES webhook_deliveries (organization_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['api_keys', 'webhook_endpoints', 'webhook_deliveries', 'webhook_delivery_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO clientflow_app', t);
  END LOOP;
END $$;
