import { request } from 'node:http'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser } from '../fixtures/browser'
import { mintCredential } from '../fixtures/google'
import { startServer, startServerExpectingFailure } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithBearer, signInWithCookies } from '../fixtures/sign-in'

describe('the default test server', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.stop())

  it('GET /api/health answers 200 ok', async () => {
    const response = await fetch(`${server.url}/api/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('GET /.well-known/jwks.json publishes the public signing key that verifies issued tokens, with a max-age', async () => {
    const response = await fetch(`${server.url}/.well-known/jwks.json`)
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/)
    const { keys } = await response.json() as { keys: Record<string, string>[] }
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String), x: expect.any(String) })
    expect(keys[0]).not.toHaveProperty('d')

    const { accessToken } = await signInWithBearer(server)
    const { createLocalJWKSet, jwtVerify } = await import('jose')
    const { payload, protectedHeader } = await jwtVerify(accessToken, createLocalJWKSet({ keys }), { issuer: server.url, audience: server.url, typ: 'at+jwt' })
    expect(protectedHeader.kid).toBe(keys[0]!.kid)
    expect(payload).toMatchObject({ sub: expect.any(String), sid: expect.any(String), jti: expect.any(String) })
  })

  it('answers Cache-Control: no-store on every /api/auth response, errors included', async () => {
    const browser = new TestBrowser(server.url)
    const responses = [
      await browser.fetch('/api/auth/google/nonce'),
      await browser.fetch('/api/auth/me'),
      await browser.fetch('/api/auth/refresh', { method: 'POST' }),
      await browser.fetch('/api/auth/google', { method: 'POST', json: {} }),
      await browser.fetch('/api/auth/sessions'),
      await browser.fetch('/api/auth/signout', { method: 'POST' }),
      await browser.fetch('/api/auth/nothing-here'),
    ]
    await signInWithCookies(browser, server)
    responses.push(await browser.fetch('/api/auth/me'), await browser.fetch('/api/auth/sessions'), await browser.fetch('/api/auth/refresh', { method: 'POST' }))
    expect(responses.map(response => response.headers.get('cache-control'))).toEqual(responses.map(() => 'no-store'))
  })

  it('answers an unknown API path, or a known one with another method, with JSON 404 not_found', async () => {
    for (const [method, path] of [['GET', '/api/unknown'], ['GET', '/api/auth/refresh'], ['PUT', '/api/auth/me'], ['GET', '/_emulator/google/unknown']]) {
      const response = await fetch(`${server.url}${path}`, { method })
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toContain('application/json')
      expect(await errorCode(response)).toBe('not_found')
    }
  })

  it('serves the emulator: certificates in Google\'s PEM shape, token minting, the gsi/client script', async () => {
    const certs = await (await fetch(`${server.url}/_emulator/google/certs`)).json() as Record<string, string>
    expect(Object.values(certs)[0]).toMatch(/^-----BEGIN PUBLIC KEY-----/)
    const credential = await mintCredential(server, { email: 'claims@example.com', name: 'Claire Claims', nonce: 'n' })
    const [header, payload] = credential.split('.').slice(0, 2).map(part => JSON.parse(Buffer.from(part, 'base64url').toString()))
    expect(header).toMatchObject({ alg: 'RS256', kid: Object.keys(certs)[0] })
    expect(payload).toMatchObject({
      iss: 'https://accounts.google.com', azp: 'emulator.apps.googleusercontent.com', aud: 'emulator.apps.googleusercontent.com',
      sub: expect.stringMatching(/^\d+$/), email: 'claims@example.com', email_verified: true, name: 'Claire Claims',
      given_name: 'Claire', family_name: 'Claims', nonce: 'n', jti: expect.any(String),
    })
    expect(payload.exp - payload.iat).toBe(3600)
    const script = await fetch(`${server.url}/_emulator/google/gsi/client`)
    expect(script.headers.get('content-type')).toContain('application/javascript')
    expect(await script.text()).toContain('accounts')
    const bad = await fetch(`${server.url}/_emulator/google/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"not-an-email"}' })
    expect(await errorCode(bad)).toBe('invalid_request')
  })

  it('never answers 5xx to odd input, and keeps serving', async () => {
    const odd = [
      fetch(`${server.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"credential":"\\u0000\\ud800"}' }),
      fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: 'Bearer \u00e9\u00e9' } }),
      fetch(`${server.url}/api/auth/me`, { headers: { authorization: 'Bearer a.b.c' } }),
      fetch(`${server.url}/api/auth/me`, { headers: { cookie: '__Host-auth_access=%E0%A4%A' } }),
      fetch(`${server.url}/api/auth/sessions/%E0%A4%A`, { method: 'DELETE', headers: { authorization: 'Bearer x' } }),
      fetch(`${server.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'credential=%ZZ' }),
    ]
    for (const response of await Promise.all(odd)) {
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })
})

describe('a server with rate limits of 2 per minute', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ env: { NUXT_AUTH_RATE_LIMIT_SIGNIN: '2/60', NUXT_AUTH_RATE_LIMIT_REFRESH: '2/60' } })
  })
  afterAll(() => server.stop())

  it('answers the third sign-in from one IP with 429 rate_limited and Retry-After', async () => {
    await signInWithBearer(server)
    await signInWithBearer(server)
    const response = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: await mintCredential(server), transport: 'bearer' }),
    })
    expect(response.status).toBe(429)
    expect(await errorCode(response)).toBe('rate_limited')
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60)
  })

  it('answers the third refresh from one IP with 429 rate_limited', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: 'Bearer x' } })).status)
    expect(statuses).toEqual([401, 401, 429])
  })
})

