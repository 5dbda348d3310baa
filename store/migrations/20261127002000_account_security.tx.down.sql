DROP INDEX IF EXISTS sessions_user_id_created_at_idx;
DROP TABLE IF EXISTS security_events;
DROP TABLE IF EXISTS sign_in_challenges;
DROP TABLE IF EXISTS backup_codes;
DROP TABLE IF EXISTS password_reset_tokens;
ALTER TABLE users
  DROP CONSTRAINT IF EXISTS users_totp_enabled,
  DROP COLUMN IF EXISTS totp_last_step,
  DROP COLUMN IF EXISTS totp_enabled_at,
  DROP COLUMN IF EXISTS totp_secret,
  DROP COLUMN IF EXISTS totp_pending_secret,
  DROP COLUMN IF EXISTS avatar_url,
  DROP COLUMN IF EXISTS timezone;
