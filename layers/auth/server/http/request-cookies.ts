import type { H3Event } from 'h3'
import { cookiePairs } from '../../shared/cookie-pairs'

/**
 * Every value a request sent under each of these exact names, in order,
 * across every Cookie header (Node joins repeated Cookie headers with "; ").
 * Values are as sent: the values we set (base64url, JWTs) never need
 * decoding, and a second, encoded or quoted spelling of a token must not
 * count as the token. A name with more than one value has been planted
 * (by a sibling subdomain or a plain-HTTP sibling host, under a name the
 * browser did not protect), and nothing says which value is ours.
 */
export function readCookieValues(event: H3Event, names: readonly string[]): Map<string, string[]> {
  const sent = new Map<string, string[]>(names.map(name => [name, []]))
  for (const { name, value } of cookiePairs(cookieHeader(event))) {
    if (name !== null) sent.get(name)?.push(value)
  }
  return sent
}

/** The value of the one cookie named exactly `name`; null when it is absent, empty or sent more than once. */
export function readExactCookie(event: H3Event, name: string): string | null {
  const values = readCookieValues(event, [name]).get(name)!
  return values.length === 1 ? values[0] || null : null
}

function cookieHeader(event: H3Event): string {
  const header = event.node.req.headers.cookie as string | string[] | undefined
  // Node hands repeated Cookie headers over joined; a request built in-process may carry an array.
  return Array.isArray(header) ? header.join(';') : header ?? ''
}
