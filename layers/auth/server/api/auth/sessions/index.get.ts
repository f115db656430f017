import type { SessionsResponse } from '../../../../shared/types/api'
import { useAuthServices } from '../../../services'
import { requireActiveSession } from '../../../sessions/require-active-session'

/** The caller's own active sessions, newest first. */
export default defineEventHandler(async (event): Promise<SessionsResponse> => {
  const auth = await requireActiveSession(event)
  const { store, config } = await useAuthServices()
  const now = Date.now()
  const sessions = await store.listActiveSessions(auth.userId, now, now - config.sessionIdleTtl * 1000)
  return {
    sessions: sessions.map(session => ({
      id: session.id,
      current: session.id === auth.sessionId,
      createdAt: new Date(session.createdAt).toISOString(),
      lastUsedAt: new Date(session.lastUsedAt).toISOString(),
      userAgent: session.userAgent,
      ip: session.ip,
    })),
  }
})
