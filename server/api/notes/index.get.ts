import type { NotesResponse } from '#shared/notes'

/** The caller's notes, newest first: the pattern for an app route behind `requireAuth`. */
export default defineEventHandler(async (event): Promise<NotesResponse> => {
  const { userId } = await requireAuth(event)
  return { notes: await userNotes(await useAppDatabase(), userId).list() }
})
