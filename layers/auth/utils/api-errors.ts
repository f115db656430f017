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

/** The message (a key of i18n/locales) the sign-in page shows someone who was signed out, by choice or not. */
export function signOutMessageKey(reason: SignOutReason): string {
  switch (reason) {
    case 'you_signed_out':
    case 'session_revoked':
    case 'revoked_by_operator':
    case 'signed_out':
    case 'account_deleted':
      return `reason.${reason}`
    default:
      return authErrorMessageKey(reason)
  }
}

/** The message (a key of i18n/locales) telling a person about an error code, in one sentence. */
export function authErrorMessageKey(code: ErrorCode | undefined | null): string {
  switch (code) {
    case 'refresh_reused':
    case 'session_revoked':
    case 'session_expired':
    case 'account_not_allowed':
    case 'invalid_credential':
    case 'rate_limited':
    case 'csrf':
    case 'confirmation_mismatch':
      return `error.${code}`
    case 'credential_replayed':
      return 'error.invalid_credential'
    case 'store_unavailable':
    case 'google_unavailable':
      return 'error.unavailable'
    default:
      return 'error.unknown'
  }
}
