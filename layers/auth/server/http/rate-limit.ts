import type { H3Event } from 'h3'
import { setResponseHeader } from 'h3'
import type { RateLimit } from '../config'
import { authError } from '../utils/auth-error'
import { logAuthEvent } from '../utils/audit-log'

/**
 * Fixed-window counters in this process's memory. With several instances
 * each counts on its own, so the effective limit is N times the setting:
 * the limit exists to slow brute force and floods, which that still does.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number, resetAt: number }>()
  private lastSweep = 0

  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, limit: RateLimit, now = Date.now()): number {
    this.sweep(now)
    let window = this.windows.get(key)
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + limit.windowSeconds * 1000 }
      this.windows.set(key, window)
    }
    window.count++
    return window.count > limit.count ? Math.ceil((window.resetAt - now) / 1000) : 0
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return
    this.lastSweep = now
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
  }
}

/** Throws 429 `rate_limited` with `Retry-After` when `key` is over `limit` (null = no limit). */
export function enforceRateLimit(event: H3Event, limiter: RateLimiter, key: string, limit: RateLimit | null): void {
  if (!limit) return
  const wait = limiter.hit(key, limit)
  if (wait > 0) {
    logAuthEvent('rate_limited', { limit: key.split(':')[0]!, retryAfter: wait }, event)
    setResponseHeader(event, 'retry-after', wait)
    throw authError('rate_limited', `Too many attempts; try again in ${wait} s.`)
  }
}
