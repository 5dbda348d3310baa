-- Task comments (rich text with @mentions) and files (project files and task attachments).
-- Both are tenant-owned: organization_id, UNIQUE (organization_id, id), composite foreign keys, forced RLS.

CREATE TABLE task_comments (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  task_id         uuid NOT NULL,
  author_id       uuid REFERENCES users (id) ON DELETE SET NULL,
  body_json       jsonb NOT NULL,
  body_html       text NOT NULL CHECK (length(body_html) <= 100000),   -- sanitised on write
  mentions        uuid[] NOT NULL DEFAULT '{}',
  edited_at       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX task_comments_org_task_idx ON task_comments (organization_id, task_id, id);
CREATE INDEX task_comments_org_created_idx ON task_comments (organization_id, created_at);

CREATE TABLE files (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  project_id      uuid NOT NULL,
  task_id         uuid,                                                -- set for a task attachment
  uploader_id     uuid REFERENCES users (id) ON DELETE SET NULL,
  name            text NOT NULL CHECK (name <> '' AND length(name) <= 255),
  content_type    text NOT NULL,
  size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
  storage_key     text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (storage_key),
  FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX files_org_project_idx ON files (organization_id, project_id, id);
CREATE INDEX files_org_task_idx ON files (organization_id, task_id, id) WHERE task_id IS NOT NULL;
CREATE INDEX files_org_created_idx ON files (organization_id, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['task_comments', 'files'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO clientflow_app', t);
  END LOOP;
END $$;
