import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser, parseSetCookies } from '../fixtures/browser'
import { withDatabase } from '../fixtures/database'
import { uniqueEmail } from '../fixtures/google'
import { startTwoInstances } from '../fixtures/instances'
import type { TwoInstances } from '../fixtures/instances'
import { startTestPostgres } from '../fixtures/postgres'
import { callWith, timeUntilRefused } from '../fixtures/revocation'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithBearer, signInWithCookies } from '../fixtures/sign-in'
import type { MeResponse } from '../../layers/auth/shared/types/api'
import type { NotesResponse } from '../../shared/notes'

/** docs/api.md: every instance refuses an ended session's access tokens within 1 s. */
const BOUND_MS = 1_000

/** Rows straight from the shared database (`?` placeholders on both), beside what the servers say. */
type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>
type Setup = TwoInstances & { query: Query, dispose: () => Promise<void> }

const SETUPS: [string, () => Promise<Setup>][] = [
  ['SQLite (two processes on one file)', async () => {
    const pair = await startTwoInstances()
    const query: Query = async (sql, params = []) => withDatabase(pair.first.databasePath, db => db.prepare(sql).all(...params) as Record<string, unknown>[])
    return { ...pair, query, dispose: pair.stop }
  }],
  ['PostgreSQL', async () => {
    const database = await startTestPostgres()
    const pair = await startTwoInstances(database.url)
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    const query: Query = async (sql, params = []) => {
      let n = 0
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows
    }
    return {
      ...pair,
      query,
      dispose: async () => {
        await client.end()
        await pair.stop()
        await database.dispose()
      },
    }
  }],
]

const bearerHeaders = (token: string) => ({ 'authorization': `Bearer ${token}`, 'content-type': 'application/json' })
const deleteWithBearer = (server: RunningServer, token: string, body: unknown) =>
  fetch(`${server.url}/api/auth/account`, { method: 'DELETE', headers: bearerHeaders(token), body: JSON.stringify(body) })
const refreshOn = (server: RunningServer, token: string) =>
  fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
const addNote = async (server: RunningServer, token: string, text: string) =>
  expect((await fetch(`${server.url}/api/notes`, { method: 'POST', headers: bearerHeaders(token), body: JSON.stringify({ text }) })).status).toBe(201)
const notesOf = async (server: RunningServer, token: string) =>
  (await (await fetch(`${server.url}/api/notes`, { headers: { authorization: `Bearer ${token}` } })).json() as NotesResponse).notes.map(note => note.text)
