DROP FUNCTION IF EXISTS org_session_timeout(uuid, uuid);
ALTER TABLE organization_settings
  DROP CONSTRAINT IF EXISTS organization_settings_session_timeout_range,
  DROP CONSTRAINT IF EXISTS organization_settings_brand_color_hex;
ALTER TABLE organizations
  DROP CONSTRAINT IF EXISTS organizations_deleted_at_status,
  DROP COLUMN IF EXISTS deleted_at,
  DROP COLUMN IF EXISTS status;
