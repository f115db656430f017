import type { AppDatabase } from '#layers/auth/server/utils/app-database'
import { NOTE_UNDO_SECONDS } from '#shared/notes'
import type { Note } from '#shared/notes'

/** A note as stored: always read and written scoped to its owner. */
interface NoteRow {
  id: string
  user_id: string
  text: string
  created_at: number | string
}

function toPublicNote(row: NoteRow): Note {
  return { id: row.id, text: row.text, createdAt: new Date(Number(row.created_at)).toISOString() }
}

const UNDO_MS = NOTE_UNDO_SECONDS * 1000

/**
 * Deletes for good the notes whose undo window has passed, everyone's. Run
 * on every delete and every minute (server/plugins/notes-purge.ts), so a
 * deleted note outlives its window by at most a minute.
 */
export async function purgeDeletedNotes(database: AppDatabase, now = Date.now()): Promise<number> {
  return await database.run('DELETE FROM notes WHERE deleted_at IS NOT NULL AND deleted_at <= ?', [now - UNDO_MS])
}

/** The notes of one user, in the app's own table (server/migrations/notes.ts). */
export function userNotes(database: AppDatabase, userId: string) {
  return {
    /** Newest first; deleted ones are not listed, even while they can be restored. */
    async list(): Promise<Note[]> {
      const rows = await database.all<NoteRow>('SELECT * FROM notes WHERE user_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id', [userId])
      return rows.map(toPublicNote)
    },
    async add(text: string): Promise<Note> {
      const row: NoteRow = { id: crypto.randomUUID(), user_id: userId, text, created_at: Date.now() }
      await database.run('INSERT INTO notes (id, user_id, text, created_at) VALUES (?, ?, ?, ?)', [row.id, row.user_id, row.text, row.created_at])
      return toPublicNote(row)
    },
    /** Deletes, restorable for NOTE_UNDO_SECONDS. False when this user has no such note (someone else's included). */
    async remove(noteId: string, now = Date.now()): Promise<boolean> {
      const removed = await database.run('UPDATE notes SET deleted_at = ? WHERE id = ? AND user_id = ? AND deleted_at IS NULL', [now, noteId, userId]) === 1
      await purgeDeletedNotes(database, now)
      return removed
    },
    /** Undoes `remove` within its window; null when there is nothing of this user's to restore. */
    async restore(noteId: string, now = Date.now()): Promise<Note | null> {
      const restored = await database.run('UPDATE notes SET deleted_at = NULL WHERE id = ? AND user_id = ? AND deleted_at > ?', [noteId, userId, now - UNDO_MS])
      if (restored !== 1) return null
      const [row] = await database.all<NoteRow>('SELECT * FROM notes WHERE id = ? AND user_id = ?', [noteId, userId])
      return row ? toPublicNote(row) : null
    },
  }
}
