import { timingSafeEqual } from 'node:crypto'
import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import { authError } from '../utils/auth-error'

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method.toUpperCase())
}

/**
 * The CSRF rule for cookie-authenticated unsafe requests (docs/api.md,
 * "Cookie transport"): `Origin` equal to the app origin or, when the browser
 * sent no `Origin`, `Sec-Fetch-Site: same-origin`. No origin information at
 * all is refused: SameSite=Lax alone does not cover same-site subdomains.
 */
export function isSameOriginRequest(headers: { origin?: string | null, secFetchSite?: string | null }, appOrigin: string): boolean {
  if (headers.origin) return headers.origin === appOrigin
  return headers.secFetchSite === 'same-origin'
}

/** Throws 403 `csrf` unless the request comes from the app's own origin. */
export function assertSameOrigin(event: H3Event, appOrigin: string): void {
  const ok = isSameOriginRequest({
    origin: getRequestHeader(event, 'origin'),
    secFetchSite: getRequestHeader(event, 'sec-fetch-site'),
  }, appOrigin)
  if (!ok) throw authError('csrf', 'This request must come from the app\'s own pages.')
}

/** Constant-time equality of two secrets (the double-submit and nonce checks). */
export function secretsEqual(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
