/**
 * Shared by the server (redirect-mode sign-in) and the sign-in page.
 *
 * The `redirect` target after sign-in, kept on this site: only a path that
 * starts with one `/`, with no backslash, control character or scheme that a
 * browser could read as another host. Anything else becomes `/`.
 */
export function safeRedirectPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/'
  let decoded: string
  try {
    decoded = decodeURIComponent(value)
  }
  catch {
    return '/'
  }
  for (const candidate of [value, decoded]) {
    // eslint-disable-next-line no-control-regex
    if (!candidate.startsWith('/') || candidate.startsWith('//') || /[\\\u0000-\u001F\u007F]/.test(candidate)) return '/'
  }
  const url = new URL(value, 'http://site.invalid')
  const path = `${url.pathname}${url.search}${url.hash}`
  // The URL parser collapses dot segments after the checks above: `/.//evil.example` becomes `//evil.example`.
  return url.origin === 'http://site.invalid' && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/'
}
