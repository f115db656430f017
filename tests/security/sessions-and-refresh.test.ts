import { afterAll, beforeAll, describe, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { TestBrowser } from '../fixtures/browser'
import { withDatabase } from '../fixtures/database'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer, signInWithCookies } from '../fixtures/sign-in'
import type { MeResponse, SessionsResponse } from '../../layers/auth/shared/types/api'
import type { NoteResponse } from '../../shared/notes'

const log = createAttackLog(import.meta.filename)
const secrets: string[] = []
let server: RunningServer

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server.stop()
  log.finish([server], secrets)
})

const refresh = (token: string) => fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
const bearer = (token: string, path: string, method = 'GET') => fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } })

async function signedIn() {
  const tokens = await signInWithBearer(server)
  secrets.push(tokens.refreshToken)
  const { session } = await (await bearer(tokens.accessToken, '/api/auth/me')).json() as MeResponse
  return { ...tokens, sessionId: session.id }
}

describe('refresh-token attacks', () => {
  it('reuse after the grace window revokes the session', async () => {
    const victim = await signedIn()
    const next = await (await refresh(victim.refreshToken)).json() as { refreshToken: string }
    secrets.push(next.refreshToken)
    withDatabase(server.databasePath, db => db.prepare('UPDATE sessions SET previous_rotated_at = previous_rotated_at - 60000 WHERE id = ?').run(victim.sessionId))
    await log.refused('reuse after grace', await refresh(victim.refreshToken), 'refresh_reused')
    await log.refused('the chain after reuse', await refresh(next.refreshToken), 'session_revoked')
  })

  it('a token of a revoked session, and of an expired one', async () => {
    const revoked = await signedIn()
    await bearer(revoked.refreshToken, '/api/auth/signout', 'POST')
    await log.refused('revoked session', await refresh(revoked.refreshToken), 'session_revoked')

    const expired = await signedIn()
    withDatabase(server.databasePath, db => db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(Date.now() - 1, expired.sessionId))
    await log.refused('expired session', await refresh(expired.refreshToken), 'session_expired')
  })

  it('another user\'s token after that user signed out', async () => {
    const other = await signedIn()
    await bearer(other.refreshToken, '/api/auth/signout', 'POST')
    const attacker = new TestBrowser(server.url)
    attacker.cookies.set('__Host-auth_refresh', other.refreshToken)
    await log.refused('other user\'s token via cookie', await attacker.fetch('/api/auth/refresh', { method: 'POST' }), 'session_revoked')
    await log.refused('made-up token', await refresh('a'.repeat(43)), 'refresh_invalid')
  })
})

