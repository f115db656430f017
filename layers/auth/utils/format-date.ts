/**
 * "26 Nov 2026, 15:40": in the reader's own time zone when `timeZone` is
 * omitted (the browser's), or in the one given; UTC is said so.
 */
export function formatDateTime(iso: string, timeZone?: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))
  return timeZone === 'UTC' ? `${text} UTC` : text
}
