DROP TRIGGER subtasks_card ON subtasks;
DROP TRIGGER task_assignees_card ON task_assignees;
DROP FUNCTION subtasks_card();
DROP FUNCTION task_assignees_card();
ALTER TABLE tasks DROP COLUMN assignee_ids, DROP COLUMN subtasks_done, DROP COLUMN subtasks_total;
ALTER TABLE tasks DROP CONSTRAINT tasks_column_position_key,
	ADD CONSTRAINT tasks_organization_id_column_id_position_key UNIQUE (organization_id, column_id, position);
ALTER TABLE task_board_columns DROP CONSTRAINT task_board_columns_position_key,
	ADD CONSTRAINT task_board_columns_organization_id_project_id_position_key UNIQUE (organization_id, project_id, position);
