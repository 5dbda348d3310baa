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

-- An internal comment is never shown or sent to contacts.
ALTER TABLE task_comments ADD COLUMN internal boolean NOT NULL DEFAULT false;

-- A task made from a contact's portal request names its requester.
ALTER TABLE tasks ADD COLUMN requester_id uuid REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX tasks_org_requester_idx ON tasks (organization_id, requester_id, id) WHERE requester_id IS NOT NULL;
