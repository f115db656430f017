/** The cookie that keeps a language chosen in the header's switch (a non-secret preference). */
export const LOCALE_COOKIE = 'locale'

/**
 * The first of `codes` an Accept-Language header (or navigator.languages,
 * joined) asks for, by q-value then order; a language matches its regional
 * and script variants (`zh-Hant-TW`, `zh-HK` and `zh` all ask for `zh-TW`,
 * the only Chinese offered). Null when none matches.
 */
export function preferredLocale(acceptLanguage: string | null | undefined, codes: readonly string[]): string | null {
  const asked = (acceptLanguage ?? '').split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = Number(params.find(param => param.trim().startsWith('q='))?.trim().slice(2) ?? 1)
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0, index }
    })
    .filter(entry => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const { tag } of asked) {
    const exact = codes.find(code => code.toLowerCase() === tag)
    if (exact) return exact
    const primary = tag.split('-')[0]
    const sameLanguage = codes.find(code => code.toLowerCase().split('-')[0] === primary)
    if (sameLanguage) return sameLanguage
  }
  return null
}
