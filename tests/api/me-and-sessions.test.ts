import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser } from '../fixtures/browser'
import { signWithServerKey } from '../fixtures/database'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithBearer, signInWithCookies } from '../fixtures/sign-in'
import type { MeResponse, SessionsResponse } from '../../layers/auth/shared/types/api'

let server: RunningServer
const ACCESS = '__Host-auth_access'

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

function bearer(token: string, path: string, method = 'GET') {
  return fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } })
}

describe('GET /api/auth/me', () => {
  it('answers the user and session from the access cookie', async () => {
    const browser = new TestBrowser(server.url)
    const { user } = await signInWithCookies(browser, server, { name: 'Grace Hopper' })
    const response = await browser.fetch('/api/auth/me')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.json() as MeResponse
    expect(body).toEqual({ user, session: { id: expect.any(String), expiresAt: expect.any(String) } })
    expect(Date.parse(body.session.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000)
  })

  it('answers the same from a Bearer access token', async () => {
    const signedIn = await signInWithBearer(server)
    const body = await (await bearer(signedIn.accessToken, '/api/auth/me')).json() as MeResponse
    expect(body.user).toEqual(signedIn.user)
  })

  it('answers 401 unauthenticated without a token', async () => {
    const response = await fetch(`${server.url}/api/auth/me`)
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('unauthenticated')
  })

  it('answers 401 token_expired for an expired token signed with the server\'s key', async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = await signWithServerKey(server.databasePath, { iss: server.url, aud: server.url, sub: 'u', sid: 's', jti: 'j', iat: now - 700, exp: now - 60 })
    const response = await bearer(token, '/api/auth/me')
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('token_expired')
  })

  it.each([
    ['garbage', 'not-a-jwt'],
    ['a truncated token', 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0'],
  ])('answers 401 token_invalid for %s', async (_, token) => {
    const response = await bearer(token, '/api/auth/me')
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('token_invalid')
  })

  it('answers 401 token_invalid for a token with an edited payload', async () => {
    const signedIn = await signInWithBearer(server)
    const [header, payload, signature] = signedIn.accessToken.split('.')
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'someone-else' })).toString('base64url')
    expect(await errorCode(await bearer(`${header}.${edited}.${signature}`, '/api/auth/me'))).toBe('token_invalid')
  })
})

