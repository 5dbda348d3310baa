-- Indexes for the task list's sort orders within a project (board order already has
-- tasks_org_project_column_pos_idx, numbers the unique (organization_id, project_id, number), the assignee
-- filter task_assignees_org_user_idx, and moves the unique (organization_id, column_id, position)).
CREATE INDEX tasks_org_project_due_idx ON tasks (organization_id, project_id, due_date, id);
CREATE INDEX tasks_org_project_created_idx ON tasks (organization_id, project_id, created_at, id);
CREATE INDEX tasks_org_project_priority_idx ON tasks (organization_id, project_id, priority, id);
