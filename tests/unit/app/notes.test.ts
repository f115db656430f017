import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appDatabaseOf } from '../../../layers/auth/server/store/types'
import type { AppDatabase, AppMigrations, AuthStore } from '../../../layers/auth/server/store/types'
import { notesMigrations } from '../../../server/migrations/notes'
import { purgeDeletedNotes, userNotes } from '../../../server/utils/notes'
import { NOTE_UNDO_SECONDS } from '../../../shared/notes'
import { STORE_KINDS } from '../../fixtures/stores'
import type { StoreUnderTest } from '../../fixtures/stores'

/** The example app's own data, in its own table and migrations, on each database the auth layer supports. */
describe.each(STORE_KINDS)('notes on the %s store', (_, open) => {
  let subject: StoreUnderTest
  let store: AuthStore
  let database: AppDatabase
  const newUser = async () => (await store.upsertGoogleUser({ googleSub: crypto.randomUUID(), email: 'n@example.com', name: 'N', picture: null }, 1)).user

  beforeAll(async () => {
    subject = await open([notesMigrations])
    store = subject.store
    database = appDatabaseOf(store)
  })
  afterAll(() => subject.dispose())

  it('keeps each user\'s notes to themselves', async () => {
    const a = await newUser()
    const b = await newUser()
    const note = await userNotes(database, a.id).add('secret plan')
    expect(await userNotes(database, b.id).list()).toEqual([])
    expect(await userNotes(database, b.id).remove(note.id)).toBe(false)
    expect(await userNotes(database, a.id).list()).toEqual([note])
    expect(await userNotes(database, a.id).remove(note.id)).toBe(true)
    expect(await userNotes(database, a.id).list()).toEqual([])
  })

  it('keeps a deleted note restorable for NOTE_UNDO_SECONDS, to its owner only, then deletes it for good', async () => {
    const owner = userNotes(database, (await newUser()).id)
    const stranger = userNotes(database, (await newUser()).id)
    const note = await owner.add('oops')
    const deletedAt = Date.now()
    expect(await owner.remove(note.id, deletedAt)).toBe(true)
    expect(await owner.list()).toEqual([])
    expect(await owner.remove(note.id, deletedAt)).toBe(false)
    expect(await stranger.restore(note.id, deletedAt + 1000)).toBeNull()
    expect(await owner.restore(note.id, deletedAt + NOTE_UNDO_SECONDS * 1000 - 1)).toEqual(note)
    expect(await owner.list()).toEqual([note])

    // Past the window: not restorable, and the row itself is gone once a purge runs.
    await owner.remove(note.id, deletedAt)
    expect(await owner.restore(note.id, deletedAt + NOTE_UNDO_SECONDS * 1000)).toBeNull()
    const rowsOf = () => store.appAll('SELECT id FROM notes WHERE id = ?', [note.id])
    expect(await rowsOf()).toHaveLength(1)
    expect(await purgeDeletedNotes(database, deletedAt + NOTE_UNDO_SECONDS * 1000)).toBeGreaterThanOrEqual(1)
    expect(await rowsOf()).toEqual([])
  })

  it('lists newest first, with ISO times', async () => {
    const notes = userNotes(database, (await newUser()).id)
    const first = await notes.add('first')
    await expect.poll(() => Date.now()).toBeGreaterThan(Date.parse(first.createdAt))
    const second = await notes.add('second')
    expect((await notes.list()).map(note => note.text)).toEqual(['second', 'first'])
    expect(second.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('applies its track once, also twice at once, and a new step later without touching the rows', async () => {
    const notes = userNotes(database, (await newUser()).id)
    await notes.add('kept')
    await Promise.all([store.migrate([notesMigrations]), store.migrate([notesMigrations])])
    const extended: AppMigrations = {
      ...notesMigrations,
      sqlite: [...notesMigrations.sqlite, 'ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0'],
      postgres: [...notesMigrations.postgres, 'ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0'],
    }
    await store.migrate([extended])
    await store.migrate([extended])
    expect((await notes.list()).map(note => note.text)).toEqual(['kept'])
    expect(await store.appAll('SELECT DISTINCT pinned FROM notes')).toEqual([{ pinned: 0 }])
  })

  it('goes with its user: deleting the user deletes the notes', async () => {
    const user = await newUser()
    await userNotes(database, user.id).add('bye')
    await store.appRun('DELETE FROM users WHERE id = ?', [user.id])
    expect(await store.appAll('SELECT id FROM notes WHERE user_id = ?', [user.id])).toEqual([])
  })
})
