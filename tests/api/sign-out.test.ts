import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser, parseSetCookies } from '../fixtures/browser'
import { signWithServerKey } from '../fixtures/database'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithBearer, signInWithCookies } from '../fixtures/sign-in'
import type { MeResponse } from '../../layers/auth/shared/types/api'

let server: RunningServer

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

describe('POST /api/auth/signout', () => {
  it('revokes the session, clears both cookies and answers 204', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const refresh = browser.cookies.get('__Host-auth_refresh')!
    const response = await browser.fetch('/api/auth/signout', { method: 'POST' })
    expect(response.status).toBe(204)
    const cleared = parseSetCookies(response).filter(cookie => cookie.attributes['max-age'] === '0').map(cookie => cookie.name).sort()
    expect(cleared).toEqual(['__Host-auth_access', '__Host-auth_refresh'])

    const stolen = new TestBrowser(server.url)
    stolen.cookies.set('__Host-auth_refresh', refresh)
    expect(await errorCode(await stolen.fetch('/api/auth/refresh', { method: 'POST' }))).toBe('session_revoked')
  })

  it('is idempotent: signed out, or never signed in, it still answers 204', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    expect((await browser.fetch('/api/auth/signout', { method: 'POST' })).status).toBe(204)
    expect((await browser.fetch('/api/auth/signout', { method: 'POST' })).status).toBe(204)
    expect((await fetch(`${server.url}/api/auth/signout`, { method: 'POST' })).status).toBe(204)
  })

  it('works with only the refresh cookie left (the access cookie has expired)', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const refresh = browser.cookies.get('__Host-auth_refresh')!
    browser.cookies.delete('__Host-auth_access')
    expect((await browser.fetch('/api/auth/signout', { method: 'POST' })).status).toBe(204)
    const again = new TestBrowser(server.url)
    again.cookies.set('__Host-auth_refresh', refresh)
    expect(await errorCode(await again.fetch('/api/auth/refresh', { method: 'POST' }))).toBe('session_revoked')
  })

  it('identifies the session from an expired access token alone', async () => {
    const signedIn = await signInWithBearer(server)
    const { session } = await (await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${signedIn.accessToken}` } })).json() as MeResponse
    const now = Math.floor(Date.now() / 1000)
    const expired = await signWithServerKey(server.databasePath, { iss: server.url, aud: server.url, sub: signedIn.user.id, sid: session.id, jti: 'j', iat: now - 700, exp: now - 100 })
    const response = await fetch(`${server.url}/api/auth/signout`, { method: 'POST', headers: { authorization: `Bearer ${expired}` } })
    expect(response.status).toBe(204)
    expect(await errorCode(await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${signedIn.refreshToken}` } }))).toBe('session_revoked')
  })

  it('signs a bearer client out with its refresh token in Authorization or in the body', async () => {
    for (const send of ['header', 'body'] as const) {
      const signedIn = await signInWithBearer(server)
      const response = await fetch(`${server.url}/api/auth/signout`, send === 'header'
        ? { method: 'POST', headers: { authorization: `Bearer ${signedIn.refreshToken}` } }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: signedIn.refreshToken }) })
      expect(response.status).toBe(204)
      expect(response.headers.getSetCookie()).toEqual([])
      const refresh = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${signedIn.refreshToken}` } })
      expect(await errorCode(refresh)).toBe('session_revoked')
    }
  })

  it('refuses a cookie sign-out from a foreign origin with 403 csrf and keeps the session', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const response = await browser.fetch('/api/auth/signout', { method: 'POST', headers: { origin: 'https://evil.example' } })
    expect(response.status).toBe(403)
    expect(await errorCode(response)).toBe('csrf')
    expect((await browser.fetch('/api/auth/refresh', { method: 'POST' })).status).toBe(200)
  })

  it('answers a malformed body with 400 invalid_request', async () => {
    const response = await fetch(`${server.url}/api/auth/signout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect(await errorCode(response)).toBe('invalid_request')
  })
})
