/** Names shared by the server, the browser client and the tests. */

/** Cookie names without the `__Host-` prefix that Secure cookies carry. */
export const ACCESS_COOKIE = 'auth_access'
export const REFRESH_COOKIE = 'auth_refresh'
/** The sign-in nonce cookie; scoped to /api/auth so pages never send it. */
export const NONCE_COOKIE = 'auth_nonce'
export const NONCE_COOKIE_PATH = '/api/auth'
/**
 * Redirect mode: where to land after sign-in. Google's `login_uri` must match
 * a registered redirect URI exactly, so the target cannot ride in its query.
 * Not a secret (a path, validated like any redirect).
 */
export const REDIRECT_COOKIE = 'auth_redirect'
/** Google's redirect-mode double-submit cookie (set by Google's script). */
export const GOOGLE_CSRF_COOKIE = 'g_csrf_token'

/** Largest request body the API reads, bytes (docs/api.md: 16 KiB). */
export const MAX_BODY_BYTES = 16 * 1024

/** Where the emulator lives (its routes answer 404 when it is off). */
export const GOOGLE_EMULATOR_BASE = '/_emulator/google'
export const GOOGLE_SCRIPT_URL = 'https://accounts.google.com/gsi/client'

/** Cross-tab coordination: one BroadcastChannel for auth events, one Web Lock around refreshes. */
export const AUTH_CHANNEL = 'auth'
export const REFRESH_LOCK = 'auth-refresh'

/** API paths whose 401s mean "sign in", never "refresh and retry" (no loops). */
export const AUTH_ENDPOINTS_WITHOUT_RETRY = ['/api/auth/refresh', '/api/auth/google', '/api/auth/signout', '/api/auth/google/nonce']

/** Refresh this long before the access token expires, ms. */
export const REFRESH_AHEAD_MS = 60_000

/** Key of the record where a tab notes its last refresh (IndexedDB; localStorage where there is none): a time and an expiry, never a token. */
export const LAST_REFRESH_KEY = 'auth:last-refresh'

/** Why a session was revoked (`data.reason` beside `session_revoked`); the type is `RevocationReason`. */
export const REVOCATION_REASONS = ['signout', 'device', 'reuse', 'operator', 'account_deleted'] as const

/** The Web Lock that lets one tab at a time fetch a sign-in nonce (pages/signin.vue). */
export const NONCE_LOCK = 'auth-nonce'