describe('IDOR: another user\'s ids are 404, never 403', () => {
  it('sessions and notes', async () => {
    const alice = await signedIn()
    const bob = await signedIn()
    await log.refused('revoke another user\'s session', await bearer(alice.accessToken, `/api/auth/sessions/${bob.sessionId}`, 'DELETE'), 'not_found', 404)
    const { note } = await (await fetch(`${server.url}/api/notes`, {
      method: 'POST', headers: { 'authorization': `Bearer ${bob.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'bob only' }),
    })).json() as NoteResponse
    await log.refused('delete another user\'s note', await bearer(alice.accessToken, `/api/notes/${note.id}`, 'DELETE'), 'not_found', 404)
    const aliceNotes = await (await bearer(alice.accessToken, '/api/notes')).json() as { notes: unknown[] }
    log.judged('another user\'s notes are not listed', aliceNotes.notes.length === 0)
    const bobSessions = await (await bearer(bob.accessToken, '/api/auth/sessions')).json() as SessionsResponse
    log.judged('bob\'s session survived', bobSessions.sessions.some(s => s.id === bob.sessionId))
  })
})

describe('cookie sessions', () => {
  /** A thief's browser holding a copy of a cookie jar taken just before its owner signed out. */
  async function cookiesStolenBeforeSignOut() {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const thief = new TestBrowser(server.url)
    for (const [name, value] of browser.cookies) thief.cookies.set(name, value)
    await browser.fetch('/api/auth/signout', { method: 'POST' })
    return thief
  }

  it('a browser\'s cookies do not work on another user\'s behalf after sign-out', async () => {
    const thief = await cookiesStolenBeforeSignOut()
    thief.cookies.delete('__Host-auth_access')
    await log.refused('stolen refresh cookie after sign-out', await thief.fetch('/api/auth/refresh', { method: 'POST' }), 'session_revoked')
  })

  it('a stolen, unexpired access cookie after sign-out opens nothing: API, page, nor a refresh through the page', async () => {
    const thief = await cookiesStolenBeforeSignOut()
    await log.refused('stolen access cookie after sign-out: me', await thief.fetch('/api/auth/me'), 'session_revoked')
    await log.refused('stolen access cookie after sign-out: notes', await thief.fetch('/api/notes'), 'session_revoked')
    await log.refused('stolen access cookie after sign-out: add a note', await thief.fetch('/api/notes', { method: 'POST', json: { text: 'x' } }), 'session_revoked')
    const page = await thief.fetch('/notes', { headers: { accept: 'text/html' } })
    log.judged('stolen cookies after sign-out: the page goes to /signin', page.status === 302 && page.headers.get('location') === '/signin?redirect=/notes&reason=signed_out')
  })
})

describe('revoked sessions\' unexpired access tokens (bearer)', () => {
  it('are refused on every route after sign-out, "sign out everywhere else" and reuse', async () => {
    const signedOut = await signedIn()
    await bearer(signedOut.refreshToken, '/api/auth/signout', 'POST')
    const owner = await signedIn()
    const elsewhere = await signInWithBearer(server, { email: owner.user.email })
    secrets.push(elsewhere.refreshToken)
    await bearer(owner.accessToken, '/api/auth/sessions', 'DELETE')
    const reused = await signedIn()
    const next = await (await refresh(reused.refreshToken)).json() as { refreshToken: string, accessToken: string }
    secrets.push(next.refreshToken)
    await refresh((await (await refresh(next.refreshToken)).json() as { refreshToken: string }).refreshToken)
    await refresh(reused.refreshToken)

    for (const [label, token] of [['signed out', signedOut.accessToken], ['signed out everywhere else', elsewhere.accessToken], ['after reuse', next.accessToken]] as const) {
      for (const [path, method] of [['/api/auth/me', 'GET'], ['/api/notes', 'GET'], ['/api/notes', 'POST'], ['/api/auth/sessions', 'GET'], ['/api/auth/sessions', 'DELETE'], ['/api/auth/account', 'DELETE']] as const) {
        await log.refused(`${label}: ${method} ${path}`, await bearer(token, path, method), 'session_revoked')
      }
    }
  })
})

describe('a deleted account', () => {
  it('its cookies, copied before the deletion, open nothing: API, page, refresh; signing in again finds none of its data', async () => {
    const browser = new TestBrowser(server.url)
    const { user } = await signInWithCookies(browser, server)
    await browser.fetch('/api/notes', { method: 'POST', json: { text: 'deleted with the account' } })
    const thief = new TestBrowser(server.url)
    for (const [name, value] of browser.cookies) thief.cookies.set(name, value)
    const refreshToken = browser.cookies.get('__Host-auth_refresh')!
    secrets.push(refreshToken)
    const deleted = await browser.fetch('/api/auth/account', { method: 'DELETE', json: { confirm: user.email } })
    log.judged('the account is deleted (204)', deleted.status === 204)

    await log.refused('deleted account\'s access cookie: me', await thief.fetch('/api/auth/me'), 'session_revoked')
    await log.refused('deleted account\'s access cookie: notes', await thief.fetch('/api/notes'), 'session_revoked')
    await log.refused('deleted account\'s access cookie: delete again', await thief.fetch('/api/auth/account', { method: 'DELETE', json: { confirm: user.email } }), 'session_revoked')
    const page = await thief.fetch('/notes', { headers: { accept: 'text/html' } })
    log.judged('deleted account\'s cookies: the page goes to /signin saying why', page.status === 302 && page.headers.get('location') === '/signin?redirect=/notes&reason=account_deleted')
    // The page's redirect cleared the thief's cookies: present the copied refresh token again.
    thief.cookies.set('__Host-auth_refresh', refreshToken)
    thief.cookies.delete('__Host-auth_access')
    await log.refused('deleted account\'s refresh cookie', await thief.fetch('/api/auth/refresh', { method: 'POST' }), 'refresh_invalid')

    const again = await signInWithBearer(server, { email: user.email })
    secrets.push(again.refreshToken)
    const notes = await (await bearer(again.accessToken, '/api/notes')).json() as { notes: unknown[] }
    log.judged('signing in again: a new, empty account', again.newUser && again.user.id !== user.id && notes.notes.length === 0)
  })
})
