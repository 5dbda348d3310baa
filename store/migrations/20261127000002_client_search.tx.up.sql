-- Client search under row-level security.
-- Policies are security barriers: an operator that is not LEAKPROOF (LIKE, ILIKE, @@) may not be used to
-- search an index before the policy has filtered rows, so the trigram index on clients was never usable by
-- the app role. Search instead scans one organization's rows (via its organization_id index) and filters a
-- stored, lower-cased column with plain LIKE, which is much cheaper per row than ILIKE on a concatenation.
DROP INDEX IF EXISTS clients_search_trgm_idx;
ALTER TABLE clients ADD COLUMN search text
  GENERATED ALWAYS AS (lower(name || ' ' || email || ' ' || company)) STORED;
