import type { NotesResponse } from '#shared/types/api'

/** The caller's notes, newest first: the pattern for an app route behind `requireAuth`. */
export default defineEventHandler(async (event): Promise<NotesResponse> => {
  const { userId } = await requireAuth(event)
  const { store } = await useAuthServices()
  const notes = await store.listNotes(userId)
  return { notes: notes.map(toPublicNote) }
})
