import type { ErrorCode } from '#shared/types/api'

/** Sign-out reasons the sign-in page explains; anything else in the URL is ignored. */
const EXPLAINED: ErrorCode[] = ['refresh_reused', 'session_revoked', 'session_expired']

/** The query of /signin for someone sent there from `path`, with why, when it was not their choice. */
export function signInQuery(path: string, reason: ErrorCode | null): Record<string, string> {
  return {
    ...(path !== '/' ? { redirect: path } : {}),
    ...(reason && EXPLAINED.includes(reason) ? { reason } : {}),
  }
}

/** The sign-out reason carried in /signin's query, if it is one the page explains. */
export function signOutReasonOf(value: unknown): ErrorCode | null {
  return typeof value === 'string' && EXPLAINED.includes(value as ErrorCode) ? value as ErrorCode : null
}
