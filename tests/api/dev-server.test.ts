import { chromium } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumLaunchOptions } from '../fixtures/chromium'
import { startDevServer } from '../fixtures/dev-server'
import type { DevServer } from '../fixtures/dev-server'

/**
 * The README's first command, `npm run dev`: the development server starts with
 * the embedded defaults (a SQLite file, the Google emulator) and serves the API
 * and a page. Production-only build settings (the cluster entry) must not reach it.
 */
describe('the development server (nuxt dev)', () => {
  let dev: DevServer

  beforeAll(async () => {
    dev = await startDevServer()
  }, 120_000)

  afterAll(async () => {
    await dev?.stop()
  })

  it('answers the health check and signs in through the emulator', async () => {
    expect(await (await fetch(`${dev.url}/api/health`)).json()).toEqual({ status: 'ok' })
    const minted = await fetch(`${dev.url}/_emulator/google/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'dev@example.com' }) })
    const { credential } = await minted.json() as { credential: string }
    const signedIn = await fetch(`${dev.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credential, transport: 'bearer' }) })
    expect(signedIn.status, dev.output().slice(-2000)).toBe(200)
    // The device list knows where it signed in from, also behind the development server's own proxy.
    const { accessToken } = await signedIn.json() as { accessToken: string }
    const { sessions } = await (await fetch(`${dev.url}/api/auth/sessions`, { headers: { authorization: `Bearer ${accessToken}` } })).json() as { sessions: { ip: string | null }[] }
    expect(sessions.map(session => session.ip)).toEqual([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)])
  })

  it('starts without build errors, also right after `nuxt build`', () => {
    expect(dev.output()).not.toMatch(/ERROR|Failed to resolve import/)
  })

  it('lets Nuxt\'s error overlay run on a page that fails (a 404), while other pages keep the nonce policy', async () => {
    const browser = await chromium.launch(chromiumLaunchOptions)
    try {
      const page = await browser.newPage()
      const violations: string[] = []
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
      })
      const response = await page.goto(`${dev.url}/no-such-page`)
      expect(response?.status()).toBe(404)
      // The overlay's script builds a shadow root holding a data: frame, whose detailed error page has scripts of its own.
      await page.waitForFunction(() => document.querySelector('nuxt-error-overlay')?.shadowRoot?.getElementById('frame'))
      const detail = page.frames().find(frame => frame.url().startsWith('data:'))
      await detail?.waitForLoadState('load')
      expect(detail, 'the overlay\'s detailed error page').toBeDefined()
      expect(violations).toEqual([])
    }
    finally {
      await browser.close()
    }
    const signin = await fetch(`${dev.url}/signin`, { headers: { accept: 'text/html' } })
    expect(signin.headers.get('content-security-policy')).toMatch(/script-src-attr 'none'.*script-src 'self' 'nonce-[^']+' 'strict-dynamic'/)
  }, 60_000)

  it('renders the sign-in page', async () => {
    const page = await fetch(`${dev.url}/signin`, { headers: { accept: 'text/html' } })
    expect(page.status, dev.output().slice(-2000)).toBe(200)
    expect(await page.text()).toContain('Sign in')
  }, 60_000)
})

describe('the development server with a bad setting', () => {
  let dev: DevServer

  beforeAll(async () => {
    dev = await startDevServer({ NUXT_AUTH_ACCESS_TTL: 'abc' }, 500)
  }, 120_000)

  afterAll(async () => {
    await dev?.stop()
  })

  it('shows the browser the sentence that names the variable, as the terminal does', async () => {
    const sentence = 'NUXT_AUTH_ACCESS_TTL must be a whole number of seconds from 5 to 86400; got &quot;abc&quot;.'
    expect(dev.output()).toContain(sentence.replaceAll('&quot;', '"'))
    const page = await fetch(`${dev.url}/signin`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(500)
    expect(await page.text()).toContain(sentence)
    const api = await fetch(`${dev.url}/api/auth/me`)
    expect(await api.json()).toMatchObject({ message: expect.stringContaining(sentence.replaceAll('&quot;', '"')) })
  })
})
