import { z } from 'zod'
import type { BearerRefreshResponse, CookieRefreshResponse, Transport } from '../../../shared/types/api'
import type { RefreshFailure } from '../../sessions/auth-sessions'
import { deliverTokens } from '../../tokens/token-response'
import { clearAuthCookies, getAuthCookies } from '../../http/auth-cookies'
import { assertSameOrigin } from '../../http/csrf'
import { getClientIp } from '../../http/client-ip'
import { enforceRateLimit } from '../../http/rate-limit'
import { sessionRevokedError } from '../../http/errors'
import { useAuthServices } from '../../services'
import { findSessionByRefreshToken } from '../../sessions/auth-sessions'
import { refreshSessionTokens } from '../../sessions/session-refresh'
import { toPublicUser } from '../../sessions/public-user'
import { getBearerToken } from '../../sessions/request-auth'

const refreshBody = z.object({ refreshToken: z.string().min(1).max(512).optional() })

const FAILURE_MESSAGES: Record<RefreshFailure, string> = {
  refresh_invalid: 'The refresh token is not valid; sign in again.',
  refresh_reused: 'This refresh token was already used; the session has been ended for safety. Sign in again.',
  session_expired: 'The session has expired; sign in again.',
  session_revoked: 'The session was signed out; sign in again.',
}

/** Exchanges a refresh token for a new access token and the refresh token's successor. */
export default defineEventHandler(async (event): Promise<CookieRefreshResponse | BearerRefreshResponse> => {
  const services = await useAuthServices()
  const { config } = services
  await enforceRateLimit(event, services.limiter, `refresh-ip:${getClientIp(event)}`, config.rateLimits.refresh)
  const { body } = await readValidBody(event, refreshBody, { allowEmpty: true })

  // The body wins over the header: a client may send its access token in Authorization on every call.
  const bearer = body.refreshToken ?? getBearerToken(event)
  const transport: Transport = bearer ? 'bearer' : 'cookie'
  const cookies = getAuthCookies(event, config)
  const presented = bearer ?? cookies.refresh
  if (!presented) {
    if (cookies.access) clearAuthCookies(event, config)
    throw authError('refresh_missing', 'No refresh token was sent; sign in.')
  }
  if (transport === 'cookie') assertSameOrigin(event, config.appOrigin)
  if (config.rateLimits.refresh) {
    // Per session too: one stolen token cannot be spun from many addresses.
    const session = await findSessionByRefreshToken(services.store, presented)
    if (session) await enforceRateLimit(event, services.limiter, `refresh-session:${session.id}`, config.rateLimits.refresh)
  }

  const outcome = await refreshSessionTokens(services, presented, event)
  if (!outcome.ok) {
    if (transport === 'cookie') clearAuthCookies(event, config)
    throw outcome.code === 'session_revoked'
      ? sessionRevokedError(outcome.session?.revokedReason, FAILURE_MESSAGES.session_revoked)
      : authError(outcome.code, FAILURE_MESSAGES[outcome.code])
  }
  return transport === 'cookie'
    ? deliverTokens(event, config, 'cookie', outcome.tokens, { user: toPublicUser(outcome.user) }) as CookieRefreshResponse
    : deliverTokens(event, config, 'bearer', outcome.tokens, {}) as BearerRefreshResponse
})
