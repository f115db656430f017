import { readdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'

/**
 * Unauthenticated requests stay cheap: a missing asset is a few bytes of
 * plain text, not the app's rendered error page, and an unknown page is the
 * app's 404 page without a log line per request.
 */
describe('missing assets and unknown pages', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.stop())

  const MISSING_ASSETS = ['/_nuxt/x.js', '/_nuxt/no-such-chunk.css', '/_nuxt/builds/meta/nope.json', '/_nuxt/nothing', '/favicon.ico', '/robots.txt', '/foo.js', '/wp-login.php', '/.env', '/deep/path/image.png', '/notes.php?x=1']

  it.each(MISSING_ASSETS)('answers %s with a short plain-text 404, as a browser or a scanner asks', async (path) => {
    for (const accept of ['text/html,application/xhtml+xml,*/*;q=0.8', '*/*']) {
      const response = await fetch(`${server.url}${path}`, { headers: { accept } })
      const body = await response.text()
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(body.length).toBeLessThan(100)
    }
    const head = await fetch(`${server.url}${path}`, { method: 'HEAD' })
    expect(head.status).toBe(404)
  })

  it('still serves the build\'s real assets, and the routes that have an extension', async () => {
    const files = readdirSync('.output/public/_nuxt')
    const script = files.find(file => file.endsWith('.js'))!
    const style = files.find(file => file.endsWith('.css'))!
    const js = await fetch(`${server.url}/_nuxt/${script}`)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(js.headers.get('cache-control')).toContain('immutable')
    const css = await fetch(`${server.url}/_nuxt/${style}`)
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)

    const jwks = await fetch(`${server.url}/.well-known/jwks.json`)
    expect(jwks.status).toBe(200)
    expect((await jwks.json() as { keys: unknown[] }).keys.length).toBeGreaterThan(0)
    const gsi = await fetch(`${server.url}/_emulator/google/gsi/client`)
    expect(gsi.status).toBe(200)
    expect(gsi.headers.get('content-type')).toContain('javascript')
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    // The API's own 404 stays the contract's JSON, extension or not.
    for (const path of ['/api/nothing.json', '/.well-known/openid-configuration.json', '/_emulator/google/nothing.js']) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toContain('application/json')
    }
  })

  it('renders the app\'s own 404 page for an unknown page path', async () => {
    for (const path of ['/no-such-page', '/notes/deeper/still', '/signin/x']) {
      const response = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } })
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await response.text()).toContain('Page not found')
    }
  })

  it('prints nothing for missing assets and unknown pages', async () => {
    const printedBefore = server.output().length
    for (const path of [...MISSING_ASSETS, '/no-such-page', '/notes/deeper/still']) {
      await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } })
      await fetch(`${server.url}${path}`)
    }
    await sleep(200)
    expect(server.output().slice(printedBefore)).toBe('')
  })
})
