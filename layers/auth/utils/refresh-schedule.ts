import { REFRESH_AHEAD_MS } from '../shared/constants'

/** An expiry `expiresIn` seconds from now, on this device's clock, ISO-8601. */
export function localExpiry(expiresIn: number, now = Date.now()): string {
  return new Date(now + expiresIn * 1000).toISOString()
}

/** Moves an expiry stated on another clock (read at `theirNow`) onto ours (`ourNow`). */
export function rebaseExpiry(expiresAt: string, theirNow: number, ourNow: number): string {
  return new Date(Date.parse(expiresAt) + (ourNow - theirNow)).toISOString()
}

/** After `failures` failed refreshes in a row: 5 s, doubling, at most a minute (never a tight loop). */
export function retryDelay(failures: number): number {
  return Math.min(60_000, 5_000 * 2 ** Math.max(0, failures - 1))
}

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
