DROP INDEX IF EXISTS push_subscriptions_user_idx;
ALTER TABLE push_subscriptions DROP CONSTRAINT IF EXISTS push_subscriptions_organization_id_endpoint_key;
ALTER TABLE push_subscriptions ADD CONSTRAINT push_subscriptions_organization_id_user_id_endpoint_key
  UNIQUE (organization_id, user_id, endpoint);
DROP INDEX IF EXISTS push_subscriptions_session_id_idx;
ALTER TABLE push_subscriptions DROP COLUMN IF EXISTS session_id;
