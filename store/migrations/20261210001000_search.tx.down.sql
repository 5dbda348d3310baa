DROP FUNCTION search_files(text, boolean, integer);
DROP FUNCTION search_comments(text, boolean, integer);
DROP FUNCTION search_tasks(text, boolean, integer);
DROP FUNCTION search_projects(text, boolean, integer);
DROP FUNCTION search_clients(text, integer);
DROP INDEX tasks_search_project_trgm_idx, tasks_search_project_fts_idx, files_search_trgm_idx, files_search_fts_idx, task_comments_search_fts_idx, tasks_search_trgm_idx,
  tasks_search_fts_idx, projects_search_trgm_idx, projects_search_fts_idx, clients_search_trgm_idx, clients_search_fts_idx;
DROP FUNCTION search_task_title(text);
DROP FUNCTION search_task_vector(text, text);
DROP FUNCTION search_rank(text, text, tsquery, text);
DROP FUNCTION search_like(text);
DROP FUNCTION search_query(text);
DROP FUNCTION search_vector(text);
DROP FUNCTION search_text(text);
DROP EXTENSION IF EXISTS btree_gin;
