import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestPostgres } from '../fixtures/postgres'
import type { TestPostgres } from '../fixtures/postgres'
import { callWith, describeFigures, measurePropagation, revokeADevice, timeUntilRefused } from '../fixtures/revocation'
import { startTwoInstances } from '../fixtures/instances'
import type { TwoInstances } from '../fixtures/instances'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer } from '../fixtures/sign-in'

const run = promisify(execFile)
/** docs/api.md: every instance refuses an ended session's access tokens within 1 s. */
const BOUND_MS = 1_000
const REVOCATIONS = 50

/** Two instances on one store, with what it takes to remove it afterwards. */
const SETUPS: [string, () => Promise<TwoInstances & { dispose: () => Promise<void> }>][] = [
  ['SQLite (two processes on one file)', async () => {
    const pair = await startTwoInstances()
    return { ...pair, dispose: pair.stop }
  }],
  ['PostgreSQL', async () => {
    const database = await startTestPostgres()
    const pair = await startTwoInstances(database.url)
    return {
      ...pair,
      dispose: async () => {
        await pair.stop()
        await database.dispose()
      },
    }
  }],
]

describe.each(SETUPS)('revocation across two instances on %s', (label, setUp) => {
  let pair: TwoInstances & { dispose: () => Promise<void> }
  beforeAll(async () => {
    pair = await setUp()
  }, 60_000)
  afterAll(() => pair?.dispose())

  it(`the other instance refuses the access token within ${BOUND_MS} ms, over ${REVOCATIONS} revocations`, async () => {
    const figures = await measurePropagation(pair.first, pair.second, REVOCATIONS)
    console.info(describeFigures(`revocation propagation, ${label}`, figures))
    expect(figures.max).toBeLessThan(BOUND_MS)
  }, 120_000)

  it('the revoking instance itself refuses it from the very next request (no poll, no push in between)', async () => {
    for (let i = 0; i < 5; i++) {
      const { device } = await revokeADevice(pair.second)
      expect(await callWith(pair.second, device.accessToken)).toEqual({ status: 401, code: 'session_revoked', reason: 'device' })
    }
  }, 30_000)

  it('npm run auth:revoke ends every session of a user; both instances refuse them within the bound; one audit line', async () => {
    const email = `Operator-Target-${Date.now()}@Example.com`
    const devices = [await signInWithBearer(pair.first, { email }), await signInWithBearer(pair.second, { email })]
    const bystander = await signInWithBearer(pair.first)

    const started = performance.now()
    const { stdout } = await run('npm', ['run', '-s', 'auth:revoke', '--', '--email', email], { env: { ...process.env, ...pair.env } })
    const answeredAt = performance.now()
    expect(stdout).toContain('2 sessions ended')
    const audit = stdout.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>)
    expect(audit).toEqual([expect.objectContaining({ event: 'session_revoked', by: 'operator', count: 2, userId: devices[0]!.user.id })])
    expect(stdout).not.toMatch(/eyJ/)

    for (const server of [pair.first, pair.second]) {
      for (const device of devices) {
        expect(await timeUntilRefused(server, device.accessToken, answeredAt)).toBeLessThan(BOUND_MS)
        expect(await callWith(server, device.accessToken)).toEqual({ status: 401, code: 'session_revoked', reason: 'operator' })
      }
    }
    const refresh = await fetch(`${pair.second.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${devices[0]!.refreshToken}` } })
    expect(refresh.status).toBe(401)
    expect((await callWith(pair.second, bystander.accessToken)).status).toBe(200)
    expect(answeredAt).toBeGreaterThan(started)
  }, 60_000)

  it('names a user nobody has: exit 1, nothing changed', async () => {
    const device = await signInWithBearer(pair.first)
    const failure = await run('npm', ['run', '-s', 'auth:revoke', '--', '--email', 'nobody-at-all@example.com'], { env: { ...process.env, ...pair.env } }).catch((error: { code: number, stderr: string }) => error)
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('Nothing was changed') })
    expect((await callWith(pair.second, device.accessToken)).status).toBe(200)
  })
})

describe('revocation on PostgreSQL when the push or the store fails', () => {
  let database: TestPostgres
  let first: RunningServer
  let second: RunningServer
  let pair: TwoInstances
  beforeAll(async () => {
    database = await startTestPostgres()
    pair = await startTwoInstances(database.url)
    ;({ first, second } = pair)
  }, 60_000)
  afterAll(async () => {
    await pair?.stop()
    await database?.dispose()
  })

  it('a lost notification connection: the poll still brings the revocation within the bound, and listening resumes', async () => {
    const admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    try {
      const listeners = 'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE \'LISTEN %\''
      // Each instance opens its LISTEN connection in the background, so it may follow its first answers (seen in CI on a busy machine).
      await expect.poll(async () => (await admin.query(listeners)).rowCount, { timeout: 10_000 }).toBe(2)
      await admin.query(`SELECT pg_terminate_backend(pid) FROM (${listeners}) AS l`)
      const { device, answeredAt } = await revokeADevice(first)
      expect(await timeUntilRefused(second, device.accessToken, answeredAt)).toBeLessThan(BOUND_MS)
      await expect.poll(async () => (await admin.query(listeners)).rowCount, { timeout: 10_000 }).toBe(2)
    }
    finally {
      await admin.end()
    }
  })

  it('the store down: revoked sessions stay refused, others keep working; once back, the feed catches up', async () => {
    const { device: revoked, answeredAt: revokedAt } = await revokeADevice(first)
    // Known on the second instance before the outage (stopping at once could beat the notification).
    expect(await timeUntilRefused(second, revoked.accessToken, revokedAt)).toBeLessThan(BOUND_MS)
    const active = await signInWithBearer(first)
    await database.stopServer()
    try {
      await expect.poll(() => second.output(), { timeout: 5_000 }).toMatch(/Revocation feed cannot read the store/)
      expect(await callWith(second, revoked.accessToken)).toMatchObject({ status: 401, code: 'session_revoked' })
      expect((await callWith(second, active.accessToken)).status).toBe(200)
    }
    finally {
      await database.startServer()
    }
    const { device, answeredAt } = await revokeADevice(first)
    expect(await timeUntilRefused(second, device.accessToken, answeredAt)).toBeLessThan(BOUND_MS)
    await expect.poll(() => second.output(), { timeout: 5_000 }).toMatch(/Revocation feed reads the store again/)
    expect(second.output()).not.toContain(database.url.split('@')[0]!.split('//')[1]!)
  })
})
