import type { H3Event } from 'h3'
import type { BearerTokens, Transport } from '../../shared/types/api'
import { accessLifetime, setAuthCookies } from '../http/auth-cookies'
import type { AuthConfig } from '../config'

export interface IssuedTokens {
  accessToken: string
  /** Epoch ms. */
  accessExpiresAt: number
  refreshToken: string
  session: { expiresAt: number }
}

/**
 * Hands fresh tokens over by transport: as HttpOnly cookies, with only the
 * expiry in the body (no token ever reaches page JavaScript), or in the body
 * for bearer clients (and then no cookie is set).
 */
export function deliverTokens<T extends object>(event: H3Event, config: AuthConfig, transport: Transport, tokens: IssuedTokens, extra: T):
  (T & { expiresIn: number, expiresAt: string }) | (T & BearerTokens) {
  const now = Date.now()
  const expiresAt = new Date(tokens.accessExpiresAt).toISOString()
  // Relative as well as absolute: a client whose clock is off schedules its refresh from expiresIn.
  const expiresIn = accessLifetime(config, tokens.accessExpiresAt, now)
  if (transport === 'cookie') {
    setAuthCookies(event, config, { ...tokens, sessionExpiresAt: tokens.session.expiresAt, now })
    return { ...extra, expiresIn, expiresAt }
  }
  return {
    ...extra,
    tokenType: 'Bearer',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn,
    expiresAt,
  }
}
