-- White-label branding: the uploaded logo (file store key, content type, content hash for its public,
-- cache-safe URL) and the custom sender name of client emails. logo_url (an https URL typed by hand, never
-- shown on invoices) is superseded by the uploaded logo and kept only so no data is lost.
ALTER TABLE organization_settings
  ADD COLUMN logo_key    text NOT NULL DEFAULT '',
  ADD COLUMN logo_type   text NOT NULL DEFAULT ''
    CONSTRAINT organization_settings_logo_type CHECK (logo_type IN ('', 'image/png', 'image/jpeg', 'image/webp', 'image/svg+xml')),
  ADD COLUMN logo_hash   text NOT NULL DEFAULT ''
    CONSTRAINT organization_settings_logo_hash CHECK (logo_hash ~ '^([0-9a-f]{64})?$'),
  ADD COLUMN sender_name text NOT NULL DEFAULT ''
    CONSTRAINT organization_settings_sender_name CHECK (char_length(sender_name) <= 60 AND sender_name !~ '[[:cntrl:]]'),
  ADD CONSTRAINT organization_settings_logo_whole CHECK ((logo_key = '') = (logo_hash = '') AND (logo_key = '') = (logo_type = ''));

-- A replaced or removed logo (and the logo of a deleted organization) queues its stored bytes for the
-- organization's file purge, like a deleted file. Runs under the writer's tenant scope, which matches the row.
CREATE FUNCTION organization_logo_queue_purge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.logo_key <> '' AND (TG_OP = 'DELETE' OR NEW.logo_key IS DISTINCT FROM OLD.logo_key) THEN
    INSERT INTO file_purges (organization_id, storage_key) VALUES (OLD.organization_id, OLD.logo_key)
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER organization_logo_queue_purge AFTER UPDATE OF logo_key OR DELETE ON organization_settings
  FOR EACH ROW EXECUTE FUNCTION organization_logo_queue_purge();
