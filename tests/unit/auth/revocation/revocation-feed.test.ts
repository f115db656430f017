import { afterEach, describe, expect, it, vi } from 'vitest'
import { RevocationFeed } from '../../../../layers/auth/server/revocation/revocation-feed'
import { RevokedSessions } from '../../../../layers/auth/server/revocation/revoked-sessions'
import { openStore } from '../../../../layers/auth/server/store'
import type { AuthStore } from '../../../../layers/auth/server/store/types'
import { openTempStore } from '../../../fixtures/sqlite-store'

const RETENTION = 60_000
const opened: AuthStore[] = []
const feeds: RevocationFeed[] = []
afterEach(async () => {
  await Promise.all(feeds.splice(0).map(feed => feed.stop()))
  await Promise.all(opened.splice(0).map(store => store.close()))
  vi.restoreAllMocks()
})

/** Two connections to one SQLite file: this instance's, and another process's (a second instance, the operator's command). */
async function twoProcesses() {
  const { store: ours, path } = await openTempStore()
  const theirs = await openStore(`sqlite:${path}`)
  opened.push(ours, theirs)
  const { user } = await theirs.upsertGoogleUser({ googleSub: crypto.randomUUID(), email: 'a@example.com', name: 'A', picture: null }, 1)
  const session = async (createdAt = Date.now()) => {
    const id = crypto.randomUUID()
    await theirs.insertSession({ id, userId: user.id, refreshHash: id, createdAt, expiresAt: createdAt + 1e9, userAgent: null, ip: null })
    return id
  }
  return { ours, theirs, userId: user.id, session }
}

function follow(store: AuthStore, pollMs?: number) {
  const feed = new RevocationFeed(store, new RevokedSessions(RETENTION), pollMs)
  feeds.push(feed)
  return feed
}

describe('the revocation feed on SQLite', () => {
  it('loads at start the sessions that ended within the retention, and not older ones', async () => {
    const { ours, theirs, userId, session } = await twoProcesses()
    const now = Date.now()
    const [recent, old] = [await session(), await session()]
    await theirs.revokeSession(userId, recent, now - RETENTION + 5_000, 'device')
    await theirs.revokeSession(userId, old, now - RETENTION - 5_000, 'device')
    const feed = follow(ours)
    await feed.start(now)
    expect(feed.revoked.has(recent)).toBe(true)
    expect(feed.revoked.has(old)).toBe(false)
  })

  it('picks up what another process revoked at its next poll, even stamped a little before the newest it saw', async () => {
    const { ours, theirs, userId, session } = await twoProcesses()
    const feed = follow(ours)
    await feed.start()
    const [first, late] = [await session(), await session()]
    const now = Date.now()
    await theirs.revokeSession(userId, first, now, 'device')
    await feed.poll()
    expect(feed.revoked.reasonOf(first)).toBe('device')
    // Committed after `first`, stamped 20 s earlier (a clock behind, or a statement that waited its 10 s).
    await theirs.revokeSession(userId, late, now - 20_000, 'device')
    await feed.poll()
    expect(feed.revoked.has(late)).toBe(true)
  })

  it('reads as soon as another process writes, without waiting for its poll', async () => {
    const { ours, theirs, userId, session } = await twoProcesses()
    // A poll an hour away: only the write-ahead log's change can bring the revocation in.
    const feed = follow(ours, 3_600_000)
    await feed.start()
    const id = await session()
    await theirs.revokeSession(userId, id, Date.now(), 'device')
    await expect.poll(() => feed.revoked.has(id)).toBe(true)
  })

  it('keeps the set while the store cannot be read, says so once, and catches up when it can', async () => {
    const { ours, theirs, userId, session } = await twoProcesses()
    const feed = follow(ours)
    await feed.start()
    const before = await session()
    await theirs.revokeSession(userId, before, Date.now(), 'device')
    await feed.poll()

    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const infos = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    const outage = vi.spyOn(ours, 'listRevokedSince').mockRejectedValue(new Error('SQLITE_IOERR'))
    const during = await session()
    await theirs.revokeSession(userId, during, Date.now(), 'operator')
    await feed.poll()
    await feed.poll()
    expect(feed.revoked.has(before)).toBe(true)
    expect(feed.revoked.has(during)).toBe(false)
    expect(errors).toHaveBeenCalledTimes(1)
    expect(String(errors.mock.calls[0]![0])).toMatch(/still refusing the 1 sessions/)

    outage.mockRestore()
    await feed.poll()
    expect(feed.revoked.reasonOf(during)).toBe('operator')
    expect(infos).toHaveBeenCalledWith(expect.stringMatching(/caught up/))
  })

  it('reads back only a short overlap before its previous read: a burst of revocations is not read again forever', async () => {
    const { ours, theirs, userId, session } = await twoProcesses()
    const burst = [await session(), await session()]
    const start = Date.now()
    for (const id of burst) await theirs.revokeSession(userId, id, start - 40_000, 'operator')
    const feed = follow(ours)
    await feed.start(start)
    expect(burst.every(id => feed.revoked.has(id))).toBe(true)
    const reads = vi.spyOn(ours, 'listRevokedSince')
    await feed.poll(start + 500)
    expect(reads).toHaveBeenLastCalledWith(start - 30_000)
    expect(await reads.mock.results.at(-1)!.value).toEqual([])
  })

  it('shares one read among concurrent polls', async () => {
    const { ours } = await twoProcesses()
    const feed = follow(ours)
    await feed.start()
    const reads = vi.spyOn(ours, 'listRevokedSince')
    await Promise.all([feed.poll(), feed.poll(), feed.poll()])
    expect(reads).toHaveBeenCalledTimes(1)
  })
})
