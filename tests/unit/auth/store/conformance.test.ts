import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreUnavailableError } from '../../../../layers/auth/server/store/types'
import type { AuthStore } from '../../../../layers/auth/server/store/types'
import { STORE_KINDS } from '../../../fixtures/stores'
import type { StoreUnderTest } from '../../../fixtures/stores'

/** The store interface's contract, run against every implementation (the session rules: auth-sessions.test.ts). */
describe.each(STORE_KINDS)('the %s store', (_, open) => {
  let subject: StoreUnderTest
  let store: AuthStore
  const profile = (sub = crypto.randomUUID()) => ({ googleSub: sub, email: `${sub}@example.com`, name: 'N', picture: null })

  beforeAll(async () => {
    subject = await open()
    store = subject.store
  })
  afterAll(() => subject.dispose())

  it('creates a user once, then updates the profile', async () => {
    const sub = crypto.randomUUID()
    const first = await store.upsertGoogleUser(profile(sub), 1)
    const second = await store.upsertGoogleUser({ ...profile(sub), name: 'Renamed', picture: 'https://x/p.png' }, 2)
    expect(first.created).toBe(true)
    expect(second).toMatchObject({ created: false, user: { id: first.user.id, name: 'Renamed', picture: 'https://x/p.png', lastSignInAt: 2, createdAt: 1 } })
    expect(await store.findUserById(first.user.id)).toMatchObject({ name: 'Renamed' })
    expect(await store.findUserById('nobody')).toBeNull()
  })

  it('lets exactly one of 20 concurrent compare-and-sets rotate a token', async () => {
    const { user } = await store.upsertGoogleUser(profile(), 1)
    await store.insertSession({ id: crypto.randomUUID(), userId: user.id, refreshHash: 'h0', createdAt: 1, expiresAt: 1e13, userAgent: null, ip: null })
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      store.rotateRefreshToken({ presentedHash: 'h0', nextHash: `h1-${i}`, successorSealed: 's', now: 2, idleCutoff: 0 })))
    const winners = results.filter(result => result !== null)
    expect(winners).toHaveLength(1)
    const { session, user: owner } = winners[0]!
    expect(session).toMatchObject({ previousHash: 'h0', previousRotatedAt: 2, lastUsedAt: 2 })
    expect(owner).toEqual(user)
    expect(await store.findSessionBySupersededHash('h0')).toMatchObject({ id: session.id })
    expect(await store.findSessionByRefreshHash(session.refreshHash)).toMatchObject({ id: session.id })
  })

  it('does not rotate a revoked, ended or idle session', async () => {
    const { user } = await store.upsertGoogleUser(profile(), 1)
    const base = { userId: user.id, createdAt: 1, userAgent: null, ip: null }
    await store.insertSession({ ...base, id: crypto.randomUUID(), refreshHash: 'ended', expiresAt: 5 })
    await store.insertSession({ ...base, id: crypto.randomUUID(), refreshHash: 'idle', expiresAt: 1e13 })
    const revoked = crypto.randomUUID()
    await store.insertSession({ ...base, id: revoked, refreshHash: 'revoked', expiresAt: 1e13 })
    await store.revokeSession(user.id, revoked, 2, 'signout')
    const rotate = (presentedHash: string, idleCutoff = 0) => store.rotateRefreshToken({ presentedHash, nextHash: `${presentedHash}-next`, successorSealed: 's', now: 10, idleCutoff })
    expect(await rotate('ended')).toBeNull()
    expect(await rotate('idle', 5)).toBeNull()
    expect(await rotate('revoked')).toBeNull()
  })

  it('lists a user\'s active sessions newest first, revokes only their own, purges ended ones', async () => {
    const a = (await store.upsertGoogleUser(profile(), 1)).user
    const b = (await store.upsertGoogleUser(profile(), 1)).user
    const ids = { s1: crypto.randomUUID(), s2: crypto.randomUUID(), s3: crypto.randomUUID() }
    for (const [id, userId, createdAt] of [[ids.s1, a.id, 10], [ids.s2, a.id, 20], [ids.s3, b.id, 30]] as const) {
      await store.insertSession({ id, userId, refreshHash: `h-${id}`, createdAt, expiresAt: 1e12, userAgent: 'ua', ip: '203.0.113.1' })
    }
    expect((await store.listActiveSessions(a.id, 100, 0)).map(s => s.id)).toEqual([ids.s2, ids.s1])
    expect(await store.revokeSession(a.id, ids.s3, 100, 'device')).toBe(false)
    expect(await store.revokeOtherSessions(a.id, ids.s2, 100)).toEqual([ids.s1])
    expect(await store.findSessionById(ids.s1)).toMatchObject({ revokedAt: 100, revokedReason: 'device' })
    expect((await store.listActiveSessions(a.id, 100, 0)).map(s => s.id)).toEqual([ids.s2])
    expect((await store.purgeExpired({ now: 100, endedCutoff: 100, idleCutoff: 0, revokedCutoff: 101, graceCutoff: 0 })).sessions).toBeGreaterThanOrEqual(1)
    expect(await store.findSessionById(ids.s1)).toBeNull()
    expect(await store.findSessionById(ids.s3)).toMatchObject({ userAgent: 'ua', ip: '203.0.113.1' })
  })

  it('revokes all of a user\'s sessions, finds users by exact e-mail, and lists revocations after a time', async () => {
    const sub = crypto.randomUUID()
    const { user } = await store.upsertGoogleUser({ ...profile(sub), email: `Case-${sub}@example.com` }, 1)
    const other = (await store.upsertGoogleUser(profile(), 1)).user
    const ids = [crypto.randomUUID(), crypto.randomUUID()]
    for (const [i, id] of ids.entries()) {
      await store.insertSession({ id, userId: user.id, refreshHash: `u-${id}`, createdAt: 10 + i, expiresAt: 1e13, userAgent: null, ip: null })
    }
    const untouched = crypto.randomUUID()
    await store.insertSession({ id: untouched, userId: other.id, refreshHash: `u-${untouched}`, createdAt: 10, expiresAt: 1e13, userAgent: null, ip: null })

    expect((await store.findUsersByEmail(`Case-${sub}@example.com`)).map(u => u.id)).toEqual([user.id])
    expect(await store.findUsersByEmail(`case-${sub}@example.com`)).toEqual([])
    const since = 5e12
    expect((await store.revokeUserSessions(user.id, since + 1)).sort()).toEqual([...ids].sort())
    expect(await store.revokeUserSessions(user.id, since + 2)).toEqual([])
    const revoked = await store.listRevokedSince(since)
    expect(revoked.map(r => r.id).sort()).toEqual([...ids].sort())
    expect(revoked.every(r => r.revokedAt === since + 1 && r.reason === 'operator')).toBe(true)
    expect(await store.listRevokedSince(since + 1)).toEqual([])
    expect(await store.findSessionById(untouched)).toMatchObject({ revokedAt: null })
  })

  it('deletes a user with their sessions and token history, leaving tombstones that the revocation feed reads', async () => {
    const { user } = await store.upsertGoogleUser(profile(), 1)
    const other = (await store.upsertGoogleUser(profile(), 1)).user
    const [active, signedOut, kept] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    for (const [id, userId] of [[active, user.id], [signedOut, user.id], [kept, other.id]] as const) {
      await store.insertSession({ id, userId, refreshHash: `d-${id}`, createdAt: 10, expiresAt: 1e13, userAgent: 'Secret Browser', ip: '198.51.100.7' })
    }
    await store.rotateRefreshToken({ presentedHash: `d-${active}`, nextHash: `d2-${active}`, successorSealed: 's', now: 20, idleCutoff: 0 })
    await store.revokeSession(user.id, signedOut, 30, 'signout')

    const now = 6e12
    expect(await store.deleteUser(user.id, now)).toEqual([active])
    expect(await store.findUserById(user.id)).toBeNull()
    for (const hash of [`d2-${active}`, `d-${signedOut}`]) expect(await store.findSessionByRefreshHash(hash)).toBeNull()
    expect(await store.findSessionBySupersededHash(`d-${active}`)).toBeNull()
    expect(await store.findSessionById(active)).toBeNull()
    // Each session's end as it was: the active one now, the signed-out one when and why it was signed out.
    expect(await store.listRevokedSince(now - 1)).toEqual([{ id: active, revokedAt: now, reason: 'account_deleted' }])
    expect((await store.listRevokedSince(29)).filter(r => r.id === signedOut)).toEqual([{ id: signedOut, revokedAt: 30, reason: 'signout' }])
    expect(await store.findSessionById(kept)).toMatchObject({ userId: other.id, revokedAt: null })
    expect(await store.deleteUser(user.id, now + 1)).toBeNull()

    // Tombstones go with other ended sessions, at the revoked cutoff.
    await store.purgeExpired({ now, endedCutoff: 0, idleCutoff: 0, revokedCutoff: now, graceCutoff: 0 })
    expect(await store.listRevokedSince(now - 1)).toHaveLength(1)
    await store.purgeExpired({ now, endedCutoff: 0, idleCutoff: 0, revokedCutoff: now + 1, graceCutoff: 0 })
    expect(await store.listRevokedSince(0)).not.toContainEqual(expect.objectContaining({ id: active }))
  })

  it('deletes a user\'s app rows that reference users(id) ON DELETE CASCADE', async () => {
    await store.appRun('CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE)')
    const [gone, stays] = [(await store.upsertGoogleUser(profile(), 1)).user, (await store.upsertGoogleUser(profile(), 1)).user]
    await store.appRun('INSERT INTO things (id, user_id) VALUES (?, ?), (?, ?)', ['t1', gone.id, 't2', stays.id])
    await store.deleteUser(gone.id, 1)
    expect(await store.appAll('SELECT id FROM things ORDER BY id')).toEqual([{ id: 't2' }])
  })

  it('announces revocations by any writer to a watcher, where the database can push', async () => {
    // SQLite has no push: the revocation feed polls it (tests/unit/server/revocation).
    if (!store.watchRevocations) return void expect(store.kind).toBe('sqlite')
    const { user } = await store.upsertGoogleUser(profile(), 1)
    const id = crypto.randomUUID()
    await store.insertSession({ id, userId: user.id, refreshHash: `w-${id}`, createdAt: 1, expiresAt: 1e13, userAgent: null, ip: null })
    const heard: { id: string, revokedAt: number }[] = []
    let announced!: () => void
    const arrived = new Promise<void>((done) => {
      announced = done
    })
    // LISTEN is issued asynchronously: revoke only once it is in place.
    let listening = false
    const stop = store.watchRevocations((revoked) => {
      if (revoked.id === 'probe') listening = true
      heard.push(revoked)
      if (revoked.id === id) announced()
    })
    try {
      await expect.poll(async () => {
        await subject.notify!('probe 1')
        return listening
      }, { timeout: 10_000 }).toBe(true)
      expect(await store.revokeSession(user.id, id, 12_345, 'reuse')).toBe(true)
      await arrived
      expect(heard).toContainEqual({ id, revokedAt: 12_345, reason: 'reuse' })
    }
    finally {
      await stop()
    }
  })

  it('records a single-use value once, and purges it after it expires', async () => {
    const key = `k-${crypto.randomUUID()}`
    expect(await store.recordOnce(key, 50)).toBe(true)
    expect(await store.recordOnce(key, 50)).toBe(false)
    expect((await store.purgeExpired({ now: 51, endedCutoff: 0, idleCutoff: 0, revokedCutoff: 0, graceCutoff: 0 })).records).toBeGreaterThanOrEqual(1)
    expect(await store.recordOnce(key, 100)).toBe(true)
  })

  it('adds signing keys, retiring the previous one of the same purpose, and deletes long-retired ones', async () => {
    const key = (kid: string, createdAt: number) => ({ kid, purpose: 'access' as const, alg: 'EdDSA', publicJwk: '{}', privateJwk: '{}', createdAt, retiredAt: null })
    const [k1, k2] = [`k1-${crypto.randomUUID()}`, `k2-${crypto.randomUUID()}`]
    await store.addSigningKey(key(k1, 1000))
    await store.addSigningKey(key(k2, 2000))
    const keys = (await store.listSigningKeys('access')).filter(k => k.kid === k1 || k.kid === k2)
    expect(keys.map(k => [k.kid, k.retiredAt])).toEqual([[k2, null], [k1, 2000]])
    expect(await store.deleteSigningKeysRetiredBefore('access', 2001)).toBeGreaterThanOrEqual(1)
    expect((await store.listSigningKeys('access')).some(k => k.kid === k1)).toBe(false)
    expect((await store.listSigningKeys('google-emulator')).some(k => k.kid === k2)).toBe(false)
  })

  it('adds a purpose\'s first key once, however many processes try at once', async () => {
    // This suite adds no other emulator key: the store starts with none.
    const purpose = 'google-emulator' as const
    expect(await store.listSigningKeys(purpose)).toEqual([])
    const added = await Promise.all(Array.from({ length: 10 }, (_, i) => store.addFirstSigningKey({
      kid: `first-${i}`, purpose, alg: 'RS256', publicJwk: '{}', privateJwk: '{}', createdAt: 1, retiredAt: null,
    })))
    expect(added.filter(Boolean)).toHaveLength(1)
    expect(await store.listSigningKeys(purpose)).toHaveLength(1)
  })

  it('counts rate-limit hits atomically across concurrent callers, and restarts an ended window', async () => {
    const key = `ip:${crypto.randomUUID()}`
    const hits = await Promise.all(Array.from({ length: 20 }, () => store.hitRateLimit(key, 60_000, 1_000)))
    expect(hits.map(hit => hit.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(new Set(hits.map(hit => hit.resetAt))).toEqual(new Set([61_000]))
    expect(await store.hitRateLimit(key, 60_000, 61_000)).toEqual({ count: 1, resetAt: 121_000 })
    expect(await store.hitRateLimit(`other:${key}`, 60_000, 61_000)).toEqual({ count: 1, resetAt: 121_000 })
  })

  it('runs an app\'s own statements with ? placeholders, and reports the rows changed', async () => {
    const { user } = await store.upsertGoogleUser(profile(), 1)
    expect(await store.appAll<{ email: string }>('SELECT email FROM users WHERE id = ? AND created_at = ?', [user.id, 1])).toEqual([{ email: user.email }])
    expect(await store.appRun('UPDATE users SET name = ? WHERE id = ?', ['Renamed', user.id])).toBe(1)
    expect(await store.appRun('UPDATE users SET name = ? WHERE id = ?', ['Renamed', 'nobody'])).toBe(0)
  })

  it('applies migrations idempotently, also twice at once (two instances starting)', async () => {
    await Promise.all([store.migrate(), store.migrate()])
    await store.ping()
  })

  it('reports a closed store as unavailable', async () => {
    const other = await open()
    await other.store.close()
    await expect(other.store.ping()).rejects.toBeInstanceOf(StoreUnavailableError)
    await other.dispose().catch(() => undefined)
  })
})
