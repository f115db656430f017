/**
 * A Cookie request header with some values replaced or added: during SSR,
 * cookies renewed earlier in the same render must replace the retired ones
 * the browser sent, or a second fetch would replay a superseded token.
 */
export function withCookies(header: string | undefined, replacements: Record<string, string>): string {
  const pairs = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) pairs.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  for (const [name, value] of Object.entries(replacements)) pairs.set(name, value)
  return [...pairs].map(([name, value]) => `${name}=${value}`).join('; ')
}
