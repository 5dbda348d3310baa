-- The subscription backfill (workflow SubscriptionBackfill) pages through every live organization to start
-- the Subscription workflow of those created before plans existed. The app role cannot list organizations
-- (forced RLS), so this function, owned by the migrating role (which reads every organization, as the plans
-- migration's backfill did), answers one page of live organizations' ids and nothing else.
CREATE FUNCTION live_organization_ids(after uuid, page integer) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM organizations
    WHERE status = 'active' AND (after IS NULL OR id > after)
    ORDER BY id LIMIT least(greatest(page, 1), 1000)
$$;
REVOKE ALL ON FUNCTION live_organization_ids(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION live_organization_ids(uuid, integer) TO clientflow_app;
