import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { TestBrowser } from '../fixtures/browser'
import { mintCredential } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithCookies } from '../fixtures/sign-in'
import type { MeResponse } from '../../layers/auth/shared/types/api'
import type { NoteResponse } from '../../shared/notes'

const log = createAttackLog(import.meta.filename)
let server: RunningServer

beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server.stop()
  log.finish([server])
})

/** Origin information a cross-site page (or a stripped request) would send. */
const FOREIGN = {
  'a foreign Origin': { origin: 'https://evil.example' },
  'Sec-Fetch-Site: cross-site, no Origin': { 'origin': '', 'sec-fetch-site': 'cross-site' },
  'Sec-Fetch-Site: same-site (a sibling subdomain), no Origin': { 'origin': '', 'sec-fetch-site': 'same-site' },
  'Origin: null': { origin: 'null' },
  'no origin information': { origin: '' },
}

describe('CSRF: every unsafe cookie-authenticated endpoint refuses other origins', () => {
  it.each(Object.entries(FOREIGN))('%s', async (label, headers) => {
    const browser = new TestBrowser(server.url)
    const { user } = await signInWithCookies(browser, server)
    const { session } = await (await browser.fetch('/api/auth/me')).json() as MeResponse
    const { note } = await (await browser.fetch('/api/notes', { method: 'POST', json: { text: 'mine' } })).json() as NoteResponse
    const endpoints: [string, string, unknown?][] = [
      ['POST', '/api/auth/refresh'],
      ['POST', '/api/auth/signout'],
      ['DELETE', '/api/auth/sessions'],
      ['DELETE', `/api/auth/sessions/${session.id}`],
      ['DELETE', '/api/auth/account', { confirm: user.email }],
      ['POST', '/api/notes', { text: 'planted' }],
      ['DELETE', `/api/notes/${note.id}`],
      ['POST', '/api/auth/google', { credential: await mintCredential(server) }],
    ]
    for (const [method, path, json] of endpoints) {
      const response = await browser.fetch(path, { method, headers, ...(json ? { json } : {}) })
      await log.refused(`${method} ${path.replace(/[\w-]{36}/, ':id')} with ${label}`, response, 'csrf', 403)
    }
    // Nothing happened: still signed in, the note still there.
    expect((await browser.fetch('/api/auth/me')).status).toBe(200)
    expect(((await (await browser.fetch('/api/notes')).json()) as { notes: unknown[] }).notes).toHaveLength(1)
  })

  it('the redirect-mode form post needs a matching g_csrf_token', async () => {
    const post = (fields: Record<string, string>, cookie?: string) => fetch(`${server.url}/api/auth/google`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields).toString(),
    })
    await log.refused('form post without g_csrf_token', await post({ credential: await mintCredential(server) }, 'g_csrf_token=a'), 'csrf', 403)
    await log.refused('form post without the cookie', await post({ credential: await mintCredential(server), g_csrf_token: 'a' }), 'csrf', 403)
    await log.refused('form post with a mismatched token', await post({ credential: await mintCredential(server), g_csrf_token: 'a' }, 'g_csrf_token=b'), 'csrf', 403)
    await log.refused('form post with empty tokens', await post({ credential: await mintCredential(server), g_csrf_token: '' }, 'g_csrf_token='), 'csrf', 403)
    // Login CSRF from a host that can plant the cookie (a sibling subdomain): its Origin gives it away.
    const planted = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': 'g_csrf_token=p', 'origin': 'https://evil.app.example' },
      body: new URLSearchParams({ credential: await mintCredential(server), g_csrf_token: 'p' }).toString(),
    })
    await log.refused('form post from a foreign origin with a planted cookie', planted, 'csrf', 403)
    const fromGoogle = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': 'g_csrf_token=g', 'origin': 'https://accounts.google.com' },
      body: new URLSearchParams({ credential: await mintCredential(server), g_csrf_token: 'g' }).toString(),
    })
    expect(fromGoogle.status).toBe(303)
  })
})

const REDIRECTS = [
  '//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example', 'http:evil.example', 'javascript:alert(1)',
  '%2F%2Fevil.example', '%2f%5cevil.example', '/%2F/evil.example', '/.//evil.example', '/%2e//evil.example', '/a/..//evil.example',
  '%252F%252Fevil.example', '/\t/evil.example', ' //evil.example', 'data:text/html,<script>alert(1)</script>',
]

describe('open redirects: every target stays on the site', () => {
  it.each(REDIRECTS)('redirect-mode sign-in with %s', async (target) => {
    const response = await fetch(`${server.url}/api/auth/google?redirect=${encodeURIComponent(target)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': 'g_csrf_token=t' },
      body: new URLSearchParams({ credential: await mintCredential(server), g_csrf_token: 't' }).toString(),
    })
    const location = response.headers.get('location') ?? ''
    log.judged(`sign-in redirect ${target}`, response.status === 303 && new URL(location, server.url).origin === server.url && location.startsWith('/') && !location.startsWith('//'))
  })

  it.each(REDIRECTS)('a signed-in visit to /signin?redirect=%s', async (target) => {
    const browser = new TestBrowser(server.url)
    await signInWithCookies(browser, server)
    const response = await browser.fetch(`/signin?redirect=${encodeURIComponent(target)}`, { headers: { accept: 'text/html' } })
    const location = response.headers.get('location') ?? ''
    log.judged(`page redirect ${target}`, response.status === 302 && new URL(location, server.url).origin === server.url && !location.startsWith('//'))
  })
})
