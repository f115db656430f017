import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AuthStore } from '../../../../layers/auth/server/store/types'
import { createGoogleVerifier, credentialReplayKey, isGoogleAccountAllowed } from '../../../../layers/auth/server/google/google-credentials'
import type { GoogleIdentity } from '../../../../layers/auth/server/google/google-credentials'
import { GoogleEmulator } from '../../../../layers/auth/server/google/google-emulator'
import { openTempStore } from '../../../fixtures/sqlite-store'

const CLIENT_ID = 'test-client.apps.googleusercontent.com'
let store: AuthStore
let emulator: GoogleEmulator
let certsServer: Server
let certFetches = 0
let verify: ReturnType<typeof createGoogleVerifier>

// google-auth-library fetches the emulator's certificates over real HTTP, as it would Google's.
beforeAll(async () => {
  ({ store } = await openTempStore())
  emulator = new GoogleEmulator(store, CLIENT_ID)
  await emulator.init()
  certsServer = createServer((request, response) => {
    certFetches++
    response.setHeader('content-type', 'application/json')
    response.setHeader('cache-control', 'public, max-age=300')
    response.end(JSON.stringify(emulator.certs()))
  })
  await new Promise<void>(done => certsServer.listen(0, '127.0.0.1', done))
  const { port } = certsServer.address() as { port: number }
  verify = createGoogleVerifier({ clientId: CLIENT_ID, certsUrl: `http://127.0.0.1:${port}/certs` })
})
afterAll(async () => {
  certsServer.close()
  await store.close()
})

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: { data?: { code?: string } }) => e)
  return error?.data?.code
}

