import { base64url, SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuthStore } from '../../../../layers/auth/server/store/types'
import { AccessTokenError, AccessTokenIssuer, CLOCK_LEEWAY } from '../../../../layers/auth/server/tokens/access-tokens'
import { openTempStore } from '../../../fixtures/sqlite-store'

const options = { issuer: 'https://app.example.com', audience: 'https://app.example.com', ttl: 600 }
const T0 = Date.UTC(2026, 0, 1)
const claims = { sub: 'user-1', sid: 'session-1', email: 'ada@example.com', name: 'Ada', picture: null, session_exp: T0 / 1000 + 86_400 }

let store: AuthStore
let issuer: AccessTokenIssuer

beforeEach(async () => {
  ({ store } = await openTempStore())
  issuer = new AccessTokenIssuer(store, options)
  await issuer.init(T0)
})
afterEach(() => store.close())

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(AccessTokenError)
  return (error as AccessTokenError).code
}

function tamper(token: string, edit: (part: Record<string, unknown>) => void, index: 0 | 1) {
  const parts = token.split('.')
  const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(parts[index]!))) as Record<string, unknown>
  edit(decoded)
  parts[index] = base64url.encode(JSON.stringify(decoded))
  return parts.join('.')
}

describe('access tokens', () => {
  it('signs an EdDSA at+jwt with kid and the RFC 9068 claims, and verifies it', async () => {
    const { token, expiresAt } = await issuer.sign(claims, T0)
    const [header, payload] = token.split('.').slice(0, 2).map(part => JSON.parse(new TextDecoder().decode(base64url.decode(part))))
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) })
    expect(payload).toMatchObject({ iss: options.issuer, aud: options.audience, sub: 'user-1', sid: 'session-1', jti: expect.any(String), iat: T0 / 1000, exp: T0 / 1000 + 600 })
    expect(expiresAt).toBe(T0 + 600_000)
    expect(await issuer.verify(token, T0 + 1000)).toMatchObject({ sub: 'user-1', sid: 'session-1', email: 'ada@example.com' })
  })

  it('reports an expired token as token_expired, with its authentic claims, after the 2 s leeway', async () => {
    const { token } = await issuer.sign(claims, T0)
    expect((await issuer.verify(token, T0 + 600_000 + 1_900)).sid).toBe('session-1')
    const error = await issuer.verify(token, T0 + 600_000 + 2_000).catch((e: AccessTokenError) => e)
    expect(error).toMatchObject({ code: 'token_expired', expiredClaims: { sid: 'session-1' } })
  })

  it('refuses alg none, another algorithm, a foreign kid and a changed payload', async () => {
    const { token } = await issuer.sign(claims, T0)
    expect(await failure(issuer.verify(tamper(token, h => (h.alg = 'none'), 0).replace(/\.[^.]+$/, '.'), T0))).toBe('token_invalid')
    expect(await failure(issuer.verify(tamper(token, h => (h.alg = 'HS256'), 0), T0))).toBe('token_invalid')
    expect(await failure(issuer.verify(tamper(token, h => (h.kid = '../../etc/passwd'), 0), T0))).toBe('token_invalid')
    expect(await failure(issuer.verify(tamper(token, p => (p.sub = 'someone-else'), 1), T0))).toBe('token_invalid')
    expect(await failure(issuer.verify('', T0))).toBe('token_invalid')
    expect(await failure(issuer.verify('a.b', T0))).toBe('token_invalid')
  })

  it('never follows an embedded jwk: a token signed by the attacker\'s own key is refused', async () => {
    const attacker = new AccessTokenIssuer((await openTempStore()).store, options)
    await attacker.init(T0)
    const { token } = await attacker.sign(claims, T0)
    expect(await failure(issuer.verify(token, T0))).toBe('token_invalid')
  })

  it('checks typ, iss and aud', async () => {
    const other = new AccessTokenIssuer(store, { ...options, issuer: 'https://evil.example' })
    await other.reload(T0)
    expect(await failure(issuer.verify((await other.sign(claims, T0)).token, T0))).toBe('token_invalid')
    const wrongAudience = new AccessTokenIssuer(store, { ...options, audience: 'https://api.other.example' })
    await wrongAudience.reload(T0)
    expect(await failure(issuer.verify((await wrongAudience.sign(claims, T0)).token, T0))).toBe('token_invalid')

    const [row] = await store.listSigningKeys('access')
    const { importJWK } = await import('jose')
    const key = await importJWK(JSON.parse(row!.privateJwk), 'EdDSA')
    const plainJwt = await new SignJWT({ sid: 's' }).setProtectedHeader({ alg: 'EdDSA', kid: row!.kid, typ: 'JWT' })
      .setIssuer(options.issuer).setAudience(options.audience).setSubject('u').setJti('j').setIssuedAt(T0 / 1000).setExpirationTime(T0 / 1000 + 60).sign(key)
    expect(await failure(issuer.verify(plainJwt, T0))).toBe('token_invalid')
  })

  it('keeps verifying tokens of a rotated-out key until they expire, then drops the key', async () => {
    const { token } = await issuer.sign(claims, T0)
    const oldKid = issuer.jwks().keys[0]!.kid
    const newKid = await issuer.rotate(T0 + 1000)
    expect(newKid).not.toBe(oldKid)
    expect(issuer.jwks().keys.map(key => key.kid).sort()).toEqual([oldKid, newKid].sort())
    const fresh = (await issuer.sign(claims, T0 + 2000)).token
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(fresh.split('.')[0]!))).kid).toBe(newKid)
    expect(await issuer.verify(token, T0 + 2000)).toMatchObject({ sid: 'session-1' })

    // One token lifetime plus leeway plus one key-set refresh period after retirement, the old key is gone.
    await issuer.reload(T0 + 1000 + (600 + CLOCK_LEEWAY) * 1000 + 59_000)
    expect(issuer.jwks().keys).toHaveLength(2)
    const later = T0 + 1000 + (600 + CLOCK_LEEWAY) * 1000 + 60_000 + 1
    await issuer.reload(later)
    expect(issuer.jwks().keys.map(key => key.kid)).toEqual([newKid])
    expect(await issuer.deleteExpiredKeys(later)).toBe(1)
  })

  it('picks up a key another instance added when a token names it', async () => {
    const otherInstance = new AccessTokenIssuer(store, options)
    await otherInstance.reload(T0)
    await otherInstance.rotate(T0 + 20_000)
    const { token } = await otherInstance.sign(claims, T0 + 20_000)
    expect(await issuer.verify(token, T0 + 20_000)).toMatchObject({ sid: 'session-1' })
  })

  it('never lets an access token outlive its session', async () => {
    const { token, expiresAt } = await issuer.sign({ ...claims, session_exp: T0 / 1000 + 60 }, T0)
    expect(expiresAt).toBe(T0 + 60_000)
    expect((await issuer.verify(token, T0)).exp).toBe(T0 / 1000 + 60)
  })

  it('publishes public keys only', async () => {
    const { keys } = issuer.jwks()
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) })
    expect(keys[0]).not.toHaveProperty('d')
  })
})
