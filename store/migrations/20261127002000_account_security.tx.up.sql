-- Account security: profile fields, password reset tokens, TOTP two-factor with backup codes, the sign-in
-- second step, and security events. All of it belongs to global users, so none of it is tenant-scoped.
ALTER TABLE users
  ADD COLUMN timezone            text NOT NULL DEFAULT 'UTC' CHECK (timezone <> '' AND length(timezone) <= 64),
  ADD COLUMN avatar_url          text NOT NULL DEFAULT '' CHECK (avatar_url = '' OR avatar_url LIKE 'https://%'),
  -- TOTP secrets are sealed with AES-GCM under a key derived from SESSION_SECRET; the database never holds them
  -- in the clear. totp_pending_secret waits for the first code; totp_secret is the enabled one.
  ADD COLUMN totp_pending_secret bytea,
  ADD COLUMN totp_secret         bytea,
  ADD COLUMN totp_enabled_at     timestamptz,
  -- totp_last_step is the 30-second time step of the last accepted code, so a code is never accepted twice.
  ADD COLUMN totp_last_step      bigint NOT NULL DEFAULT 0,
  ADD CONSTRAINT users_totp_enabled CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL));

-- A password reset link's token; only its hash is stored, and it works once.
CREATE TABLE password_reset_tokens (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX password_reset_tokens_user_id_idx ON password_reset_tokens (user_id);

-- Two-factor backup codes, stored hashed; each works once.
CREATE TABLE backup_codes (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz,
  UNIQUE (user_id, code_hash)
);

-- The pending second step of a sign-in whose password was right: it expires and dies after 5 wrong codes.
CREATE TABLE sign_in_challenges (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  failures   integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX sign_in_challenges_user_id_idx ON sign_in_challenges (user_id);

-- Security events on an account (e.g. a sign-in from a new device and network).
CREATE TABLE security_events (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('suspicious_login')),
  ip         text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX security_events_user_id_created_at_idx ON security_events (user_id, created_at);

-- Risky sign-in detection reads a user's recent sessions.
CREATE INDEX sessions_user_id_created_at_idx ON sessions (user_id, created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON password_reset_tokens, backup_codes, sign_in_challenges, security_events
  TO clientflow_app;
