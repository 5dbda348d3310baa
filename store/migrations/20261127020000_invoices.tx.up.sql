-- Invoices the agency sends its own clients: numbered per organization, lines with quantities in
-- thousandths and prices in minor units, payments, and a random public link for the client (stored only
-- as a hash). Totals are computed in Go by one rounding rule (domain.ComputeInvoiceTotals) and stored, so
-- lists and the overdue workflow never recompute them. Time entries point at the invoice that billed them.

-- Per-organization invoice numbers are handed out from here (one row lock, no MAX(number)+1 race).
CREATE TABLE invoice_counters (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  last_number     integer NOT NULL DEFAULT 0 CHECK (last_number >= 0)
);

CREATE TABLE invoices (
  id                uuid PRIMARY KEY,
  organization_id   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  number            integer NOT NULL CHECK (number >= 1),
  client_id         uuid NOT NULL,
  project_id        uuid,
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'paid', 'overdue', 'void')),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  issue_date        date NOT NULL,
  due_date          date NOT NULL,
  discount_bp       integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
  notes             text NOT NULL DEFAULT '' CHECK (length(notes) <= 10000),
  -- Minor units: subtotal - discount + tax = total; amount_paid never exceeds total.
  subtotal          bigint NOT NULL DEFAULT 0 CHECK (subtotal >= 0),
  discount          bigint NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount <= subtotal),
  tax               bigint NOT NULL DEFAULT 0 CHECK (tax >= 0),
  total             bigint NOT NULL DEFAULT 0 CHECK (total = subtotal - discount + tax),
  amount_paid       bigint NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= total),
  public_token_hash bytea UNIQUE,
  sent_at           timestamptz,
  paid_at           timestamptz,
  voided_at         timestamptz,
  created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, number),
  CHECK (due_date >= issue_date),
  -- A sent invoice always has its client link; a draft never has one.
  CHECK ((status = 'draft') = (public_token_hash IS NULL)),
  -- An invoice is what the agency billed: its client cannot be deleted from under it.
  FOREIGN KEY (organization_id, client_id) REFERENCES clients (organization_id, id) ON DELETE RESTRICT,
  FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE SET NULL (project_id)
);
CREATE INDEX invoices_org_created_idx ON invoices (organization_id, created_at);
CREATE INDEX invoices_org_id_idx ON invoices (organization_id, id DESC);
CREATE INDEX invoices_org_status_idx ON invoices (organization_id, status, id DESC);
CREATE INDEX invoices_org_client_idx ON invoices (organization_id, client_id, id DESC);
CREATE INDEX invoices_org_project_idx ON invoices (organization_id, project_id) WHERE project_id IS NOT NULL;

CREATE TABLE invoice_lines (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  invoice_id      uuid NOT NULL,
  position        integer NOT NULL CHECK (position >= 0),
  description     text NOT NULL CHECK (description <> '' AND length(description) <= 1000),
  quantity_milli  bigint NOT NULL CHECK (quantity_milli > 0),    -- thousandths: 1500 = 1.5
  unit_price      bigint NOT NULL CHECK (unit_price >= 0),        -- minor units
  tax_rate_bp     integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  -- What the rule computed for this line: net before discount, its share of the discount, its tax.
  amount          bigint NOT NULL CHECK (amount >= 0),
  discount        bigint NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount <= amount),
  tax             bigint NOT NULL DEFAULT 0 CHECK (tax >= 0),
  task_id         uuid,                                             -- the task its time came from, if any
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, invoice_id, position),
  FOREIGN KEY (organization_id, invoice_id) REFERENCES invoices (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE SET NULL (task_id)
);

CREATE TABLE invoice_payments (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL,
  invoice_id      uuid NOT NULL,
  amount          bigint NOT NULL CHECK (amount > 0),
  paid_on         date NOT NULL,
  method          text NOT NULL DEFAULT 'bank_transfer'
                  CHECK (method IN ('bank_transfer', 'card', 'cash', 'check', 'other')),
  note            text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, invoice_id) REFERENCES invoices (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX invoice_payments_org_invoice_idx ON invoice_payments (organization_id, invoice_id, paid_on);

-- An entry is billed by at most one invoice: create-from-time sets invoice_id only where it is NULL.
-- Deleting a draft or voiding an invoice releases its entries (the store clears both columns).
ALTER TABLE time_entries ADD COLUMN invoice_id uuid,
  ADD CONSTRAINT time_entries_invoice_fk FOREIGN KEY (organization_id, invoice_id)
    REFERENCES invoices (organization_id, id) ON DELETE SET NULL (invoice_id),
  ADD CONSTRAINT time_entries_invoice_billed CHECK (invoice_id IS NULL OR billed_at IS NOT NULL);
CREATE INDEX time_entries_org_invoice_idx ON time_entries (organization_id, invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX time_entries_org_unbilled_idx ON time_entries (organization_id, project_id, started_at)
  WHERE billed_at IS NULL AND billable;

-- app_invoice_token reads the public-link token hash (hex) a client presents; NULL when unset.
CREATE FUNCTION app_invoice_token() RETURNS bytea LANGUAGE sql STABLE AS
$$ SELECT decode(NULLIF(current_setting('app.invoice_token', true), ''), 'hex') $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['invoice_counters', 'invoices', 'invoice_lines', 'invoice_payments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO clientflow_app', t);
  END LOOP;
END $$;
-- Whoever holds an invoice's public link may read that one invoice row (SELECT only): that is how the
-- client-facing view finds its organization before scoping the transaction to it.
CREATE POLICY public_link_read ON invoices FOR SELECT USING (public_token_hash = app_invoice_token());
GRANT EXECUTE ON FUNCTION app_invoice_token() TO clientflow_app;
