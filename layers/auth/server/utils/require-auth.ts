import type { H3Event } from 'h3'
import type { Transport } from '../../shared/types/api'
import { AccessTokenError } from '../tokens/access-tokens'
import type { AccessClaims } from '../tokens/access-tokens'
import { getAuthCookies } from '../http/auth-cookies'
import { assertSameOrigin, isUnsafeMethod } from '../http/csrf'
import { sessionRevokedError } from '../http/errors'
import { useAuthServices } from '../services'
import { getBearerToken, verifyLiveAccessToken } from '../sessions/request-auth'
import { authError } from './auth-error'

/** Who made a request, once its access token is verified; also at `event.context.auth`. */
export interface RequestAuth {
  userId: string
  sessionId: string
  transport: Transport
  claims: AccessClaims
}

declare module 'h3' {
  interface H3EventContext {
    auth?: RequestAuth
  }
}

/**
 * Requires a valid access token of a session that has not ended, from
 * `Authorization: Bearer` or the access cookie, and applies the CSRF rule to
 * cookie-authenticated unsafe requests. Throws 401 `unauthenticated` |
 * `token_expired` | `token_invalid` | `session_revoked`, or 403 `csrf`.
 * Needs no store round trip. Use it in any app route:
 * `const { userId } = await requireAuth(event)`.
 */
export async function requireAuth(event: H3Event): Promise<RequestAuth> {
  if (event.context.auth) return event.context.auth
  const services = await useAuthServices()
  const { config } = services

  const bearer = getBearerToken(event)
  const token = bearer ?? getAuthCookies(event, config).access
  if (!token) throw authError('unauthenticated', 'Sign in to continue.')
  const transport: Transport = bearer ? 'bearer' : 'cookie'
  if (transport === 'cookie' && isUnsafeMethod(event.method)) assertSameOrigin(event, config.appOrigin)

  try {
    const claims = await verifyLiveAccessToken(services, token)
    event.context.auth = { userId: claims.sub, sessionId: claims.sid, transport, claims }
    return event.context.auth
  }
  catch (error) {
    if (error instanceof AccessTokenError) {
      throw error.code === 'session_revoked' ? sessionRevokedError(error.revocationReason) : authError(error.code, error.message)
    }
    throw error
  }
}
