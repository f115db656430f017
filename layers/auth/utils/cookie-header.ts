import { cookiePairs } from '../shared/cookie-pairs'

/**
 * A Cookie request header with some values replaced or added: during SSR,
 * cookies renewed earlier in the same render must replace the retired ones
 * the browser sent, or a second fetch would replay a superseded token.
 *
 * Every other part is forwarded as it came, byte for byte: a look-alike name
 * (say, a no-break space before `__Host-auth_access`) must not come out as
 * the real name, and a name sent twice must stay twice so that the API, like
 * the page, reads it as absent. A renewed cookie replaces every copy of its
 * exact name: the renewed value is the one this server just issued.
 */
export function withCookies(header: string | undefined, replacements: Record<string, string>): string {
  const parts: string[] = []
  const replaced = new Set<string>()
  for (const { name, text } of cookiePairs(header)) {
    if (name === null || !Object.hasOwn(replacements, name)) parts.push(text)
    else if (!replaced.has(name)) {
      parts.push(`${name}=${replacements[name]}`)
      replaced.add(name)
    }
  }
  for (const [name, value] of Object.entries(replacements)) {
    if (!replaced.has(name)) parts.push(`${name}=${value}`)
  }
  return parts.join('; ')
}
