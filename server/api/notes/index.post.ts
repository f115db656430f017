import { setResponseStatus } from 'h3'
import { z } from 'zod'
import { NOTE_MAX_LENGTH } from '#shared/notes'
import type { NoteResponse } from '#shared/notes'

const newNote = z.object({ text: z.string().trim().min(1, 'write something first').max(NOTE_MAX_LENGTH) })

/** Adds a note for the caller. */
export default defineEventHandler(async (event): Promise<NoteResponse> => {
  const { userId } = await requireAuth(event)
  const { body } = await readValidBody(event, newNote)
  const note = await userNotes(await useAppDatabase(), userId).add(body.text)
  setResponseStatus(event, 201)
  return { note }
})
