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

  it('turns a store outage into 503 store_unavailable for the API', async () => {
    const { services, close } = await startUnitServices()
    await services.rawStore.close()
    const error = await services.store.findUserById('x').catch((e: { statusCode: number, data: { code: string } }) => e)
    expect(error).toMatchObject({ statusCode: 503, data: { code: 'store_unavailable' } })
    await close()
  })
})
