import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser, parseSetCookies } from '../fixtures/browser'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithCookies } from '../fixtures/sign-in'

const ACCESS = '__Host-auth_access'
const REFRESH = '__Host-auth_refresh'

describe('page requests with an expired access cookie (server-side refresh)', () => {
  let server: RunningServer
  // No grace window: a second, separate refresh with the same token would count as reuse.
  beforeAll(async () => {
    server = await startServer({ env: { NUXT_AUTH_REFRESH_GRACE: '0' } })
  })
  afterAll(() => server.stop())

  it('shares one in-process refresh among concurrent page requests carrying the same refresh token', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server, { name: 'Concurrent Pages' })
    browser.cookies.delete(ACCESS)
    const cookie = `${REFRESH}=${browser.cookies.get(REFRESH)}`
    const pages = await Promise.all(['/', '/notes', '/sessions', '/account', '/'].map(path =>
      fetch(`${server.url}${path}`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })))
    expect(pages.map(page => page.status)).toEqual([200, 200, 200, 200, 200])
    for (const page of pages) expect(await page.text()).toContain('Concurrent Pages')
    const successors = new Set(pages.map(page => parseSetCookies(page).find(c => c.name === REFRESH)?.value))
    expect(successors.size).toBe(1)
    expect([...successors][0]).not.toBe(browser.cookies.get(REFRESH))
  })

  it('signs the browser out, clearing its cookies, when the refresh token was reused', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const old = browser.cookies.get(REFRESH)!
    expect((await browser.fetch('/api/auth/refresh', { method: 'POST' })).status).toBe(200)
    const response = await fetch(`${server.url}/notes`, { headers: { cookie: `${REFRESH}=${old}`, accept: 'text/html' }, redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/signin?redirect=/notes&reason=refresh_reused')
    expect(parseSetCookies(response).filter(c => c.attributes['max-age'] === '0').map(c => c.name).sort()).toEqual([ACCESS, REFRESH])
  })

  it('leaves a public request alone: no refresh when the access cookie is valid', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const response = await browser.fetch('/sessions', { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie()).toEqual([])
    expect(response.headers.get('cache-control')).toBe('private, no-store')
  })
})
