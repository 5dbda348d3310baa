DROP FUNCTION live_organization_ids(uuid, integer);
