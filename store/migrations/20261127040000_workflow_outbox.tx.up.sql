-- The workflow outbox: every workflow start the API asks for is written here in the same transaction as the
-- business change behind it (a sign-up, an invitation, a sent invoice, a new or deleted organization, an
-- email). After the commit the API starts the workflow at once and sets started_at; the relay in the worker
-- retries rows still pending after a few seconds (a Temporal outage, or an API killed between the commit
-- and the start), with exponential backoff through next_attempt_at. The workflow ID is built from kind and
-- business_key, so a start made twice (fast path and relay) joins one workflow.
--
-- Not a tenant table: most starts have no organization (sign-up, password reset and sign-in emails), and the
-- relay works across tenants. It stays safe by privilege and by construction: no API route reads it; the
-- app role may insert rows, read them (the relay), set only the delivery columns, and delete started rows
-- (the relay prunes them after a week). Inputs hold nothing beyond what the workflow's own history holds.
CREATE TABLE workflow_starts (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  business_key    text NOT NULL CHECK (business_key <> '' AND length(business_key) <= 300),
  input           jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  started_at      timestamptz
);
-- The relay's claim and the backlog age read only pending rows, so the index holds only those.
CREATE INDEX workflow_starts_pending_idx ON workflow_starts (next_attempt_at) WHERE started_at IS NULL;
CREATE INDEX workflow_starts_started_idx ON workflow_starts (started_at) WHERE started_at IS NOT NULL;

GRANT SELECT, INSERT, DELETE ON workflow_starts TO clientflow_app;
GRANT UPDATE (attempts, next_attempt_at, last_error, started_at) ON workflow_starts TO clientflow_app;
