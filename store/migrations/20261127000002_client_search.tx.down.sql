ALTER TABLE clients DROP COLUMN IF EXISTS search;
CREATE INDEX IF NOT EXISTS clients_search_trgm_idx ON clients USING gin ((name || ' ' || email || ' ' || company) gin_trgm_ops);
