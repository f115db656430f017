import type { H3Event } from 'h3'
import { sessionRevokedError } from '../http/errors'
import { useAuthServices } from '../services'
import { authError } from '../utils/auth-error'
import { requireAuth } from '../utils/require-auth'
import type { RequestAuth } from '../utils/require-auth'
import { isSessionActive } from './auth-sessions'

/**
 * `requireAuth`, plus a store check that the session is still active: for
 * routes that manage sessions, so that a revoked device's access token,
 * valid for a few more minutes, cannot sign the owner out everywhere.
 * Throws 401 `session_revoked` or `session_expired`.
 */
export async function requireActiveSession(event: H3Event): Promise<RequestAuth> {
  const auth = await requireAuth(event)
  const { store, config } = await useAuthServices()
  const session = await store.findSessionById(auth.sessionId)
  if (!session || session.revokedAt !== null) throw sessionRevokedError(session?.revokedReason)
  if (!isSessionActive(session, config, Date.now())) throw authError('session_expired', 'This session has expired; sign in again.')
  return auth
}