const sessionIdOf = async (server: RunningServer, token: string) =>
  (await (await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json() as MeResponse).session.id

describe.each(SETUPS)('DELETE /api/auth/account on %s', (_, setUp) => {
  let setup: Setup
  let first: RunningServer
  let second: RunningServer
  beforeAll(async () => {
    setup = await setUp()
    ;({ first, second } = setup)
  }, 60_000)
  afterAll(() => setup?.dispose())

  /** The rows that belong to a user, table by table, read from the database itself. */
  async function rowsOf(userId: string, sessionIds: string[]) {
    const marks = sessionIds.map(() => '?').join(', ')
    return {
      users: await setup.query('SELECT id FROM users WHERE id = ?', [userId]),
      sessions: await setup.query(`SELECT id FROM sessions WHERE user_id = ? OR id IN (${marks})`, [userId, ...sessionIds]),
      history: await setup.query(`SELECT hash FROM refresh_token_history WHERE session_id IN (${marks})`, sessionIds),
      notes: await setup.query('SELECT id FROM notes WHERE user_id = ?', [userId]),
    }
  }

  it('deletes the user and everything of theirs; every token of theirs is refused on both instances; others untouched', async () => {
    const email = uniqueEmail('deleted')
    const browser = new TestBrowser(first.url)
    const { user } = await signInWithCookies(browser, first, { email, name: 'Leaving User' })
    // A second device, through the other instance, with a rotated refresh token (a token history).
    const phone = await signInWithBearer(second, { email })
    const rotated = await (await refreshOn(second, phone.refreshToken)).json() as { accessToken: string, refreshToken: string }
    await addNote(second, rotated.accessToken, 'mine')
    const bystander = await signInWithBearer(first)
    await addNote(first, bystander.accessToken, 'not yours')

    const sessionIds = [await sessionIdOf(first, browser.cookies.get('__Host-auth_access')!), await sessionIdOf(first, rotated.accessToken)]
    const before = await rowsOf(user.id, sessionIds)
    expect([before.users.length, before.sessions.length, before.history.length, before.notes.length]).toEqual([1, 2, 1, 1])
    const stolenAccess = browser.cookies.get('__Host-auth_access')!
    const stolenRefresh = browser.cookies.get('__Host-auth_refresh')!

    // The e-mail as typed: ASCII case does not matter.
    const response = await browser.fetch('/api/auth/account', { method: 'DELETE', json: { confirm: email.toUpperCase() } })
    const answeredAt = performance.now()
    expect(response.status).toBe(204)
    const cleared = parseSetCookies(response).filter(cookie => cookie.attributes['max-age'] === '0').map(cookie => cookie.name).sort()
    expect(cleared).toEqual(['__Host-auth_access', '__Host-auth_refresh'])

    // Gone from the database: the user, both sessions with their user agent and IP, the token history, the notes.
    expect(await rowsOf(user.id, sessionIds)).toEqual({ users: [], sessions: [], history: [], notes: [] })
    // What is left for the revocation feed: the session ids, when and why; nothing that names the person.
    const tombstones = await setup.query(`SELECT * FROM session_tombstones WHERE id IN (?, ?) ORDER BY id`, sessionIds)
    expect(tombstones.map(row => [row.id, row.revoked_reason])).toEqual([...sessionIds].sort().map(id => [id, 'account_deleted']))
    expect(Object.keys(tombstones[0]!).sort()).toEqual(['id', 'revoked_at', 'revoked_reason'])
    expect(JSON.stringify(await setup.query('SELECT * FROM session_tombstones'))).not.toContain(user.id)

    // Every access token: at once where it was deleted, within the bound on the other instance.
    for (const token of [stolenAccess, rotated.accessToken]) {
      expect(await callWith(first, token)).toEqual({ status: 401, code: 'session_revoked', reason: 'account_deleted' })
      expect(await timeUntilRefused(second, token, answeredAt)).toBeLessThan(BOUND_MS)
      expect(await callWith(second, token, '/api/notes')).toMatchObject({ status: 401, code: 'session_revoked' })
    }
    // Every refresh token, current or superseded, on either instance.
    for (const server of [first, second]) {
      for (const token of [stolenRefresh, phone.refreshToken, rotated.refreshToken]) {
        expect((await refreshOn(server, token)).status).toBe(401)
      }
    }
    // Someone else's account: signed in and with their note, on both instances.
    for (const server of [first, second]) {
      expect((await callWith(server, bystander.accessToken)).status).toBe(200)
      expect(await notesOf(server, bystander.accessToken)).toEqual(['not yours'])
    }

    const audit = first.output().split('\n').filter(line => line.includes('"event":"account_deleted"'))
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!)).toMatchObject({ userId: user.id, sessions: 2 })
    expect(audit[0]).not.toContain(email)
    expect(audit[0]).not.toContain('Leaving User')
  })

  it('a wrong or missing confirmation: 400 with a code, and nothing is deleted', async () => {
    const email = uniqueEmail('keeps')
    const signedIn = await signInWithBearer(first, { email })
    await addNote(first, signedIn.accessToken, 'still here')
    const other = uniqueEmail('other')
    for (const [body, code] of [
      [{ confirm: other }, 'confirmation_mismatch'],
      [{ confirm: '' }, 'confirmation_mismatch'],
      // Only ASCII case folds: a look-alike (KELVIN SIGN for K) is another address.
      [{ confirm: email.replace('k', '\u212A') }, 'confirmation_mismatch'],
      [{ confirm: `${email}x` }, 'confirmation_mismatch'],
      [{}, 'invalid_request'],
      [{ confirm: 42 }, 'invalid_request'],
      [{ email }, 'invalid_request'],
    ] as const) {
      const response = await deleteWithBearer(first, signedIn.accessToken, body)
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([400, code])
    }
    const bare = await fetch(`${first.url}/api/auth/account`, { method: 'DELETE', headers: { authorization: `Bearer ${signedIn.accessToken}` } })
    expect([bare.status, await errorCode(bare)]).toEqual([400, 'invalid_request'])

    expect((await setup.query('SELECT id FROM users WHERE id = ?', [signedIn.user.id])).length).toBe(1)
    expect(await notesOf(second, signedIn.accessToken)).toEqual(['still here'])
    expect((await refreshOn(second, signedIn.refreshToken)).status).toBe(200)
  })

  it('no live session: 401, and nothing is deleted', async () => {
    const none = await fetch(`${first.url}/api/auth/account`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{"confirm":"a@b.c"}' })
    expect([none.status, await errorCode(none)]).toEqual([401, 'unauthenticated'])

    // A device already signed out, its access token unexpired: it cannot delete the account its owner still uses.
    const email = uniqueEmail('revoked-device')
    const device = await signInWithBearer(first, { email })
    const owner = await signInWithBearer(first, { email })
    await fetch(`${first.url}/api/auth/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${owner.accessToken}` } })
    const refused = await deleteWithBearer(second, device.accessToken, { confirm: email })
    expect([refused.status, await errorCode(refused)]).toEqual([401, 'session_revoked'])
    expect((await callWith(second, owner.accessToken)).status).toBe(200)
  })

  it('a cross-site cookie request is refused with 403 csrf and the account stays', async () => {
    const email = uniqueEmail('csrf-target')
    const browser = new TestBrowser(first.url)
    await signInWithCookies(browser, first, { email })
    for (const headers of [{ origin: 'https://evil.example' }, { 'origin': '', 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const response = await browser.fetch('/api/auth/account', { method: 'DELETE', headers, json: { confirm: email } })
      expect([response.status, await errorCode(response)]).toEqual([403, 'csrf'])
    }
    expect((await browser.fetch('/api/auth/me')).status).toBe(200)
  })

  it('a bearer client deletes with its access token; no cookie is touched; a second call finds nothing to delete', async () => {
    const email = uniqueEmail('bearer-leaver')
    const signedIn = await signInWithBearer(second, { email })
    const response = await deleteWithBearer(second, signedIn.accessToken, { confirm: email })
    expect(response.status).toBe(204)
    expect(response.headers.getSetCookie()).toEqual([])
    const again = await deleteWithBearer(second, signedIn.accessToken, { confirm: email })
    expect([again.status, await errorCode(again)]).toEqual([401, 'session_revoked'])
  })

  it('signing in again with the same Google account creates a fresh, empty account', async () => {
    const email = uniqueEmail('returning')
    const before = await signInWithBearer(first, { email, name: 'Returning User' })
    await addNote(first, before.accessToken, 'from the old account')
    expect((await deleteWithBearer(first, before.accessToken, { confirm: email })).status).toBe(204)

    const after = await signInWithBearer(second, { email, name: 'Returning User' })
    expect(after.newUser).toBe(true)
    expect(after.user.id).not.toBe(before.user.id)
    expect(await notesOf(first, after.accessToken)).toEqual([])
  })
})
