DROP FUNCTION member_access(uuid, uuid, jsonb);
CREATE FUNCTION member_access(org uuid, usr uuid, defaults jsonb,
  OUT out_role text, OUT out_permissions text[], OUT out_timeout integer,
  OUT out_client_id uuid, OUT out_features text[]) LANGUAGE plpgsql AS $$
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
  SELECT m.id, m.role, s.session_timeout_minutes, m.client_id INTO mem_id, out_role, out_timeout, out_client_id
    FROM organization_memberships m
    JOIN organizations o ON o.id = m.organization_id AND o.status = 'active'
    JOIN organization_settings s ON s.organization_id = m.organization_id
    WHERE m.organization_id = org AND m.user_id = usr AND m.status = 'active';
  member := FOUND;
  IF member THEN
    out_features := COALESCE((SELECT p.features FROM subscriptions sub JOIN plans p ON p.id = sub.plan_id
                              WHERE sub.organization_id = org), '{}');
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
DROP FUNCTION IF EXISTS sso_domain_organization(text);
DROP FUNCTION IF EXISTS user_sso_identities(uuid);
DROP TABLE IF EXISTS sso_login_states, ip_allowlist_entries, sso_used_assertions, sso_domains, sso_identities,
  sso_connections, user_google_identities;
ALTER TABLE organization_settings DROP COLUMN IF EXISTS sso_required;
ALTER TABLE sessions DROP COLUMN IF EXISTS sso_organization_id, DROP COLUMN IF EXISTS auth_method;
