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

/**
 * Step 2: a deleted note waits NOTE_UNDO_SECONDS for an undo, then is purged;
 * the partial index keeps the purge's search to the few that wait.
 */
const addDeletedAt = (timeType: 'INTEGER' | 'BIGINT') => `
  ALTER TABLE notes ADD COLUMN deleted_at ${timeType};
  CREATE INDEX notes_deleted ON notes(deleted_at) WHERE deleted_at IS NOT NULL;
`

export const notesMigrations: AppMigrations = {
  name: 'notes',
  sqlite: [createNotes('INTEGER'), addDeletedAt('INTEGER')],
  postgres: [createNotes('BIGINT'), addDeletedAt('BIGINT')],
}
