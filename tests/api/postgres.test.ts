import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser } from '../fixtures/browser'
import { startTestPostgres } from '../fixtures/postgres'
import type { TestPostgres } from '../fixtures/postgres'
import { startTwoInstances } from '../fixtures/instances'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithBearer, signInWithCookies } from '../fixtures/sign-in'
import type { BearerRefreshResponse, MeResponse } from '../../layers/auth/shared/types/api'

let database: TestPostgres
let first: RunningServer
let second: RunningServer

/** Both instances share one PostgreSQL and present one origin (as behind a load balancer). */
beforeAll(async () => {
  database = await startTestPostgres()
  ;({ first, second } = await startTwoInstances(database.url))
}, 60_000)
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()])
  await database?.dispose()
})

const refreshOn = (server: RunningServer, token: string) => fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
const meOn = (server: RunningServer, token: string) => fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })

describe('two instances on one PostgreSQL', () => {
  it('use the keys the first instance created: a token from either is recognised by the other', async () => {
    const jwks = await Promise.all([first, second].map(async server => (await fetch(`${server.url}/.well-known/jwks.json`)).text()))
    expect(jwks[0]).toBe(jwks[1])
    const signedIn = await signInWithBearer(first)
    expect((await meOn(second, signedIn.accessToken)).status).toBe(200)
  })

  it('refresh on either, alternately, continues one chain', async () => {
    let { refreshToken, accessToken } = await signInWithBearer(first)
    for (const server of [second, first, second, first]) {
      const response = await refreshOn(server, refreshToken)
      expect(response.status).toBe(200)
      ;({ refreshToken, accessToken } = await response.json() as BearerRefreshResponse)
    }
    const { session } = await (await meOn(second, accessToken)).json() as MeResponse
    const { sessions } = await (await fetch(`${first.url}/api/auth/sessions`, { headers: { authorization: `Bearer ${accessToken}` } })).json() as { sessions: { id: string }[] }
    expect(sessions.map(s => s.id)).toEqual([session.id])
  })

  it('the same refresh token presented to both at once yields one successor (the grace rule)', async () => {
    const { refreshToken } = await signInWithBearer(first)
    const answers = await Promise.all([first, second, first, second].map(server => refreshOn(server, refreshToken)))
    expect(answers.map(answer => answer.status)).toEqual([200, 200, 200, 200])
    const successors = new Set(await Promise.all(answers.map(async answer => (await answer.json() as BearerRefreshResponse).refreshToken)))
    expect(successors.size).toBe(1)
  })

  it('reuse is caught across instances', async () => {
    const signedIn = await signInWithBearer(first)
    const second1 = await (await refreshOn(first, signedIn.refreshToken)).json() as BearerRefreshResponse
    const third = await (await refreshOn(second, second1.refreshToken)).json() as BearerRefreshResponse
    expect(await errorCode(await refreshOn(second, signedIn.refreshToken))).toBe('refresh_reused')
    expect(await errorCode(await refreshOn(first, third.refreshToken))).toBe('session_revoked')
  })

  it('a browser signed in through one instance is signed in on the other (cookies, pages)', async () => {
    const browser = new TestBrowser(first.url)
    const { user } = await signInWithCookies(browser, first, { name: 'Two Instances' })
    const page = await fetch(`${second.url}/account`, { headers: { cookie: [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; '), accept: 'text/html' } })
    expect(await page.text()).toContain('Two Instances')
    expect(user.name).toBe('Two Instances')
  })
})

describe('PostgreSQL stopped, then back', () => {
  it('health 503, store-backed endpoints 503 store_unavailable, /api/auth/me still 200; recovery without a restart', async () => {
    const signedIn = await signInWithBearer(first)
    await database.stopServer()
    try {
      const health = await fetch(`${first.url}/api/health`)
      expect(health.status).toBe(503)
      expect(await health.json()).toEqual({ status: 'unavailable' })
      const refresh = await refreshOn(first, signedIn.refreshToken)
      expect(refresh.status).toBe(503)
      expect(await errorCode(refresh)).toBe('store_unavailable')
      const sessions = await fetch(`${second.url}/api/auth/sessions`, { headers: { authorization: `Bearer ${signedIn.accessToken}` } })
      expect(await errorCode(sessions)).toBe('store_unavailable')
      expect((await meOn(first, signedIn.accessToken)).status).toBe(200)
      expect((await meOn(second, signedIn.accessToken)).status).toBe(200)
    }
    finally {
      await database.startServer()
    }
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200)
    // Nothing was lost: the refresh token that could not be used during the outage works now.
    expect((await refreshOn(second, signedIn.refreshToken)).status).toBe(200)
  })
})
