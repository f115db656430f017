import { getRouterParam } from 'h3'
import type { NoteResponse } from '#shared/notes'

/** Undoes a delete within NOTE_UNDO_SECONDS; after that, or for someone else's note, the same 404 as a missing one. */
export default defineEventHandler(async (event): Promise<NoteResponse> => {
  const { userId } = await requireAuth(event)
  const note = await userNotes(await useAppDatabase(), userId).restore(getRouterParam(event, 'id', { decode: true }) ?? '')
  if (!note) throw authError('not_found', 'No such note, or it can no longer be restored.')
  return { note }
})
