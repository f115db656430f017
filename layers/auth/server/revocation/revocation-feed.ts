import type { AuthStore } from '../store/types'
import type { RevokedSessions } from './revoked-sessions'

/**
 * How often every instance reads what others revoked, ms. With PostgreSQL a
 * notification usually arrives first; the poll is the bound when one is
 * lost, and with SQLite (another process: the operator's command, a second
 * instance on the same file) it is the only path. Half the 1 s guarantee
 * (docs/api.md, GET /api/auth/me), so one slow read still keeps within it.
 */
export const REVOCATION_POLL_MS = 500
/**
 * Each read reaches this far back before the previous read began, ms. A
 * revocation is stamped just before its statement is sent and commits when
 * the statement ends, so it may become visible later than its stamp says:
 * SQLite waits at most 2 s for the write lock; PostgreSQL at most 3 s for a
 * pooled connection and 10 s for the statement (`statement_timeout`, on the
 * server). Plus clocks up to the leeway apart. The price: what was revoked
 * in the last 30 s is read again by every poll, which after a mass
 * revocation is many rows (docs/security.md §4).
 */
const OVERLAP_MS = 30_000
const PRUNE_EVERY_MS = 10_000
/** After a write elsewhere, read this soon, ms: a burst of writes (a refresh load) costs one read per window, not one per write. */
const WRITE_COALESCE_MS = 20

/**
 * Keeps this instance's RevokedSessions current with the store: loaded at
 * start, then a push from the database where it can (PostgreSQL
 * LISTEN/NOTIFY; SQLite: a read as soon as its write-ahead log changes) and
 * a poll of `revoked_at > last seen` behind it. If the
 * store cannot be read the set is kept as it is and checks go on; the first
 * poll that succeeds catches up on everything revoked meanwhile.
 */
export class RevocationFeed {
  /** When the last successful read began, epoch ms (our clock). */
  private lastRead = 0
  private timer: ReturnType<typeof setInterval> | undefined
  private unwatch: (() => Promise<void>) | undefined
  private unwatchWrites: (() => Promise<void>) | undefined
  private soon: ReturnType<typeof setTimeout> | undefined
  private polling: Promise<void> | null = null
  private lastPrune = 0
  /** When the store stopped answering, epoch ms; null while it answers. */
  private failingSince: number | null = null

  constructor(
    private readonly store: AuthStore,
    readonly revoked: RevokedSessions,
    private readonly pollMs = REVOCATION_POLL_MS,
  ) {}

  /** Loads every session that ended within the retention, then follows new ones. */
  async start(now = Date.now()): Promise<void> {
    this.lastRead = now - this.revoked.retentionMs + OVERLAP_MS
    await this.read(now)
    this.unwatch = this.store.watchRevocations?.(({ id, revokedAt, reason }) => this.revoked.add(id, revokedAt, reason))
    this.unwatchWrites = this.store.watchWrites?.(() => this.pollSoon())
    this.timer = setInterval(() => void this.poll(), this.pollMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    clearTimeout(this.soon)
    await Promise.all([this.unwatch?.(), this.unwatchWrites?.()])
  }

  /** A read shortly, shared by every write that asks for one meanwhile. */
  private pollSoon() {
    if (this.soon) return
    this.soon = setTimeout(() => {
      this.soon = undefined
      void this.poll()
    }, WRITE_COALESCE_MS)
    this.soon.unref()
  }

  /** One poll; concurrent callers share it. Never throws: a failed read leaves the set as it is. */
  poll(now = Date.now()): Promise<void> {
    this.polling ??= this.read(now).then(
      () => this.recovered(),
      (error: Error) => this.failed(error, now),
    ).finally(() => {
      this.polling = null
    })
    return this.polling
  }

  private async read(now: number): Promise<void> {
    const rows = await this.store.listRevokedSince(this.lastRead - OVERLAP_MS)
    // Added as learnt now (not at the poll's start): each commit was before this moment.
    for (const { id, revokedAt, reason } of rows) this.revoked.add(id, revokedAt, reason)
    // Only once the read succeeded: after an outage, the next read reaches back to before it.
    this.lastRead = now
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.revoked.prune(now)
      this.lastPrune = now
    }
  }

  private failed(error: Error, now: number) {
    if (this.failingSince !== null) return
    this.failingSince = now
    // Our own message and the error's class only: a driver's message may quote a connection string.
    console.error(`[auth] Revocation feed cannot read the store (${error.name}); still refusing the ${this.revoked.size} sessions known to have ended, and retrying every ${this.pollMs} ms.`)
  }

  private recovered() {
    if (this.failingSince === null) return
    console.info(`[auth] Revocation feed reads the store again after ${Math.round((Date.now() - this.failingSince) / 1000)} s, and has caught up.`)
    this.failingSince = null
  }
}
