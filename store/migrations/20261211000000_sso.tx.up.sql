-- Enterprise sign-in (issue 14): Google accounts, per-organization SSO over OIDC or SAML 2.0 with claimed email
-- domains and enforcement, and a per-organization IP allowlist.

-- How a session was opened, and through which organization's IdP. Enforcement ("require SSO") admits a
-- session into an organization only when sso_organization_id is that organization (owners excepted: their
-- password is the audited break-glass).
ALTER TABLE sessions
  ADD COLUMN auth_method text NOT NULL DEFAULT 'password' CHECK (auth_method IN ('password', 'google', 'sso')),
  ADD COLUMN sso_organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL;

ALTER TABLE organization_settings ADD COLUMN sso_required boolean NOT NULL DEFAULT false;

-- An account's Google identity (the ID token's sub, stable per Google account). Account-level like sessions:
-- it belongs to a person, not to an organization.
CREATE TABLE user_google_identities (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  subject    text NOT NULL CHECK (subject <> '' AND length(subject) <= 255),
  email      text NOT NULL CHECK (length(email) <= 254),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject),
  UNIQUE (user_id)
);

-- One SSO connection per organization. The OIDC client secret and the SAML service provider's private key
-- are sealed (AES-GCM under a key derived from SESSION_SECRET). last_success_at is the last sign-in (or
-- "test connection") that completed through it: enforcement cannot be switched on before one.
CREATE TABLE sso_connections (
  organization_id       uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  protocol              text NOT NULL CHECK (protocol IN ('oidc', 'saml')),
  preset                text NOT NULL DEFAULT 'custom'
                        CHECK (preset IN ('custom', 'google_workspace', 'entra_id', 'okta')),
  oidc_issuer           text NOT NULL DEFAULT '' CHECK (length(oidc_issuer) <= 2048),
  oidc_client_id        text NOT NULL DEFAULT '' CHECK (length(oidc_client_id) <= 512),
  oidc_client_secret    bytea,
  saml_metadata_url     text NOT NULL DEFAULT '' CHECK (length(saml_metadata_url) <= 2048),
  saml_metadata_xml     text NOT NULL DEFAULT '' CHECK (length(saml_metadata_xml) <= 200000),
  saml_sp_key           bytea,
  saml_sp_cert          text NOT NULL DEFAULT '',
  default_role          text NOT NULL DEFAULT 'member' CHECK (default_role IN ('admin', 'manager', 'member')),
  last_success_at       timestamptz,
  created_by            uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- An organization's user at its IdP: (organization, subject) names one account. Subjects are the IdP's,
-- so the same subject in two organizations is two unrelated identities.
CREATE TABLE sso_identities (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  subject         text NOT NULL CHECK (subject <> '' AND length(subject) <= 512),
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email           text NOT NULL CHECK (length(email) <= 254),
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, subject)
);
CREATE INDEX sso_identities_user_idx ON sso_identities (organization_id, user_id);

