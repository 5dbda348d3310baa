-- Time tracking: one row per logged stretch of work, from a running timer or entered by hand.
-- A running timer is a row with ended_at and minutes NULL; a partial unique index allows at most one per
-- user and organization. billed_at is set when an invoice picks the entry up (invoicing, later).

CREATE TABLE time_entries (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  project_id      uuid NOT NULL,
  task_id         uuid,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  started_at      timestamptz NOT NULL,
  ended_at        timestamptz CHECK (ended_at IS NULL OR ended_at >= started_at),
  minutes         integer CHECK (minutes IS NULL OR minutes >= 1),
  note            text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  billable        boolean NOT NULL DEFAULT true,
  billed_at       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  CHECK ((ended_at IS NULL) = (minutes IS NULL)),
  FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE SET NULL (task_id)
);
CREATE INDEX time_entries_org_created_idx ON time_entries (organization_id, created_at);
CREATE INDEX time_entries_org_started_idx ON time_entries (organization_id, started_at DESC, id DESC);
CREATE INDEX time_entries_org_project_idx ON time_entries (organization_id, project_id, started_at);
CREATE INDEX time_entries_org_user_idx ON time_entries (organization_id, user_id, started_at);
CREATE INDEX time_entries_org_task_idx ON time_entries (organization_id, task_id) WHERE task_id IS NOT NULL;
-- At most one running timer per user per organization.
CREATE UNIQUE INDEX time_entries_one_running_idx ON time_entries (organization_id, user_id) WHERE ended_at IS NULL;

ALTER TABLE time_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE time_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON time_entries
  USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON time_entries TO clientflow_app;
