import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestPostgres } from '../fixtures/postgres'
import type { TestPostgres } from '../fixtures/postgres'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer } from '../fixtures/sign-in'
import type { BearerRefreshResponse } from '../../layers/auth/shared/types/api'

let database: TestPostgres

beforeAll(async () => {
  database = await startTestPostgres()
}, 60_000)
afterAll(() => database?.dispose())

/** A client that keeps refreshing, remembering the token it presented last (a lost answer is retried with it). */
interface Client {
  token: string
  refreshes: number
}

async function refreshLoop(server: RunningServer, client: Client, until: { stopped: boolean }) {
  while (!until.stopped) {
    try {
      const response = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${client.token}` } })
      if (response.status !== 200) throw new Error(`refresh answered ${response.status}`)
      client.token = (await response.json() as BearerRefreshResponse).refreshToken
      client.refreshes++
    }
    catch (error) {
      // The server died under us: keep the token we presented, as a real client would.
      if ((error as Error).message.startsWith('refresh answered')) throw error
      return
    }
  }
}

describe.each([
  ['SQLite', () => ({})],
  ['PostgreSQL', () => ({ NUXT_DATABASE_URL: database.url })],
])('SIGKILL during a refresh load (%s)', (_, env) => {
  it('loses no session: after a restart every client that held a valid token is still signed in', async () => {
    const server = await startServer({ env: env() })
    const clients: Client[] = []
    for (let i = 0; i < 20; i++) clients.push({ token: (await signInWithBearer(server)).refreshToken, refreshes: 0 })
    const until = { stopped: false }
    const load = clients.map(client => refreshLoop(server, client, until))
    // Kill it once the load is under way (every client has refreshed at least once).
    while (clients.some(client => client.refreshes === 0)) await new Promise(resolve => setImmediate(resolve))
    await server.kill('SIGKILL')
    until.stopped = true
    await Promise.all(load)

    const restarted = await startServer({ port: server.port, databasePath: server.databasePath, env: env() })
    try {
      const statuses = await Promise.all(clients.map(async client =>
        (await fetch(`${restarted.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${client.token}` } })).status))
      expect(statuses).toEqual(clients.map(() => 200))
      expect(clients.reduce((sum, client) => sum + client.refreshes, 0)).toBeGreaterThanOrEqual(20)
    }
    finally {
      await restarted.stop()
    }
  })
})

describe('SIGTERM', () => {
  it('lets an in-flight request finish, closes the pool and exits 0', async () => {
    const server = await startServer({ env: { NUXT_DATABASE_URL: database.url } })
    const { refreshToken } = await signInWithBearer(server)
    const body = JSON.stringify({ refreshToken })
    // A request whose body is still to come when the signal arrives: `Expect: 100-continue` makes the
    // server confirm it has taken the request in before the test sends SIGTERM, then the body.
    let exited: Promise<number | null> | undefined
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'expect': '100-continue' },
      }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      })
      req.on('error', reject)
      req.on('continue', () => {
        exited = server.stop()
        req.end(body)
      })
      req.flushHeaders()
    })
    expect(await answer).toBe(200)
    expect(await exited).toBe(0)
  })
})
