/**
 * Verified access tokens, keyed by the exact token string, so that a hot
 * token is checked once rather than on every request (verifying an EdDSA
 * signature costs most of a request's time). Entries drop at `exp`; the
 * oldest go first when the cache is full.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T, expiresAt: number }>()

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string, now: number): T | undefined {
    const entry = this.entries.get(token)
    if (!entry) return undefined
    if (entry.expiresAt <= now) {
      this.entries.delete(token)
      return undefined
    }
    return entry.value
  }

  /** @param expiresAt epoch ms */
  set(token: string, value: T, expiresAt: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(token, { value, expiresAt })
  }

  get size(): number {
    return this.entries.size
  }
}
