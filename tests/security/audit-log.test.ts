import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { withDatabase } from '../fixtures/database'
import { mintCredential } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer } from '../fixtures/sign-in'
import type { MeResponse } from '../../layers/auth/shared/types/api'

const log = createAttackLog(import.meta.filename)
const secrets: string[] = []
let server: RunningServer

beforeAll(async () => {
  server = await startServer({ env: { NUXT_AUTH_RATE_LIMIT_SIGNIN: '50/60' } })
})
afterAll(async () => {
  await server.stop()
  log.finish([server], secrets)
})

function events(output: string) {
  return output.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>)
}

describe('the audit log', () => {
  it('records each security event as one JSON line with who, where and why, never a secret', async () => {
    const userAgent = 'audit-test/1.0'
    const headers = { 'content-type': 'application/json', 'user-agent': userAgent }
    // sign_in
    const signedIn = await signInWithBearer(server)
    secrets.push(signedIn.refreshToken)
    const { session } = await (await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${signedIn.accessToken}` } })).json() as MeResponse
    // sign_in_refused
    await fetch(`${server.url}/api/auth/google`, { method: 'POST', headers, body: JSON.stringify({ credential: await mintCredential(server, { aud: 'x' }), transport: 'bearer' }) })
    const replayed = await mintCredential(server)
    await fetch(`${server.url}/api/auth/google`, { method: 'POST', headers, body: JSON.stringify({ credential: replayed, transport: 'bearer' }) })
    await fetch(`${server.url}/api/auth/google`, { method: 'POST', headers, body: JSON.stringify({ credential: replayed, transport: 'bearer' }) })
    // refresh_reused
    const next = await (await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${signedIn.refreshToken}` } })).json() as { refreshToken: string }
    secrets.push(next.refreshToken)
    withDatabase(server.databasePath, db => db.prepare('UPDATE sessions SET previous_rotated_at = 0 WHERE id = ?').run(session.id))
    await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'authorization': `Bearer ${signedIn.refreshToken}`, 'user-agent': userAgent } })
    // session_revoked and sign_out
    const other = await signInWithBearer(server)
    secrets.push(other.refreshToken)
    await fetch(`${server.url}/api/auth/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${other.accessToken}` } })
    await fetch(`${server.url}/api/auth/signout`, { method: 'POST', headers: { authorization: `Bearer ${other.refreshToken}` } })
    // account_deleted: the ids, never the e-mail address or the name
    const leaving = await signInWithBearer(server, { name: 'Leaving Person' })
    secrets.push(leaving.refreshToken)
    await fetch(`${server.url}/api/auth/account`, { method: 'DELETE', headers: { ...headers, authorization: `Bearer ${leaving.accessToken}` }, body: JSON.stringify({ confirm: leaving.user.email }) })
    // key_rotated (the command logs it as the server does)
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'auth:rotate-keys'], { env: { ...process.env, ...server.env } })

    const lines = [...events(server.output()), ...events(stdout)]
    const byName = (name: string) => lines.filter(line => line.event === name)
    expect(byName('sign_in')[0]).toMatchObject({ time: expect.any(String), userId: signedIn.user.id, sessionId: session.id, ip: expect.any(String), userAgent: expect.any(String) })
    expect(byName('sign_in_refused').map(line => line.code)).toEqual(expect.arrayContaining(['invalid_credential', 'credential_replayed']))
    expect(byName('sign_in_refused').find(line => line.code === 'credential_replayed')).toMatchObject({ ip: expect.any(String), userAgent })
    expect(byName('refresh_reused')[0]).toMatchObject({ userId: signedIn.user.id, sessionId: session.id, userAgent })
    expect(byName('session_revoked')[0]).toMatchObject({ userId: other.user.id, count: expect.any(Number) })
    expect(byName('sign_out')[0]).toMatchObject({ userId: other.user.id, sessionId: expect.any(String) })
    expect(byName('account_deleted')).toEqual([expect.objectContaining({ userId: leaving.user.id, sessionId: expect.any(String), sessions: 1, userAgent })])
    expect(JSON.stringify(byName('account_deleted'))).not.toMatch(new RegExp(`${leaving.user.email}|Leaving Person`))
    expect(byName('key_rotated')[0]).toMatchObject({ kid: expect.any(String), reason: 'command' })
    // Every line is JSON with a time and an event, and carries no token or credential.
    for (const line of lines) expect(line).toMatchObject({ time: expect.any(String), event: expect.any(String) })
    expect(JSON.stringify(lines)).not.toMatch(/eyJ/)
    for (const secret of [...secrets, replayed]) expect(JSON.stringify(lines).includes(secret)).toBe(false)
  })
})
