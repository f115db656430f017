import { STATUS_CODES } from 'node:http'
import { send, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Error } from 'h3'
import { isAssetPath, sendAssetNotFound } from './http/asset-paths'

/** Paths whose errors are always the contract's JSON, never the app's HTML error page. */
const API_PREFIXES = ['/api/', '/_emulator/', '/.well-known/']

/**
 * Errors of the API (docs/api.md, "Conventions"): status, a standard status
 * text, our message and `data.code`; `Cache-Control: no-store`. An unknown
 * path or an unsupported method is 404 `not_found`. Unexpected failures are
 * logged here and answered with a bare 500: no stack, no library message.
 */
export default defineNitroErrorHandler((error: H3Error, event) => {
  // Nitro's static handler throws this for a missing /_nuxt/ file: a few bytes, not the rendered error page.
  if (error.statusCode === 404 && isAssetPath(event.path)) return sendAssetNotFound(event)
  if (!API_PREFIXES.some(prefix => event.path.startsWith(prefix))) return

  const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
  const { code: ownCode, reason } = (error.data ?? {}) as { code?: string, reason?: string }
  const code = ownCode ?? (statusCode === 404 ? 'not_found' : undefined)
  const expected = code !== undefined && !error.unhandled
  if (!expected) console.error(`[api] ${event.method} ${event.path.split('?')[0]} failed:`, error.cause ?? error)

  const body = expected
    ? { statusCode, statusMessage: STATUS_CODES[statusCode], message: ownCode ? error.message : 'No such API endpoint.', data: { code, ...(reason ? { reason } : {}) } }
    : { statusCode: 500, statusMessage: STATUS_CODES[500], message: 'Something went wrong on our side; try again.' }
  setResponseStatus(event, body.statusCode, body.statusMessage)
  setResponseHeader(event, 'content-type', 'application/json')
  setResponseHeader(event, 'cache-control', 'no-store')
  return send(event, JSON.stringify(body))
})
