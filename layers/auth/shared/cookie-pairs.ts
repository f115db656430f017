/**
 * The pairs of a Cookie request header, split exactly as a browser writes
 * them (RFC 6265 §4.2.1: `name=value` joined by "; "). Shared by the server's
 * cookie reader and the SSR cookie forwarding, so both see the same names.
 *
 * Deliberately not a general cookie parser (cookie-es, h3's `getCookie`):
 * those trim names with `String.prototype.trim`, which also removes Unicode
 * spaces (U+00A0 arrives as a single byte in a Node header), and decode
 * values. Then a name the browser does not treat as a `__Host-` cookie, that
 * a sibling host could set, reads as the `__Host-` one. Here only the space
 * or tab the grammar allows after ";" is dropped; nothing is trimmed,
 * decoded or unquoted.
 */
export interface CookiePair {
  /** Everything before the first "=", byte for byte; null for a part without "=" (a nameless cookie). */
  name: string | null
  /** Everything after the first "=", as sent. */
  value: string
  /** The whole part, as sent, without the optional whitespace after ";". */
  text: string
}

export function cookiePairs(header: string | undefined): CookiePair[] {
  const pairs: CookiePair[] = []
  for (const part of (header ?? '').split(';')) {
    const text = part.replace(/^[ \t]+/, '')
    if (!text) continue
    const eq = text.indexOf('=')
    pairs.push(eq < 0 ? { name: null, value: text, text } : { name: text.slice(0, eq), value: text.slice(eq + 1), text })
  }
  return pairs
}
