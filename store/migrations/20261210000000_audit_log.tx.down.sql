DROP FUNCTION IF EXISTS audit_user_action(uuid, uuid, text, text, text, text, jsonb);
DROP TABLE IF EXISTS audit_logs;
DROP FUNCTION IF EXISTS audit_logs_immutable();
DROP FUNCTION IF EXISTS uuid_v7();