describe('sessions', () => {
  async function deviceOf(email: string, userAgent: string) {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server, { email })
    const original = browser.fetch.bind(browser)
    browser.fetch = (path, init = {}) => original(path, { ...init, headers: { 'user-agent': userAgent, ...init.headers } })
    return browser
  }

  it('GET lists the caller\'s own active sessions, newest first, marking the current one', async () => {
    const email = `sessions-${Date.now()}@example.com`
    const laptop = await deviceOf(email, 'laptop')
    const phone = await deviceOf(email, 'phone')
    await deviceOf(`someone-else-${Date.now()}@example.com`, 'other')
    const response = await phone.fetch('/api/auth/sessions')
    expect(response.status).toBe(200)
    const { sessions } = await response.json() as SessionsResponse
    expect(sessions).toHaveLength(2)
    expect(sessions[0]).toEqual({ id: expect.any(String), current: true, createdAt: expect.any(String), lastUsedAt: expect.any(String), userAgent: 'node', ip: expect.stringContaining('127.0.0.1') })
    expect(sessions[1]!.current).toBe(false)
    expect(Date.parse(sessions[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(sessions[1]!.createdAt))
    expect((await (await laptop.fetch('/api/auth/sessions')).json() as SessionsResponse).sessions.filter(s => s.current)).toHaveLength(1)
  })

  it('DELETE /:id revokes one of the caller\'s sessions; that device can no longer refresh', async () => {
    const email = `revoke-${Date.now()}@example.com`
    const laptop = await deviceOf(email, 'laptop')
    const phone = await deviceOf(email, 'phone')
    const { sessions } = await (await phone.fetch('/api/auth/sessions')).json() as SessionsResponse
    const laptopSession = sessions.find(s => !s.current)!
    const response = await phone.fetch(`/api/auth/sessions/${laptopSession.id}`, { method: 'DELETE' })
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    expect(await errorCode(await laptop.fetch('/api/auth/refresh', { method: 'POST' }))).toBe('session_revoked')
    expect((await (await phone.fetch('/api/auth/sessions')).json() as SessionsResponse).sessions).toHaveLength(1)
  })

  it('DELETE /:id answers 404 not_found for an unknown id and for another user\'s session', async () => {
    const mine = await deviceOf(`mine-${Date.now()}@example.com`, 'a')
    const theirs = await deviceOf(`theirs-${Date.now()}@example.com`, 'b')
    const { sessions } = await (await theirs.fetch('/api/auth/sessions')).json() as SessionsResponse
    for (const id of [sessions[0]!.id, '00000000-0000-0000-0000-000000000000', 'not-even-a-uuid']) {
      const response = await mine.fetch(`/api/auth/sessions/${id}`, { method: 'DELETE' })
      expect(response.status).toBe(404)
      expect(await errorCode(response)).toBe('not_found')
    }
    expect((await theirs.fetch('/api/auth/refresh', { method: 'POST' })).status).toBe(200)
  })

  it('DELETE /:id of the current session signs this browser out', async () => {
    const browser = await deviceOf(`self-${Date.now()}@example.com`, 'a')
    const { session } = await (await browser.fetch('/api/auth/me')).json() as MeResponse
    expect((await browser.fetch(`/api/auth/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(browser.cookies.size).toBe(0)
  })

  it('DELETE revokes every other session and keeps the current one', async () => {
    const email = `everywhere-${Date.now()}@example.com`
    const others = [await deviceOf(email, 'a'), await deviceOf(email, 'b')]
    const current = await deviceOf(email, 'c')
    const response = await current.fetch('/api/auth/sessions', { method: 'DELETE' })
    expect(response.status).toBe(204)
    for (const other of others) expect(await errorCode(await other.fetch('/api/auth/refresh', { method: 'POST' }))).toBe('session_revoked')
    expect((await current.fetch('/api/auth/refresh', { method: 'POST' })).status).toBe(200)
  })

  it('refuses to let a revoked device manage sessions with its still-valid access token', async () => {
    const email = `revoked-manager-${Date.now()}@example.com`
    const owner = await deviceOf(email, 'owner')
    const thief = await deviceOf(email, 'thief')
    const { sessions } = await (await owner.fetch('/api/auth/sessions')).json() as SessionsResponse
    await owner.fetch(`/api/auth/sessions/${sessions.find(s => !s.current)!.id}`, { method: 'DELETE' })
    for (const [method, path] of [['GET', '/api/auth/sessions'], ['DELETE', '/api/auth/sessions']] as const) {
      const response = await thief.fetch(path, { method })
      expect(response.status).toBe(401)
      expect(await errorCode(response)).toBe('session_revoked')
    }
    expect((await owner.fetch('/api/auth/refresh', { method: 'POST' })).status).toBe(200)
  })

  it('refuses cookie-authenticated DELETEs from a foreign origin with 403 csrf', async () => {
    const browser = await deviceOf(`csrf-${Date.now()}@example.com`, 'a')
    const { session } = await (await browser.fetch('/api/auth/me')).json() as MeResponse
    for (const path of ['/api/auth/sessions', `/api/auth/sessions/${session.id}`]) {
      const response = await browser.fetch(path, { method: 'DELETE', headers: { origin: 'https://evil.example' } })
      expect(response.status).toBe(403)
      expect(await errorCode(response)).toBe('csrf')
    }
    expect((await browser.fetch('/api/auth/me')).status).toBe(200)
  })

  it('accepts Bearer-authenticated calls from any origin (no CSRF rule)', async () => {
    const signedIn = await signInWithBearer(server)
    const response = await fetch(`${server.url}/api/auth/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${signedIn.accessToken}`, origin: 'https://other.example' } })
    expect(response.status).toBe(204)
  })

  it('answers 401 unauthenticated without a token', async () => {
    for (const [method, path] of [['GET', '/api/auth/sessions'], ['DELETE', '/api/auth/sessions'], ['DELETE', '/api/auth/sessions/x']] as const) {
      const response = await fetch(`${server.url}${path}`, { method })
      expect(response.status).toBe(401)
      expect(await errorCode(response)).toBe('unauthenticated')
    }
  })

  it('keeps cookie names exact: an access cookie without the __Host- prefix is ignored', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const token = browser.cookies.get(ACCESS)!
    const response = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: `auth_access=${token}` } })
    expect(await errorCode(response)).toBe('unauthenticated')
  })
})
