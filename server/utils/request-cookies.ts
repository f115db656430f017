import type { H3Event } from 'h3'
import { cookiePairs } from '#shared/cookie-pairs'

/** What a request sent under some exact cookie names. */
export interface ExactCookies {
  /** Each name sent exactly once, with its value as sent (never decoded or unquoted). */
  values: Map<string, string>
  /** Names sent more than once: none of their values is used. */
  duplicated: Set<string>
  /** Every value sent under each wanted name, duplicates included: only for ending sessions (sign-out). */
  sent: Map<string, string[]>
}

/**
 * Reads cookies by their exact names, across every Cookie header of the
 * request (Node joins repeated Cookie headers with "; "). A name sent twice
 * is treated as absent rather than picking one: one of the two may have been
 * planted, by a sibling subdomain or a plain-HTTP sibling host, under a name
 * the browser did not protect, and nothing says which. Values are read as
 * sent: the values we set (base64url, JWTs) never need decoding, and a
 * second, encoded or quoted spelling of a token must not count as the token.
 */
export function readExactCookies(event: H3Event, names: readonly string[]): ExactCookies {
  const wanted = new Set(names)
  const values = new Map<string, string>()
  const duplicated = new Set<string>()
  const sent = new Map<string, string[]>()
  for (const { name, value } of cookiePairs(cookieHeader(event))) {
    if (name === null || !wanted.has(name)) continue
    sent.set(name, [...sent.get(name) ?? [], value])
    if (values.has(name) || duplicated.has(name)) {
      values.delete(name)
      duplicated.add(name)
    }
    else {
      values.set(name, value)
    }
  }
  return { values, duplicated, sent }
}

/** The value of the one cookie named exactly `name`; null when it is absent, empty or sent more than once. */
export function readExactCookie(event: H3Event, name: string): string | null {
  return readExactCookies(event, [name]).values.get(name) || null
}

function cookieHeader(event: H3Event): string {
  const header = event.node.req.headers.cookie as string | string[] | undefined
  // Node hands repeated Cookie headers over joined; a request built in-process may carry an array.
  return Array.isArray(header) ? header.join(';') : header ?? ''
}
