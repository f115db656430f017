/**
 * "26 Nov 2026, 15:40" (or "2026年11月26日 下午3:40") in `locale`: in the
 * reader's own time zone when `timeZone` is omitted (the browser's), or in
 * the one given; UTC is said so.
 */
export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  const text = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))
  return timeZone === 'UTC' ? `${text} UTC` : text
}
