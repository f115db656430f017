import type { RevocationReason } from '#shared/types/api'

/**
 * The sessions that ended recently enough that one of their access tokens
 * may still verify: checked on every authenticated request, in memory, so
 * that a revocation takes effect without a store read per request. An entry
 * leaves once no token of its session can be valid any more.
 */
export class RevokedSessions {
  /** Session id → when its last token stops verifying (epoch ms), and why the session ended. */
  private readonly entries = new Map<string, { dropAt: number, reason: RevocationReason | null }>()

  /** @param retentionMs how long after its end a session's tokens can verify (`revocationRetentionMs`) */
  constructor(private readonly retentionMs: number) {}

  /** Records an ended session; ignored once its tokens are all past their life. */
  add(sessionId: string, revokedAt: number, reason: RevocationReason | null, now = Date.now()): void {
    const dropAt = revokedAt + this.retentionMs
    if (dropAt <= now) return
    const known = this.entries.get(sessionId)
    if (!known || known.dropAt < dropAt) this.entries.set(sessionId, { dropAt, reason: reason ?? known?.reason ?? null })
  }

  has(sessionId: string): boolean {
    return this.entries.has(sessionId)
  }

  /** Why a session in the list ended (null when not known), or undefined when it is not in the list. */
  reasonOf(sessionId: string): RevocationReason | null | undefined {
    return this.entries.get(sessionId)?.reason
  }

  /** Forgets sessions whose tokens have all expired; returns how many. */
  prune(now = Date.now()): number {
    let dropped = 0
    for (const [sessionId, { dropAt }] of this.entries) {
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
