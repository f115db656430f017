/**
 * The sessions that ended recently enough that one of their access tokens
 * may still verify: checked on every authenticated request, in memory, so
 * that a revocation takes effect without a store read per request. An entry
 * leaves once no token of its session can be valid any more.
 */
export class RevokedSessions {
  /** Session id → when its last token stops verifying (epoch ms). */
  private readonly entries = new Map<string, number>()

  /** @param retentionMs how long after its end a session's tokens can verify (`revocationRetentionMs`) */
  constructor(private readonly retentionMs: number) {}

  /** Records an ended session; ignored once its tokens are all past their life. */
  add(sessionId: string, revokedAt: number, now = Date.now()): void {
    const dropAt = revokedAt + this.retentionMs
    if (dropAt <= now) return
    const known = this.entries.get(sessionId)
    if (known === undefined || known < dropAt) this.entries.set(sessionId, dropAt)
  }

  has(sessionId: string): boolean {
    return this.entries.has(sessionId)
  }

  /** Forgets sessions whose tokens have all expired; returns how many. */
  prune(now = Date.now()): number {
    let dropped = 0
    for (const [sessionId, dropAt] of this.entries) {
      if (dropAt <= now) {
        this.entries.delete(sessionId)
        dropped++
      }
    }
    return dropped
  }

  get size(): number {
    return this.entries.size
  }
}
