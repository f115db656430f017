import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser, parseSetCookies } from '../fixtures/browser'
import { withDatabase } from '../fixtures/database'
import { FRESH_EXPIRES_IN } from '../fixtures/expiry'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithBearer, signInWithCookies } from '../fixtures/sign-in'

let server: RunningServer
const REFRESH = '__Host-auth_refresh'
const ACCESS = '__Host-auth_access'

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

async function signedInBrowser() {
  const browser = new TestBrowser(server.url)
  const body = await signInWithCookies(browser, server)
  return { browser, user: body.user }
}

function refreshBearer(token: string) {
  return fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
}

describe('POST /api/auth/refresh, cookie transport', () => {
  it('rotates: new cookies, 200 with user and expiresAt, no token in the body', async () => {
    const { browser, user } = await signedInBrowser()
    const before = { access: browser.cookies.get(ACCESS), refresh: browser.cookies.get(REFRESH) }
    const response = await browser.fetch('/api/auth/refresh', { method: 'POST' })
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toEqual({ user, expiresIn: FRESH_EXPIRES_IN, expiresAt: expect.any(String) })
    expect(browser.cookies.get(REFRESH)).not.toBe(before.refresh)
    expect(browser.cookies.get(ACCESS)).not.toBe(before.access)
    expect(JSON.stringify(body)).not.toContain(browser.cookies.get(REFRESH))
    expect((await browser.fetch('/api/auth/me')).status).toBe(200)
  })

  it('accepts a same-origin request that sent Sec-Fetch-Site instead of Origin', async () => {
    const { browser } = await signedInBrowser()
    const response = await browser.fetch('/api/auth/refresh', { method: 'POST', headers: { 'origin': '', 'sec-fetch-site': 'same-origin' } })
    expect(response.status).toBe(200)
  })

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site and no Origin', { 'origin': '', 'sec-fetch-site': 'cross-site' }],
    ['no origin information at all', { origin: '' }],
  ])('refuses %s with 403 csrf and rotates nothing', async (_, headers) => {
    const { browser } = await signedInBrowser()
    const token = browser.cookies.get(REFRESH)
    const response = await browser.fetch('/api/auth/refresh', { method: 'POST', headers })
    expect(response.status).toBe(403)
    expect(await errorCode(response)).toBe('csrf')
    expect(browser.cookies.get(REFRESH)).toBe(token)
    expect((await browser.fetch('/api/auth/refresh', { method: 'POST' })).status).toBe(200)
  })

  it('answers 401 refresh_missing without a refresh token, clearing a leftover access cookie', async () => {
    const response = await new TestBrowser(server.url).fetch('/api/auth/refresh', { method: 'POST' })
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('refresh_missing')

    const leftover = new TestBrowser(server.url)
    leftover.cookies.set(ACCESS, 'x')
    const cleared = await leftover.fetch('/api/auth/refresh', { method: 'POST' })
    expect(await errorCode(cleared)).toBe('refresh_missing')
    expect(leftover.cookies.size).toBe(0)
  })

  it('answers 401 refresh_invalid for an unknown token and clears both cookies', async () => {
    const browser = new TestBrowser(server.url)
    browser.cookies.set(REFRESH, 'not-a-real-token')
    browser.cookies.set(ACCESS, 'x')
    const response = await browser.fetch('/api/auth/refresh', { method: 'POST' })
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('refresh_invalid')
    const cleared = parseSetCookies(response).filter(cookie => cookie.attributes['max-age'] === '0').map(cookie => cookie.name).sort()
    expect(cleared).toEqual([ACCESS, REFRESH])
  })

  it('gives two tabs refreshing with the same token the same successor (grace window)', async () => {
    const { browser } = await signedInBrowser()
    const tab2 = new TestBrowser(server.url)
    for (const [name, value] of browser.cookies) tab2.cookies.set(name, value)
    const [a, b] = await Promise.all([
      browser.fetch('/api/auth/refresh', { method: 'POST' }),
      tab2.fetch('/api/auth/refresh', { method: 'POST' }),
    ])
    expect([a.status, b.status]).toEqual([200, 200])
    expect(browser.cookies.get(REFRESH)).toBe(tab2.cookies.get(REFRESH))
  })

  it('treats the superseded token after the grace window as reuse: 401 refresh_reused, then the session is revoked', async () => {
    const { browser } = await signedInBrowser()
    const old = browser.cookies.get(REFRESH)!
    const { id } = (await (await browser.fetch('/api/auth/me')).json() as { session: { id: string } }).session
    expect((await browser.fetch('/api/auth/refresh', { method: 'POST' })).status).toBe(200)
    // Thirty seconds pass: move the rotation time back rather than wait.
    withDatabase(server.databasePath, db => db.prepare('UPDATE sessions SET previous_rotated_at = previous_rotated_at - 31000 WHERE id = ?').run(id))

    const thief = new TestBrowser(server.url)
    thief.cookies.set(REFRESH, old)
    const reuse = await thief.fetch('/api/auth/refresh', { method: 'POST' })
    expect(reuse.status).toBe(401)
    expect(await errorCode(reuse)).toBe('refresh_reused')

    const owner = await browser.fetch('/api/auth/refresh', { method: 'POST' })
    expect(owner.status).toBe(401)
    expect(await errorCode(owner)).toBe('session_revoked')
    expect(server.output()).toContain('"event":"refresh_reused"')
  })

  it('answers 401 session_expired at the absolute lifetime', async () => {
    const { browser } = await signedInBrowser()
    const { id } = (await (await browser.fetch('/api/auth/me')).json() as { session: { id: string } }).session
    withDatabase(server.databasePath, db => db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(Date.now() - 1, id))
    const response = await browser.fetch('/api/auth/refresh', { method: 'POST' })
    expect(await errorCode(response)).toBe('session_expired')
  })

  it('answers 401 session_expired after idling', async () => {
    const { browser } = await signedInBrowser()
    const { id } = (await (await browser.fetch('/api/auth/me')).json() as { session: { id: string } }).session
    withDatabase(server.databasePath, db => db.prepare('UPDATE sessions SET last_used_at = ? WHERE id = ?').run(Date.now() - 15 * 86_400_000, id))
    const response = await browser.fetch('/api/auth/refresh', { method: 'POST' })
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('session_expired')
  })
})

