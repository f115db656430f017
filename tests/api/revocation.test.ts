import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser, parseSetCookies } from '../fixtures/browser'
import { callWith } from '../fixtures/revocation'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer, signInWithCookies } from '../fixtures/sign-in'
import type { BearerRefreshResponse, MeResponse } from '../../layers/auth/shared/types/api'

const ACCESS = '__Host-auth_access'
const REFRESH = '__Host-auth_refresh'

let server: RunningServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

async function sessionIdOf(accessToken: string) {
  return (await (await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json() as MeResponse).session.id
}

/** Two devices of one user, signed in with the bearer transport. */
async function twoDevices() {
  const phone = await signInWithBearer(server)
  const laptop = await signInWithBearer(server, { email: phone.user.email })
  return { phone, laptop, phoneSession: await sessionIdOf(phone.accessToken) }
}

/** Every route an access token opens: all must refuse it the moment its session ends. */
const GUARDED = [['/api/auth/me', 'GET'], ['/api/notes', 'GET'], ['/api/notes', 'POST'], ['/api/auth/sessions', 'GET']] as const

describe('an ended session\'s access token, still unexpired, is refused at once', () => {
  it('signed out from another device: 401 session_revoked (reason device) on me, the notes API and the session routes', async () => {
    const { phone, laptop, phoneSession } = await twoDevices()
    expect((await callWith(server, phone.accessToken)).status).toBe(200)
    expect((await callWith(server, laptop.accessToken, `/api/auth/sessions/${phoneSession}`, 'DELETE')).status).toBe(204)
    for (const [path, method] of GUARDED) {
      expect(await callWith(server, phone.accessToken, path, method), `${method} ${path}`).toEqual({ status: 401, code: 'session_revoked', reason: 'device' })
    }
    expect((await callWith(server, laptop.accessToken)).status).toBe(200)
  })

  it('"sign out everywhere else": every other device refused, reason device', async () => {
    const { phone, laptop } = await twoDevices()
    const tablet = await signInWithBearer(server, { email: phone.user.email })
    expect((await callWith(server, laptop.accessToken, '/api/auth/sessions', 'DELETE')).status).toBe(204)
    expect(await callWith(server, phone.accessToken)).toEqual({ status: 401, code: 'session_revoked', reason: 'device' })
    expect(await callWith(server, tablet.accessToken)).toEqual({ status: 401, code: 'session_revoked', reason: 'device' })
    expect((await callWith(server, laptop.accessToken)).status).toBe(200)
  })

  it('signed out: the access token taken before sign-out is refused, reason signout', async () => {
    const device = await signInWithBearer(server)
    const signOut = await fetch(`${server.url}/api/auth/signout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: device.refreshToken }) })
    expect(signOut.status).toBe(204)
    expect(await callWith(server, device.accessToken)).toEqual({ status: 401, code: 'session_revoked', reason: 'signout' })
  })

  it('refresh-token reuse: the whole session ends, its newest access token too, reason reuse', async () => {
    const device = await signInWithBearer(server, {})
    const refreshed = await (await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${device.refreshToken}` } })).json() as BearerRefreshResponse
    const again = await (await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${refreshed.refreshToken}` } })).json() as BearerRefreshResponse
    // The first token, two rotations old: reuse.
    await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${device.refreshToken}` } })
    expect(await callWith(server, again.accessToken)).toEqual({ status: 401, code: 'session_revoked', reason: 'reuse' })
    const refresh = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${again.refreshToken}` } })
    expect((await refresh.json() as { data: unknown }).data).toEqual({ code: 'session_revoked', reason: 'reuse' })
  })

  it('a page render with the access cookie of a revoked session goes to /signin with the reason, and clears the cookies', async () => {
    const browser = new TestBrowser(server.url)
    const { user } = await signInWithCookies(browser, server)
    const other = await signInWithBearer(server, { email: user.email })
    const sessionId = await sessionIdOf(browser.cookies.get(ACCESS)!)
    expect((await callWith(server, other.accessToken, `/api/auth/sessions/${sessionId}`, 'DELETE')).status).toBe(204)

    for (const cookie of [`${ACCESS}=${browser.cookies.get(ACCESS)}`, `${ACCESS}=${browser.cookies.get(ACCESS)}; ${REFRESH}=${browser.cookies.get(REFRESH)}`]) {
      const page = await fetch(`${server.url}/notes`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })
      expect(page.status).toBe(302)
      expect(page.headers.get('location')).toBe('/signin?redirect=/notes&reason=session_revoked')
      expect(parseSetCookies(page).filter(c => c.attributes['max-age'] === '0').map(c => c.name).sort()).toEqual([ACCESS, REFRESH])
    }
  })
})

describe('a page-render refresh shared among page loads', () => {
  let graceless: RunningServer
  beforeAll(async () => {
    // No grace window, so that only the in-process sharing can hand the result out again.
    graceless = await startServer({ env: { NUXT_AUTH_REFRESH_GRACE: '0' } })
  })
  afterAll(() => graceless.stop())

  it('is not handed out again once its session has ended', async () => {
    const browser = new TestBrowser(graceless.url)
    const { user } = await signInWithCookies(browser, graceless, { name: 'Shared Render' })
    const cookie = `${REFRESH}=${browser.cookies.get(REFRESH)}`
    const first = await fetch(`${graceless.url}/account`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })
    expect(first.status).toBe(200)
    expect(await first.text()).toContain('Shared Render')

    const other = await signInWithBearer(graceless, { email: user.email })
    const sessionId = (await (await fetch(`${graceless.url}/api/auth/me`, { headers: { cookie: `${ACCESS}=${parseSetCookies(first).find(c => c.name === ACCESS)!.value}` } })).json() as MeResponse).session.id
    expect((await callWith(graceless, other.accessToken, `/api/auth/sessions/${sessionId}`, 'DELETE')).status).toBe(204)

    // Within the sharing window, the same (now superseded) refresh cookie again.
    const second = await fetch(`${graceless.url}/account`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })
    expect(second.status).toBe(302)
    expect(second.headers.get('location')).toBe('/signin?redirect=/account&reason=session_revoked')
    expect(parseSetCookies(second).filter(c => c.name === ACCESS && c.value)).toEqual([])
  })
})
