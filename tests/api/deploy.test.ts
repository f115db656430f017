import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBrowser } from '../fixtures/browser'
import { startTestPostgres } from '../fixtures/postgres'
import type { TestPostgres } from '../fixtures/postgres'
import { startServer } from '../fixtures/server'
import { signInWithCookies } from '../fixtures/sign-in'

let copy: string
let database: TestPostgres

/** The build alone, in an empty folder far from the project: no node_modules anywhere above it. */
beforeAll(async () => {
  copy = join(mkdtempSync(join(tmpdir(), 'auth-deploy-')), 'app')
  cpSync('.output', copy, { recursive: true })
  database = await startTestPostgres()
}, 60_000)
afterAll(() => database?.dispose())

describe('the build copied on its own (`.output` is the whole deployment)', () => {
  it('has no node_modules beside or above it', () => {
    for (let dir = dirname(copy); dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false)
    expect(readdirSync(copy).sort()).toEqual(['nitro.json', 'public', 'server'])
  })

  it.each([
    ['the default SQLite file', () => ({ NUXT_DATABASE_URL: '' })],
    ['PostgreSQL', () => ({ NUXT_DATABASE_URL: database.url })],
  ])('runs with %s: health, sign-in, a signed-in page', async (store, env) => {
    const server = await startServer({ outputDir: copy, env: env() })
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
      const browser = new TestBrowser(server.url)
      await signInWithCookies(browser, server, { name: 'Deployed Person' })
      const page = await browser.fetch('/account', { headers: { accept: 'text/html' } })
      expect(await page.text()).toContain('Deployed Person')
      if (store.includes('SQLite')) expect(existsSync(join(copy, '.data/auth.sqlite'))).toBe(true)
    }
    finally {
      await server.stop()
    }
  })
})
