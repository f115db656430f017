import { generateKeyPairSync } from 'node:crypto'
import { SignJWT, base64url, importPKCS8 } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { TestBrowser } from '../fixtures/browser'
import { mintCredential, uniqueEmail } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'

const log = createAttackLog(import.meta.filename)
let server: RunningServer
let restricted: RunningServer

beforeAll(async () => {
  [server, restricted] = await Promise.all([
    startServer(),
    startServer({ env: { NUXT_AUTH_ALLOWED_DOMAINS: 'corp.example' } }),
  ])
})
afterAll(async () => {
  await Promise.all([server.stop(), restricted.stop()])
  log.finish([server, restricted])
})

function signInBearer(target: RunningServer, credential: string) {
  return fetch(`${target.url}/api/auth/google`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential, transport: 'bearer' }),
  })
}

describe('forged and misused Google credentials are refused (POST /api/auth/google)', () => {
  it.each([
    ['the wrong aud', { aud: 'attacker-app.apps.googleusercontent.com' }],
    ['the wrong iss', { iss: 'https://accounts.evil.example' }],
    ['iss googleapis.com (which the library alone accepts)', { iss: 'googleapis.com' }],
    ['an expired credential', { expiresInSeconds: -60 }],
    ['an unverified e-mail', { emailVerified: false }],
  ])('%s', async (name, claims) => {
    await log.refused(name, await signInBearer(server, await mintCredential(server, claims)), 'invalid_credential', 401)
  })

  it('a domain not on the allow-list', async () => {
    const credential = await mintCredential(restricted, { email: uniqueEmail('outsider'), hd: 'evil.example' })
    await log.refused('domain not allowed', await signInBearer(restricted, credential), 'account_not_allowed', 403)
    const noHd = await mintCredential(restricted, { email: 'someone@corp.example' })
    await log.refused('e-mail domain without hd claim', await signInBearer(restricted, noHd), 'account_not_allowed', 403)
  })

  it('signed by a key Google does not publish, under its kid or another', async () => {
    const genuine = await mintCredential(server)
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(genuine.split('.')[0]!))) as { kid: string }
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(genuine.split('.')[1]!))) as Record<string, unknown>
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const key = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RS256')
    for (const kid of [header.kid, 'attacker-kid']) {
      const forged = await new SignJWT({ ...payload, jti: `${kid}-forged` }).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key)
      await log.refused(`unknown key (${kid === header.kid ? 'Google kid' : 'own kid'})`, await signInBearer(server, forged), 'invalid_credential')
    }
  })

  it('alg: none', async () => {
    const genuine = await mintCredential(server)
    const [, payload] = genuine.split('.')
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`
    await log.refused('alg none', await signInBearer(server, unsigned), 'invalid_credential')
  })

  it('a replayed credential', async () => {
    const credential = await mintCredential(server)
    const first = await signInBearer(server, credential)
    expect(first.status).toBe(200)
    await log.refused('replay', await signInBearer(server, credential), 'credential_replayed', 401)
  })

  it('a cookie-transport credential with no nonce, or with the nonce issued to another browser', async () => {
    const victim = new TestBrowser(server.url)
    await victim.fetch('/api/auth/google/nonce')
    const withoutNonce = await mintCredential(server)
    await log.refused('no nonce', await victim.fetch('/api/auth/google', { method: 'POST', json: { credential: withoutNonce } }), 'invalid_credential')

    const attacker = new TestBrowser(server.url)
    const { nonce } = await (await attacker.fetch('/api/auth/google/nonce')).json() as { nonce: string }
    const attackers = await mintCredential(server, { nonce })
    await log.refused('nonce of another browser', await victim.fetch('/api/auth/google', { method: 'POST', json: { credential: attackers } }), 'invalid_credential')
    const noCookie = new TestBrowser(server.url)
    await log.refused('nonce but no nonce cookie', await noCookie.fetch('/api/auth/google', { method: 'POST', json: { credential: await mintCredential(server, { nonce }) } }), 'invalid_credential')
  })

  it('the original client\'s {token} shape goes through the same checks', async () => {
    const response = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await mintCredential(server, { aud: 'other.apps.googleusercontent.com' }), transport: 'bearer' }),
    })
    await log.refused('{token} with wrong aud', response, 'invalid_credential')
  })
})
