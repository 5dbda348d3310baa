-- Billing: the plans an organization can be on (a global catalogue, seeded here and read-only to the app)
-- and each organization's subscription to one of them (one row per organization, created with it).

CREATE TABLE plans (
  id                 text PRIMARY KEY CHECK (id IN ('starter', 'professional')),
  name               text NOT NULL,
  -- Price per month in minor units of currency; what Stripe charges is its price object's, this is shown.
  price_monthly      bigint NOT NULL CHECK (price_monthly >= 0),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  features           text[] NOT NULL DEFAULT '{}',
  -- Limits; NULL means unlimited. members, projects, clients and storage_bytes cap what exists at once;
  -- tasks and comments cap what is created in a calendar month (UTC).
  members            integer CHECK (members > 0),
  projects           integer CHECK (projects > 0),
  clients            integer CHECK (clients > 0),
  tasks_per_month    integer CHECK (tasks_per_month > 0),
  comments_per_month integer CHECK (comments_per_month > 0),
  storage_bytes      bigint CHECK (storage_bytes > 0),
  sort_order         integer NOT NULL
);
INSERT INTO plans (id, name, price_monthly, currency, features, members, projects, clients, tasks_per_month,
                   comments_per_month, storage_bytes, sort_order) VALUES
  ('starter', 'Starter', 1900, 'USD', ARRAY['client_portal', 'time_tracking'],
   3, 10, 20, 1000, 2000, 2147483648, 1),
  ('professional', 'Professional', 4900, 'USD',
   ARRAY['client_portal', 'time_tracking', 'invoices', 'custom_branding', 'api_access', 'priority_support'],
   25, NULL, NULL, NULL, NULL, 107374182400, 2);
GRANT SELECT ON plans TO clientflow_app;

CREATE TABLE subscriptions (
  organization_id        uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  plan_id                text NOT NULL REFERENCES plans (id),
  status                 text NOT NULL DEFAULT 'trialing'
                         CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'restricted')),
  trial_ends_at          timestamptz,
  current_period_end     timestamptz,
  cancel_at_period_end   boolean NOT NULL DEFAULT false,
  stripe_customer_id     text UNIQUE,
  stripe_subscription_id text,
  -- created time of the newest Stripe event applied: an older event never overwrites a newer state.
  stripe_event_at        timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'trialing' OR trial_ends_at IS NOT NULL)
);

ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subscriptions
  USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
-- DELETE only for the organization's deletion workflow, which empties every tenant table it may.
GRANT SELECT, INSERT, UPDATE, DELETE ON subscriptions TO clientflow_app;

-- Existing organizations start a fresh 14-day trial of Professional, like new ones.
INSERT INTO subscriptions (organization_id, plan_id, status, trial_ends_at)
  SELECT id, 'professional', 'trialing', now() + interval '14 days' FROM organizations
  ON CONFLICT DO NOTHING;

-- One row per organization, metric, period and threshold (80 or 100 per cent) whose email went out, so
-- each warning is sent once per period however many creates cross the line.
CREATE TABLE usage_alerts (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  metric          text NOT NULL,
  period          date NOT NULL,
  threshold       integer NOT NULL CHECK (threshold IN (80, 100)),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, metric, period, threshold)
);
ALTER TABLE usage_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_alerts
  USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
GRANT SELECT, INSERT, DELETE ON usage_alerts TO clientflow_app;
