-- Stored file contents whose files row is gone, waiting for the PurgeFiles workflow to remove them from the
-- file store. One AFTER DELETE trigger on files fills it, so every way a row disappears (an explicit delete,
-- a task's or project's cascade, an organization's deletion) queues the bytes the same way, in the same
-- transaction. There is deliberately no foreign key to organizations: the queue must outlive the
-- organization's rows, because its deletion removes them before the purge runs.
CREATE TABLE file_purges (
  organization_id uuid NOT NULL,
  storage_key     text NOT NULL,
  queued_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, storage_key)
);
CREATE INDEX file_purges_org_queued_idx ON file_purges (organization_id, queued_at);

ALTER TABLE file_purges ENABLE ROW LEVEL SECURITY;
ALTER TABLE file_purges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON file_purges
  USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
-- No UPDATE: a queued key is only ever added (by the trigger) or removed (once its bytes are gone).
GRANT SELECT, INSERT, DELETE ON file_purges TO clientflow_app;

-- A statement-level trigger with a transition table queues a whole batch (an organization's deletion
-- removes files a thousand at a time) in one INSERT. It runs as the deleting role, under its tenant scope,
-- which always matches the rows: the files policy lets no one delete another organization's rows.
CREATE FUNCTION files_queue_purge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO file_purges (organization_id, storage_key)
    SELECT organization_id, storage_key FROM deleted_files
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER files_queue_purge AFTER DELETE ON files
  REFERENCING OLD TABLE AS deleted_files
  FOR EACH STATEMENT EXECUTE FUNCTION files_queue_purge();
