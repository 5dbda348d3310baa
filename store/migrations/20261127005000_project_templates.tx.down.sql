DROP INDEX IF EXISTS projects_org_id_idx;
DROP TABLE IF EXISTS project_templates;
