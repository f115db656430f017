import type { AppMigrations } from '#layers/auth/server/utils/app-database'

/**
 * The notes table, this app's own data beside the auth tables. Step 1 creates
 * it only where it is missing: databases made before the auth layer was split
 * out already have it (the auth schema's step 2 created it then).
 */
export const notesMigrations: AppMigrations = {
  name: 'notes',
  sqlite: [`
    CREATE TABLE IF NOT EXISTS notes (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notes_user ON notes(user_id, created_at);
  `],
  postgres: [`
    CREATE TABLE IF NOT EXISTS notes (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      text TEXT NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notes_user ON notes(user_id, created_at);
  `],
}
