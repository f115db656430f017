import { generateKeyPairSync } from 'node:crypto'
import { SignJWT, base64url, importPKCS8 } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { TestBrowser } from '../fixtures/browser'
import { signWithEmulatorKey } from '../fixtures/database'
import { googleClaims, mintCredential, uniqueEmail } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'

const log = createAttackLog(import.meta.filename)
let server: RunningServer
let restricted: RunningServer
let kelvin: RunningServer

beforeAll(async () => {
  [server, restricted, kelvin] = await Promise.all([
    startServer(),
    startServer({ env: { NUXT_AUTH_ALLOWED_DOMAINS: 'corp.example' } }),
    startServer({ env: { NUXT_AUTH_ALLOWED_DOMAINS: 'korp.example', NUXT_AUTH_ALLOWED_EMAILS: 'admin@korp.example' } }),
  ])
  // The emulator's key exists once the emulator has started; the tests below sign with it directly.
  await Promise.all([server, kelvin].map(target => fetch(`${target.url}/_emulator/google/certs`)))
})
afterAll(async () => {
  await Promise.all([server.stop(), restricted.stop(), kelvin.stop()])
  log.finish([server, restricted, kelvin])
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

/** Other spellings of one credential that a lenient base64 decoder reads as the same bytes, or that are simply not canonical. */
const RESPELLINGS: [string, (credential: string) => string][] = [
  ['base64 padding on the signature', credential => credential + '='.repeat((4 - credential.split('.')[2]!.length % 4) % 4 || 4)],
  ['the "+/" alphabet in the signature', (credential) => {
    const [header, payload, signature] = credential.split('.')
    return `${header}.${payload}.${signature!.replaceAll('-', '+').replaceAll('_', '/')}`
  }],
  ['spare bits set in the signature\'s last character', (credential) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(credential.at(-1)!)
    // 256 signature bytes take 342 characters: the last one carries 2 bits and 4 spare ones.
    return credential.slice(0, -1) + alphabet[last ^ 1]
  }],
  ['a trailing space', credential => `${credential} `],
  ['a trailing newline', credential => `${credential}\n`],
  ['a leading space', credential => ` ${credential}`],
  ['a trailing dot', credential => `${credential}.`],
  ['padding on the payload', (credential) => {
    const [header, payload, signature] = credential.split('.')
    return `${header}.${payload}=.${signature}`
  }],
]

/** A fresh credential whose signature has a "-" or "_" (almost every one), so that every respelling differs from it. */
async function mintRespellable(target: RunningServer) {
  for (;;) {
    const credential = await mintCredential(target)
    if (/[-_]/.test(credential.split('.')[2]!)) return credential
  }
}

describe('one credential signs in once, however it is spelled', () => {
  it.each(RESPELLINGS)('%s, after the canonical credential signed in', async (label, respell) => {
    const credential = await mintRespellable(server)
    expect((await signInBearer(server, credential)).status).toBe(200)
    const respelled = respell(credential)
    expect(respelled).not.toBe(credential)
    await log.refused(`${label} (after)`, await signInBearer(server, respelled), ['invalid_credential', 'credential_replayed'], 401)
  })

  it.each(RESPELLINGS)('%s, presented first: refused, and the canonical credential then signs in once', async (label, respell) => {
    const credential = await mintRespellable(server)
    await log.refused(`${label} (first)`, await signInBearer(server, respell(credential)), 'invalid_credential', 401)
    expect((await signInBearer(server, credential)).status).toBe(200)
    await log.refused(`${label} (then replayed)`, await signInBearer(server, credential), 'credential_replayed', 401)
  })
})

describe('allow-lists compare exactly: no Unicode case folding', () => {
  // U+212A KELVIN SIGN lower-cases to an ASCII "k" with String.prototype.toLowerCase.
  it.each([
    ['an e-mail address with a Kelvin sign', { email: 'admin@\u212Aorp.example' }],
    ['an upper-case e-mail address with a Kelvin sign', { email: 'ADMIN@\u212AORP.EXAMPLE' }],
    ['a hosted domain with a Kelvin sign', { email: uniqueEmail('kelvin').replace('example.com', '\u212Aorp.example'), hd: '\u212Aorp.example' }],
  ])('%s is not the ASCII spelling on the list', async (label, claims) => {
    const credential = await signWithEmulatorKey(kelvin.databasePath, googleClaims(claims))
    await log.refused(label, await signInBearer(kelvin, credential), 'account_not_allowed', 403)
  })

  it('still ignores ASCII case', async () => {
    for (const claims of [{ email: 'Admin@KORP.example' }, { email: uniqueEmail('ascii').replace('example.com', 'korp.example'), hd: 'KORP.EXAMPLE' }]) {
      const credential = await signWithEmulatorKey(kelvin.databasePath, googleClaims(claims))
      expect((await signInBearer(kelvin, credential)).status).toBe(200)
    }
  })
})

describe('a claim of the wrong JSON type is 401 invalid_credential, never a 500', () => {
  it.each([
    ['email a number', { email: 42 }],
    ['email an array', { email: ['someone@example.com'] }],
    ['email an object', { email: { address: 'someone@example.com' } }],
    ['email_verified the string "true"', { email_verified: 'true' }],
    ['email_verified 1', { email_verified: 1 }],
    ['hd a number', { hd: 7 }],
    ['hd an array', { hd: ['corp.example'] }],
    ['name a number', { name: 5 }],
    ['name an object', { name: { given: 'Ada' } }],
    ['picture a number', { picture: 1 }],
    ['picture an array', { picture: ['https://example.com/a.png'] }],
    ['sub a number', { sub: 123456789 }],
    ['sub an empty string', { sub: '' }],
    ['nonce a number', { nonce: 12 }],
    ['exp a numeric string', { exp: String(Math.floor(Date.now() / 1000) + 3600) }],
    ['iat a numeric string', { iat: String(Math.floor(Date.now() / 1000)) }],
  ])('%s', async (label, claims) => {
    const credential = await signWithEmulatorKey(server.databasePath, googleClaims(claims))
    const body = await log.refused(label, await signInBearer(server, credential), 'invalid_credential', 401) as Record<string, unknown>
    expect(body).toMatchObject({ statusCode: 401, message: expect.any(String), data: { code: 'invalid_credential' } })
  })

  it('a nonce of the wrong type in a cookie sign-in (where the nonce is checked)', async () => {
    const browser = new TestBrowser(server.url)
    await browser.fetch('/api/auth/google/nonce')
    for (const nonce of [12, ['a.b'], { salt: 'a' }]) {
      const credential = await signWithEmulatorKey(server.databasePath, googleClaims({ nonce }))
      await log.refused(`cookie nonce ${JSON.stringify(nonce)}`, await browser.fetch('/api/auth/google', { method: 'POST', json: { credential } }), 'invalid_credential', 401)
    }
  })
})
