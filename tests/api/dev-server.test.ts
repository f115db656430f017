import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/ports'

/**
 * The README's first command, `npm run dev`: the development server starts with
 * the embedded defaults (a SQLite file, the Google emulator) and serves the API
 * and a page. Production-only build settings (the cluster entry) must not reach it.
 */
describe('the development server (nuxt dev)', () => {
  let dev: ChildProcess
  let url: string
  let output = ''

  beforeAll(async () => {
    const port = await freePort()
    url = `http://localhost:${port}`
    // The state a fresh clone or `nuxt build` leaves: no development app manifest yet (modules/dev-app-manifest.ts).
    rmSync(resolve('.nuxt/manifest/meta/dev.json'), { force: true })
    dev = spawn(resolve('node_modules/.bin/nuxt'), ['dev', '--port', String(port)], {
      env: { ...process.env, PORT: String(port), NUXT_DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'auth-dev-')), 'auth.sqlite')}`, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: nuxt dev runs the server in a child process, stopped with it.
      detached: true,
    })
    dev.stdout!.on('data', (chunk) => {
      output += chunk
    })
    dev.stderr!.on('data', (chunk) => {
      output += chunk
    })
    // Until it answers (it compiles first): a deadline, not a sleep.
    const deadline = Date.now() + 90_000
    while ((await fetch(`${url}/api/health`).catch(() => null))?.status !== 200) {
      if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`nuxt dev did not come up:\n${output.slice(-3000)}`)
      await new Promise(done => setTimeout(done, 500))
    }
  }, 120_000)

  afterAll(() => {
    if (dev.pid) process.kill(-dev.pid, 'SIGTERM')
  })

  it('answers the health check and signs in through the emulator', async () => {
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: 'ok' })
    const minted = await fetch(`${url}/_emulator/google/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'dev@example.com' }) })
    const { credential } = await minted.json() as { credential: string }
    const signedIn = await fetch(`${url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credential, transport: 'bearer' }) })
    expect(signedIn.status, output.slice(-2000)).toBe(200)
    // The device list knows where it signed in from, also behind the development server's own proxy.
    const { accessToken } = await signedIn.json() as { accessToken: string }
    const { sessions } = await (await fetch(`${url}/api/auth/sessions`, { headers: { authorization: `Bearer ${accessToken}` } })).json() as { sessions: { ip: string | null }[] }
    expect(sessions.map(session => session.ip)).toEqual([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)])
  })

  it('starts without build errors, also right after `nuxt build`', () => {
    expect(output).not.toMatch(/ERROR|Failed to resolve import/)
  })

  it('renders the sign-in page', async () => {
    const page = await fetch(`${url}/signin`, { headers: { accept: 'text/html' } })
    expect(page.status, output.slice(-2000)).toBe(200)
    expect(await page.text()).toContain('Sign in')
  }, 60_000)
})
