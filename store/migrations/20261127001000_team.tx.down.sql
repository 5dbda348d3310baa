DROP FUNCTION IF EXISTS member_permissions(uuid, uuid, jsonb);
DROP TABLE IF EXISTS member_permission_overrides;
DROP TABLE IF EXISTS role_permission_sets;
DROP TABLE IF EXISTS organization_invitations;
DROP FUNCTION IF EXISTS app_invitation_token();
