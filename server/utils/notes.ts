import type { AppDatabase } from '#layers/auth/server/utils/app-database'
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

/** The notes of one user, in the app's own table (server/migrations/notes.ts). */
export function userNotes(database: AppDatabase, userId: string) {
  return {
    /** Newest first. */
    async list(): Promise<Note[]> {
      const rows = await database.all<NoteRow>('SELECT * FROM notes WHERE user_id = ? ORDER BY created_at DESC, id', [userId])
      return rows.map(toPublicNote)
    },
    async add(text: string): Promise<Note> {
      const row: NoteRow = { id: crypto.randomUUID(), user_id: userId, text, created_at: Date.now() }
      await database.run('INSERT INTO notes (id, user_id, text, created_at) VALUES (?, ?, ?, ?)', [row.id, row.user_id, row.text, row.created_at])
      return toPublicNote(row)
    },
    /** False when this user has no note with that id (someone else's included). */
    async remove(noteId: string): Promise<boolean> {
      return await database.run('DELETE FROM notes WHERE id = ? AND user_id = ?', [noteId, userId]) === 1
    },
  }
}
