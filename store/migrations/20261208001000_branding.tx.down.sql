DROP TRIGGER organization_logo_queue_purge ON organization_settings;
DROP FUNCTION organization_logo_queue_purge();
ALTER TABLE organization_settings
  DROP CONSTRAINT organization_settings_logo_whole,
  DROP COLUMN logo_key,
  DROP COLUMN logo_type,
  DROP COLUMN logo_hash,
  DROP COLUMN sender_name;
