import { describe, expect, it } from 'vitest'
import { openStore } from '../../../../server/store'
import { SqliteStore } from '../../../../server/store/sqlite'
import { StoreUnavailableError } from '../../../../server/store/types'
import { openTempStore } from '../../../fixtures/sqlite-store'
import { startUnitServices } from '../../../fixtures/unit-services'

describe('SQLite store', () => {
  it('applies migrations once, and reopening the file keeps the data', async () => {
    const { store, path } = await openTempStore()
    const { user } = await store.upsertGoogleUser({ googleSub: 's', email: 'a@example.com', name: 'A', picture: null }, 1)
    await store.close()
    const reopened = await openStore(`sqlite:${path}`)
    expect(await reopened.findUserById(user.id)).toMatchObject({ email: 'a@example.com' })
    await reopened.close()
  })

  it('runs in WAL mode', async () => {
    const { path, store } = await openTempStore()
    await store.close()
    const raw = new SqliteStore(path)
    expect((raw as unknown as { db: { pragma: (q: string, o: object) => unknown } }).db.pragma('journal_mode', { simple: true })).toBe('wal')
    await raw.close()
  })

  it('lists a user\'s active sessions newest first and revokes only their own', async () => {
    const { store } = await openTempStore()
    const a = (await store.upsertGoogleUser({ googleSub: 'a', email: 'a@x', name: 'A', picture: null }, 1)).user
    const b = (await store.upsertGoogleUser({ googleSub: 'b', email: 'b@x', name: 'B', picture: null }, 1)).user
    for (const [id, userId, createdAt] of [['s1', a.id, 10], ['s2', a.id, 20], ['s3', b.id, 30]] as const) {
      await store.insertSession({ id, userId, refreshHash: `h-${id}`, createdAt, expiresAt: 1e12, userAgent: null, ip: null })
    }
    expect((await store.listActiveSessions(a.id, 100, 0)).map(s => s.id)).toEqual(['s2', 's1'])
    expect(await store.revokeSession(a.id, 's3', 100)).toBe(false)
    expect(await store.revokeOtherSessions(a.id, 's2', 100)).toBe(1)
    expect((await store.listActiveSessions(a.id, 100, 0)).map(s => s.id)).toEqual(['s2'])
    expect((await store.purgeExpired({ now: 100, endedCutoff: 100, idleCutoff: 0, revokedCutoff: 101, graceCutoff: 0 })).sessions).toBe(1)
    await store.close()
  })

  it('reports a database it cannot use as StoreUnavailableError', async () => {
    const { store } = await openTempStore()
    await store.close()
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError)
  })

  it('turns a store outage into 503 store_unavailable for the API', async () => {
    const { services, close } = await startUnitServices()
    await services.rawStore.close()
    const error = await services.store.findUserById('x').catch((e: { statusCode: number, data: { code: string } }) => e)
    expect(error).toMatchObject({ statusCode: 503, data: { code: 'store_unavailable' } })
    await close()
  })
})
