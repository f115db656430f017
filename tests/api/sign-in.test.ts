import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser, parseSetCookies } from '../fixtures/browser'
import { FRESH_EXPIRES_IN } from '../fixtures/expiry'
import { mintCredential, uniqueEmail } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { errorCode, signInWithCookies } from '../fixtures/sign-in'

let server: RunningServer

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

async function postCredential(browser: TestBrowser, body: unknown) {
  return browser.fetch('/api/auth/google', { method: 'POST', json: body })
}

describe('POST /api/auth/google, cookie transport (JSON)', () => {
  it('signs a new user up: 200 with user, newUser and expiresAt, tokens only in HttpOnly cookies', async () => {
    const browser = new TestBrowser(server.url)
    const { nonce } = await (await browser.fetch('/api/auth/google/nonce')).json() as { nonce: string }
    const email = uniqueEmail('ada')
    const credential = await mintCredential(server, { email, name: 'Ada Lovelace', nonce })
    const response = await postCredential(browser, { credential })
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toEqual({
      user: { id: expect.any(String), email, name: 'Ada Lovelace', picture: expect.stringMatching(/^data:image\/svg\+xml/) },
      newUser: true,
      expiresIn: FRESH_EXPIRES_IN,
      expiresAt: expect.any(String),
    })
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(590_000)
    const names = parseSetCookies(response).map(cookie => cookie.name).sort()
    expect(names).toEqual(['__Host-auth_access', '__Host-auth_refresh', 'auth_nonce'])
    expect(JSON.stringify(body)).not.toContain(browser.cookies.get('__Host-auth_access'))
    expect(JSON.stringify(body)).not.toContain(browser.cookies.get('__Host-auth_refresh'))
    // The nonce is consumed by the sign-in.
    expect(browser.cookies.has('auth_nonce')).toBe(false)
  })

  it('signs a returning user in as the same user with newUser false', async () => {
    const email = uniqueEmail('returning')
    const first = await signInWithCookies(new TestBrowser(server.url), server, { email })
    const second = await signInWithCookies(new TestBrowser(server.url), server, { email, name: 'New Name' })
    expect(second.newUser).toBe(false)
    expect(second.user).toMatchObject({ id: first.user.id, name: 'New Name' })
  })

  it('refuses a credential without the nonce issued to this browser', async () => {
    const browser = new TestBrowser(server.url)
    await browser.fetch('/api/auth/google/nonce')
    const response = await postCredential(browser, { credential: await mintCredential(server) })
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('invalid_credential')
    expect(parseSetCookies(response).filter(cookie => cookie.name.includes('auth_access'))).toEqual([])
  })

  it('refuses a credential bound to the nonce of another browser', async () => {
    const victim = new TestBrowser(server.url)
    const attacker = new TestBrowser(server.url)
    const { nonce } = await (await attacker.fetch('/api/auth/google/nonce')).json() as { nonce: string }
    await victim.fetch('/api/auth/google/nonce')
    const response = await postCredential(victim, { credential: await mintCredential(server, { nonce }) })
    expect(await errorCode(response)).toBe('invalid_credential')
  })

  it('refuses a credential when the browser never asked for a nonce', async () => {
    const browser = new TestBrowser(server.url)
    const response = await postCredential(browser, { credential: await mintCredential(server, { nonce: 'made-up' }) })
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('invalid_credential')
  })

  it('answers a replayed credential with 401 credential_replayed', async () => {
    const browser = new TestBrowser(server.url)
    const { nonce } = await (await browser.fetch('/api/auth/google/nonce')).json() as { nonce: string }
    const credential = await mintCredential(server, { nonce })
    expect((await postCredential(browser, { credential })).status).toBe(200)
    await browser.fetch('/api/auth/google/nonce')
    const replay = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential, transport: 'bearer' }),
    })
    expect(replay.status).toBe(401)
    expect(await errorCode(replay)).toBe('credential_replayed')
  })

  it.each([
    ['a wrong audience', { aud: 'another-app.apps.googleusercontent.com' }],
    ['a wrong issuer', { iss: 'https://accounts.evil.example' }],
    ['an expired credential', { expiresInSeconds: -120 }],
    ['an unverified e-mail', { emailVerified: false }],
  ])('refuses %s with 401 invalid_credential', async (_, claims) => {
    const response = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: await mintCredential(server, claims), transport: 'bearer' }),
    })
    expect(response.status).toBe(401)
    expect(await errorCode(response)).toBe('invalid_credential')
  })

  it('refuses a cookie sign-in from a foreign origin with 403 csrf', async () => {
    const browser = new TestBrowser(server.url, 'https://evil.example')
    const response = await postCredential(browser, { credential: await mintCredential(server) })
    expect(response.status).toBe(403)
    expect(await errorCode(response)).toBe('csrf')
  })
})

