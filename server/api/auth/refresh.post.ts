import { getRequestIP } from 'h3'
import { z } from 'zod'
import type { BearerRefreshResponse, CookieRefreshResponse, Transport } from '#shared/types/api'

const refreshBody = z.object({ refreshToken: z.string().min(1).max(512).optional() })

const FAILURE_MESSAGES = {
  refresh_invalid: 'The refresh token is not valid; sign in again.',
  refresh_reused: 'This refresh token was already used; the session has been ended for safety. Sign in again.',
  session_expired: 'The session has expired; sign in again.',
  session_revoked: 'The session was signed out; sign in again.',
} as const

/** Exchanges a refresh token for a new access token and the refresh token's successor. */
export default defineEventHandler(async (event): Promise<CookieRefreshResponse | BearerRefreshResponse> => {
  const services = await useAuthServices()
  const { config, store } = services
  enforceRateLimit(event, services.limiter, `refresh:${getRequestIP(event)}`, config.rateLimits.refresh)
  const { body } = await readValidBody(event, refreshBody, { allowEmpty: true })

  const bearer = getBearerToken(event) ?? body.refreshToken
  const transport: Transport = bearer ? 'bearer' : 'cookie'
  const presented = bearer ?? getAuthCookies(event, config).refresh
  if (!presented) {
    throw authError('refresh_missing', 'No refresh token was sent; sign in.')
  }
  if (transport === 'cookie') assertSameOrigin(event, config.appOrigin)

  const outcome = await rotateAuthSession(store, config, presented, Date.now())
  const user = outcome.ok ? await store.findUserById(outcome.session.userId) : null
  if (!outcome.ok || !user) {
    const code = outcome.ok ? 'refresh_invalid' : outcome.code
    if (code === 'refresh_reused') logAuthEvent('refresh_reused', { userId: outcome.session?.userId ?? null, sessionId: outcome.session?.id ?? null }, event)
    if (transport === 'cookie') clearAuthCookies(event, config)
    throw authError(code, FAILURE_MESSAGES[code])
  }

  const access = await signAccessToken(services, user, outcome.session)
  const tokens = { accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken: outcome.refreshToken, session: outcome.session }
  return transport === 'cookie'
    ? deliverTokens(event, config, 'cookie', tokens, { user: toPublicUser(user) }) as CookieRefreshResponse
    : deliverTokens(event, config, 'bearer', tokens, {}) as BearerRefreshResponse
})
