import { sendNoContent } from 'h3'
import { useAuthServices } from '../../../services'
import { requireActiveSession } from '../../../sessions/require-active-session'

/** "Sign out everywhere else": revokes every session of the caller but the current one. */
export default defineEventHandler(async (event) => {
  const auth = await requireActiveSession(event)
  const { store } = await useAuthServices()
  const revoked = await store.revokeOtherSessions(auth.userId, auth.sessionId, Date.now())
  logAuthEvent('session_revoked', { userId: auth.userId, keptSessionId: auth.sessionId, count: revoked.length }, event)
  return sendNoContent(event)
})
