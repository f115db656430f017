import type { Note } from '#shared/types/api'
import type { NoteRow } from '../store/types'

/** The public shape of a note: no owner id. */
export function toPublicNote(note: NoteRow): Note {
  return { id: note.id, text: note.text, createdAt: new Date(note.createdAt).toISOString() }
}
