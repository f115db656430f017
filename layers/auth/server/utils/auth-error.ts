import { createError } from 'h3'
import type { ApiErrorBody, ErrorCode } from '../../shared/types/api'

const DEFAULT_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_credential: 401,
  credential_replayed: 401,
  account_not_allowed: 403,
  csrf: 403,
  rate_limited: 429,
  refresh_missing: 401,
  refresh_invalid: 401,
  refresh_reused: 401,
  session_expired: 401,
  session_revoked: 401,
  unauthenticated: 401,
  token_expired: 401,
  token_invalid: 401,
  not_found: 404,
  store_unavailable: 503,
  google_unavailable: 503,
  confirmation_mismatch: 400,
}

/**
 * The one way to build an expected error: status, the contract's `data.code`
 * and a short message of our own. Never pass a library's message through:
 * google-auth-library's and jose's can contain the token.
 */
export function authError(code: ErrorCode, message: string, statusCode = DEFAULT_STATUS[code], details: Omit<ApiErrorBody['data'], 'code'> = {}) {
  return createError({ statusCode, message, data: { code, ...details } })
}
