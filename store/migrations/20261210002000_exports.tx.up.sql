-- CSV exports (issue 13): one row per requested export, written with its workflow start (the outbox) and
-- the export.requested audit row in one transaction. The Export workflow's activity updates rows_done every
-- batch, so the API reads progress from here; the file lives in the organization's file store under
-- file_key, and only requested_by may download it until expires_at.
CREATE TABLE exports (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id              uuid NOT NULL,
  requested_by    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('audit_log', 'activity', 'time_entries', 'tasks', 'clients', 'invoices')),
  filters         jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'ready', 'failed')),
  rows_done       bigint NOT NULL DEFAULT 0,
  rows_total      bigint,
  bytes           bigint,
  file_key        text CHECK (length(file_key) <= 300),
  error           text CHECK (length(error) <= 1000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  expires_at      timestamptz,
  PRIMARY KEY (organization_id, id)
);
-- "My recent exports", newest first.
CREATE INDEX exports_requester_idx ON exports (organization_id, requested_by, created_at DESC, id DESC);

ALTER TABLE exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE exports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON exports USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON exports TO clientflow_app;

-- Activity filters: each narrows the feed on one column and keeps the newest-first order by id, so a page is
-- an index range scan rather than a scan of the organization's whole history.
CREATE INDEX domain_events_org_type_idx ON domain_events (organization_id, type, id DESC);
CREATE INDEX domain_events_org_actor_idx ON domain_events (organization_id, actor_id, id DESC);
CREATE INDEX domain_events_org_project_idx ON domain_events (organization_id, project_id, id DESC);
CREATE INDEX domain_events_org_entity_idx ON domain_events (organization_id, entity_type, entity_id, id DESC);
