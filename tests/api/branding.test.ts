import { afterAll, describe, expect, it } from 'vitest'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'

/** The product's name and logo are run-time settings of the built server, and the emulator notice says what is true. */
describe('branding (NUXT_PUBLIC_APP_NAME, NUXT_PUBLIC_APP_LOGO)', () => {
  const servers: RunningServer[] = []
  afterAll(() => Promise.all(servers.map(server => server.stop())))
  const signInPage = async (env: Record<string, string>) => {
    const server = await startServer({ env })
    servers.push(server)
    const html = await (await fetch(`${server.url}/signin`, { headers: { 'accept': 'text/html', 'accept-language': 'en' } })).text()
    return { server, html }
  }

  it('names the product in the tab title, the header and the sign-in text, with its logo as the favicon', async () => {
    const { html } = await signInPage({ NUXT_PUBLIC_APP_NAME: 'Acme Ledger', NUXT_PUBLIC_APP_LOGO: '/brand/acme.png' })
    expect(html).toContain('<title>Sign in · Acme Ledger</title>')
    expect(html).toContain('Use your Google account to continue to Acme Ledger.')
    expect(html).toMatch(/<link[^>]+rel="icon"[^>]+href="\/brand\/acme\.png"/)
    expect(html).toMatch(/<img[^>]+src="\/brand\/acme\.png"/)
    expect(html).not.toContain('Nuxt Notes')
  })

  it('defaults to the example app\'s own name and logo, served from public/', async () => {
    const { server, html } = await signInPage({})
    expect(html).toContain('<title>Sign in · Nuxt Notes</title>')
    expect(html).toMatch(/<link[^>]+rel="icon"[^>]+href="\/logo\.svg"[^>]+type="image\/svg\+xml"/)
    const logo = await fetch(`${server.url}/logo.svg`)
    expect(logo.status).toBe(200)
    expect(logo.headers.get('content-type')).toContain('image/svg+xml')
  })

  it('says a production build with the emulator forced is a test server, not development mode', async () => {
    const { html } = await signInPage({})
    expect(html).toContain('Test server: the Google emulator stands in for Google, so no real Google account is used.')
    expect(html).not.toContain('Development mode')
  })
})
