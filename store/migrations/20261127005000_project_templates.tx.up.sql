-- Project templates: a reusable set of board columns and tasks a new project can start from.
-- body = {columns: [{name, color, is_done}], tasks: [{title, column, priority, estimate_minutes,
-- due_offset_days, subtasks: [title]}]}, validated by domain.TemplateBody before every write.
CREATE TABLE project_templates (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name            text NOT NULL CHECK (name <> '' AND length(name) <= 200),
  description     text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  body            jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id)
);
CREATE INDEX project_templates_org_created_idx ON project_templates (organization_id, created_at);

ALTER TABLE project_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE project_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project_templates
  USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON project_templates TO clientflow_app;

-- The project list filters by status and name and pages by id within an organization.
CREATE INDEX projects_org_id_idx ON projects (organization_id, id DESC);
