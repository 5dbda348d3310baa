-- Stripe webhook events, stored before anything else happens with them: the unique event id is the
-- primary dedup, and dispatched_at records that the organization's Subscription workflow was signalled.
--
-- Not a tenant table: an event arrives before we know (or can trust) which organization it is for, so it
-- has no organization_id and no RLS. It stays safe by privilege instead: the app role may insert events and
-- read or set only id and dispatched_at, never the payloads, so no request can read another tenant's
-- billing data through it. Operators read payloads as the owner role.
CREATE TABLE stripe_events (
  id            text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]+$'),
  type          text NOT NULL,
  created       timestamptz NOT NULL,
  payload       jsonb NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX stripe_events_undispatched_idx ON stripe_events (received_at) WHERE dispatched_at IS NULL;
GRANT INSERT ON stripe_events TO clientflow_app;
GRANT SELECT (id, dispatched_at), UPDATE (dispatched_at) ON stripe_events TO clientflow_app;

-- The webhook names a Stripe customer, not a tenant. Like an invitation token, the customer id set in
-- app.stripe_customer lets the webhook read that one subscription row (to learn its organization) and
-- nothing else; Stripe's signature on the event is what makes the id trustworthy.
CREATE POLICY stripe_customer_lookup ON subscriptions FOR SELECT
  USING (stripe_customer_id = NULLIF(current_setting('app.stripe_customer', true), ''));
