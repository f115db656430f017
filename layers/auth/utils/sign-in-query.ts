import { SIGN_OUT_REASONS } from '../shared/sign-out-reason'
import type { SignOutReason } from '../shared/sign-out-reason'

/** The query of /signin for someone sent there from `path`, with why, when it was not their choice. */
export function signInQuery(path: string, reason: SignOutReason | null): Record<string, string> {
  return {
    ...(path !== '/' ? { redirect: path } : {}),
    ...(reason && signOutReasonOf(reason) ? { reason } : {}),
  }
}

/** The sign-out reason carried in /signin's query, if it is one the page explains; anything else in the URL is ignored. */
export function signOutReasonOf(value: unknown): SignOutReason | null {
  return SIGN_OUT_REASONS.find(reason => reason === value) ?? null
}
