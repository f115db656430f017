import { describe, expect, it } from 'vitest'
import { TestBrowser } from '../fixtures/browser'
import { startServer } from '../fixtures/server'
import { signInWithCookies } from '../fixtures/sign-in'
import type { MeResponse } from '../../layers/auth/shared/types/api'

describe('a restart', () => {
  it('keeps everyone signed in: the same access and refresh cookies work against the restarted server', async () => {
    const first = await startServer()
    const browser = new TestBrowser(first.url)
    const { user } = await signInWithCookies(browser, first)
    const jwksBefore = await (await fetch(`${first.url}/.well-known/jwks.json`)).text()
    expect(await first.stop()).toBe(0)

    const second = await startServer({ port: first.port, databasePath: first.databasePath })
    try {
      expect(await (await fetch(`${second.url}/.well-known/jwks.json`)).text()).toBe(jwksBefore)
      const me = await browser.fetch('/api/auth/me')
      expect(me.status).toBe(200)
      expect((await me.json() as MeResponse).user).toEqual(user)
      const refreshed = await browser.fetch('/api/auth/refresh', { method: 'POST' })
      expect(refreshed.status).toBe(200)
      expect((await browser.fetch('/api/auth/me')).status).toBe(200)
    }
    finally {
      await second.stop()
    }
  })
})
