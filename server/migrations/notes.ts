import type { AppMigrations } from '#layers/auth/server/utils/app-database'

/**
 * The notes table, this app's own data beside the auth tables. Step 1 creates
 * it only where it is missing: databases made before the auth layer was split
 * out already have it (the auth schema's step 2 created it then).
 */
/** Step 1; times are epoch ms, which need BIGINT on PostgreSQL. */
const createNotes = (timeType: 'INTEGER' | 'BIGINT') => `
  CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at ${timeType} NOT NULL
  );
  CREATE INDEX IF NOT EXISTS notes_user ON notes(user_id, created_at);
`

export const notesMigrations: AppMigrations = {
  name: 'notes',
  sqlite: [createNotes('INTEGER')],
  postgres: [createNotes('BIGINT')],
}
