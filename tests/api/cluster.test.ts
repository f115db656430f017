import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionsResponse } from '../../layers/auth/shared/types/api'
import { TestBrowser } from '../fixtures/browser'
import { requestOnFreshConnection } from '../fixtures/fresh-connection'
import type { FreshResponse } from '../fixtures/fresh-connection'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer, signInWithCookies } from '../fixtures/sign-in'

const REFRESH = '__Host-auth_refresh'

/** The live child processes of a process: the cluster's workers. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter((entry) => {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
    }
    catch {
      return false
    }
  }).map(Number)
}

describe('two worker processes (NITRO_CLUSTER_WORKERS=2)', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ env: { NITRO_CLUSTER_WORKERS: '2' } })
    // Both workers listen before the test starts: each answers a request of its own.
    await Promise.all(Array.from({ length: 8 }, () => requestOnFreshConnection(`${server.url}/api/health`)))
  })
  afterAll(() => server.stop())

  it('serves from two worker processes under one primary', () => {
    expect(childrenOf(server.pid)).toHaveLength(2)
  })

  it('holds the sign-in rate limit per client, not per worker: 3 of 8 attempts on fresh connections get through', async () => {
    const limited = await startServer({ env: { NITRO_CLUSTER_WORKERS: '2', NUXT_AUTH_RATE_LIMIT_SIGNIN: '3/60' } })
    try {
      const statuses = []
      for (let i = 0; i < 8; i++) {
        const response = await requestOnFreshConnection(`${limited.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
        statuses.push(response.status)
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429, 429, 429, 429])
    }
    finally {
      await limited.stop()
    }
  })

  it('refuses a session signed out on one worker at once on every worker', async () => {
    const me = await signInWithBearer(server)
    const other = await signInWithBearer(server, { email: me.user.email, sub: undefined })
    const auth = (token: string) => ({ authorization: `Bearer ${token}` })
    const sessions = JSON.parse((await requestOnFreshConnection(`${server.url}/api/auth/sessions`, { headers: auth(me.accessToken) })).body) as SessionsResponse
    const target = sessions.sessions.find(session => !session.current)
    expect(target).toBeDefined()
    expect((await requestOnFreshConnection(`${server.url}/api/auth/sessions/${target!.id}`, { method: 'DELETE', headers: auth(me.accessToken) })).status).toBe(204)
    // No waiting: the very next requests, spread over both workers.
    const answers = await Promise.all(Array.from({ length: 10 }, () => requestOnFreshConnection(`${server.url}/api/auth/me`, { headers: auth(other.accessToken) })))
    expect(answers.map(answer => answer.status)).toEqual(Array.from({ length: 10 }, () => 401))
    expect(answers.every(answer => answer.body.includes('session_revoked'))).toBe(true)
  })

  it('renders concurrent pages that refresh one session on different workers with one successor', async () => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server, { name: 'Two Workers' })
    const cookie = `${REFRESH}=${browser.cookies.get(REFRESH)}`
    const pages = await Promise.all(['/', '/notes', '/sessions', '/account', '/', '/notes'].map(path =>
      requestOnFreshConnection(`${server.url}${path}`, { headers: { cookie, accept: 'text/html' } })))
    expect(pages.map(page => page.status)).toEqual([200, 200, 200, 200, 200, 200])
    for (const page of pages) expect(page.body).toContain('Two Workers')
    const refreshCookieOf = (page: FreshResponse) => [page.headers['set-cookie'] ?? []].flat().find(line => line.startsWith(`${REFRESH}=`))?.split(';')[0]
    const successors = new Set(pages.map(refreshCookieOf))
    expect(successors.size).toBe(1)
    expect([...successors][0]).toMatch(new RegExp(`^${REFRESH}=.+`))
    expect([...successors][0]).not.toBe(cookie)
  })

  it('stops gracefully on SIGTERM to the primary alone: exit 0, no worker left', async () => {
    const other = await startServer({ env: { NITRO_CLUSTER_WORKERS: '2' } })
    await Promise.all(Array.from({ length: 4 }, () => requestOnFreshConnection(`${other.url}/api/health`)))
    const workers = childrenOf(other.pid)
    expect(workers).toHaveLength(2)
    expect(await other.stop()).toBe(0)
    expect(workers.filter(pid => existsSync(`/proc/${pid}`))).toEqual([])
  })
})
