-- The dashboard's revenue reads paid invoices by payment date: without this index it walks every paid
-- invoice of the organization (invoices_org_status_idx) and filters the period out of them.
CREATE INDEX invoices_org_paid_idx ON invoices (organization_id, paid_at) WHERE status = 'paid';
