import { statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../../../layers/auth/server/store'
import { SqliteStore } from '../../../../layers/auth/server/store/sqlite'
import { openTempStore } from '../../../fixtures/sqlite-store'
import { startUnitServices } from '../../../fixtures/unit-services'

describe('SQLite store (beyond the conformance suite)', () => {
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

  it('copies committed pages into the database file on a background thread, not on commit', async () => {
    const { path, store } = await openTempStore()
    const sizeBefore = statSync(path).size
    // About 150 pages of sessions in 300 commits: the log stays below the 4 000 pages at which the
    // committing connection would checkpoint itself.
    const { user } = await store.upsertGoogleUser({ googleSub: 'wal', email: 'wal@example.com', name: 'W', picture: null }, 1)
    for (let i = 0; i < 300; i++) await store.insertSession({ id: `s${i}`, userId: user.id, refreshHash: `h${i}`.padEnd(43, 'x'), createdAt: 1, expiresAt: 2 ** 40, userAgent: 'x'.repeat(2000), ip: null })
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(100 * 4096)
    // Only a checkpoint writes the database file itself; this connection did not run one.
    await expect.poll(() => statSync(path).size, { timeout: 5000 }).toBeGreaterThan(sizeBefore + 100 * 4096)
    await store.close()
  })

  it('turns a store outage into 503 store_unavailable for the API', async () => {
    const { services, close } = await startUnitServices()
    await services.rawStore.close()
    const error = await services.store.findUserById('x').catch((e: { statusCode: number, data: { code: string } }) => e)
    expect(error).toMatchObject({ statusCode: 503, data: { code: 'store_unavailable' } })
    await close()
  })
})
