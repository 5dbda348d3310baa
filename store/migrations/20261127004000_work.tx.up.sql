-- Work management core: projects and who may see them, board columns, tasks with assignees and subtasks,
-- the task audit log, and the platform's domain events and monthly usage counters.
-- Every table is tenant-owned: organization_id, UNIQUE (organization_id, id), composite foreign keys, forced RLS.

CREATE TABLE projects (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  client_id       uuid,
  name            text NOT NULL CHECK (name <> '' AND length(name) <= 200),
  description     text NOT NULL DEFAULT '',
  status          text NOT NULL DEFAULT 'planning'
                  CHECK (status IN ('planning', 'active', 'on_hold', 'completed', 'cancelled')),
  start_date      date,
  due_date        date CHECK (due_date IS NULL OR start_date IS NULL OR due_date >= start_date),
  budget_amount   bigint CHECK (budget_amount IS NULL OR budget_amount >= 0),   -- minor units
  budget_currency text CHECK (budget_currency IS NULL OR budget_currency ~ '^[A-Z]{3}$'),
  budget_minutes  integer CHECK (budget_minutes IS NULL OR budget_minutes >= 0),
  hourly_rate     bigint CHECK (hourly_rate IS NULL OR hourly_rate >= 0),       -- minor units per hour
  archived_at     timestamptz,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, client_id) REFERENCES clients (organization_id, id) ON DELETE SET NULL (client_id),
  CHECK ((budget_amount IS NULL) = (budget_currency IS NULL))
);
CREATE INDEX projects_org_created_idx ON projects (organization_id, created_at);
CREATE INDEX projects_org_client_idx ON projects (organization_id, client_id);

-- Project members decide who sees a project: owners, admins and managers see all; others only theirs.
CREATE TABLE project_members (
  organization_id uuid NOT NULL,
  project_id      uuid NOT NULL,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, project_id, user_id),
  FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX project_members_org_user_idx ON project_members (organization_id, user_id);

CREATE TABLE task_board_columns (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  project_id      uuid NOT NULL,
  name            text NOT NULL CHECK (name <> '' AND length(name) <= 60),
  color           text NOT NULL DEFAULT '#94a3b8' CHECK (color ~ '^#[0-9a-f]{6}$'),
  position        text NOT NULL COLLATE "C",  -- fractional index: reorder by rewriting one row
  is_done         boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, project_id, position),
  FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE
);

CREATE TABLE tasks (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  project_id      uuid NOT NULL,
  column_id       uuid NOT NULL,
  number          integer NOT NULL,           -- per project, shown as #12
  title           text NOT NULL CHECK (title <> '' AND length(title) <= 300),
  description_json jsonb NOT NULL DEFAULT '{}',
  description_html text NOT NULL DEFAULT '',   -- sanitised on write
  position        text NOT NULL COLLATE "C",   -- fractional index within the column
  priority        text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  due_date        date,
  estimate_minutes integer CHECK (estimate_minutes IS NULL OR estimate_minutes >= 0),
  completed_at    timestamptz,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, project_id, number),
  UNIQUE (organization_id, column_id, position),
  FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, column_id) REFERENCES task_board_columns (organization_id, id)
);
CREATE INDEX tasks_org_project_column_pos_idx ON tasks (organization_id, project_id, column_id, position);
CREATE INDEX tasks_org_due_idx ON tasks (organization_id, due_date) WHERE completed_at IS NULL;

-- Per-project task numbers are handed out from here (one row lock, no MAX(number)+1 race).
CREATE TABLE project_task_counters (
  organization_id uuid NOT NULL,
  project_id      uuid NOT NULL,
  last_number     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (organization_id, project_id),
  FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE
);

CREATE TABLE task_assignees (
  organization_id uuid NOT NULL,
  task_id         uuid NOT NULL,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, task_id, user_id),
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX task_assignees_org_user_idx ON task_assignees (organization_id, user_id);

CREATE TABLE subtasks (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  task_id         uuid NOT NULL,
  title           text NOT NULL CHECK (title <> '' AND length(title) <= 300),
  done            boolean NOT NULL DEFAULT false,
  position        text NOT NULL COLLATE "C",
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX subtasks_org_task_idx ON subtasks (organization_id, task_id, position);

-- Every field change of a task, with old and new values and who made it.
CREATE TABLE task_audit_logs (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  task_id         uuid NOT NULL,
  actor_id        uuid REFERENCES users (id) ON DELETE SET NULL,
  action          text NOT NULL,
  old_values      jsonb NOT NULL DEFAULT '{}',
  new_values      jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX task_audit_logs_org_task_idx ON task_audit_logs (organization_id, task_id, created_at);

-- Business events, written in the same transaction as the change (the activity feed, and later
-- notifications, webhooks and plan limits, read them).
CREATE TABLE domain_events (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  type            text NOT NULL,               -- e.g. project.created, task.updated
  entity_type     text NOT NULL,
  entity_id       uuid NOT NULL,
  actor_id        uuid REFERENCES users (id) ON DELETE SET NULL,
  project_id      uuid,                        -- for the project-scoped feed and visibility
  payload         jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id)
);
CREATE INDEX domain_events_org_id_idx ON domain_events (organization_id, id DESC);
CREATE INDEX domain_events_org_created_idx ON domain_events (organization_id, created_at);

-- Monthly usage per metric (members, projects, clients, tasks, comments, files), bumped in the same
-- transaction as the write that counts.
CREATE TABLE usage_counters (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  metric          text NOT NULL CHECK (metric IN ('members', 'projects', 'clients', 'tasks', 'comments', 'files')),
  period          date NOT NULL CHECK (extract(day FROM period) = 1),   -- first day of the month (UTC)
  value           bigint NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, metric, period)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['projects', 'project_members', 'task_board_columns', 'tasks', 'project_task_counters',
                           'task_assignees', 'subtasks', 'task_audit_logs', 'domain_events', 'usage_counters'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO clientflow_app', t);
  END LOOP;
END $$;
