DROP TABLE IF EXISTS email_outbox, api_idempotency_keys, clients, organization_memberships,
  organization_settings, organizations, sessions, users;
DROP FUNCTION IF EXISTS member_role(uuid, uuid), app_org_id(), app_user_id();
-- The clientflow_app role is cluster-wide and may serve other databases, so it stays.
