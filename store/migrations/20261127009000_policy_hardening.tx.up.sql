-- Policy hardening (security review): the broader clauses that let a user see their own memberships and
-- organizations, and a token holder see one invitation, were FOR ALL, so they also allowed UPDATE and
-- DELETE outside the tenant in scope. They become SELECT-only; writes need the tenant in scope.
-- Project members and task assignees must be members of the organization (and go when the member does).

DROP POLICY tenant_isolation ON organizations;
CREATE POLICY tenant_read ON organizations FOR SELECT USING (
  id = app_org_id()
  OR EXISTS (SELECT 1 FROM organization_memberships m WHERE m.organization_id = organizations.id AND m.user_id = app_user_id()));
CREATE POLICY tenant_insert ON organizations FOR INSERT WITH CHECK (id = app_org_id());
CREATE POLICY tenant_update ON organizations FOR UPDATE USING (id = app_org_id()) WITH CHECK (id = app_org_id());
CREATE POLICY tenant_delete ON organizations FOR DELETE USING (id = app_org_id());

DROP POLICY tenant_isolation ON organization_memberships;
CREATE POLICY tenant_read ON organization_memberships FOR SELECT
  USING (organization_id = app_org_id() OR user_id = app_user_id());
CREATE POLICY tenant_insert ON organization_memberships FOR INSERT WITH CHECK (organization_id = app_org_id());
CREATE POLICY tenant_update ON organization_memberships FOR UPDATE
  USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
CREATE POLICY tenant_delete ON organization_memberships FOR DELETE USING (organization_id = app_org_id());

DROP POLICY tenant_isolation ON organization_invitations;
CREATE POLICY tenant_read ON organization_invitations FOR SELECT
  USING (organization_id = app_org_id() OR token_hash = app_invitation_token());
CREATE POLICY tenant_insert ON organization_invitations FOR INSERT WITH CHECK (organization_id = app_org_id());
CREATE POLICY tenant_update ON organization_invitations FOR UPDATE
  USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
CREATE POLICY tenant_delete ON organization_invitations FOR DELETE USING (organization_id = app_org_id());

ALTER TABLE project_members ADD CONSTRAINT project_members_membership_fk
  FOREIGN KEY (organization_id, user_id) REFERENCES organization_memberships (organization_id, user_id) ON DELETE CASCADE;
ALTER TABLE task_assignees ADD CONSTRAINT task_assignees_membership_fk
  FOREIGN KEY (organization_id, user_id) REFERENCES organization_memberships (organization_id, user_id) ON DELETE CASCADE;
