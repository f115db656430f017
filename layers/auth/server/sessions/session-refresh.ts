import type { H3Event } from 'h3'
import type { SessionRow, UserRow } from '../store/types'
import { logAuthEvent } from '../utils/audit-log'
import type { ClientInfo } from '../utils/audit-log'
import type { AuthServices } from '../services'
import { rotateAuthSession } from './auth-sessions'
import type { RefreshFailure } from './auth-sessions'
import { signAccessToken } from './sign-in'
import type { IssuedTokens } from '../tokens/token-response'

export type SessionRefresh
  = | { ok: true, user: UserRow, session: SessionRow, tokens: IssuedTokens }
    | { ok: false, code: RefreshFailure, session: SessionRow | null }

/**
 * Rotates a refresh token and signs a new access token: what
 * POST /api/auth/refresh and the page renderer's in-process refresh share.
 */
export async function refreshSessionTokens(services: AuthServices, presented: string, client: ClientInfo | H3Event, now = Date.now()): Promise<SessionRefresh> {
  const outcome = await rotateAuthSession(services.store, services.config, presented, now)
  if (!outcome.ok) {
    // Logged where it is detected: once, whichever caller (the API or a page render) presented it.
    if (outcome.code === 'refresh_reused') logAuthEvent('refresh_reused', { userId: outcome.session?.userId ?? null, sessionId: outcome.session?.id ?? null }, client)
    return outcome
  }
  const user = outcome.user ?? await services.store.findUserById(outcome.session.userId)
  if (!user) return { ok: false, code: 'refresh_invalid', session: outcome.session }
  const access = await signAccessToken(services, user, outcome.session, now)
  return {
    ok: true,
    user,
    session: outcome.session,
    tokens: { accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken: outcome.refreshToken, session: outcome.session },
  }
}
