import { REFRESH_AHEAD_MS } from '#shared/constants'

/** Browsers keep timer delays in a signed 32-bit integer: anything longer fires at once. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1

/**
 * How long to wait before refreshing an access token that expires at
 * `expiresAt`: a minute ahead, or half the remaining time for short-lived
 * tokens, clamped to what a timer can hold.
 */
export function refreshDelay(expiresAt: string, now: number): number {
  const remaining = Date.parse(expiresAt) - now
  if (!Number.isFinite(remaining) || remaining <= 0) return 0
  const ahead = Math.min(REFRESH_AHEAD_MS, remaining / 2)
  return Math.min(Math.max(0, Math.round(remaining - ahead)), MAX_TIMER_DELAY)
}

/** True when the token is due (or past due) for a refresh. */
export function isRefreshDue(expiresAt: string | null, now: number): boolean {
  return expiresAt !== null && refreshDelay(expiresAt, now) === 0
}
