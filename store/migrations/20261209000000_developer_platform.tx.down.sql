DROP FUNCTION IF EXISTS api_key_by_hash(bytea);
DROP TABLE IF EXISTS webhook_delivery_attempts, webhook_deliveries, webhook_endpoints, api_keys;
