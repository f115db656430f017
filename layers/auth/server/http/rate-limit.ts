import type { H3Event } from 'h3'
import { setResponseHeader } from 'h3'
import type { RateLimit } from '../config'
import type { AuthStore } from '../store/types'
import { authError } from '../utils/auth-error'
import { logAuthEvent } from '../utils/audit-log'

/**
 * Fixed-window counters in the store, so that a limit holds per client
 * whichever worker process or instance its requests reach (in memory, N
 * processes behind a round-robin once granted N times the limit).
 */
export class RateLimiter {
  constructor(private readonly store: Pick<AuthStore, 'hitRateLimit'>) {}

  /** Counts one hit; resolves to the seconds to wait when over the limit, else 0. */
  async hit(key: string, limit: RateLimit, now = Date.now()): Promise<number> {
    const window = await this.store.hitRateLimit(key, limit.windowSeconds * 1000, now)
    return window.count > limit.count ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0
  }
}

/** Throws 429 `rate_limited` with `Retry-After` when `key` is over `limit` (null = no limit). */
export async function enforceRateLimit(event: H3Event, limiter: RateLimiter, key: string, limit: RateLimit | null): Promise<void> {
  if (!limit) return
  const wait = await limiter.hit(key, limit)
  if (wait > 0) {
    logAuthEvent('rate_limited', { limit: key.split(':')[0]!, retryAfter: wait }, event)
    setResponseHeader(event, 'retry-after', wait)
    throw authError('rate_limited', `Too many attempts; try again in ${wait} s.`)
  }
}
