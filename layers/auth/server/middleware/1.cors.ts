import { appendResponseHeader, getRequestHeader, sendNoContent, setResponseHeaders } from 'h3'
import { useAuthServices } from '../services'

/**
 * CORS for API clients on other origins (NUXT_AUTH_CORS_ORIGINS), off by
 * default. Only the bearer transport crosses origins: no
 * Access-Control-Allow-Credentials, so a browser never sends or accepts our
 * cookies cross-origin, and `Authorization` must be allowed explicitly.
 */
export default defineEventHandler(async (event) => {
  if (!event.path.startsWith('/api/')) return
  const origin = getRequestHeader(event, 'origin')
  if (!origin) return
  const { config } = await useAuthServices()
  if (!config.corsOrigins.includes(origin)) return

  appendResponseHeader(event, 'vary', 'Origin')
  setResponseHeaders(event, {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'Retry-After',
  })
  if (event.method === 'OPTIONS' && getRequestHeader(event, 'access-control-request-method')) {
    setResponseHeaders(event, {
      'access-control-allow-methods': 'GET, POST, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': 600,
    })
    return sendNoContent(event, 204)
  }
})
