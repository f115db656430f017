import { setResponseStatus } from 'h3'
import { z } from 'zod'
import { NOTE_MAX_LENGTH } from '#shared/constants'
import type { NoteResponse } from '#shared/types/api'

const newNote = z.object({ text: z.string().trim().min(1, 'write something first').max(NOTE_MAX_LENGTH) })

/** Adds a note for the caller. */
export default defineEventHandler(async (event): Promise<NoteResponse> => {
  const { userId } = await requireAuth(event)
  const { body } = await readValidBody(event, newNote)
  const { store } = await useAuthServices()
  const note = { id: crypto.randomUUID(), userId, text: body.text, createdAt: Date.now() }
  await store.addNote(note)
  setResponseStatus(event, 201)
  return { note: toPublicNote(note) }
})
