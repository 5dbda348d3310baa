DROP FUNCTION IF EXISTS member_access(uuid, uuid, jsonb);
