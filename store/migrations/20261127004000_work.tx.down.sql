DROP TABLE IF EXISTS usage_counters, domain_events, task_audit_logs, subtasks, task_assignees,
  project_task_counters, tasks, task_board_columns, project_members, projects;
