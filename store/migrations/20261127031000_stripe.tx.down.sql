DROP POLICY IF EXISTS stripe_customer_lookup ON subscriptions;
DROP TABLE IF EXISTS stripe_events;
