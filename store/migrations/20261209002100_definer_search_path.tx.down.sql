ALTER FUNCTION api_key_by_hash(bytea) SET search_path = public;
ALTER FUNCTION live_organization_ids(uuid, integer) SET search_path = public;
