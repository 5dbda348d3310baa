-- Client portal: contacts of a client, what each client sees, and what a contact may do there.
--
-- A contact is a member with the role client, linked to one client of the organization (client_id). The
-- same person may be a contact in several organizations (one membership each). A contact sees only the
-- projects of their own client that are shared with the portal, while the client's portal is enabled: the
-- second isolation axis inside a tenant, applied in store/portal.go like project visibility.

-- Client-role memberships made before this migration have no client: they see an empty portal until an
-- admin removes and re-invites them as a contact of a client.
ALTER TABLE organization_memberships
  ADD COLUMN client_id uuid,
  ADD CONSTRAINT organization_memberships_client_fk FOREIGN KEY (organization_id, client_id)
    REFERENCES clients (organization_id, id) ON DELETE CASCADE,
  ADD CONSTRAINT organization_memberships_client_role CHECK (client_id IS NULL OR role = 'client');
CREATE INDEX organization_memberships_client_idx ON organization_memberships (organization_id, client_id)
  WHERE client_id IS NOT NULL;

ALTER TABLE organization_invitations
  ADD COLUMN client_id uuid,
  ADD CONSTRAINT organization_invitations_client_fk FOREIGN KEY (organization_id, client_id)
    REFERENCES clients (organization_id, id) ON DELETE CASCADE,
  ADD CONSTRAINT organization_invitations_client_role CHECK (client_id IS NULL OR role = 'client');

-- The portal is off until staff enable it for a client (enabling emails the client's contacts once).
ALTER TABLE clients
  ADD COLUMN portal_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN portal_enabled_at timestamptz;

-- Per project: shown in its client's portal (default on), and whether contacts may comment on its tasks.
ALTER TABLE projects
  ADD COLUMN portal_shared boolean NOT NULL DEFAULT true,
  ADD COLUMN portal_comments boolean NOT NULL DEFAULT true;

-- Files reach the portal only when staff mark them shared (on upload or later).
ALTER TABLE files ADD COLUMN shared_with_client boolean NOT NULL DEFAULT false;
CREATE INDEX files_org_shared_idx ON files (organization_id, project_id, id) WHERE shared_with_client;

-- An internal comment is never shown or sent to contacts. Comments written before the portal existed were
-- written for the team: they become internal (the column is added with default true), so turning a client's
-- portal on never publishes them; new comments are public unless flagged.
ALTER TABLE task_comments ADD COLUMN internal boolean NOT NULL DEFAULT true;
ALTER TABLE task_comments ALTER COLUMN internal SET DEFAULT false;

-- A task made from a contact's portal request names its requester.
ALTER TABLE tasks ADD COLUMN requester_id uuid REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX tasks_org_requester_idx ON tasks (organization_id, requester_id, id) WHERE requester_id IS NOT NULL;

-- member_access also answers the contact's client and the organization's plan features, so the auth
-- middleware's one query can keep contacts to the portal routes and refuse features the plan lacks.
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
