-- Starts not yet relayed are withdrawn; workflows already running stay (stop them in Temporal if wanted).
DELETE FROM workflow_starts WHERE kind = 'due_reminders' AND started_at IS NULL;
