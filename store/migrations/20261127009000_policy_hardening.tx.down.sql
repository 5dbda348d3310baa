ALTER TABLE task_assignees DROP CONSTRAINT IF EXISTS task_assignees_membership_fk;
ALTER TABLE project_members DROP CONSTRAINT IF EXISTS project_members_membership_fk;

DROP POLICY tenant_read ON organization_invitations;
DROP POLICY tenant_insert ON organization_invitations;
DROP POLICY tenant_update ON organization_invitations;
DROP POLICY tenant_delete ON organization_invitations;
CREATE POLICY tenant_isolation ON organization_invitations
  USING (organization_id = app_org_id() OR token_hash = app_invitation_token())
  WITH CHECK (organization_id = app_org_id());

DROP POLICY tenant_read ON organization_memberships;
DROP POLICY tenant_insert ON organization_memberships;
DROP POLICY tenant_update ON organization_memberships;
DROP POLICY tenant_delete ON organization_memberships;
CREATE POLICY tenant_isolation ON organization_memberships
  USING (organization_id = app_org_id() OR user_id = app_user_id())
  WITH CHECK (organization_id = app_org_id());

DROP POLICY tenant_read ON organizations;
DROP POLICY tenant_insert ON organizations;
DROP POLICY tenant_update ON organizations;
DROP POLICY tenant_delete ON organizations;
CREATE POLICY tenant_isolation ON organizations USING (
  id = app_org_id()
  OR EXISTS (SELECT 1 FROM organization_memberships m WHERE m.organization_id = organizations.id AND m.user_id = app_user_id())
) WITH CHECK (id = app_org_id());
