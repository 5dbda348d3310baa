-- SECURITY DEFINER functions search pg_temp last: with search_path = public alone, Postgres still searches the
-- caller's temporary schema first for tables, so a session could shadow api_keys or organizations with a
-- temporary table of the same name (it would only fake its own answers, but a definer function should not
-- read anything the caller can plant).
ALTER FUNCTION api_key_by_hash(bytea) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION live_organization_ids(uuid, integer) SET search_path = pg_catalog, public, pg_temp;
