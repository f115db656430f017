import { deleteCookie, getQuery, getRequestHeader, sendRedirect } from 'h3'
import { z } from 'zod'
import { GOOGLE_CSRF_COOKIE, NONCE_COOKIE_PATH, REDIRECT_COOKIE } from '../../../shared/constants'
import { safeRedirectPath } from '../../../shared/redirect-path'
import type { BearerSignInResponse, CookieSignInResponse } from '../../../shared/types/api'
import { deliverTokens } from '../../tokens/token-response'
import { isNonceIssuedTo } from '../../google/sign-in-nonce'
import { clearNonceCookie, getNonceCookie } from '../../http/auth-cookies'
import { assertSameOrigin, secretsEqual } from '../../http/csrf'
import { readExactCookie } from '../../http/request-cookies'
import { signInWithGoogle } from '../../sessions/sign-in'
import { toPublicUser } from '../../sessions/public-user'
import { getClientIp } from '../../http/client-ip'
import { enforceRateLimit } from '../../http/rate-limit'
import { useAuthServices } from '../../services'

// Not trimmed: the verifier takes only the canonical spelling, so whitespace around it is 401 invalid_credential, never a second spelling.
const credential = z.string().min(1).max(8192)
const GOOGLE_ORIGIN = 'https://accounts.google.com'
const signInBody = z.object({
  credential: credential.optional(),
  /** The original Vue + Flask client's name for the credential. */
  token: credential.optional(),
  transport: z.enum(['cookie', 'bearer']).optional(),
  g_csrf_token: z.string().max(512).optional(),
}).refine(body => body.credential ?? body.token, { message: 'a Google credential is required', path: ['credential'] })

/** Sign in (or up) with a Google ID token: JSON from the app, or Google's redirect-mode form post. */
export default defineEventHandler(async (event): Promise<CookieSignInResponse | BearerSignInResponse | undefined> => {
  const services = await useAuthServices()
  const { config } = services
  await enforceRateLimit(event, services.limiter, `signin-ip:${getClientIp(event)}`, config.rateLimits.signin)
  const { body, format } = await readValidBody(event, signInBody, { allowForm: true })
  const googleCredential = (body.credential ?? body.token)!

  if (format === 'form') {
    // Google posts from its own origin (the emulator from ours). Another origin, a sibling subdomain
    // that can plant cookies for instance, cannot sign this browser in to its own account.
    const origin = getRequestHeader(event, 'origin')
    if (origin && origin !== config.appOrigin && origin !== GOOGLE_ORIGIN) {
      throw authError('csrf', 'The sign-in form came from an unexpected origin.')
    }
    // Google's double-submit check: its script set the cookie and posted the same value.
    // Read by its exact name, like the session cookies: a look-alike or doubled name is no cookie.
    if (!secretsEqual(body.g_csrf_token, readExactCookie(event, GOOGLE_CSRF_COOKIE))) {
      throw authError('csrf', 'The sign-in form did not carry Google\'s CSRF token.')
    }
    const issued = await signInWithGoogle(services, googleCredential, { client: getClientInfo(event) })
    deliverTokens(event, config, 'cookie', issued, {})
    const remembered = readExactCookie(event, REDIRECT_COOKIE)
    if (remembered) deleteCookie(event, REDIRECT_COOKIE, { path: NONCE_COOKIE_PATH })
    // The sign-in page wrote it with encodeURIComponent; safeRedirectPath vets the decoded path.
    const target = getQuery(event).redirect ?? decodeRedirectCookie(remembered)
    await sendRedirect(event, safeRedirectPath(target), 303)
    return
  }

  const transport = body.transport ?? 'cookie'
  // A cookie sign-in sets the session cookies: only the app's own pages may ask for one.
  if (transport === 'cookie') assertSameOrigin(event, config.appOrigin)
  const bindToBrowser = transport === 'cookie' && config.google.requireNonce
  const nonceSecret = getNonceCookie(event)
  const issued = await signInWithGoogle(services, googleCredential, {
    client: getClientInfo(event),
    isNonceValid: bindToBrowser ? nonce => isNonceIssuedTo(nonce, nonceSecret) : undefined,
  })
  if (bindToBrowser) clearNonceCookie(event, config)
  return deliverTokens(event, config, transport, issued, { user: toPublicUser(issued.user), newUser: issued.newUser })
})

function decodeRedirectCookie(value: string | null): string | null {
  try {
    return value === null ? null : decodeURIComponent(value)
  }
  catch {
    return null
  }
}
