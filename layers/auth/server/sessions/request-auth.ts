import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import { AccessTokenError } from '../tokens/access-tokens'
import type { AccessClaims } from '../tokens/access-tokens'
import type { AuthServices } from '../services'

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
