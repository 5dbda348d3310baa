DROP INDEX invoices_org_paid_idx;
