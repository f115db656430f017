import { createHmac, generateKeyPairSync } from 'node:crypto'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { SignJWT, base64url, exportJWK, importJWK } from 'jose'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { signWithServerKey, withDatabase } from '../fixtures/database'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer } from '../fixtures/sign-in'

const log = createAttackLog(import.meta.filename)
const servers: RunningServer[] = []
const secrets: string[] = []
let server: RunningServer
let valid: { accessToken: string, refreshToken: string, user: { id: string } }
let now: number

beforeAll(async () => {
  server = await startServer()
  servers.push(server)
  valid = await signInWithBearer(server)
  secrets.push(valid.refreshToken)
  now = Math.floor(Date.now() / 1000)
})
afterAll(async () => {
  for (const s of servers) await s.stop()
  log.finish(servers, secrets)
})

const me = (token: string) => fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
const part = (value: object) => base64url.encode(JSON.stringify(value))
const decoded = (token: string, index: 0 | 1) => JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[index]!))) as Record<string, unknown>
function claims(extra: Record<string, unknown> = {}) {
  return { iss: server.url, aud: server.url, sub: valid.user.id, sid: 'some-session', jti: 'j', iat: now, exp: now + 600, ...extra }
}

describe('forged and altered access tokens are refused (GET /api/auth/me)', () => {
  it('alg: none', async () => {
    const header = { ...decoded(valid.accessToken, 0), alg: 'none' }
    await log.refused('alg none', await me(`${part(header)}.${valid.accessToken.split('.')[1]}.`), 'token_invalid')
  })

  it('HS256 signed with the server\'s public key (algorithm confusion)', async () => {
    const { keys } = await (await fetch(`${server.url}/.well-known/jwks.json`)).json() as { keys: { kid: string, x: string }[] }
    const header = part({ alg: 'HS256', typ: 'at+jwt', kid: keys[0]!.kid })
    const payload = part(claims())
    for (const secret of [keys[0]!.x, JSON.stringify(keys[0]), Buffer.from(keys[0]!.x, 'base64url')]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
      await log.refused('HS256 with the public key', await me(`${header}.${payload}.${signature}`), 'token_invalid')
    }
  })

  it('an unknown kid, and kids with path or SQL characters', async () => {
    for (const kid of ['no-such-key', '../../../../etc/passwd', '\' OR \'1\'=\'1', 'x"; DROP TABLE signing_keys; --', '%00', 'A'.repeat(5000)]) {
      const token = await signWithServerKey(server.databasePath, claims(), { kid })
      await log.refused(`kid ${kid.slice(0, 20)}`, await me(token), 'token_invalid')
    }
  })

  it('jku, x5u and an embedded jwk naming the attacker\'s own key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const jwk = await exportJWK(publicKey)
    const key = await importJWK({ ...await exportJWK(privateKey), alg: 'EdDSA' }, 'EdDSA')
    const headers = [
      { jwk: { ...jwk, alg: 'EdDSA' } },
      { jku: 'https://evil.example/jwks.json' },
      { x5u: 'https://evil.example/cert.pem' },
      { x5c: ['MIIBattackercert'] },
    ]
    for (const extra of headers) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'attacker', ...extra }).sign(key)
      await log.refused(`header ${Object.keys(extra)[0]}`, await me(token), 'token_invalid')
    }
    // The server's own kid with the attacker's key: the signature fails.
    const [{ kid }] = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json() as { keys: { kid: string }[] }).keys
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid, jwk }).sign(key)
    await log.refused('own kid, attacker key', await me(token), 'token_invalid')
  })

  it('the wrong typ, iss or aud, with a valid signature', async () => {
    await log.refused('typ JWT', await me(await signWithServerKey(server.databasePath, claims(), { typ: 'JWT' })), 'token_invalid')
    await log.refused('wrong iss', await me(await signWithServerKey(server.databasePath, claims({ iss: 'https://evil.example' }))), 'token_invalid')
    await log.refused('wrong aud', await me(await signWithServerKey(server.databasePath, claims({ aud: 'https://other-service.example' }))), 'token_invalid')
    await log.refused('no sid', await me(await signWithServerKey(server.databasePath, claims({ sid: undefined }))), 'token_invalid')
  })

  it('expired (past the 2 s leeway) and not yet valid (nbf in the future)', async () => {
    await log.refused('expired', await me(await signWithServerKey(server.databasePath, claims({ iat: now - 700, exp: now - 3 }))), 'token_expired')
    await log.refused('nbf future', await me(await signWithServerKey(server.databasePath, claims({ nbf: now + 3600 }))), 'token_invalid')
  })

  it('a flipped signature byte, an edited payload, truncated and empty tokens', async () => {
    const [header, payload, signature] = valid.accessToken.split('.') as [string, string, string]
    const bytes = Buffer.from(signature, 'base64url')
    bytes[0] = bytes[0]! ^ 0x01
    await log.refused('flipped signature byte', await me(`${header}.${payload}.${bytes.toString('base64url')}`), 'token_invalid')
    await log.refused('edited payload', await me(`${header}.${part({ ...decoded(valid.accessToken, 1), sub: 'admin' })}.${signature}`), 'token_invalid')
    await log.refused('truncated', await me(valid.accessToken.slice(0, -10)), 'token_invalid')
    await log.refused('two parts', await me(`${header}.${payload}`), 'token_invalid')
    await log.refused('empty bearer', await fetch(`${server.url}/api/auth/me`, { headers: { authorization: 'Bearer ' } }), ['unauthenticated', 'token_invalid'])
  })

  it('a refresh token used as an access token, and an access token used as a refresh token', async () => {
    await log.refused('refresh as access', await me(valid.refreshToken), 'token_invalid')
    const refresh = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${valid.accessToken}` } })
    await log.refused('access as refresh', refresh, 'refresh_invalid')
  })

  it('a token signed by a rotated-out key after its grace', async () => {
    const run = promisify(execFile)
    const old = await signWithServerKey(server.databasePath, claims({ exp: now + 3600 }))
    await run('npm', ['run', '-s', 'auth:rotate-keys'], { env: { ...process.env, ...server.env } })
    // The old key retired long enough ago that every token it signed has expired (plus leeway and refresh period).
    withDatabase(server.databasePath, db => db.prepare(`UPDATE signing_keys SET retired_at = ? WHERE purpose = 'access' AND retired_at IS NOT NULL`).run(Date.now() - 3_600_000))
    await server.stop()
    server = await startServer({ port: server.port, databasePath: server.databasePath })
    servers.push(server)
    await log.refused('rotated-out key', await me(old), 'token_invalid')
  })
})
