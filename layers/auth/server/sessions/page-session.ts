import type { H3Event } from 'h3'
import type { User } from '../../shared/types/api'
import { AccessTokenError } from '../tokens/access-tokens'
import { accessCookieName, clearAuthCookies, getAuthCookies, refreshCookieName, setAuthCookies } from '../http/auth-cookies'
import type { AuthServices } from '../services'
import { signOutReasonFor } from '../../shared/sign-out-reason'
import type { SignOutReason } from '../../shared/sign-out-reason'
import { toPublicUser } from './public-user'
import { verifyLiveAccessToken } from './request-auth'
import { refreshSessionTokens } from './session-refresh'
import type { SessionRefresh } from './session-refresh'

/** What the page renderer learns about the browser's session, at `event.context.pageSession`. */
export interface PageSession {
  user: User | null
  /** Access-token expiry, ISO-8601 (server clock). */
  expiresAt: string | null
  /** The server's clock at render time, epoch ms: the browser rebases `expiresAt` on its own clock with it. */
  renderedAt: number
  /** Why the browser was just signed out, if it was. */
  signedOutReason: SignOutReason | null
  /** Cookies renewed during this request: every later fetch of the same render must send these, not the retired ones. */
  renewedCookies: Record<string, string> | null
  /** What the sign-in page needs to load Google's (or the emulator's) script. */
  google: { clientId: string, emulator: boolean }
}

declare module 'h3' {
  interface H3EventContext {
    pageSession?: PageSession
  }
}

/**
 * Page requests of one browser carrying the same refresh token share one
 * in-process refresh, including ones that arrive just after it finished
 * (the rest of a burst of page loads, the error page's internal re-render),
 * so that even with no grace window they never count as reuse.
 */
const recentRefreshes = new Map<string, Promise<SessionRefresh>>()
const SHARED_REFRESH_MS = 5_000

/**
 * Resolves the session of a page request before it renders: a valid access
 * cookie is read as is (no store, no refresh); a missing or expired one with
 * a refresh cookie is refreshed in-process, and the new cookies go out with
 * the page, so the first paint is already signed in.
 */
export async function resolvePageSession(event: H3Event, services: AuthServices): Promise<PageSession> {
  const { config } = services
  const session: PageSession = {
    user: null,
    expiresAt: null,
    renderedAt: Date.now(),
    signedOutReason: null,
    renewedCookies: null,
    google: { clientId: config.google.clientId, emulator: config.google.emulator !== 'off' },
  }
  const cookies = getAuthCookies(event, config)

  let accessRevoked: SignOutReason | null = null
  if (cookies.access) {
    const claims = await verifyLiveAccessToken(services, cookies.access).catch((error: unknown) => {
      if (error instanceof AccessTokenError) accessRevoked = signOutReasonFor(error.code, error.revocationReason)
      return null
    })
    if (claims) return { ...session, user: toPublicUser(claims), expiresAt: new Date(claims.exp * 1000).toISOString() }
  }
  if (!cookies.refresh) {
    if (!accessRevoked) return session
    clearAuthCookies(event, config)
    return { ...session, signedOutReason: accessRevoked }
  }

  const presented = cookies.refresh
  let pending = recentRefreshes.get(presented)
  if (!pending) {
    pending = refreshSessionTokens(services, presented, event)
    recentRefreshes.set(presented, pending)
    // A failure to reach the store is forgotten at once: the next page load tries again.
    pending.then(
      () => setTimeout(() => recentRefreshes.delete(presented), SHARED_REFRESH_MS).unref(),
      () => recentRefreshes.delete(presented),
    )
  }
  let outcome = await pending
  // A shared result is handed out again for a few seconds: never once its session has ended since.
  const endedSince = outcome.ok ? services.revokedSessions.reasonOf(outcome.session.id) : undefined
  if (outcome.ok && endedSince !== undefined) {
    recentRefreshes.delete(presented)
    outcome = { ok: false, code: 'session_revoked', session: { ...outcome.session, revokedReason: endedSince } }
  }
  if (!outcome.ok) {
    clearAuthCookies(event, config)
    return { ...session, signedOutReason: signOutReasonFor(outcome.code, outcome.session?.revokedReason) ?? accessRevoked }
  }
  setAuthCookies(event, config, { ...outcome.tokens, sessionExpiresAt: outcome.session.expiresAt, now: Date.now() })
  return {
    ...session,
    user: toPublicUser(outcome.user),
    expiresAt: new Date(outcome.tokens.accessExpiresAt).toISOString(),
    renewedCookies: {
      [accessCookieName(config)]: outcome.tokens.accessToken,
      [refreshCookieName(config)]: outcome.tokens.refreshToken,
    },
  }
}
