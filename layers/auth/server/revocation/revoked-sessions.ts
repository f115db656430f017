import { REVOCATION_REASONS } from '../../shared/constants'
import type { RevocationReason } from '../../shared/types/api'

/** Reasons by a small index, so that an entry is one number (a quarter less memory than an object). */
const REASONS: readonly (RevocationReason | null)[] = [null, ...REVOCATION_REASONS]
const REASON_SLOTS = 8

/**
 * The sessions that ended recently enough that one of their access tokens
 * may still verify: checked on every authenticated request, in memory, so
 * that a revocation takes effect without a store read per request. An entry
 * leaves once no token of its session can be valid any more.
 */
export class RevokedSessions {
  /**
   * Session id → when its last token stops verifying (epoch ms) × 8 + the
   * index of its reason: exact, as epoch ms × 8 stays far below 2^53.
   */
  private readonly entries = new Map<string, number>()

  /** @param retentionMs how long after its end a session's tokens can verify (`revocationRetentionMs`) */
  constructor(readonly retentionMs: number) {}

  /**
   * Records an ended session, as soon as this instance learns of it (`now`).
   * Kept for the retention counted from the later of its stamp and `now`:
   * the stamp is taken before the revocation commits, and a token can be
   * minted until the commit, which is before `now`.
   */
  add(sessionId: string, revokedAt: number, reason: RevocationReason | null, now = Date.now()): void {
    const dropAt = Math.max(revokedAt, now) + this.retentionMs
    const known = this.entries.get(sessionId)
    if (known !== undefined && dropAtOf(known) >= dropAt) return
    const kept = reason ?? (known === undefined ? null : reasonOf(known))
    this.entries.set(sessionId, dropAt * REASON_SLOTS + REASONS.indexOf(kept))
  }

  has(sessionId: string): boolean {
    return this.entries.has(sessionId)
  }

  /** Why a session in the list ended (null when not known), or undefined when it is not in the list. */
  reasonOf(sessionId: string): RevocationReason | null | undefined {
    const entry = this.entries.get(sessionId)
    return entry === undefined ? undefined : reasonOf(entry)
  }

  /** Forgets sessions whose tokens have all expired; returns how many. */
  prune(now = Date.now()): number {
    let dropped = 0
    for (const [sessionId, entry] of this.entries) {
      if (dropAtOf(entry) <= now) {
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

function dropAtOf(entry: number): number {
  return Math.floor(entry / REASON_SLOTS)
}

function reasonOf(entry: number): RevocationReason | null {
  return REASONS[entry % REASON_SLOTS] ?? null
}
