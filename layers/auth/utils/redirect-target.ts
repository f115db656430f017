import { NONCE_COOKIE_PATH, REDIRECT_COOKIE } from '../shared/constants'

/**
 * Redirect mode: leaves the path to return to in a cookie for the server's
 * 303 after Google posts the credential. That post is a cross-site
 * navigation, so the cookie is SameSite=None where the page is a secure
 * context (https, localhost); elsewhere browsers only allow Lax.
 */
export function rememberRedirectTarget(path: string) {
  const secure = window.isSecureContext ? '; SameSite=None; Secure' : '; SameSite=Lax'
  document.cookie = `${REDIRECT_COOKIE}=${encodeURIComponent(path)}; Path=${NONCE_COOKIE_PATH}; Max-Age=600${secure}`
}
