-- Foundation: accounts, sessions, organizations, memberships, clients, email outbox, idempotency keys.
-- Tenant tables carry organization_id, UNIQUE (organization_id, id), composite foreign keys, and forced RLS.

-- The role is cluster-wide while advisory locks are per database, so migrators of other databases on the same
-- server (parallel test packages, several deployments) run this block at the same moment. Each check can pass
-- in two sessions before either commits; the loser's CREATE or GRANT then fails on the catalog's unique index
-- (or reports the role as existing), which only means the other session did the work. The whole set-up is this
-- one DO block, which store/migrations/role_test.go runs concurrently under a throwaway role name.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clientflow_app') THEN
    BEGIN
      -- The role the API and worker run as: not owner, not superuser, no BYPASSRLS.
      CREATE ROLE clientflow_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  -- The login that runs migrations (and the app) must be able to SET ROLE clientflow_app.
  IF NOT EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
                 WHERE r.rolname = 'clientflow_app' AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)) THEN
    BEGIN
      GRANT clientflow_app TO CURRENT_USER;
    EXCEPTION WHEN unique_violation THEN
      NULL;
    END;
  END IF;
END $$;

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- app_org_id / app_user_id read the per-transaction tenant settings; NULL when unset, so policies match nothing.
CREATE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

CREATE TABLE users (
  id                uuid PRIMARY KEY,
  name              text NOT NULL,
  email             text NOT NULL UNIQUE CHECK (email = lower(email)),
  email_verified_at timestamptz,
  password_hash     text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id           uuid PRIMARY KEY,
  token_hash   bytea NOT NULL UNIQUE,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ip           text NOT NULL DEFAULT '',
  user_agent   text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE organizations (
  id         uuid PRIMARY KEY,
  name       text NOT NULL,
  slug       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organization_settings (
  organization_id         uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  timezone                text NOT NULL DEFAULT 'UTC',
  currency                text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  brand_color             text NOT NULL DEFAULT '#4f46e5',
  logo_url                text NOT NULL DEFAULT '',
  session_timeout_minutes integer NOT NULL DEFAULT 0 CHECK (session_timeout_minutes >= 0),
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organization_memberships (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role            text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'member', 'client')),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, user_id)
);
CREATE INDEX organization_memberships_user_id_idx ON organization_memberships (user_id);

CREATE TABLE clients (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name            text NOT NULL CHECK (name <> ''),
  email           text NOT NULL DEFAULT '',
  phone           text NOT NULL DEFAULT '',
  company         text NOT NULL DEFAULT '',
  website         text NOT NULL DEFAULT '',
  notes           text NOT NULL DEFAULT '',
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  -- Lists page newest-first by id (UUIDv7 is time-ordered), so this unique index doubles as the list index.
  UNIQUE (organization_id, id)
);
CREATE INDEX clients_org_status_id_idx ON clients (organization_id, status, id);
CREATE INDEX clients_org_created_idx ON clients (organization_id, created_at);
-- Substring search on name, email and company.
CREATE INDEX clients_search_trgm_idx ON clients USING gin ((name || ' ' || email || ' ' || company) gin_trgm_ops);

CREATE TABLE api_idempotency_keys (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
  operation       text NOT NULL,
  request_hash    bytea NOT NULL,
  status_code     integer NOT NULL,
  response_body   jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, key)
);
CREATE INDEX api_idempotency_keys_org_created_idx ON api_idempotency_keys (organization_id, created_at);

-- Every email, keyed by a business idempotency key so a retried activity never sends twice.
-- Rows with provider 'mailbox' are the local dev mailbox.
CREATE TABLE email_outbox (
  id                  uuid PRIMARY KEY,
  idempotency_key     text NOT NULL UNIQUE,
  to_address          text NOT NULL,
  subject             text NOT NULL,
  html                text NOT NULL,
  text_body           text NOT NULL,
  tag                 text NOT NULL DEFAULT '',
  provider            text NOT NULL,
  provider_message_id text NOT NULL DEFAULT '',
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz
);
CREATE INDEX email_outbox_created_idx ON email_outbox (created_at DESC);

-- Row-level security: enabled and forced, so even the table owner obeys it.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
-- A user sees the organization in scope and the ones they belong to (for the switcher).
CREATE POLICY tenant_isolation ON organizations USING (
  id = app_org_id()
  OR EXISTS (SELECT 1 FROM organization_memberships m WHERE m.organization_id = organizations.id AND m.user_id = app_user_id())
) WITH CHECK (id = app_org_id());

ALTER TABLE organization_memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organization_memberships
  USING (organization_id = app_org_id() OR user_id = app_user_id())
  WITH CHECK (organization_id = app_org_id());

ALTER TABLE organization_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organization_settings USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());

ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE clients FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON clients USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());

ALTER TABLE api_idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_idempotency_keys USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());

GRANT USAGE ON SCHEMA public TO clientflow_app;
-- Explicit grants (not ALL TABLES) so the migration bookkeeping tables stay out of the app's reach.
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, organizations, organization_settings,
  organization_memberships, clients, api_idempotency_keys, email_outbox TO clientflow_app;
GRANT EXECUTE ON FUNCTION app_org_id(), app_user_id() TO clientflow_app;

-- member_role answers "what role does this user hold here?" in one round trip for the auth middleware.
-- It scopes itself to the user first (plpgsql runs statements in order), so it stays under RLS like any query.
CREATE FUNCTION member_role(org uuid, usr uuid) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.user_id', usr::text, true);
  RETURN (SELECT role FROM organization_memberships
          WHERE organization_id = org AND user_id = usr AND status = 'active');
END $$;
GRANT EXECUTE ON FUNCTION member_role(uuid, uuid) TO clientflow_app;