-- Email domains an organization claims. A claim counts once verified by its DNS TXT record (control of the
-- domain: an owner's own address there would prove one mailbox only); a domain is verified for at most one
-- organization.
CREATE TABLE sso_domains (
  organization_id    uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  domain             text NOT NULL CHECK (domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'
                                          AND length(domain) <= 253),
  verification_token text NOT NULL,
  verified_at        timestamptz,
  verified_method    text CHECK (verified_method IN ('dns_txt')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, domain)
);
CREATE UNIQUE INDEX sso_domains_verified_idx ON sso_domains (domain) WHERE verified_at IS NOT NULL;

-- SAML assertion IDs already accepted, until their NotOnOrAfter: a replayed assertion is refused.
CREATE TABLE sso_used_assertions (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  assertion_id    text NOT NULL CHECK (length(assertion_id) <= 512),
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (organization_id, assertion_id)
);

-- Networks an organization's routes may be used from (sessions and API keys). No rows: no restriction.
CREATE TABLE ip_allowlist_entries (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id              uuid NOT NULL,
  cidr            cidr NOT NULL,
  label           text NOT NULL DEFAULT '' CHECK (length(label) <= 100),
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, cidr)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sso_connections', 'sso_identities', 'sso_domains', 'sso_used_assertions', 'ip_allowlist_entries'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO clientflow_app', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON user_google_identities TO clientflow_app;

-- A sign-in in flight at an external provider: the state the callback must bring back (and the browser's
-- cookie must match), the nonce the ID token must carry, the PKCE verifier. Single use: the callback deletes
-- it. Pre-tenant (nobody is signed in yet), so it names the organization without being scoped by it.
CREATE TABLE sso_login_states (
  state_hash     bytea PRIMARY KEY,
  provider       text NOT NULL CHECK (provider IN ('google', 'oidc', 'saml')),
  purpose        text NOT NULL CHECK (purpose IN ('sign_in', 'link', 'test')),
  sso_org_id     uuid REFERENCES organizations (id) ON DELETE CASCADE,
  user_id        uuid REFERENCES users (id) ON DELETE CASCADE,
  nonce          text NOT NULL DEFAULT '',
  code_verifier  text NOT NULL DEFAULT '',
  saml_request_id text NOT NULL DEFAULT '',
  return_to      text NOT NULL DEFAULT '' CHECK (length(return_to) <= 2048),
  expires_at     timestamptz NOT NULL
);
CREATE INDEX sso_login_states_expires_idx ON sso_login_states (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_login_states TO clientflow_app;

-- The sign-in page routes an email to its organization's IdP: which organization, if any, has verified the
-- domain? Answered across tenants by this definer function (the domain is all the caller learns about).
CREATE FUNCTION sso_domain_organization(d text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT organization_id FROM sso_domains WHERE domain = lower(d) AND verified_at IS NOT NULL
$$;
REVOKE ALL ON FUNCTION sso_domain_organization(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sso_domain_organization(text) TO clientflow_app;

-- member_access also answers the organization's security settings, so the auth middleware's one query can
-- enforce "require SSO" and the IP allowlist with no extra round trip.
DROP FUNCTION member_access(uuid, uuid, jsonb);
CREATE FUNCTION member_access(org uuid, usr uuid, defaults jsonb,
  OUT out_role text, OUT out_permissions text[], OUT out_timeout integer,
  OUT out_client_id uuid, OUT out_features text[], OUT out_sso_required boolean, OUT out_allowlist text[])
  LANGUAGE plpgsql AS $$
DECLARE
  prev_org  text := current_setting('app.org_id', true);
  prev_user text := current_setting('app.user_id', true);
  mem_id    uuid;
  role_set  text[];
  member    boolean;
BEGIN
  IF org IS NULL OR usr IS NULL THEN
    RETURN;
  END IF;
  PERFORM set_config('app.user_id', usr::text, true), set_config('app.org_id', org::text, true);
  SELECT m.id, m.role, s.session_timeout_minutes, m.client_id, s.sso_required
    INTO mem_id, out_role, out_timeout, out_client_id, out_sso_required
    FROM organization_memberships m
    JOIN organizations o ON o.id = m.organization_id AND o.status = 'active'
    JOIN organization_settings s ON s.organization_id = m.organization_id
    WHERE m.organization_id = org AND m.user_id = usr AND m.status = 'active';
  member := FOUND;
  IF member THEN
    out_features := COALESCE((SELECT p.features FROM subscriptions sub JOIN plans p ON p.id = sub.plan_id
                              WHERE sub.organization_id = org), '{}');
    out_allowlist := ARRAY(SELECT a.cidr::text FROM ip_allowlist_entries a WHERE a.organization_id = org);
  END IF;
  IF member AND out_role = 'owner' THEN
    out_permissions := ARRAY(SELECT jsonb_array_elements_text(defaults -> 'owner'));
  ELSIF member THEN
    role_set := COALESCE((SELECT r.permissions FROM role_permission_sets r WHERE r.organization_id = org AND r.role = out_role),
                         ARRAY(SELECT jsonb_array_elements_text(defaults -> out_role)));
    out_permissions := ARRAY(
      SELECT p FROM unnest(role_set) AS p
        WHERE NOT EXISTS (SELECT 1 FROM member_permission_overrides o
                          WHERE o.organization_id = org AND o.membership_id = mem_id AND o.permission = p AND NOT o.granted)
      UNION
      SELECT o.permission FROM member_permission_overrides o
        WHERE o.organization_id = org AND o.membership_id = mem_id AND o.granted);
  END IF;
  PERFORM set_config('app.user_id', COALESCE(prev_user, ''), true), set_config('app.org_id', COALESCE(prev_org, ''), true);
END $$;
GRANT EXECUTE ON FUNCTION member_access(uuid, uuid, jsonb) TO clientflow_app;

-- The account page lists the organizations whose IdP the user signs in through; sso_identities is scoped per
-- organization, so this definer function answers one user's rows (their own, by the session's user ID).
CREATE FUNCTION user_sso_identities(usr uuid)
  RETURNS TABLE (organization_id uuid, organization_name text, email text, last_seen_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT i.organization_id, o.name, i.email, i.last_seen_at
    FROM sso_identities i JOIN organizations o ON o.id = i.organization_id
    WHERE i.user_id = usr ORDER BY o.name
$$;
REVOKE ALL ON FUNCTION user_sso_identities(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION user_sso_identities(uuid) TO clientflow_app;
