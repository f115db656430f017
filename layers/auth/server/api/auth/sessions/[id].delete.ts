import { getRouterParam, sendNoContent } from 'h3'
import { clearAuthCookies } from '../../../http/auth-cookies'
import { useAuthServices } from '../../../services'
import { requireActiveSession } from '../../../sessions/require-active-session'

/** Revokes one of the caller's sessions. Unknown and other people's ids are the same 404: ids are never confirmed. */
export default defineEventHandler(async (event) => {
  const auth = await requireActiveSession(event)
  const { store, config } = await useAuthServices()
  const id = getRouterParam(event, 'id', { decode: true }) ?? ''

  if (!await store.revokeSession(auth.userId, id, Date.now(), id === auth.sessionId ? 'signout' : 'device')) {
    throw authError('not_found', 'No such session.')
  }
  logAuthEvent('session_revoked', { userId: auth.userId, sessionId: id, by: auth.sessionId }, event)
  if (id === auth.sessionId && auth.transport === 'cookie') clearAuthCookies(event, config)
  return sendNoContent(event)
})
