-- A push subscription belongs to the session that subscribed the browser: once that session is signed out,
-- revoked (one device, every other device, a password reset) or expired, the browser gets no more pushes,
-- even when somebody else signs in on it (push_delivery.go reads only subscriptions of live sessions).
-- The rows before this migration have no session: no release has shipped them, so they are deleted (their
-- browsers subscribe again from the preferences page) rather than kept undeliverable.
DELETE FROM push_subscriptions;

ALTER TABLE push_subscriptions
  ADD COLUMN session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE;
CREATE INDEX push_subscriptions_session_id_idx ON push_subscriptions (session_id);

-- One browser shows one user's pushes per organization: subscribing an endpoint replaces another member's
-- row for it (store.SavePushSubscription), and the constraint keeps it so.
ALTER TABLE push_subscriptions DROP CONSTRAINT push_subscriptions_organization_id_user_id_endpoint_key;
ALTER TABLE push_subscriptions ADD CONSTRAINT push_subscriptions_organization_id_endpoint_key
  UNIQUE (organization_id, endpoint);
-- The old constraint also served a member's own list and a delivery's read.
CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (organization_id, user_id);
