import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { openStore } from '../../../layers/auth/server/store'
import { notesMigrations } from '../../../server/migrations/notes'
import { userNotes } from '../../../server/utils/notes'
import { ADA, copyOfV010Database, readAllRows } from '../../fixtures/upgrade'

describe('a database made by v0.1.0, opened by the layer and the app', () => {
  it('keeps every row of every table, and records the notes track as applied', async () => {
    const path = copyOfV010Database()
    const before = readAllRows(path)
    expect(Object.values(before).map(rows => rows.length)).toEqual([2, 3, 1, 6, 3, 3])

    const store = await openStore(`sqlite:${path}`, [notesMigrations])
    const [ada] = await store.findUsersByEmail(ADA.email)
    const database = { kind: store.kind, all: store.appAll.bind(store), run: store.appRun.bind(store) }
    expect((await userNotes(database, ada!.id).list()).map(note => note.text)).toEqual(ADA.notes)
    expect((await store.listSigningKeys('access')).length).toBe(2)
    await store.close()

    expect(readAllRows(path)).toEqual(before)
    const db = new Database(path, { readonly: true })
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY 1').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }])
    expect(db.prepare('SELECT name, version FROM app_migrations').all()).toEqual([{ name: 'notes', version: 1 }])
    db.close()
  })

  it('opens again as it is, with or without the app\'s track', async () => {
    const path = copyOfV010Database()
    const before = readAllRows(path)
    await (await openStore(`sqlite:${path}`, [notesMigrations])).close()
    await (await openStore(`sqlite:${path}`)).close()
    await (await openStore(`sqlite:${path}`, [notesMigrations])).close()
    expect(readAllRows(path)).toEqual(before)
  })
})
