import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openStore } from '../../../layers/auth/server/store'
import { appDatabaseOf } from '../../../layers/auth/server/store/types'
import { notesMigrations } from '../../../server/migrations/notes'
import { userNotes } from '../../../server/utils/notes'
import { startTestPostgres } from '../../fixtures/postgres'
import { ADA, DATA_TABLES, V0_1_0_DATABASE, copyOfV010Database, readAllRows } from '../../fixtures/upgrade'

/** The rows as they should read after the upgrade: the same, with the columns later steps add still empty. */
function upgraded(rows: Record<string, unknown[]>): Record<string, unknown[]> {
  return { ...rows, notes: (rows.notes as Record<string, unknown>[]).map(note => ({ ...note, deleted_at: null })) }
}

describe('a database made by v0.1.0, opened by the layer and the app', () => {
  it('keeps every row of every table, and records the notes track as applied', async () => {
    const path = copyOfV010Database()
    const before = readAllRows(path)
    expect(Object.values(before).map(rows => rows.length)).toEqual([2, 3, 1, 6, 3, 3])

    const store = await openStore(`sqlite:${path}`, [notesMigrations])
    const [ada] = await store.findUsersByEmail(ADA.email)
    const database = appDatabaseOf(store)
    expect((await userNotes(database, ada!.id).list()).map(note => note.text)).toEqual(ADA.notes)
    expect((await store.listSigningKeys('access')).length).toBe(2)
    await store.close()

    expect(readAllRows(path)).toEqual(upgraded(before))
    const db = new Database(path, { readonly: true })
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY 1').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }, { version: 6 }])
    expect(db.prepare('SELECT name, version FROM app_migrations ORDER BY 2').all()).toEqual([{ name: 'notes', version: 1 }, { name: 'notes', version: 2 }])
    expect(db.prepare('SELECT * FROM session_tombstones').all()).toEqual([])
    db.close()
  })

  it('opens again as it is, with or without the app\'s track', async () => {
    const path = copyOfV010Database()
    await (await openStore(`sqlite:${path}`, [notesMigrations])).close()
    const before = readAllRows(path)
    await (await openStore(`sqlite:${path}`)).close()
    await (await openStore(`sqlite:${path}`, [notesMigrations])).close()
    expect(readAllRows(path)).toEqual(before)
  })
})

describe('a PostgreSQL database with v0.1.0\'s schema and rows, opened by the layer and the app', () => {
  it('keeps every row of every table, and records the notes track as applied', async () => {
    const server = await startTestPostgres()
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    const readAll = async (): Promise<Record<string, unknown[]>> => Object.fromEntries(await Promise.all(DATA_TABLES.map(async table =>
      [table, (await client.query(`SELECT * FROM ${table} ORDER BY 1`)).rows])))
    try {
      await client.query(readFileSync(new URL('../../fixtures/upgrade/v0.1.0-postgres-schema.sql', import.meta.url), 'utf8'))
      for (const [table, rows] of Object.entries(readAllRows(V0_1_0_DATABASE))) {
        for (const row of rows as Record<string, unknown>[]) {
          const columns = Object.keys(row)
          await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row))
        }
      }
      const before = await readAll()
      expect(Object.values(before).map(rows => rows.length)).toEqual([2, 3, 1, 6, 3, 3])

      const store = await openStore(server.url, [notesMigrations])
      const [ada] = await store.findUsersByEmail(ADA.email)
      const database = appDatabaseOf(store)
      expect((await userNotes(database, ada!.id).list()).map(note => note.text)).toEqual(ADA.notes)
      await store.close()

      expect(await readAll()).toEqual(upgraded(before))
      expect((await client.query('SELECT version FROM schema_migrations ORDER BY 1')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }, { version: 6 }])
      expect((await client.query('SELECT name, version FROM app_migrations ORDER BY 2')).rows).toEqual([{ name: 'notes', version: 1 }, { name: 'notes', version: 2 }])
      expect((await client.query('SELECT * FROM session_tombstones')).rows).toEqual([])
    }
    finally {
      await client.end()
      await server.dispose()
    }
  })
})
