-- The audit log: who did which security or administrative action, to what, from where.
-- Append-only for the application: clientflow_app may insert and select, never update or delete, and a
-- trigger refuses updates from anyone. Rows leave only with their organization (the foreign key's cascade
-- runs as the table owner).
CREATE TABLE audit_logs (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  id              uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- No foreign keys to users or api_keys: a row must stay as written after its actor or key is deleted.
  actor_id        uuid,
  actor_name      text NOT NULL DEFAULT '' CHECK (length(actor_name) <= 200),
  api_key_id      uuid,
  action          text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$' AND length(action) <= 100),
  entity_type     text NOT NULL CHECK (entity_type ~ '^[a-z_]+$' AND length(entity_type) <= 50),
  entity_id       text NOT NULL DEFAULT '' CHECK (length(entity_id) <= 100),
  ip              text NOT NULL DEFAULT '' CHECK (length(ip) <= 64),
  user_agent      text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 512),
  request_id      text NOT NULL DEFAULT '' CHECK (length(request_id) <= 64),
  metadata        jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (organization_id, id)
);
-- The log pages newest first by id (UUIDv7, time-ordered); the filters an admin uses most have their own.
CREATE INDEX audit_logs_org_action_idx ON audit_logs (organization_id, action, id DESC);
CREATE INDEX audit_logs_org_actor_idx ON audit_logs (organization_id, actor_id, id DESC);
CREATE INDEX audit_logs_org_entity_idx ON audit_logs (organization_id, entity_type, entity_id, id DESC);

ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_logs FOR SELECT USING (organization_id = app_org_id());
CREATE POLICY tenant_append ON audit_logs FOR INSERT WITH CHECK (organization_id = app_org_id());
GRANT SELECT, INSERT ON audit_logs TO clientflow_app;

CREATE FUNCTION audit_logs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs rows are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_immutable();

-- uuid_v7 is a time-ordered UUID (48-bit millisecond time, version 7) like the application's, so rows written in
-- SQL page in the same id order. Postgres 18 has uuidv7(); this runs on 15.
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
    52, 1), 53, 1), 'hex')::uuid
$$;

-- audit_user_action writes one row in every organization where the user is an active member, for events of
-- a user rather than of one organization (sign-in, password and two-factor changes). It runs as the owner
-- because the caller has no single tenant scope; it writes only rows about p_user, in p_user's organizations.
-- p_actor is who acted: the user, or NULL when no one proved to be them (a refused sign-in).
CREATE FUNCTION audit_user_action(p_user uuid, p_actor uuid, p_action text, p_ip text, p_user_agent text,
  p_request_id text, p_metadata jsonb) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  INSERT INTO audit_logs (organization_id, id, actor_id, actor_name, action, entity_type, entity_id, ip,
      user_agent, request_id, metadata)
  SELECT m.organization_id, uuid_v7(), p_actor, coalesce((SELECT a.name FROM users a WHERE a.id = p_actor), ''),
      p_action, 'user', p_user::text,
      left(coalesce(p_ip, ''), 64), left(coalesce(p_user_agent, ''), 512), left(coalesce(p_request_id, ''), 64),
      coalesce(p_metadata, '{}')
    FROM organization_memberships m
   WHERE m.user_id = p_user AND m.status = 'active'
$$;
REVOKE ALL ON FUNCTION audit_user_action(uuid, uuid, text, text, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_user_action(uuid, uuid, text, text, text, text, jsonb) TO clientflow_app;
