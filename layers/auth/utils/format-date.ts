/** "26 Nov 2026, 15:40" in the reader's locale; rendered the same on server and client (fixed UTC). */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC'
}