describe('a server with an allow-list of domains', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ env: { NUXT_AUTH_ALLOWED_DOMAINS: 'corp.example', NUXT_AUTH_ALLOWED_EMAILS: 'guest@gmail.com' } })
  })
  afterAll(() => server.stop())

  it('answers an account outside it with 403 account_not_allowed, and lets members in', async () => {
    const outsider = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: await mintCredential(server, { email: 'someone@gmail.com' }), transport: 'bearer' }),
    })
    expect(outsider.status).toBe(403)
    expect(await errorCode(outsider)).toBe('account_not_allowed')
    expect((await signInWithBearer(server, { email: 'dev@corp.example', hd: 'corp.example' })).user.email).toBe('dev@corp.example')
    expect((await signInWithBearer(server, { email: 'guest@gmail.com' })).user.email).toBe('guest@gmail.com')
  })
})

describe('a server with the emulator off', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ env: { NUXT_AUTH_GOOGLE_EMULATOR: 'false', NUXT_PUBLIC_GOOGLE_CLIENT_ID: 'test.apps.googleusercontent.com' } })
  })
  afterAll(() => server.stop())

  it('answers every emulator route with 404', async () => {
    for (const [method, path] of [['GET', '/_emulator/google/certs'], ['GET', '/_emulator/google/gsi/client'], ['POST', '/_emulator/google/token']]) {
      const response = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{"email":"a@b.c"}' : undefined })
      expect(response.status).toBe(404)
      expect(await errorCode(response)).toBe('not_found')
    }
  })
})

describe('a server that cannot reach Google\'s certificates', () => {
  let server: RunningServer
  let google: RunningServer
  beforeAll(async () => {
    google = await startServer()
    // Nothing listens on port 9 (discard): the certificate fetch fails at once.
    server = await startServer({ env: { NUXT_AUTH_GOOGLE_EMULATOR: 'false', NUXT_PUBLIC_GOOGLE_CLIENT_ID: 'emulator.apps.googleusercontent.com', NUXT_AUTH_GOOGLE_CERTS_URL: 'http://127.0.0.1:9/certs' } })
  })
  afterAll(async () => {
    await Promise.all([server.stop(), google.stop()])
  })

  it('answers a sign-in with 503 google_unavailable, not 401 (the credential was never judged)', async () => {
    const response = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: await mintCredential(google), transport: 'bearer' }),
    })
    expect(response.status).toBe(503)
    expect(await errorCode(response)).toBe('google_unavailable')
    expect(server.output()).toContain('[auth] Google\'s certificates could not be fetched from http://127.0.0.1:9/certs: ECONNREFUSED')
    expect(server.output()).not.toMatch(/eyJ/)
  })
})

describe('start-up configuration checks', () => {
  const base = { NUXT_PUBLIC_APP_ORIGIN: 'https://app.example.com', NUXT_DATABASE_URL: 'sqlite:/tmp/never-created/auth.sqlite' }

  it('refuses a production start without a Google client id, naming the variable', async () => {
    const { code, output } = await startServerExpectingFailure(base)
    expect(code).toBe(1)
    expect(output).toContain('NUXT_PUBLIC_GOOGLE_CLIENT_ID is not set')
  })

  it('refuses the emulator in production unless forced', async () => {
    const { code, output } = await startServerExpectingFailure({ ...base, NUXT_AUTH_GOOGLE_EMULATOR: 'true' })
    expect(code).toBe(1)
    expect(output).toContain('NUXT_AUTH_GOOGLE_EMULATOR=true is refused in production')
  })

  it('lists every problem at once', async () => {
    const { code, output } = await startServerExpectingFailure({ ...base, NUXT_PUBLIC_GOOGLE_CLIENT_ID: 'x', NUXT_AUTH_ACCESS_TTL: '2', NUXT_AUTH_RATE_LIMIT_REFRESH: 'often' })
    expect(code).toBe(1)
    expect(output).toContain('NUXT_AUTH_ACCESS_TTL must be')
    expect(output).toContain('NUXT_AUTH_RATE_LIMIT_REFRESH must be')
  })

  it('warns at start when the emulator is forced on in production', async () => {
    const server = await startServer()
    expect(server.output()).toContain('forced on in production')
    await server.stop()
  })
})

describe('a store that cannot be written', () => {
  /** One request on a fresh connection: the server stalls in SQLite's busy wait, and a reused keep-alive socket could be closed under us. */
  function freshRequest(url: string, method: string, token: string) {
    return new Promise<{ status: number, body: string }>((resolve, reject) => {
      const req = request(url, { method, agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      })
      req.on('error', reject)
      req.end()
    })
  }

  it('answers store-backed endpoints with 503 store_unavailable while /api/auth/me keeps working, then recovers', async () => {
    const server = await startServer()
    try {
      const signedIn = await signInWithBearer(server)
      // Another process holds SQLite's write lock past the server's busy timeout.
      const blocker = new Database(server.databasePath)
      blocker.exec('BEGIN EXCLUSIVE')
      const refresh = await freshRequest(`${server.url}/api/auth/refresh`, 'POST', signedIn.refreshToken)
      expect(refresh.status).toBe(503)
      expect(JSON.parse(refresh.body).data.code).toBe('store_unavailable')
      expect((await freshRequest(`${server.url}/api/auth/me`, 'GET', signedIn.accessToken)).status).toBe(200)
      blocker.exec('COMMIT')
      blocker.close()
      // Nothing was lost: the same refresh token still works.
      expect((await freshRequest(`${server.url}/api/auth/refresh`, 'POST', signedIn.refreshToken)).status).toBe(200)
    }
    finally {
      await server.stop()
    }
  })
})