describe('POST /api/auth/google, redirect mode (form post from Google)', () => {
  async function formPost(fields: Record<string, string>, cookie: string | null, query = '') {
    return fetch(`${server.url}/api/auth/google${query}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'origin': 'https://accounts.google.com',
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    })
  }

  it('answers 303 to the validated redirect with both cookies set when g_csrf_token matches', async () => {
    const credential = await mintCredential(server)
    const response = await formPost({ credential, g_csrf_token: 'abc123' }, 'g_csrf_token=abc123', '?redirect=%2Fnotes%3Fa%3D1')
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/notes?a=1')
    expect(parseSetCookies(response).map(cookie => cookie.name).sort()).toEqual(['__Host-auth_access', '__Host-auth_refresh'])
  })

  it('takes the target from the auth_redirect cookie the sign-in page left (login_uri has no query), and clears it', async () => {
    const credential = await mintCredential(server)
    const response = await formPost({ credential, g_csrf_token: 'c' }, 'g_csrf_token=c; auth_redirect=%2Fsessions')
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/sessions')
    expect(parseSetCookies(response).find(cookie => cookie.name === 'auth_redirect')?.attributes['max-age']).toBe('0')
    const evil = await formPost({ credential: await mintCredential(server), g_csrf_token: 'c' }, 'g_csrf_token=c; auth_redirect=%2F%2Fevil.example')
    expect(evil.headers.get('location')).toBe('/')
  })

  it.each(['//evil.example', 'https://evil.example/x', '/\\evil.example', 'javascript:alert(1)', '%2F%2Fevil.example'])(
    'keeps the redirect %s on this site', async (target) => {
      const response = await formPost({ credential: await mintCredential(server), g_csrf_token: 't' }, 'g_csrf_token=t', `?redirect=${encodeURIComponent(target)}`)
      expect(response.status).toBe(303)
      expect(response.headers.get('location')).toBe('/')
    })

  it('refuses a missing or mismatched g_csrf_token with 403 csrf', async () => {
    const credential = await mintCredential(server)
    const mismatched = await formPost({ credential, g_csrf_token: 'abc' }, 'g_csrf_token=xyz')
    expect(mismatched.status).toBe(403)
    expect(await errorCode(mismatched)).toBe('csrf')
    const noCookie = await formPost({ credential, g_csrf_token: 'abc' }, null)
    expect(await errorCode(noCookie)).toBe('csrf')
    const noField = await formPost({ credential }, 'g_csrf_token=abc')
    expect(await errorCode(noField)).toBe('csrf')
  })
})

describe('POST /api/auth/google, bad input', () => {
  async function raw(body: string, contentType: string) {
    return fetch(`${server.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': contentType }, body })
  }

  it.each([
    ['malformed JSON', '{"credential":', 'application/json'],
    ['no credential', '{"transport":"bearer"}', 'application/json'],
    ['an empty credential', '{"credential":""}', 'application/json'],
    ['a credential that is not a string', '{"credential":42}', 'application/json'],
    ['an unknown transport', '{"credential":"x","transport":"carrier-pigeon"}', 'application/json'],
    ['a JSON array', '[]', 'application/json; charset=utf-8'],
  ])('answers %s with 400 invalid_request', async (_, body, contentType) => {
    const response = await raw(body, contentType)
    expect(response.status).toBe(400)
    expect(await errorCode(response)).toBe('invalid_request')
  })

  it('answers another content type with 415 invalid_request', async () => {
    const response = await raw('credential=x', 'text/plain')
    expect(response.status).toBe(415)
    expect(await errorCode(response)).toBe('invalid_request')
  })

  it('refuses a body over 16 KiB with 413, and serves the next request', async () => {
    const response = await raw(JSON.stringify({ credential: 'x'.repeat(17 * 1024) }), 'application/json')
    expect(response.status).toBe(413)
    expect(await errorCode(response)).toBe('invalid_request')
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })

  it('never answers with a stack trace', async () => {
    const text = await (await raw('{"credential":"a.b.c","transport":"bearer"}', 'application/json')).text()
    expect(text).not.toMatch(/at .*\.(m?js|ts):\d+/)
    expect(text).not.toContain('a.b.c')
  })
})

describe('GET /api/auth/google/nonce', () => {
  it('answers a fresh nonce and sets it as an HttpOnly, Lax cookie scoped to /api/auth for 10 minutes', async () => {
    const response = await fetch(`${server.url}/api/auth/google/nonce`)
    const { nonce } = await response.json() as { nonce: string }
    expect(nonce).toMatch(/^[\w-]{22}\.[\w-]{43}$/)
    const [cookie] = parseSetCookies(response)
    expect(cookie).toMatchObject({ name: 'auth_nonce' })
    // The cookie holds this browser's secret, not the nonce: the page never sees it.
    expect(nonce).not.toContain(cookie!.value)
    expect(cookie!.attributes).toMatchObject({ 'httponly': '', 'samesite': 'Lax', 'path': '/api/auth', 'max-age': '600', 'secure': '' })
    const again = await (await fetch(`${server.url}/api/auth/google/nonce`)).json() as { nonce: string }
    expect(again.nonce).not.toBe(nonce)
  })

  it('gives several sign-in tabs of one browser each a nonce that works', async () => {
    const browser = new TestBrowser(server.url)
    const { nonce: first } = await (await browser.fetch('/api/auth/google/nonce')).json() as { nonce: string }
    const { nonce: second } = await (await browser.fetch('/api/auth/google/nonce')).json() as { nonce: string }
    expect(first).not.toBe(second)
    const response = await browser.fetch('/api/auth/google', { method: 'POST', json: { credential: await mintCredential(server, { nonce: first }) } })
    expect(response.status).toBe(200)
  })
})
