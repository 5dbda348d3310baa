-- Team: invitations, per-organization role permission sets and per-member permission overrides, and the
-- function the auth middleware uses to compute a member's effective permissions in its one query.

CREATE TABLE organization_invitations (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email           text NOT NULL CHECK (email = lower(email) AND email <> ''),
  role            text NOT NULL CHECK (role IN ('admin', 'manager', 'member', 'client')),
  invited_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
  -- Only a hash of the emailed token is stored; the token itself proves the invitee got the email.
  token_hash      bytea NOT NULL UNIQUE,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  accepted_at     timestamptz,
  UNIQUE (organization_id, id),
  CHECK ((status = 'accepted') = (accepted_at IS NOT NULL))
);
-- One pending invitation per address and organization; accepted, revoked and expired ones stay as history.
CREATE UNIQUE INDEX organization_invitations_pending_email_idx ON organization_invitations (organization_id, email)
  WHERE status = 'pending';
CREATE INDEX organization_invitations_org_created_idx ON organization_invitations (organization_id, created_at);

-- app_invitation_token reads the token hash (hex) an invitee presents; NULL when unset.
CREATE FUNCTION app_invitation_token() RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT decode(NULLIF(current_setting('app.invitation_token', true), ''), 'hex') $$;

ALTER TABLE organization_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_invitations FORCE ROW LEVEL SECURITY;
-- Besides its own tenant, whoever holds an invitation's token may read that one row: that is how the
-- public preview and the accept step find the organization before any tenant is in scope.
CREATE POLICY tenant_isolation ON organization_invitations
  USING (organization_id = app_org_id() OR token_hash = app_invitation_token())
  WITH CHECK (organization_id = app_org_id());

-- An organization's permission set for one role; no row means the product default (domain package).
-- The owner always holds every permission, so it has no row.
CREATE TABLE role_permission_sets (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  role            text NOT NULL CHECK (role IN ('admin', 'manager', 'member', 'client')),
  permissions     text[] NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, role)
);

ALTER TABLE role_permission_sets ENABLE ROW LEVEL SECURITY;
ALTER TABLE role_permission_sets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON role_permission_sets USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());

-- A single permission granted to or denied from one member on top of their role's set.
CREATE TABLE member_permission_overrides (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  membership_id   uuid NOT NULL,
  permission      text NOT NULL CHECK (permission <> ''),
  granted         boolean NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, membership_id, permission),
  FOREIGN KEY (organization_id, membership_id) REFERENCES organization_memberships (organization_id, id) ON DELETE CASCADE
);

ALTER TABLE member_permission_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_permission_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_permission_overrides USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());

GRANT SELECT, INSERT, UPDATE, DELETE ON organization_invitations, role_permission_sets, member_permission_overrides TO clientflow_app;
GRANT EXECUTE ON FUNCTION app_invitation_token() TO clientflow_app;

-- member_permissions answers "what may this user do here?" for the auth middleware's one query and for
-- /me: the role's set (the organization's row, else the default from defaults, a JSON object role → array
-- built by the domain package), plus granted and minus denied overrides; the owner always holds
-- defaults->'owner'. NULL when the user is no active member. Like member_role it scopes itself to the user
-- and organization first, so it reads under RLS; the settings stay local to the caller's transaction.
CREATE FUNCTION member_permissions(org uuid, usr uuid, defaults jsonb) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  mem_id   uuid;
  mem_role text;
  perms    text[];
BEGIN
  PERFORM set_config('app.user_id', usr::text, true), set_config('app.org_id', org::text, true);
  SELECT id, role INTO mem_id, mem_role FROM organization_memberships
    WHERE organization_id = org AND user_id = usr AND status = 'active';
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF mem_role = 'owner' THEN
    RETURN ARRAY(SELECT jsonb_array_elements_text(defaults -> 'owner'));
  END IF;
  perms := COALESCE((SELECT permissions FROM role_permission_sets WHERE organization_id = org AND role = mem_role),
                    ARRAY(SELECT jsonb_array_elements_text(defaults -> mem_role)));
  RETURN ARRAY(
    SELECT p FROM unnest(perms) AS p
      WHERE NOT EXISTS (SELECT 1 FROM member_permission_overrides o
                        WHERE o.organization_id = org AND o.membership_id = mem_id AND o.permission = p AND NOT o.granted)
    UNION
    SELECT o.permission FROM member_permission_overrides o
      WHERE o.organization_id = org AND o.membership_id = mem_id AND o.granted);
END $$;
GRANT EXECUTE ON FUNCTION member_permissions(uuid, uuid, jsonb) TO clientflow_app;