describe('POST /api/auth/refresh, bearer transport', () => {
  it('rotates with the refresh token in Authorization: Bearer, as the original Flask back end read it', async () => {
    const signedIn = await signInWithBearer(server)
    const response = await refreshBearer(signedIn.refreshToken)
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie()).toEqual([])
    const body = await response.json()
    expect(body).toEqual({ tokenType: 'Bearer', accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: FRESH_EXPIRES_IN, expiresAt: expect.any(String) })
    expect(body.refreshToken).not.toBe(signedIn.refreshToken)
  })

  it('rotates with the refresh token in the body, without any CSRF requirement', async () => {
    const signedIn = await signInWithBearer(server)
    const response = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'origin': 'https://other-app.example' },
      body: JSON.stringify({ refreshToken: signedIn.refreshToken }),
    })
    expect(response.status).toBe(200)
  })

  it('detects reuse of a token two rotations old at once', async () => {
    const signedIn = await signInWithBearer(server)
    const second = await (await refreshBearer(signedIn.refreshToken)).json() as { refreshToken: string }
    expect((await refreshBearer(second.refreshToken)).status).toBe(200)
    const reuse = await refreshBearer(signedIn.refreshToken)
    expect(await errorCode(reuse)).toBe('refresh_reused')
  })

  it('refuses an access token presented as a refresh token', async () => {
    const signedIn = await signInWithBearer(server)
    const response = await refreshBearer(signedIn.accessToken)
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('refresh_invalid')
  })

  it('prefers the refresh token in the body over an access token in Authorization', async () => {
    const signedIn = await signInWithBearer(server)
    const response = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${signedIn.accessToken}` },
      body: JSON.stringify({ refreshToken: signedIn.refreshToken }),
    })
    expect(response.status).toBe(200)
  })

  it('refuses a chunked body over 16 KiB with 413 and keeps serving', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((done, fail) => {
      const req = request(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume()
        done(res.statusCode!)
      })
      req.on('error', fail)
      for (let i = 0; i < 20; i++) req.write('x'.repeat(1000))
      req.end()
    })
    expect(status).toBe(413)
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    expect(server.output()).not.toContain('uncaught')
    expect(server.output()).not.toContain('TypeError')
  })

  it('answers a malformed body with 400 invalid_request', async () => {
    const response = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"refreshToken": 5}',
    })
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('invalid_request')
  })
})
