/** The notes API's shapes and limits, shared by its handlers, the notes page and the tests. */

/** Longest note kept, characters. */
export const NOTE_MAX_LENGTH = 1000

/** How long a deleted note can be restored (POST /api/notes/:id/restore) before it is gone for good, seconds. */
export const NOTE_UNDO_SECONDS = 30

/** A personal note (/api/notes). */
export interface Note {
  id: string
  text: string
  /** ISO-8601. */
  createdAt: string
}

/** GET /api/notes */
export interface NotesResponse {
  notes: Note[]
}

/** POST /api/notes */
export interface NoteResponse {
  note: Note
}
