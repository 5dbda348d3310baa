DROP INDEX IF EXISTS domain_events_org_entity_idx;
DROP INDEX IF EXISTS domain_events_org_project_idx;
DROP INDEX IF EXISTS domain_events_org_actor_idx;
DROP INDEX IF EXISTS domain_events_org_type_idx;
DROP TABLE IF EXISTS exports;
