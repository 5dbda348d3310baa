-- Organization lifecycle: an organization being deleted is marked first (every request to it then answers
-- 404) while a durable workflow removes its data in batches and finally the row itself.
ALTER TABLE organizations
  ADD COLUMN status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleting')),
  ADD COLUMN deleted_at timestamptz,
  ADD CONSTRAINT organizations_deleted_at_status CHECK ((status = 'deleting') = (deleted_at IS NOT NULL));

-- Bounds the settings the API validates, so no other writer can store what the API would refuse.
ALTER TABLE organization_settings
  ADD CONSTRAINT organization_settings_brand_color_hex CHECK (brand_color ~ '^#[0-9a-f]{6}$'),
  ADD CONSTRAINT organization_settings_session_timeout_range
    CHECK (session_timeout_minutes = 0 OR session_timeout_minutes BETWEEN 5 AND 43200);

-- org_session_timeout answers, for the auth middleware's one query, the idle timeout (minutes, 0 = off)
-- of an organization the user actively belongs to, and NULL when they do not or the organization is
-- being deleted, so the caller treats that as "not a member". It scopes itself to the user and the
-- organization first (plpgsql runs statements in order), so it reads under RLS like any tenant query; the
-- settings stay local to the statement's implicit transaction.
CREATE FUNCTION org_session_timeout(org uuid, usr uuid) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('app.user_id', usr::text, true), set_config('app.org_id', org::text, true);
  RETURN (SELECT s.session_timeout_minutes
          FROM organization_memberships m
          JOIN organizations o ON o.id = m.organization_id AND o.status = 'active'
          JOIN organization_settings s ON s.organization_id = m.organization_id
          WHERE m.organization_id = org AND m.user_id = usr AND m.status = 'active');
END $$;
GRANT EXECUTE ON FUNCTION org_session_timeout(uuid, uuid) TO clientflow_app;
