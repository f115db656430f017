import type { H3Event } from 'h3'
import { deleteCookie, setCookie } from 'h3'
import { ACCESS_COOKIE, NONCE_COOKIE, NONCE_COOKIE_PATH, REFRESH_COOKIE } from '../../shared/constants'
import { readCookieValues, readExactCookie } from './request-cookies'

/** Cookie settings taken from the parsed config. */
export interface CookieSettings {
  /** Secure cookies carry the `__Host-` prefix: the browser then refuses them from subdomains or over HTTP. */
  cookieSecure: boolean
  /** Access-token lifetime, seconds: the access cookie's Max-Age. */
  accessTtl: number
}

export function accessCookieName(settings: CookieSettings): string {
  return settings.cookieSecure ? `__Host-${ACCESS_COOKIE}` : ACCESS_COOKIE
}

export function refreshCookieName(settings: CookieSettings): string {
  return settings.cookieSecure ? `__Host-${REFRESH_COOKIE}` : REFRESH_COOKIE
}

/** The session cookies a request carried, read by `readCookieValues`. */
export interface AuthCookies {
  access: string | null
  refresh: string | null
  /** One of the two names came more than once: the request then reads as signed out. */
  duplicated: boolean
  /** Every value sent under the two names, duplicates included: sign-out ends every session they name. */
  sent: string[]
}

/**
 * The tokens a browser sent, by the configured names exactly, byte for byte:
 * an unprefixed cookie, or a look-alike name (a no-break space, another
 * case, an encoded character), never stands in for a `__Host-` one. When
 * either name is sent twice, the request is signed out (both read as
 * absent): one of the two was planted, and a session assembled from the
 * other cookie would be half the planter's choice.
 */
export function getAuthCookies(event: H3Event, settings: CookieSettings): AuthCookies {
  const access = accessCookieName(settings)
  const refresh = refreshCookieName(settings)
  const sent = readCookieValues(event, [access, refresh])
  const [accessValues, refreshValues] = [sent.get(access)!, sent.get(refresh)!]
  const duplicated = accessValues.length > 1 || refreshValues.length > 1
  return {
    access: duplicated ? null : accessValues[0] || null,
    refresh: duplicated ? null : refreshValues[0] || null,
    duplicated,
    sent: [...accessValues, ...refreshValues].filter(Boolean),
  }
}

export interface IssuedCookieTokens {
  accessToken: string
  /** Epoch ms; earlier than the configured lifetime when the session ends sooner. */
  accessExpiresAt: number
  refreshToken: string
  /** End of the session, epoch ms: the refresh cookie lives as long as the session can. */
  sessionExpiresAt: number
  now: number
}

/** Every cookie of ours: HttpOnly (never readable by page scripts), Lax, Secure where configured. */
function cookieOptions(settings: CookieSettings, path = '/') {
  return { httpOnly: true, sameSite: 'lax', path, secure: settings.cookieSecure } as const
}

/** Sets both HttpOnly cookies (docs/api.md, "Cookie transport"). */
export function setAuthCookies(event: H3Event, settings: CookieSettings, tokens: IssuedCookieTokens): void {
  const base = cookieOptions(settings)
  setCookie(event, accessCookieName(settings), tokens.accessToken, { ...base, maxAge: accessLifetime(settings, tokens.accessExpiresAt, tokens.now) })
  setCookie(event, refreshCookieName(settings), tokens.refreshToken, {
    ...base, maxAge: Math.max(0, Math.floor((tokens.sessionExpiresAt - tokens.now) / 1000)),
  })
}

/** Seconds an access token issued at `now` lives: the configured lifetime, or less when its session ends first. */
export function accessLifetime(settings: CookieSettings, accessExpiresAt: number, now: number): number {
  return Math.max(0, Math.min(settings.accessTtl, Math.ceil((accessExpiresAt - now) / 1000)))
}

/**
 * Deletes both session cookies, unless the request sent one of them twice:
 * the deletion would remove the real cookie and leave the planted one, which
 * the next request would then carry alone and have read as ours. Sign-out,
 * which first ends every session any of them names, deletes regardless.
 */
export function clearAuthCookies(event: H3Event, settings: CookieSettings, options: { evenIfDuplicated?: boolean } = {}): void {
  if (!options.evenIfDuplicated && getAuthCookies(event, settings).duplicated) return
  const base = cookieOptions(settings)
  deleteCookie(event, accessCookieName(settings), base)
  deleteCookie(event, refreshCookieName(settings), base)
}

/** Seconds the sign-in nonce stays usable. */
export const NONCE_TTL = 600

export function setNonceCookie(event: H3Event, settings: CookieSettings, nonce: string): void {
  setCookie(event, NONCE_COOKIE, nonce, { ...cookieOptions(settings, NONCE_COOKIE_PATH), maxAge: NONCE_TTL })
}

export function getNonceCookie(event: H3Event): string | null {
  return readExactCookie(event, NONCE_COOKIE)
}

export function clearNonceCookie(event: H3Event, settings: CookieSettings): void {
  deleteCookie(event, NONCE_COOKIE, cookieOptions(settings, NONCE_COOKIE_PATH))
}
