import { getRouterParam, sendNoContent } from 'h3'

/** Deletes one of the caller's notes; someone else's note is the same 404 as a missing one. */
export default defineEventHandler(async (event) => {
  const { userId } = await requireAuth(event)
  const removed = await userNotes(await useAppDatabase(), userId).remove(getRouterParam(event, 'id', { decode: true }) ?? '')
  if (!removed) throw authError('not_found', 'No such note.')
  return sendNoContent(event)
})
