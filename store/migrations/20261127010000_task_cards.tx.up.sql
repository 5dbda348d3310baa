-- Board cards read only the tasks table: assignees and subtask counts are kept on the task row by triggers,
-- so a board of 500 cards is one index scan instead of 1,000 correlated subqueries (issue 4's benchmark).
-- The triggers adjust the row in place (append/remove, +1/-1) rather than recounting, so concurrent
-- writers compose under the row lock instead of overwriting each other's snapshot.
ALTER TABLE tasks
	ADD COLUMN assignee_ids uuid[] NOT NULL DEFAULT '{}',
	ADD COLUMN subtasks_done integer NOT NULL DEFAULT 0 CHECK (subtasks_done >= 0),
	ADD COLUMN subtasks_total integer NOT NULL DEFAULT 0 CHECK (subtasks_total >= subtasks_done);

UPDATE tasks t SET
	assignee_ids = coalesce((SELECT array_agg(a.user_id ORDER BY a.user_id) FROM task_assignees a
		WHERE a.organization_id = t.organization_id AND a.task_id = t.id), '{}'),
	subtasks_done = (SELECT count(*) FILTER (WHERE s.done) FROM subtasks s
		WHERE s.organization_id = t.organization_id AND s.task_id = t.id),
	subtasks_total = (SELECT count(*) FROM subtasks s WHERE s.organization_id = t.organization_id AND s.task_id = t.id);

CREATE FUNCTION task_assignees_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE tasks SET assignee_ids = ARRAY(SELECT DISTINCT u FROM unnest(assignee_ids || NEW.user_id) u ORDER BY u)
		WHERE organization_id = NEW.organization_id AND id = NEW.task_id;
	ELSE
		UPDATE tasks SET assignee_ids = array_remove(assignee_ids, OLD.user_id)
		WHERE organization_id = OLD.organization_id AND id = OLD.task_id;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER task_assignees_card AFTER INSERT OR DELETE ON task_assignees
	FOR EACH ROW EXECUTE FUNCTION task_assignees_card();

CREATE FUNCTION subtasks_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.task_id = NEW.task_id THEN
		IF OLD.done IS DISTINCT FROM NEW.done THEN
			UPDATE tasks SET subtasks_done = subtasks_done + NEW.done::int - OLD.done::int
			WHERE organization_id = NEW.organization_id AND id = NEW.task_id;
		END IF;
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE tasks SET subtasks_total = subtasks_total - 1, subtasks_done = subtasks_done - OLD.done::int
		WHERE organization_id = OLD.organization_id AND id = OLD.task_id;
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		UPDATE tasks SET subtasks_total = subtasks_total + 1, subtasks_done = subtasks_done + NEW.done::int
		WHERE organization_id = NEW.organization_id AND id = NEW.task_id;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER subtasks_card AFTER INSERT OR DELETE OR UPDATE OF done, task_id ON subtasks
	FOR EACH ROW EXECUTE FUNCTION subtasks_card();

-- Position keys are renumbered in one UPDATE when they grow long (store/position.go rebalance); a
-- deferrable constraint is checked when that statement ends, not row by row, so the renumbering cannot
-- trip over a key that is about to change.
ALTER TABLE tasks DROP CONSTRAINT tasks_organization_id_column_id_position_key,
	ADD CONSTRAINT tasks_column_position_key UNIQUE (organization_id, column_id, position) DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE task_board_columns DROP CONSTRAINT task_board_columns_organization_id_project_id_position_key,
	ADD CONSTRAINT task_board_columns_position_key UNIQUE (organization_id, project_id, position) DEFERRABLE INITIALLY IMMEDIATE;
