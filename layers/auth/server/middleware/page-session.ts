import { getRequestHeader, setResponseHeader } from 'h3'
import { useAuthServices } from '../services'
import { resolvePageSession } from '../sessions/page-session'

/** Paths that are never pages: the API, the emulator, build assets. (`/__nuxt_error` is: the error page.) */
const NOT_PAGES = ['/api/', '/_emulator/', '/_nuxt/', '/.well-known/']

/**
 * Before a page renders, settle who is signed in (refreshing in-process if
 * needed) and leave it at `event.context.pageSession` for the app's
 * auth.server plugin. Only HTML navigations: API calls carry their own tokens.
 */
export default defineEventHandler(async (event) => {
  if (event.method !== 'GET' || NOT_PAGES.some(prefix => event.path.startsWith(prefix))) return
  if (!getRequestHeader(event, 'accept')?.includes('text/html')) return
  // A page rendered for a signed-in user (and perhaps carrying renewed cookies) is nobody else's.
  if (getRequestHeader(event, 'cookie')?.includes('auth_')) setResponseHeader(event, 'cache-control', 'private, no-store')
  try {
    event.context.pageSession = await resolvePageSession(event, await useAuthServices())
  }
  catch (error) {
    // The store is down: render without a session rather than fail the page; the browser settles it once it can.
    console.error(`[auth] Page session unresolved: ${(error as Error).message}`)
  }
})
