import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import type { Transport } from '#shared/types/api'
import { AccessTokenError } from './access-tokens'
import type { AccessClaims } from './access-tokens'
import { getAuthCookies } from './auth-cookies'
import { useAuthServices } from './auth-services'
import type { AuthServices } from './auth-services'
import { assertSameOrigin, isUnsafeMethod } from './csrf'
import { authError, sessionRevokedError } from './errors'
import { isSessionActive } from './auth-sessions'

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

/** The token of an `Authorization: Bearer` header, or null. */
export function getBearerToken(event: H3Event): string | null {
  const header = getRequestHeader(event, 'authorization')
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match ? match[1]! : null
}

/** A bearer value that looks like a JWT (three parts) is an access token; anything else may be a refresh token. */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3
}

/**
 * Verifies an access token and that its session has not ended (the
 * in-memory revocation list: no store round trip). Throws AccessTokenError
 * `token_expired` | `token_invalid` | `session_revoked`.
 */
export async function verifyLiveAccessToken(services: Pick<AuthServices, 'accessTokens' | 'revokedSessions'>, token: string): Promise<AccessClaims> {
  const claims = await services.accessTokens.verify(token)
  const revocation = services.revokedSessions.reasonOf(claims.sid)
  if (revocation !== undefined) throw new AccessTokenError('session_revoked', undefined, revocation)
  return claims
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

/**
 * The session an access token names, expired or not (its signature is still
 * checked): sign-out must work after the token has run out.
 */
export async function findSessionByAccessToken(services: AuthServices, token: string) {
  let sessionId: string | undefined
  try {
    sessionId = (await services.accessTokens.verify(token)).sid
  }
  catch (error) {
    if (!(error instanceof AccessTokenError)) throw error
    sessionId = error.expiredClaims?.sid
  }
  return sessionId ? services.store.findSessionById(sessionId) : null
}

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
