import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FRESH_EXPIRES_IN } from '../fixtures/expiry'
import { mintCredential } from '../fixtures/google'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import type { BearerRefreshResponse, BearerSignInResponse, MeResponse, SessionsResponse } from '../../layers/auth/shared/types/api'

let server: RunningServer

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.stop())

/**
 * The flow of the Vue 2 + Flask client this project descends from: post the
 * Google token, keep both tokens, send `Authorization: Bearer`, and on a 401
 * refresh with the refresh token in `Authorization`.
 */
describe('the original client\'s flow, end to end', () => {
  it('signs in with {token, transport: "bearer"}, calls APIs, refreshes and signs out', async () => {
    const token = await mintCredential(server, { email: 'flask-era@example.com', name: 'Flask Era' })
    const signIn = await fetch(`${server.url}/api/auth/google`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, transport: 'bearer' }),
    })
    expect(signIn.status).toBe(200)
    expect(signIn.headers.getSetCookie()).toEqual([])
    const tokens = await signIn.json() as BearerSignInResponse
    expect(tokens).toEqual({
      user: { id: expect.any(String), email: 'flask-era@example.com', name: 'Flask Era', picture: expect.any(String) },
      newUser: true,
      tokenType: 'Bearer',
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.any(String),
      expiresIn: FRESH_EXPIRES_IN,
      expiresAt: expect.any(String),
    })

    const api = (path: string, accessToken: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })
    expect(((await (await api('/api/auth/me', tokens.accessToken)).json()) as MeResponse).user).toEqual(tokens.user)

    // The interceptor's 401 → refresh → retry: a refresh with the refresh token in Authorization.
    const refreshed = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${tokens.refreshToken}` } })
    expect(refreshed.status).toBe(200)
    const next = await refreshed.json() as BearerRefreshResponse
    expect(next.refreshToken).not.toBe(tokens.refreshToken)
    const sessions = await (await api('/api/auth/sessions', next.accessToken)).json() as SessionsResponse
    expect(sessions.sessions).toHaveLength(1)
    expect(sessions.sessions[0]!.current).toBe(true)

    // A lost response: the client retries with the old token within the grace window and gets the same successor.
    const retried = await (await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${tokens.refreshToken}` } })).json() as BearerRefreshResponse
    expect(retried.refreshToken).toBe(next.refreshToken)

    expect((await fetch(`${server.url}/api/auth/signout`, { method: 'POST', headers: { authorization: `Bearer ${next.refreshToken}` } })).status).toBe(204)
    const after = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${next.refreshToken}` } })
    expect(after.status).toBe(401)
  })
})
