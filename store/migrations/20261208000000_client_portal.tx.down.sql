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
