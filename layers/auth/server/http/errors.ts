import type { ErrorCode, RevocationReason } from '../../shared/types/api'
import { authError } from '../utils/auth-error'

/** 401 `session_revoked`, saying why when it is known (`data.reason`). */
export function sessionRevokedError(reason: RevocationReason | null | undefined, message = 'This session was signed out; sign in again.') {
  return authError('session_revoked', message, undefined, reason ? { reason } : {})
}

/** The contract code carried by an error, if it is one of ours. */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  const data = (error as { data?: { code?: unknown } } | null)?.data
  return typeof data?.code === 'string' ? data.code as ErrorCode : undefined
}
