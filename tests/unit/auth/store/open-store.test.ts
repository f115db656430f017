import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, wrongNodeForAddon } from '../../../../layers/auth/server/store'
import { describeDatabase, withoutPassword } from '../../../../layers/auth/server/store/database-url'
import { startTestPostgres } from '../../../fixtures/postgres'
import type { TestPostgres } from '../../../fixtures/postgres'

/** The message of openStore's failure. */
async function failureOf(databaseUrl: string): Promise<string> {
  const error = await openStore(databaseUrl).then(async (store) => {
    await store.close()
    return null
  }, (e: Error) => e)
  expect(error, `${databaseUrl} opened`).toBeInstanceOf(Error)
  return error!.message
}

describe('a store that cannot be opened: the message names the variable and the file, never a password', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auth-open-'))

  it('SQLite: a folder that cannot be made, and a file that is not a database, by absolute path', async () => {
    const notADatabase = join(dir, 'notes.txt')
    writeFileSync(notADatabase, 'not a database, just words\n'.repeat(100))
    expect(await failureOf(`sqlite:${notADatabase}/auth.sqlite`)).toBe(`NUXT_DATABASE_URL: the SQLite file ${notADatabase}/auth.sqlite cannot be opened: EEXIST: file already exists, mkdir '${notADatabase}'`)
    expect(await failureOf(`sqlite:${notADatabase}`)).toBe(`NUXT_DATABASE_URL: the SQLite file ${notADatabase} cannot be opened: file is not a database`)
    // A folder where the file should be: better-sqlite3 says only "unable to open database file".
    expect(await failureOf(`sqlite:${dir}`)).toBe(`NUXT_DATABASE_URL: the SQLite file ${dir} cannot be opened: unable to open database file`)
  })

  it('SQLite\'s addon compiled for another Node: says to rebuild it, not that the file is at fault', () => {
    // Node's own words when better-sqlite3 built on Node 20 is loaded by Node 24 (seen here).
    const loadError = Object.assign(new Error(`The module '/app/.output/server/node_modules/better-sqlite3/build/Release/better_sqlite3.node'
was compiled against a different Node.js version using
NODE_MODULE_VERSION 115. This version of Node.js requires
NODE_MODULE_VERSION 137. Please try re-compiling or re-installing
the module (for instance, using \`npm rebuild\` or \`npm install\`).`), { code: 'ERR_DLOPEN_FAILED' })
    const message = wrongNodeForAddon(loadError)
    expect(message).toContain(`another Node major than this one (${process.version})`)
    expect(message).toContain('npm rebuild better-sqlite3')
    // Another dlopen failure (a missing shared library), and a plain error, keep the driver's words.
    expect(wrongNodeForAddon(Object.assign(new Error('libstdc++.so.6: cannot open shared object file'), { code: 'ERR_DLOPEN_FAILED' }))).toBeUndefined()
    expect(wrongNodeForAddon(new Error('NODE_MODULE_VERSION'))).toBeUndefined()
  })

  it('SQLite: a relative path is shown resolved against the working directory', () => {
    expect(describeDatabase('sqlite:.data/auth.sqlite')).toBe(`the SQLite file ${resolve('.data/auth.sqlite')}`)
    expect(describeDatabase('sqlite::memory:')).toBe('an in-memory SQLite database')
  })

  it('PostgreSQL that cannot be reached: host and port, database and user, the driver\'s reason; no password', async () => {
    // Port 9 (discard): nothing listens, the connection is refused at once.
    const message = await failureOf('postgres://auth:s3cr%40t@127.0.0.1:9/appdb')
    expect(message).toBe('NUXT_DATABASE_URL: PostgreSQL at 127.0.0.1:9, database "appdb", user "auth" cannot be opened: connect ECONNREFUSED 127.0.0.1:9')
  })

  it('a password never survives into a message, as written or percent-decoded', () => {
    const url = 'postgres://auth:s3cr%40t@db.internal/auth'
    expect(withoutPassword('failed for s3cr%40t and s3cr@t', url)).toBe('failed for *** and ***')
    expect(describeDatabase(url)).toBe('PostgreSQL at db.internal:5432, database "auth", user "auth"')
  })

  describe('on a real PostgreSQL server', () => {
    let postgres: TestPostgres
    beforeAll(async () => {
      postgres = await startTestPostgres()
    }, 60_000)
    afterAll(async () => {
      await postgres.dispose()
    })

    it('a database that does not exist is named, with the server\'s own words', async () => {
      const url = new URL(postgres.url)
      url.pathname = '/no_such_database'
      const message = await failureOf(url.href)
      expect(message).toBe(`NUXT_DATABASE_URL: PostgreSQL at ${url.hostname}:${url.port}, database "no_such_database", user "${decodeURIComponent(url.username)}" cannot be opened: database "no_such_database" does not exist`)
    })
  })
})
