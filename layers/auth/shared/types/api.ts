import type { REVOCATION_REASONS } from '../constants'

/**
 * The HTTP contract's shapes (docs/api.md),
 * shared by the server handlers, the browser client and the tests.
 */

/** A signed-in person, as this app knows them. `id` is ours, not Google's. */
export interface User {
  id: string
  email: string
  name: string
  /** URL of the Google profile picture, or null when Google sent none. */
  picture: string | null
}

/** Which way the tokens travel: HttpOnly cookies (browsers) or the response body. */
export type Transport = 'cookie' | 'bearer'

/** POST /api/auth/google, cookie transport. */
export interface CookieSignInResponse {
  user: User
  newUser: boolean
  /** Access-token lifetime from now, seconds (an addition to the contract: immune to client clock skew). */
  expiresIn: number
  /** When the access token expires, ISO-8601 (server clock). */
  expiresAt: string
}

/** Tokens handed to a bearer-transport client. */
export interface BearerTokens {
  tokenType: 'Bearer'
  accessToken: string
  /** Opaque and single use: every refresh returns its successor. */
  refreshToken: string
  /** Access-token lifetime, seconds. */
  expiresIn: number
  /** When the access token expires, ISO-8601. */
  expiresAt: string
}

/** POST /api/auth/google, bearer transport. */
export interface BearerSignInResponse extends BearerTokens {
  user: User
  newUser: boolean
}

/** POST /api/auth/refresh, cookie transport. */
export interface CookieRefreshResponse {
  user: User
  /** Seconds, as in CookieSignInResponse. */
  expiresIn: number
  expiresAt: string
}

/** POST /api/auth/refresh, bearer transport. */
export type BearerRefreshResponse = BearerTokens

/** GET /api/auth/me */
export interface MeResponse {
  user: User
  session: {
    id: string
    /** When the session ends at the latest (absolute lifetime), ISO-8601. */
    expiresAt: string
  }
}

/** GET /api/auth/google/nonce */
export interface NonceResponse {
  nonce: string
}

/** One signed-in device, as listed by GET /api/auth/sessions. */
export interface SessionInfo {
  id: string
  /** True for the session the request was made with. */
  current: boolean
  /** ISO-8601. */
  createdAt: string
  /** The last sign-in or refresh, ISO-8601. */
  lastUsedAt: string
  userAgent: string | null
  ip: string | null
}

/** GET /api/auth/sessions */
export interface SessionsResponse {
  sessions: SessionInfo[]
}

/** DELETE /api/auth/account: the account's e-mail address, typed by its owner (compared as `isAccountConfirmed` does). */
export interface DeleteAccountRequest {
  confirm: string
}

/** GET /api/health */
export interface HealthResponse {
  status: 'ok' | 'unavailable'
}

/** The machine-readable `data.code` of every error the API answers. */
export type ErrorCode
  = | 'invalid_request'
    | 'invalid_credential'
    | 'credential_replayed'
    | 'account_not_allowed'
    | 'csrf'
    | 'rate_limited'
    | 'refresh_missing'
    | 'refresh_invalid'
    | 'refresh_reused'
    | 'session_expired'
    | 'session_revoked'
    | 'unauthenticated'
    | 'token_expired'
    | 'token_invalid'
    | 'not_found'
    | 'store_unavailable'
    | 'google_unavailable'
    | 'confirmation_mismatch'

/**
 * Why a session was revoked, carried as `data.reason` beside `session_revoked`:
 * `signout` (its own sign-out), `device` (from another of the user's devices),
 * `reuse` (a refresh token was presented twice), `operator` (`npm run auth:revoke`),
 * `account_deleted` (its user deleted their account: DELETE /api/auth/account).
 */
export type RevocationReason = typeof REVOCATION_REASONS[number]

/** The error body (h3's `createError` JSON). */
export interface ApiErrorBody {
  statusCode: number
  /** The standard reason phrase of the status, e.g. "Unauthorized". */
  statusMessage: string
  message: string
  data: { code: ErrorCode, reason?: RevocationReason }
}
