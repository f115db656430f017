import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasNginx, startNginx } from '../fixtures/nginx'
import { freePort, freePortExcept } from '../fixtures/ports'
import type { RunningNginx } from '../fixtures/nginx'
import { startTestPostgres } from '../fixtures/postgres'
import type { TestPostgres } from '../fixtures/postgres'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithBearer } from '../fixtures/sign-in'
import type { BearerRefreshResponse } from '../../layers/auth/shared/types/api'

/**
 * The several-instances guarantees again, this time through nginx
 * round-robin in front of two servers on one PostgreSQL (nginx comes from
 * apt; .ci/run installs it).
 */
describe.runIf(hasNginx())('two instances behind nginx round-robin', () => {
  let database: TestPostgres
  let instances: RunningServer[]
  let proxy: RunningNginx
  /** nginx as the app sees it: same shape as a server for the sign-in helpers. */
  let front: RunningServer

  beforeAll(async () => {
    database = await startTestPostgres()
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    const env = { NUXT_DATABASE_URL: database.url, NUXT_PUBLIC_APP_ORIGIN: origin, NUXT_AUTH_TRUSTED_PROXIES: '127.0.0.1' }
    // The proxy's port is not bound until nginx starts: keep the instances off it.
    instances = [
      await startServer({ env, port: await freePortExcept([port]) }),
      await startServer({ env, port: await freePortExcept([port]) }),
    ]
    proxy = await startNginx(port, instances.map(instance => instance.port))
    front = { ...instances[0]!, url: proxy.url }
  }, 60_000)
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all((instances ?? []).map(instance => instance.stop()))
    await database?.dispose()
  })

  const refresh = (token: string) => fetch(`${proxy.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })

  it('signs in through nginx, and both instances recognise the result; refreshes through nginx continue one chain', async () => {
    const signedIn = await signInWithBearer(front)
    for (const instance of instances) {
      expect((await fetch(`${instance.url}/api/auth/me`, { headers: { authorization: `Bearer ${signedIn.accessToken}` } })).status).toBe(200)
    }
    let { refreshToken, accessToken } = signedIn
    for (let i = 0; i < 6; i++) {
      const response = await refresh(refreshToken)
      expect(response.status).toBe(200)
      ;({ refreshToken, accessToken } = await response.json() as BearerRefreshResponse)
    }
    const { sessions } = await (await fetch(`${proxy.url}/api/auth/sessions`, { headers: { authorization: `Bearer ${accessToken}` } })).json() as { sessions: unknown[] }
    expect(sessions).toHaveLength(1)
  })

  it('gives one successor to the same refresh token sent through nginx four times at once', async () => {
    const { refreshToken } = await signInWithBearer(front)
    const answers = await Promise.all([1, 2, 3, 4].map(() => refresh(refreshToken)))
    expect(answers.map(answer => answer.status)).toEqual([200, 200, 200, 200])
    const successors = new Set(await Promise.all(answers.map(async answer => (await answer.json() as BearerRefreshResponse).refreshToken)))
    expect(successors.size).toBe(1)
  })

  it('catches reuse whichever instance sees it', async () => {
    const signedIn = await signInWithBearer(front)
    let token = signedIn.refreshToken
    for (let i = 0; i < 3; i++) token = (await (await refresh(token)).json() as BearerRefreshResponse).refreshToken
    expect(await errorCode(await refresh(signedIn.refreshToken))).toBe('refresh_reused')
    expect(await errorCode(await refresh(token))).toBe('session_revoked')
  })

  it('serves one key set from both instances', async () => {
    const sets = new Set(await Promise.all(instances.map(async instance => (await fetch(`${instance.url}/.well-known/jwks.json`)).text())))
    expect(sets.size).toBe(1)
  })
})
