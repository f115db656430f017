import { sendNoContent } from 'h3'
import { z } from 'zod'

const signOutBody = z.object({ refreshToken: z.string().min(1).max(512).optional() })

/**
 * Revokes the current session, if one can be identified, and clears the
 * cookies; always 204. An expired access token still identifies its session
 * (its signature is checked), and so does any token of the refresh chain.
 */
export default defineEventHandler(async (event) => {
  const services = await useAuthServices()
  const { config, store } = services
  const { body } = await readValidBody(event, signOutBody, { allowEmpty: true })

  const bearer = getBearerToken(event)
  const cookies = getAuthCookies(event, config)
  const byCookie = !bearer && !body.refreshToken && Boolean(cookies.access || cookies.refresh)
  if (byCookie) assertSameOrigin(event, config.appOrigin)

  const refreshToken = body.refreshToken ?? (bearer && !looksLikeJwt(bearer) ? bearer : null) ?? (byCookie ? cookies.refresh : null)
  const accessToken = (bearer && looksLikeJwt(bearer) ? bearer : null) ?? (byCookie ? cookies.access : null)
  const session = (refreshToken ? await findSessionByRefreshToken(store, refreshToken) : null)
    ?? (accessToken ? await findSessionByAccessToken(services, accessToken) : null)

  if (session && await store.revokeSession(session.userId, session.id, Date.now(), 'signout')) {
    logAuthEvent('sign_out', { userId: session.userId, sessionId: session.id }, event)
  }
  if (byCookie) clearAuthCookies(event, config)
  return sendNoContent(event)
})
