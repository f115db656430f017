import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser, parseSetCookies } from '../fixtures/browser'
import { mintCredential } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithCookies } from '../fixtures/sign-in'

describe('cookies of a production server (Secure by default)', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.stop())

  it('sets __Host- prefixed, Secure, HttpOnly, SameSite=Lax cookies on Path=/ with the contract\'s lifetimes', async () => {
    const browser = new TestBrowser(server.url)
    const { nonce } = await (await browser.fetch('/api/auth/google/nonce')).json() as { nonce: string }
    const response = await browser.fetch('/api/auth/google', { method: 'POST', json: { credential: await mintCredential(server, { nonce }) } })
    const cookies = Object.fromEntries(parseSetCookies(response).map(cookie => [cookie.name, cookie]))
    for (const name of ['__Host-auth_access', '__Host-auth_refresh']) {
      expect(cookies[name]!.attributes).toMatchObject({ httponly: '', secure: '', samesite: 'Lax', path: '/' })
      expect(cookies[name]!.attributes).not.toHaveProperty('domain')
    }
    expect(cookies['__Host-auth_access']!.attributes['max-age']).toBe('600')
    // What is left of the 30-day session.
    expect(Number(cookies['__Host-auth_refresh']!.attributes['max-age'])).toBeGreaterThanOrEqual(2_592_000 - 2)
    expect(Number(cookies['__Host-auth_refresh']!.attributes['max-age'])).toBeLessThanOrEqual(2_592_000)
  })

  it('sends the refresh cookie with a lifetime that shrinks with the session, not a new 30 days', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const response = await browser.fetch('/api/auth/refresh', { method: 'POST' })
    const refresh = parseSetCookies(response).find(cookie => cookie.name === '__Host-auth_refresh')!
    expect(Number(refresh.attributes['max-age'])).toBeLessThanOrEqual(2_592_000)
  })
})

describe('cookies of a server with NUXT_AUTH_COOKIE_SECURE=false and the nonce check off', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ env: { NUXT_AUTH_COOKIE_SECURE: 'false', NUXT_AUTH_GOOGLE_REQUIRE_NONCE: 'false' } })
  })
  afterAll(() => server.stop())

  it('uses the plain names without Secure, and warns at start', async () => {
    const browser = new TestBrowser(server.url)
    const response = await browser.fetch('/api/auth/google', { method: 'POST', json: { credential: await mintCredential(server) } })
    expect(response.status).toBe(200)
    const cookies = parseSetCookies(response)
    expect(cookies.map(cookie => cookie.name).sort()).toEqual(['auth_access', 'auth_refresh'])
    for (const cookie of cookies) {
      expect(cookie.attributes).toMatchObject({ httponly: '', samesite: 'Lax', path: '/' })
      expect(cookie.attributes).not.toHaveProperty('secure')
    }
    expect((await browser.fetch('/api/auth/me')).status).toBe(200)
    expect(server.output()).toContain('NUXT_AUTH_COOKIE_SECURE=false')
  })
})
