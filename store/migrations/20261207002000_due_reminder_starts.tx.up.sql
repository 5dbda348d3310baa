-- Every organization gets one DueReminders workflow (due-reminders/{org}), started with the organization
-- through the workflow outbox. Organizations that existed before it get their start here: the worker's
-- relay hands these rows to Temporal like any start the API missed. Starting an organization's workflow
-- twice joins the running one, so a row the API also wrote is harmless.
INSERT INTO workflow_starts (id, kind, business_key, created_at)
SELECT gen_random_uuid(), 'due_reminders', o.id::text, now()
FROM organizations o
WHERE o.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM workflow_starts w WHERE w.kind = 'due_reminders' AND w.business_key = o.id::text);
