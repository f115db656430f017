import type { H3Event } from 'h3'
import { send, setResponseHeader, setResponseStatus } from 'h3'

/** Paths whose own routes answer, extension or not (the API contract's JSON 404 included). */
const ROUTED_PREFIXES = ['/api/', '/_emulator/', '/.well-known/', '/__nuxt_island/']
/** A last path segment with an extension: `/robots.txt`, `/wp-login.php`, `/.env`. No page of the app has one. */
const FILE_NAME = /\/[^/]*\.[^/.]+$/

/**
 * A request for a file rather than a page: anything under `/_nuxt/`, or a
 * path whose last segment has an extension. When no file answered it, it
 * gets `sendAssetNotFound`, not the app's rendered error page, which costs
 * 20–40 times as much and is what a scanner probing `/wp-login.php` would
 * otherwise make the server do for free.
 */
export function isAssetPath(path: string): boolean {
  const pathname = path.split('?')[0]!
  if (ROUTED_PREFIXES.some(prefix => pathname.startsWith(prefix))) return false
  return pathname.startsWith('/_nuxt/') || FILE_NAME.test(pathname)
}

/** A short plain-text 404. `no-store`: a build asset missing here may exist on the next instance (a rolling deploy). */
export function sendAssetNotFound(event: H3Event) {
  setResponseStatus(event, 404, 'Not Found')
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  setResponseHeader(event, 'cache-control', 'no-store')
  return send(event, 'Not found\n')
}
