DROP INDEX IF EXISTS tasks_org_project_priority_idx;
DROP INDEX IF EXISTS tasks_org_project_created_idx;
DROP INDEX IF EXISTS tasks_org_project_due_idx;
