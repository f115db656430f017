import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { TestBrowser } from '../fixtures/browser'
import { mintCredential } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer, signInWithCookies } from '../fixtures/sign-in'

const log = createAttackLog(import.meta.filename)
const SPA = 'https://spa.example'
let plain: RunningServer
let cors: RunningServer
let limited: RunningServer
let proxied: RunningServer
let sessionLimited: RunningServer

beforeAll(async () => {
  [plain, cors, limited, proxied, sessionLimited] = await Promise.all([
    startServer(),
    startServer({ env: { NUXT_AUTH_CORS_ORIGINS: SPA } }),
    startServer({ env: { NUXT_AUTH_RATE_LIMIT_SIGNIN: '3/60' } }),
    startServer({ env: { NUXT_AUTH_RATE_LIMIT_SIGNIN: '2/60', NUXT_AUTH_TRUSTED_PROXIES: '127.0.0.1, ::1' } }),
    startServer({ env: { NUXT_AUTH_RATE_LIMIT_REFRESH: '3/60', NUXT_AUTH_TRUSTED_PROXIES: '127.0.0.1, ::1' } }),
  ])
})
afterAll(async () => {
  const servers = [plain, cors, limited, proxied, sessionLimited]
  await Promise.all(servers.map(server => server.stop()))
  log.finish(servers)
})

function preflight(server: RunningServer, origin: string, path = '/api/auth/me') {
  return fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { 'origin': origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  })
}

describe('CORS', () => {
  it('is off by default: no origin is allowed', async () => {
    const response = await preflight(plain, SPA)
    log.judged('CORS off by default', response.headers.get('access-control-allow-origin') === null)
    const { accessToken } = await signInWithBearer(plain)
    const call = await fetch(`${plain.url}/api/auth/me`, { headers: { origin: SPA, authorization: `Bearer ${accessToken}` } })
    log.judged('no ACAO without allow-list', call.headers.get('access-control-allow-origin') === null)
  })

  it('lets an allowed origin use the bearer transport, with a correct preflight', async () => {
    const response = await preflight(cors, SPA)
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA)
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/i)
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('vary')).toContain('Origin')
    log.judged('credentials never allowed cross-origin', response.headers.get('access-control-allow-credentials') === null)
    const { accessToken } = await signInWithBearer(cors)
    const call = await fetch(`${cors.url}/api/auth/me`, { headers: { origin: SPA, authorization: `Bearer ${accessToken}` } })
    expect(call.status).toBe(200)
    expect(call.headers.get('access-control-allow-origin')).toBe(SPA)
  })

  it('refuses other origins, even lookalikes, and never cookies cross-origin', async () => {
    for (const origin of ['https://evil.example', 'https://spa.example.evil.example', 'http://spa.example', 'null']) {
      const response = await preflight(cors, origin)
      log.judged(`preflight from ${origin}`, response.headers.get('access-control-allow-origin') === null)
    }
    // The allowed origin still cannot drive the cookie transport: the CSRF rule holds.
    const browser = new TestBrowser(cors.url)
    await signInWithCookies(browser, cors)
    await log.refused('cookie refresh from the CORS origin', await browser.fetch('/api/auth/refresh', { method: 'POST', headers: { origin: SPA } }), 'csrf', 403)
    await log.refused('cookie sign-in from the CORS origin', await browser.fetch('/api/auth/google', { method: 'POST', headers: { origin: SPA }, json: { credential: await mintCredential(cors) } }), 'csrf', 403)
  })
})

