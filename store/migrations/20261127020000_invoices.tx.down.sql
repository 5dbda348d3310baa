DROP INDEX IF EXISTS time_entries_org_unbilled_idx;
ALTER TABLE time_entries DROP COLUMN IF EXISTS invoice_id;
DROP TABLE IF EXISTS invoice_payments, invoice_lines, invoices, invoice_counters;
DROP FUNCTION IF EXISTS app_invoice_token();
