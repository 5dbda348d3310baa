-- Notifications (issue 10): the in-app inbox, per-user channel preferences, email/push deliveries, browser push
-- subscriptions, due-date notices, and the queue that hands every domain event to the fan-out workflow.

-- One row per notification a member receives in an organization. source_key makes the fan-out idempotent: it
-- is the domain event id the notification came from (or a business key for notices without an event), so an
-- activity that retries inserts nothing twice.
CREATE TABLE notifications (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id              uuid NOT NULL,
  recipient_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type            text NOT NULL CHECK (type ~ '^[a-z_]{1,60}$'),
  title           text NOT NULL CHECK (title <> '' AND length(title) <= 300),
  body            text NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
  link            text NOT NULL DEFAULT '' CHECK (length(link) <= 500),
  entity_type     text NOT NULL DEFAULT '' CHECK (length(entity_type) <= 40),
  entity_id       uuid,
  project_id      uuid,
  actor_id        uuid REFERENCES users (id) ON DELETE SET NULL,
  source_key      text NOT NULL CHECK (source_key <> '' AND length(source_key) <= 200),
  read_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, recipient_id, source_key)
);
-- The inbox (newest first, cursor on id: ids are UUIDv7) and the unread badge.
CREATE INDEX notifications_inbox_idx ON notifications (organization_id, recipient_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (organization_id, recipient_id) WHERE read_at IS NULL;

-- Explicit choices only: a missing row means the type's default (domain.NotificationDefault).
CREATE TABLE notification_preferences (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type            text NOT NULL CHECK (type ~ '^[a-z_]{1,60}$'),
  channel         text NOT NULL CHECK (channel IN ('in_app', 'email', 'push')),
  enabled         boolean NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id, type, channel)
);

-- One row per notification and outbound channel (in-app needs none: the notification row is its delivery).
CREATE TABLE notification_deliveries (
  organization_id uuid NOT NULL,
  notification_id uuid NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email', 'push')),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text CHECK (length(last_error) <= 2000),
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, notification_id, channel),
  FOREIGN KEY (organization_id, notification_id) REFERENCES notifications (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX notification_deliveries_pending_idx ON notification_deliveries (organization_id, created_at)
  WHERE status = 'pending';

-- A browser's Web Push subscription for one member of one organization.
CREATE TABLE push_subscriptions (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id              uuid NOT NULL,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  endpoint        text NOT NULL CHECK (endpoint ~ '^https://' AND length(endpoint) <= 1000),
  p256dh          text NOT NULL CHECK (p256dh <> '' AND length(p256dh) <= 200),
  auth            text NOT NULL CHECK (auth <> '' AND length(auth) <= 100),
  user_agent      text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 500),
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_success_at timestamptz,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, user_id, endpoint)
);

-- Due-date notices already raised: one row per task, due date and kind, so a sweep that runs twice (or a
-- retried activity) raises each notice once, and a changed due date (a new key) re-arms both.
CREATE TABLE task_due_notices (
  organization_id uuid NOT NULL,
  task_id         uuid NOT NULL,
  due_date        date NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, task_id, due_date, kind),
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['notifications', 'notification_preferences', 'notification_deliveries',
                           'push_subscriptions', 'task_due_notices'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO clientflow_app', t);
  END LOOP;
END $$;

-- A member reads only their own notifications, preferences and subscriptions. The fan-out (worker, no user in
-- scope) writes for every recipient of its organization.
CREATE POLICY own_rows ON notifications AS RESTRICTIVE
  USING (app_user_id() IS NULL OR recipient_id = app_user_id());
CREATE POLICY own_rows ON notification_preferences AS RESTRICTIVE
  USING (app_user_id() IS NULL OR user_id = app_user_id());
CREATE POLICY own_rows ON push_subscriptions AS RESTRICTIVE
  USING (app_user_id() IS NULL OR user_id = app_user_id());

-- The fan-out outbox. Every domain event is queued here by a trigger in the transaction that writes it, so an
-- event exists for delivery exactly when the change does, whatever happens to the API after the commit. The
-- worker's relay claims rows (FOR UPDATE SKIP LOCKED), hands them to a FanOut workflow and deletes them.
--
-- Not a tenant table, like workflow_starts: the relay works across organizations. It holds ids only (no
-- payload), no API route reads it, and the app role may only insert (the trigger), read and delete.
CREATE TABLE domain_event_queue (
  event_id        uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text
);
CREATE INDEX domain_event_queue_due_idx ON domain_event_queue (next_attempt_at);
GRANT SELECT, INSERT, DELETE ON domain_event_queue TO clientflow_app;
GRANT UPDATE (attempts, next_attempt_at, last_error) ON domain_event_queue TO clientflow_app;

CREATE FUNCTION domain_events_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO domain_event_queue (event_id, organization_id, created_at)
    SELECT id, organization_id, created_at FROM new_events;
  RETURN NULL;
END $$;

CREATE TRIGGER domain_events_enqueue AFTER INSERT ON domain_events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION domain_events_enqueue();
