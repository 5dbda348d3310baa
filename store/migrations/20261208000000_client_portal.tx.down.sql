DROP FUNCTION member_access(uuid, uuid, jsonb);
CREATE FUNCTION member_access(org uuid, usr uuid, defaults jsonb,
  OUT out_role text, OUT out_permissions text[], OUT out_timeout integer) LANGUAGE plpgsql AS $$
DECLARE
  prev_org  text := current_setting('app.org_id', true);
  prev_user text := current_setting('app.user_id', true);
  mem_id    uuid;
  role_set  text[];
BEGIN
  IF org IS NULL OR usr IS NULL THEN
    RETURN;
  END IF;
  PERFORM set_config('app.user_id', usr::text, true), set_config('app.org_id', org::text, true);
  SELECT m.id, m.role, s.session_timeout_minutes INTO mem_id, out_role, out_timeout
    FROM organization_memberships m
    JOIN organizations o ON o.id = m.organization_id AND o.status = 'active'
    JOIN organization_settings s ON s.organization_id = m.organization_id
    WHERE m.organization_id = org AND m.user_id = usr AND m.status = 'active';
  IF FOUND AND out_role = 'owner' THEN
    out_permissions := ARRAY(SELECT jsonb_array_elements_text(defaults -> 'owner'));
  ELSIF FOUND THEN
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
DROP INDEX tasks_org_requester_idx;
ALTER TABLE tasks DROP COLUMN requester_id;
ALTER TABLE task_comments DROP COLUMN internal;
DROP INDEX files_org_shared_idx;
ALTER TABLE files DROP COLUMN shared_with_client;
ALTER TABLE projects DROP COLUMN portal_shared, DROP COLUMN portal_comments;
ALTER TABLE clients DROP COLUMN portal_enabled, DROP COLUMN portal_enabled_at;
ALTER TABLE organization_invitations DROP CONSTRAINT organization_invitations_client_role,
  DROP CONSTRAINT organization_invitations_client_fk, DROP COLUMN client_id;
DROP INDEX organization_memberships_client_idx;
ALTER TABLE organization_memberships DROP CONSTRAINT organization_memberships_client_role,
  DROP CONSTRAINT organization_memberships_client_fk, DROP COLUMN client_id;