describe('rate limits', () => {
  it('sign-in per client IP: 429 rate_limited with Retry-After, logged', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${limited.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400)
    const response = await fetch(`${limited.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    await log.refused('sign-in flood', response, 'rate_limited', 429)
    expect(limited.output()).toMatch(/"event":"rate_limited","limit":"signin-ip"/)
  })

  it('refresh per session: one stolen token spun from many addresses is still limited', async () => {
    const { refreshToken } = await signInWithBearer(sessionLimited)
    let token = refreshToken
    // Each refresh comes through the trusted proxy from another client address: no per-IP limit is near.
    const refreshFrom = (address: string) => fetch(`${sessionLimited.url}/api/auth/refresh`, { method: 'POST', headers: { 'authorization': `Bearer ${token}`, 'x-forwarded-for': address } })
    for (let i = 0; i < 3; i++) {
      const response = await refreshFrom(`198.51.100.${i}`)
      expect(response.status).toBe(200)
      token = (await response.json() as { refreshToken: string }).refreshToken
    }
    await log.refused('refresh flood of one session from a fourth address', await refreshFrom('198.51.100.99'), 'rate_limited', 429)
    expect(sessionLimited.output()).toMatch(/"event":"rate_limited","limit":"refresh-session"/)
  })

  it('believes X-Forwarded-For only from a trusted proxy, and only its right-most untrusted hop', async () => {
    const signIn = (forwardedFor: string) => fetch(`${proxied.url}/api/auth/google`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, body: '{}',
    })
    // Two clients behind the proxy have a limit each.
    for (const client of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.2']) expect((await signIn(client)).status).toBe(400)
    await log.refused('third sign-in of one client behind the proxy', await signIn('203.0.113.1'), 'rate_limited', 429)
    // A client cannot escape its limit by prepending addresses of its own.
    await log.refused('spoofed X-Forwarded-For prefix', await signIn('10.9.9.9, 203.0.113.1'), 'rate_limited', 429)
  })
})

describe('response headers', () => {
  it('pages carry an enforced CSP with a nonce, COOP for Google\'s popup, and the usual hardening', async () => {
    const response = await fetch(`${plain.url}/signin`, { headers: { accept: 'text/html' } })
    const csp = response.headers.get('content-security-policy') ?? ''
    const html = await response.text()
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    log.judged('CSP enforced (not report-only)', csp.length > 0 && response.headers.get('content-security-policy-report-only') === null)
    log.judged('script-src nonce, no unsafe-inline', Boolean(nonce) && !/script-src[^;]*'unsafe-inline'/.test(csp) && !/script-src[^;]*'unsafe-eval'/.test(csp))
    log.judged('every script tag carries the nonce', [...html.matchAll(/<script\b[^>]*>/g)].every(([tag]) => tag.includes(`nonce="${nonce}"`)))
    // The whole policy, directive by directive, each source once (a layer merged twice once doubled every list).
    const directives = Object.fromEntries(csp.split(';').map(part => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...sources]) => [name, sources.join(' ')]))
    log.judged('the CSP is exactly the documented policy', JSON.stringify(directives) === JSON.stringify({
      'base-uri': '\'none\'',
      'font-src': '\'self\'',
      'form-action': '\'self\' https://accounts.google.com',
      'frame-ancestors': '\'none\'',
      'img-src': '\'self\' data: https://*.googleusercontent.com',
      'object-src': '\'none\'',
      'script-src-attr': '\'none\'',
      'style-src': '\'self\' \'unsafe-inline\' https://accounts.google.com/gsi/style',
      'script-src': `'self' 'nonce-${nonce}' 'strict-dynamic' https://accounts.google.com/gsi/client`,
      'default-src': '\'self\'',
      'frame-src': 'https://accounts.google.com/gsi/',
      'connect-src': '\'self\' https://accounts.google.com/gsi/',
    }))
    log.judged('frame-ancestors none', /frame-ancestors 'none'/.test(csp))
    log.judged('base-uri none', /base-uri 'none'/.test(csp))
    log.judged('object-src none', /object-src 'none'/.test(csp))
    log.judged('script-src-attr none (no inline handlers)', /script-src-attr 'none'/.test(csp))
    log.judged('form-action self and Google only', /form-action 'self' https:\/\/accounts\.google\.com;/.test(csp))
    log.judged('connect-src self and Google\'s gsi only', /connect-src 'self' https:\/\/accounts\.google\.com\/gsi\/;/.test(csp))
    log.judged('scripts carry Subresource Integrity', [...html.matchAll(/<script\b[^>]*\bsrc=[^>]*>/g)].every(([tag]) => /integrity="sha384-/.test(tag)))
    log.judged('Google\'s documented sources', csp.includes('https://accounts.google.com/gsi/client') && csp.includes('frame-src https://accounts.google.com/gsi/') && csp.includes('https://accounts.google.com/gsi/style'))
    log.judged('COOP same-origin-allow-popups', response.headers.get('cross-origin-opener-policy') === 'same-origin-allow-popups')
    log.judged('nosniff', response.headers.get('x-content-type-options') === 'nosniff')
    log.judged('Referrer-Policy', response.headers.get('referrer-policy') === 'strict-origin-when-cross-origin')
    log.judged('X-Frame-Options DENY', response.headers.get('x-frame-options') === 'DENY')
    log.judged('HSTS', /max-age=\d{7,}; includeSubDomains/.test(response.headers.get('strict-transport-security') ?? ''))
    log.judged('no X-Powered-By', response.headers.get('x-powered-by') === null)
    const second = await fetch(`${plain.url}/signin`, { headers: { accept: 'text/html' } })
    log.judged('a fresh nonce per response', /'nonce-([^']+)'/.exec(second.headers.get('content-security-policy') ?? '')?.[1] !== nonce)
  })

  it('every response carries exactly the same security headers as before they were computed at build time', async () => {
    // The headers of every response, then the page-only ones (as nuxt-security 2.6 set them at run time, byte for byte).
    const EVERY_RESPONSE = {
      'referrer-policy': 'strict-origin-when-cross-origin',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-download-options': 'noopen',
      'x-frame-options': 'DENY',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    }
    const PAGES_ONLY = {
      'content-security-policy': 'base-uri \'none\'; font-src \'self\'; form-action \'self\' https://accounts.google.com; frame-ancestors \'none\'; img-src \'self\' data: https://*.googleusercontent.com; object-src \'none\'; script-src-attr \'none\'; style-src \'self\' \'unsafe-inline\' https://accounts.google.com/gsi/style; script-src \'self\' \'nonce-N\' \'strict-dynamic\' https://accounts.google.com/gsi/client; default-src \'self\'; frame-src https://accounts.google.com/gsi/; connect-src \'self\' https://accounts.google.com/gsi/;',
      'cross-origin-embedder-policy': 'unsafe-none',
      'cross-origin-opener-policy': 'same-origin-allow-popups',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'permissions-policy': 'camera=(), display-capture=(), fullscreen=(), geolocation=(), microphone=()',
      'x-dns-prefetch-control': 'off',
    }
    const SECURITY = new Set([...Object.keys(EVERY_RESPONSE), ...Object.keys(PAGES_ONLY), 'x-powered-by', 'server'])
    const securityHeadersOf = async (method: string, path: string, accept: string) => {
      const response = await fetch(`${plain.url}${path}`, { method, redirect: 'manual', headers: { accept } })
      return { status: response.status, nonce: /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1], headers: Object.fromEntries([...response.headers]
        .filter(([name]) => SECURITY.has(name))
        .map(([name, value]) => [name, value.replace(/'nonce-[^']+'/, '\'nonce-N\'')])) }
    }
    const nonces = new Set<string | undefined>()
    // A built file that exists: the static handler answers it before any middleware.
    const builtScript = /src="(\/_nuxt\/[^"]+\.js)"/.exec(await (await fetch(`${plain.url}/signin`, { headers: { accept: 'text/html' } })).text())?.[1]
    log.judged('the sign-in page loads a built script', builtScript !== undefined)
    const served = await fetch(`${plain.url}${builtScript}`)
    log.judged('a built script is served', served.status === 200)
    for (const [method, path, kind] of [['GET', builtScript!, 'other'], ['HEAD', '/api/health', 'other'], ['GET', '/signin', 'page'], ['GET', '/', 'page'], ['GET', '/no-such-page', 'page'], ['GET', '/api/health', 'other'], ['GET', '/api/auth/me', 'other'], ['POST', '/api/auth/refresh', 'other'], ['GET', '/api/nope', 'other'], ['GET', '/.well-known/jwks.json', 'other'], ['GET', '/_emulator/google/gsi/client', 'other'], ['GET', '/_nuxt/x.js', 'other']] as const) {
      const { headers, nonce } = await securityHeadersOf(method, path, kind === 'page' ? 'text/html' : 'application/json')
      log.judged(`${method} ${path}: exactly the ${kind === 'page' ? 'page' : 'every-response'} security headers`, JSON.stringify(Object.entries(headers).sort()) === JSON.stringify(Object.entries(kind === 'page' ? { ...EVERY_RESPONSE, ...PAGES_ONLY } : EVERY_RESPONSE).sort()))
      if (kind === 'page') nonces.add(nonce)
    }
    log.judged('a fresh nonce on every page', nonces.size === 3 && !nonces.has(undefined))
  })

  it('every /api/auth response is no-store, errors included', async () => {
    // Other spellings of the same paths too: the headers are matched on the path as the router sees it.
    for (const [method, path] of [['GET', '/api/auth/me'], ['POST', '/api/auth/refresh'], ['GET', '/api/auth/google/nonce'], ['GET', '/api/auth/sessions'], ['POST', '/api/auth/signout'], ['DELETE', '/api/auth/account'],
      ['GET', '/api/auth/me?x=1'], ['GET', '/api/auth/me/'], ['GET', '/api/auth/%6De'], ['GET', '/api/auth'], ['GET', '/api/auth?x=/'], ['GET', '/api/auth/nope'], ['DELETE', '/api/auth/me'], ['GET', '/api//auth/me']]) {
      const response = await fetch(`${plain.url}${path}`, { method })
      log.judged(`${method} ${path} no-store`, response.headers.get('cache-control') === 'no-store')
    }
  })
})
