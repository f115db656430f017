/**
 * The SQLite schema, as numbered steps applied in order at start-up. Never
 * edit a step that has shipped: add the next one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: users, sessions with their refresh-token chain, replay records, keys.
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    google_sub TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    picture TEXT,
    created_at INTEGER NOT NULL,
    last_sign_in_at INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    refresh_hash TEXT NOT NULL UNIQUE,
    previous_hash TEXT,
    previous_rotated_at INTEGER,
    successor_sealed TEXT,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    user_agent TEXT,
    ip TEXT
  );
  CREATE INDEX sessions_previous_hash ON sessions(previous_hash);
  CREATE INDEX sessions_user ON sessions(user_id, created_at);
  CREATE INDEX sessions_expires ON sessions(expires_at);

  -- Every superseded refresh token, so that presenting one is recognised as reuse.
  CREATE TABLE refresh_token_history (
    hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    superseded_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX refresh_token_history_session ON refresh_token_history(session_id);

  CREATE TABLE single_use_records (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX single_use_records_expires ON single_use_records(expires_at);

  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    alg TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    private_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER
  );
  CREATE INDEX signing_keys_purpose ON signing_keys(purpose, created_at);
  `,
  // 2: was the example app's notes table. It now belongs to the app (its own migrations, registered with
  // registerAppMigrations), whose first step creates it only where this step has not: a no-op here keeps the numbering.
  '-- moved to the app',
  // 3: why a session was revoked; the revocation feed reads recently revoked sessions; the operator finds users by e-mail.
  `
  ALTER TABLE sessions ADD COLUMN revoked_reason TEXT;
  CREATE INDEX sessions_revoked ON sessions(revoked_at) WHERE revoked_at IS NOT NULL;
  CREATE INDEX users_email ON users(email);
  `,
  // 4: rate-limit counters, shared by every process on the database (cluster workers, instances).
  `
  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    reset_at INTEGER NOT NULL,
    count INTEGER NOT NULL
  ) WITHOUT ROWID;
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
    revoked_at INTEGER NOT NULL,
    revoked_reason TEXT
  ) WITHOUT ROWID;
  CREATE INDEX session_tombstones_revoked ON session_tombstones(revoked_at);
  `,
]
