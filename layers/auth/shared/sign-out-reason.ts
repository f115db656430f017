import { REVOCATION_REASONS } from './constants'
import type { ErrorCode, RevocationReason } from './types/api'

/**
 * Why a browser was signed out, as /signin explains it (its `reason` query):
 * `you_signed_out` when the user asked (here or in another tab, once the
 * server confirmed it); otherwise what the server answered, with the
 * revocation's own reason where it gave one, so the page never claims more
 * than is known.
 */
export const SIGN_OUT_REASONS = ['you_signed_out', 'session_revoked', 'revoked_by_operator', 'signed_out', 'refresh_reused', 'session_expired', 'account_deleted'] as const
export type SignOutReason = typeof SIGN_OUT_REASONS[number]

const BY_REVOCATION: Record<RevocationReason, SignOutReason> = {
  device: 'session_revoked',
  operator: 'revoked_by_operator',
  signout: 'signed_out',
  reuse: 'refresh_reused',
  account_deleted: 'account_deleted',
}

/** A revocation reason read from outside (a database row, a notification, a response), or null. */
export function revocationReasonOf(value: unknown): RevocationReason | null {
  return REVOCATION_REASONS.find(reason => reason === value) ?? null
}

/**
 * The sign-out reason of an error code (and `data.reason`), or null when the
 * code does not mean "signed out". A revocation whose reason is not known
 * (revoked before reasons were kept, or its session already purged) is
 * only "signed out": nothing more is claimed.
 */
export function signOutReasonFor(code: ErrorCode | null | undefined, revocation?: RevocationReason | null): SignOutReason | null {
  if (code === 'session_revoked') return (revocation && BY_REVOCATION[revocation]) || 'signed_out'
  if (code === 'refresh_reused' || code === 'session_expired') return code
  return null
}
