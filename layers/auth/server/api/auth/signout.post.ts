import { sendNoContent } from 'h3'
import { z } from 'zod'
import { clearAuthCookies, getAuthCookies } from '../../http/auth-cookies'
import { assertSameOrigin } from '../../http/csrf'
import { useAuthServices } from '../../services'
import { findSessionByRefreshToken } from '../../sessions/auth-sessions'
import { findSessionByAccessToken, getBearerToken, looksLikeJwt } from '../../sessions/request-auth'

const signOutBody = z.object({ refreshToken: z.string().min(1).max(512).optional() })

/**
 * Revokes the current session, if one can be identified, and clears the
 * cookies; always 204. An expired access token still identifies its session
 * (its signature is checked), and so does any token of the refresh chain.
 * When an auth cookie came twice (one was planted), every session any of
 * the values names is ended: ending one too many is safe, and answering 204
 * with the real one still alive would be a lie.
 */
export default defineEventHandler(async (event) => {
  const services = await useAuthServices()
  const { config, store } = services
  const { body } = await readValidBody(event, signOutBody, { allowEmpty: true })

  const bearer = getBearerToken(event)
  const cookies = getAuthCookies(event, config)
  const byCookie = !bearer && !body.refreshToken && cookies.sent.length > 0
  if (byCookie) assertSameOrigin(event, config.appOrigin)

  const refreshToken = body.refreshToken ?? (bearer && !looksLikeJwt(bearer) ? bearer : null) ?? (byCookie ? cookies.refresh : null)
  const accessToken = (bearer && looksLikeJwt(bearer) ? bearer : null) ?? (byCookie ? cookies.access : null)
  // Normally the first token that names a session; with a planted cookie, every one of them.
  const planted = byCookie && cookies.duplicated
  for (const token of planted ? cookies.sent : [refreshToken, accessToken]) {
    if (!token) continue
    const session = looksLikeJwt(token) ? await findSessionByAccessToken(services, token) : await findSessionByRefreshToken(store, token)
    if (!session) continue
    // False when already revoked (a second value naming the same session): logged once.
    if (await store.revokeSession(session.userId, session.id, Date.now(), 'signout')) {
      logAuthEvent('sign_out', { userId: session.userId, sessionId: session.id }, event)
    }
    if (!planted) break
  }
  if (byCookie) clearAuthCookies(event, config, { evenIfDuplicated: true })
  return sendNoContent(event)
})
