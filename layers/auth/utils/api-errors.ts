import { revocationReasonOf, signOutReasonFor } from '../shared/sign-out-reason'
import type { SignOutReason } from '../shared/sign-out-reason'
import type { ErrorCode, RevocationReason } from '../shared/types/api'

/** The contract's `data.code` of a failed `$fetch`, if the server answered with one. */
export function apiErrorCode(error: unknown): ErrorCode | undefined {
  const code = (error as { data?: { data?: { code?: unknown } } } | null)?.data?.data?.code
  return typeof code === 'string' ? code as ErrorCode : undefined
}

/** Why the server says the session ended (`data.reason` beside `session_revoked`), if it said. */
export function apiErrorRevocation(error: unknown): RevocationReason | null {
  return revocationReasonOf((error as { data?: { data?: { reason?: unknown } } } | null)?.data?.data?.reason)
}

/** When a failed call means the session has ended (a 401 no refresh can cure), why; otherwise null. */
export function signOutReasonOfError(error: unknown): SignOutReason | null {
  return apiErrorStatus(error) === 401 ? signOutReasonFor(apiErrorCode(error), apiErrorRevocation(error)) : null
}

/** The HTTP status of a failed `$fetch`, or undefined when the server was not reached. */
export function apiErrorStatus(error: unknown): number | undefined {
  return (error as { response?: { status?: number } } | null)?.response?.status
}

/** True when the request never got an answer (offline, DNS, server down): not the same as "signed out". */
export function isNetworkError(error: unknown): boolean {
  return apiErrorStatus(error) === undefined
}

/** Codes of a 401 that a refresh can cure. */
const REFRESHABLE: ErrorCode[] = ['token_expired', 'unauthenticated', 'token_invalid']

export function isRefreshable(error: unknown): boolean {
  const code = apiErrorCode(error)
  return apiErrorStatus(error) === 401 && (code === undefined || REFRESHABLE.includes(code))
}

/** What the sign-in page tells someone who was signed out, by choice or not. */
export function describeSignOut(reason: SignOutReason): string {
  switch (reason) {
    case 'you_signed_out':
      return 'You are signed out.'
    case 'session_revoked':
      return 'This device was signed out from another device.'
    case 'revoked_by_operator':
      return 'An administrator signed you out of every device. Sign in again to continue.'
    case 'signed_out':
      return 'This session was signed out. Sign in again to continue.'
    case 'account_deleted':
      return 'Your account was deleted.'
    default:
      return describeAuthError(reason)
  }
}

/** What to tell a person about an error code, in one sentence. */
export function describeAuthError(code: ErrorCode | undefined | null): string {
  switch (code) {
    case 'refresh_reused':
      return 'You were signed out because this session was used from somewhere else. If that was not you, sign in again and review your devices.'
    case 'session_revoked':
      return 'This device was signed out from another device.'
    case 'session_expired':
      return 'Your session has ended. Sign in again to continue.'
    case 'account_not_allowed':
      return 'This Google account is not allowed to sign in here. Try another account.'
    case 'invalid_credential':
    case 'credential_replayed':
      return 'Google\'s sign-in could not be confirmed. Please try again.'
    case 'rate_limited':
      return 'Too many attempts. Wait a minute, then try again.'
    case 'store_unavailable':
    case 'google_unavailable':
      return 'The service is briefly unavailable. Try again in a moment.'
    case 'confirmation_mismatch':
      return 'That is not this account\'s e-mail address. Type it exactly as shown.'
    case 'csrf':
      return 'This request did not come from this site\'s own pages. Reload the page and try again.'
    default:
      return 'Something went wrong. Please try again.'
  }
}