describe('Google credential verification (google-auth-library)', () => {
  it('accepts a well-formed credential and returns the identity', async () => {
    const credential = await emulator.mint({ email: 'Ada@Example.com', name: 'Ada Lovelace', nonce: 'n-1', hd: 'example.com' })
    expect(await verify(credential)).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', nonce: 'n-1', hd: 'example.com', sub: expect.stringMatching(/^\d{21}$/) })
    expect(certFetches).toBeGreaterThan(0)
  })

  it('caches the certificates as their max-age allows', async () => {
    const before = certFetches
    await verify(await emulator.mint({ email: 'a@example.com' }))
    await verify(await emulator.mint({ email: 'b@example.com' }))
    expect(certFetches).toBe(before)
  })

  it.each([
    ['another client id as aud', { aud: 'someone-else.apps.googleusercontent.com' }],
    ['an issuer that is not Google', { iss: 'https://evil.example' }],
    ['googleapis.com, which the library alone would accept', { iss: 'googleapis.com' }],
    ['an expired token (past the 30 s leeway)', { expiresInSeconds: -31 }],
    ['an unverified e-mail address', { emailVerified: false }],
  ])('refuses %s with invalid_credential', async (_, claims) => {
    expect(await codeOf(verify(await emulator.mint({ email: 'ada@example.com', ...claims })))).toBe('invalid_credential')
  })

  it('follows Google\'s certificate set when it changes: the new key verifies, the withdrawn one no longer does', async () => {
    // A second signer stands for Google's next key; the certificates are served uncacheable, so each check refetches.
    const next = new GoogleEmulator((await openTempStore()).store, CLIENT_ID)
    await next.init()
    let published = emulator
    const rotating = createServer((_, response) => {
      response.setHeader('content-type', 'application/json')
      response.setHeader('cache-control', 'no-store')
      response.end(JSON.stringify(published.certs()))
    })
    await new Promise<void>(done => rotating.listen(0, '127.0.0.1', done))
    const verifyRotating = createGoogleVerifier({ clientId: CLIENT_ID, certsUrl: `http://127.0.0.1:${(rotating.address() as { port: number }).port}/certs` })
    try {
      const underOld = await emulator.mint({ email: 'old@example.com' })
      expect(await verifyRotating(underOld)).toMatchObject({ email: 'old@example.com' })
      published = next
      expect(await verifyRotating(await next.mint({ email: 'new@example.com' }))).toMatchObject({ email: 'new@example.com' })
      expect(await codeOf(verifyRotating(await emulator.mint({ email: 'old@example.com' })))).toBe('invalid_credential')
    }
    finally {
      rotating.close()
    }
  })

  it('draws the emulator\'s picture with the first letter in any script, and never markup', async () => {
    const letterOf = async (name: string) => {
      const payload = JSON.parse(Buffer.from((await emulator.mint({ email: 'pic@example.com', name })).split('.')[1]!, 'base64url').toString())
      const svg = Buffer.from(payload.picture.split(',')[1], 'base64').toString()
      return /<text[^>]*>([^<]*)<\/text>/.exec(svg)?.[1]
    }
    expect(await letterOf('林家豪')).toBe('林')
    expect(await letterOf('émile')).toBe('É')
    expect(await letterOf('<script>')).toBe('?')
    expect(await letterOf('&amp;')).toBe('?')
  })

  it.each([
    ['a JSON object without certificates', 'application/json', '{"keys": [{"kty": "RSA"}]}'],
    ['an HTML page', 'text/html', '<!doctype html><title>Proxy login</title>'],
  ])('answers 503 google_unavailable, and logs the URL once, when the certificates URL serves %s', async (_, type, body) => {
    const wrong = createServer((__, response) => {
      response.setHeader('content-type', type)
      response.setHeader('cache-control', 'public, max-age=300')
      response.end(body)
    })
    await new Promise<void>(done => wrong.listen(0, '127.0.0.1', done))
    const url = `http://127.0.0.1:${(wrong.address() as { port: number }).port}/certs`
    const logged: string[] = []
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line))
    try {
      const verifyAgainstWrong = createGoogleVerifier({ clientId: CLIENT_ID, certsUrl: url })
      for (let i = 0; i < 3; i++) expect(await codeOf(verifyAgainstWrong(await emulator.mint({ email: 'ada@example.com' })))).toBe('google_unavailable')
      expect(logged).toEqual([expect.stringContaining(`fetched from ${url} hold no usable key`)])
    }
    finally {
      spy.mockRestore()
      wrong.close()
    }
  })

  it('refuses a token signed by a key Google does not publish', async () => {
    const other = new GoogleEmulator((await openTempStore()).store, CLIENT_ID)
    await other.init()
    expect(await codeOf(verify(await other.mint({ email: 'ada@example.com' })))).toBe('invalid_credential')
  })

  it('answers google_unavailable when the certificates cannot be fetched, and logs which URL and why (status or error code, never the answer or the token)', async () => {
    const failing = createServer((_, response) => {
      response.statusCode = 404
      response.end('<html>secret-looking page</html>')
    })
    await new Promise<void>(done => failing.listen(0, '127.0.0.1', done))
    const notFoundUrl = `http://127.0.0.1:${(failing.address() as { port: number }).port}/certs`
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const credential = await emulator.mint({ email: 'ada@example.com' })
      // Port 9 (discard): nothing listens, the connection is refused.
      for (const [certsUrl, shown, reason] of [[`${notFoundUrl}?key=hidden`, notFoundUrl, 'HTTP 404'], ['http://127.0.0.1:9/certs', 'http://127.0.0.1:9/certs', 'ECONNREFUSED']] as const) {
        logged.mockClear()
        expect(await codeOf(createGoogleVerifier({ clientId: CLIENT_ID, certsUrl })(credential))).toBe('google_unavailable')
        expect(logged.mock.calls.map(call => call.join(' '))).toEqual([`[auth] Google's certificates could not be fetched from ${shown}: ${reason}`])
      }
    }
    finally {
      logged.mockRestore()
      failing.close()
    }
  })

  it('refuses alg none and garbage without echoing the token', async () => {
    const credential = await emulator.mint({ email: 'ada@example.com' })
    const [, payload] = credential.split('.')
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'x' })).toString('base64url')}.${payload}.`
    for (const bad of [unsigned, 'garbage', `${credential}x`]) {
      const error = await verify(bad).catch((e: Error) => e)
      expect((error as { data?: { code?: string } }).data?.code).toBe('invalid_credential')
      expect((error as Error).message).not.toContain(bad.slice(0, 20))
    }
  })
})

describe('identity normalisation', () => {
  it('lower-cases e-mail and hosted domain in ASCII only: a Kelvin sign (U+212A) is not folded into "k"', async () => {
    const identity = await verify(await emulator.mint({ email: 'Admin@\u212AORP.example', hd: '\u212AORP.Example' }))
    expect(identity).toMatchObject({ email: 'admin@\u212Aorp.example', hd: '\u212Aorp.example' })
    expect(isGoogleAccountAllowed(identity, ['korp.example'], ['admin@korp.example'])).toBe(false)
  })
})

describe('allow-lists', () => {
  const identity = (email: string, hd: string | null): GoogleIdentity => ({ sub: '1', email, name: 'x', picture: null, hd, nonce: null, exp: 0 })

  it('lets everyone in when no list is set', () => {
    expect(isGoogleAccountAllowed(identity('a@gmail.com', null), [], [])).toBe(true)
  })

  it('matches the hosted domain claim, not the e-mail domain', () => {
    expect(isGoogleAccountAllowed(identity('a@corp.example', 'corp.example'), ['corp.example'], [])).toBe(true)
    expect(isGoogleAccountAllowed(identity('a@corp.example', null), ['corp.example'], [])).toBe(false)
  })

  it('lets a listed e-mail in alongside a domain list', () => {
    expect(isGoogleAccountAllowed(identity('guest@gmail.com', null), ['corp.example'], ['guest@gmail.com'])).toBe(true)
    expect(isGoogleAccountAllowed(identity('other@gmail.com', null), ['corp.example'], ['guest@gmail.com'])).toBe(false)
  })
})

describe('one spelling per credential', () => {
  it('refuses a credential that is not canonical unpadded base64url in every segment, with invalid_credential', async () => {
    let credential = await emulator.mint({ email: 'ada@example.com' })
    while (!/[-_]/.test(credential.split('.')[2]!)) credential = await emulator.mint({ email: 'ada@example.com' })
    const [header, payload, signature] = credential.split('.') as [string, string, string]
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const spareBit = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1]
    expect(await verify(credential)).toMatchObject({ email: 'ada@example.com' })
    for (const respelled of [
      `${credential}==`,
      `${header}.${payload}.${signature.replaceAll('-', '+').replaceAll('_', '/')}`,
      `${header}.${payload}.${spareBit}`,
      `${credential} `,
      `${credential}\n`,
      `\t${credential}`,
      `${header}.${payload}.${signature.slice(0, 100)} ${signature.slice(100)}`,
    ]) {
      expect(await codeOf(verify(respelled)), JSON.stringify(respelled.slice(-6))).toBe('invalid_credential')
    }
  })

  it('keys the single-use record on the signed header and payload, so the signature\'s spelling cannot make a second key', async () => {
    const credential = await emulator.mint({ email: 'ada@example.com' })
    const [header, payload, signature] = credential.split('.') as [string, string, string]
    expect(credentialReplayKey(credential)).toBe(credentialReplayKey(`${header}.${payload}.${signature.replaceAll('-', '+')}==`))
    expect(credentialReplayKey(credential)).not.toBe(credentialReplayKey(await emulator.mint({ email: 'ada@example.com' })))
  })
})

describe('replay records', () => {
  it('records a credential once: the second use is a replay', async () => {
    const credential = await emulator.mint({ email: 'ada@example.com' })
    const key = credentialReplayKey(credential)
    expect(key).not.toContain(credential)
    expect(await store.recordOnce(key, Date.now() + 60_000)).toBe(true)
    expect(await store.recordOnce(key, Date.now() + 60_000)).toBe(false)
  })
})
