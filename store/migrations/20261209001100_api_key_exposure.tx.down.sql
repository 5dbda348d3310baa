ALTER TABLE api_keys DROP COLUMN IF EXISTS exposure_notified_on;
