/**
 * The PostgreSQL schema, as numbered steps applied in order at start-up
 * (under an advisory lock, so several instances starting together apply
 * each once). Never edit a step that has shipped: add the next one.
 * Times are epoch milliseconds in BIGINT, as in the SQLite schema.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: users, sessions with their refresh-token chain, replay records, keys.
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    google_sub TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    picture TEXT,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT NOT NULL
  );

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    refresh_hash TEXT NOT NULL UNIQUE,
    previous_hash TEXT,
    previous_rotated_at BIGINT,
    successor_sealed TEXT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    user_agent TEXT,
    ip TEXT
  );
  CREATE INDEX sessions_previous_hash ON sessions(previous_hash);
  CREATE INDEX sessions_user ON sessions(user_id, created_at);
  CREATE INDEX sessions_expires ON sessions(expires_at);

  CREATE TABLE refresh_token_history (
    hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    superseded_at BIGINT NOT NULL
  );
  CREATE INDEX refresh_token_history_session ON refresh_token_history(session_id);

  CREATE TABLE single_use_records (
    key TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX single_use_records_expires ON single_use_records(expires_at);

  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    alg TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    private_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
  );
  CREATE INDEX signing_keys_purpose ON signing_keys(purpose, created_at);
  `,
  // 2: was the example app's notes table. It now belongs to the app (its own migrations, registered with
  // registerAppMigrations), whose first step creates it only where this step has not: a no-op here keeps the numbering.
  '-- moved to the app',
  // 3: the revocation feed. Every revocation, by any process (an instance, the operator's
  // auth:revoke, a hand-written UPDATE), is announced on commit to the listening instances;
  // the index serves their fallback poll. The operator finds users by e-mail.
  `
  ALTER TABLE sessions ADD COLUMN revoked_reason TEXT;
  CREATE INDEX sessions_revoked ON sessions(revoked_at) WHERE revoked_at IS NOT NULL;
  CREATE INDEX users_email ON users(email);
  CREATE FUNCTION auth_announce_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('auth_session_revoked', NEW.id || ' ' || NEW.revoked_at || ' ' || COALESCE(NEW.revoked_reason, ''));
    RETURN NULL;
  END $$;
  CREATE TRIGGER sessions_announce_revocation
    AFTER UPDATE OF revoked_at ON sessions
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION auth_announce_revocation();
  `,
  // 4: rate-limit counters, shared by every process on the database (cluster workers, instances).
  `
  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    reset_at BIGINT NOT NULL,
    count INTEGER NOT NULL
  );
  CREATE INDEX rate_limits_reset ON rate_limits(reset_at);
  `,
  // 5: the previous refresh hash is found through refresh_token_history, which holds every superseded
  // hash (the previous one too): its own index on sessions cost every rotation a fifth of its time.
  'DROP INDEX IF EXISTS sessions_previous_hash;',
  // 6: what is left of a deleted user's sessions (deleteUser): the id, when it ended and why, for the
  // revocation feed. No user id, no user agent, no IP; purged with other ended sessions.
  `
  CREATE TABLE session_tombstones (
    id TEXT PRIMARY KEY,
    revoked_at BIGINT NOT NULL,
    revoked_reason TEXT
  );
  CREATE INDEX session_tombstones_revoked ON session_tombstones(revoked_at);
  `,
]
