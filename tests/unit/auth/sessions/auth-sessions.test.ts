import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuthStore } from '../../../../layers/auth/server/store/types'
import { isSessionActive, rotateAuthSession, startAuthSession } from '../../../../layers/auth/server/sessions/auth-sessions'
import type { SessionPolicy } from '../../../../layers/auth/server/sessions/auth-sessions'
import { STORE_KINDS } from '../../../fixtures/stores'
import type { StoreUnderTest } from '../../../fixtures/stores'

const policy: SessionPolicy = { sessionTtl: 30 * 86_400, sessionIdleTtl: 14 * 86_400, refreshGrace: 30 }
const T0 = Date.UTC(2026, 0, 1)

// The conformance suite: the session rules hold on every store implementation.
describe.each(STORE_KINDS)('sessions on the %s store', (_, open) => {
  let subject: StoreUnderTest
  let store: AuthStore
  let userId: string

  beforeAll(async () => {
    subject = await open()
    store = subject.store
  })
  afterAll(() => subject.dispose())
  beforeEach(async () => {
  // A user of its own per test: the store is shared by the file's tests.
    userId = (await store.upsertGoogleUser({ googleSub: crypto.randomUUID(), email: 'ada@example.com', name: 'Ada', picture: null }, T0)).user.id
  })

  async function newSession(now = T0) {
    return startAuthSession(store, policy, { userId, userAgent: 'test', ip: '127.0.0.1', now })
  }

  describe('refresh-token rotation', () => {
    it('exchanges the current token for a new one and supersedes the old', async () => {
      const { session, refreshToken } = await newSession()
      const first = await rotateAuthSession(store, policy, refreshToken, T0 + 1000)
      expect(first.ok).toBe(true)
      if (!first.ok) return
      expect(first.refreshToken).not.toBe(refreshToken)
      expect(first.session.id).toBe(session.id)
      expect(first.session.lastUsedAt).toBe(T0 + 1000)

      const second = await rotateAuthSession(store, policy, first.refreshToken, T0 + 2000)
      expect(second.ok && second.refreshToken).not.toBe(first.refreshToken)
    })

    it('gives 20 parallel refreshes with the same token the same successor', async () => {
      const { refreshToken } = await newSession()
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => rotateAuthSession(store, policy, refreshToken, T0 + 1000)))
      expect(outcomes.every(outcome => outcome.ok)).toBe(true)
      const successors = new Set(outcomes.map(outcome => outcome.ok ? outcome.refreshToken : null))
      expect(successors.size).toBe(1)
      // The chain did not fork: that one successor is the session's current token.
      const [successor] = successors
      const next = await rotateAuthSession(store, policy, successor!, T0 + 2000)
      expect(next.ok).toBe(true)
    })

    it('hands out the same successor for the superseded token within the grace window', async () => {
      const { refreshToken } = await newSession()
      const first = await rotateAuthSession(store, policy, refreshToken, T0)
      const late = await rotateAuthSession(store, policy, refreshToken, T0 + policy.refreshGrace * 1000)
      expect(late.ok && first.ok && late.refreshToken === first.refreshToken).toBe(true)
    })

    it('treats the superseded token after the grace window as reuse and revokes the session', async () => {
      const { refreshToken } = await newSession()
      const first = await rotateAuthSession(store, policy, refreshToken, T0)
      expect(first.ok).toBe(true)
      const reused = await rotateAuthSession(store, policy, refreshToken, T0 + policy.refreshGrace * 1000 + 1)
      expect(reused).toMatchObject({ ok: false, code: 'refresh_reused' })

      // The whole session is dead: even the current token no longer refreshes.
      const current = await rotateAuthSession(store, policy, first.ok ? first.refreshToken : '', T0 + 60_000)
      expect(current).toMatchObject({ ok: false, code: 'session_revoked' })
    })

    it('treats any older superseded token as reuse, even within the grace window', async () => {
      const { refreshToken: t1 } = await newSession()
      const r2 = await rotateAuthSession(store, policy, t1, T0)
      const r3 = await rotateAuthSession(store, policy, r2.ok ? r2.refreshToken : '', T0 + 1)
      expect(r3.ok).toBe(true)
      expect(await rotateAuthSession(store, policy, t1, T0 + 2)).toMatchObject({ ok: false, code: 'refresh_reused' })
    })

    it('refuses an unknown token without touching any session', async () => {
      const { refreshToken } = await newSession()
      expect(await rotateAuthSession(store, policy, 'not-a-token', T0)).toEqual({ ok: false, code: 'refresh_invalid', session: null })
      expect((await rotateAuthSession(store, policy, refreshToken, T0)).ok).toBe(true)
    })

    it('ends a session at its absolute lifetime', async () => {
      const { refreshToken } = await newSession()
      let token = refreshToken
      // Used every 10 days, so it never idles out; it still ends at 30 days.
      for (let day = 10; day < 30; day += 10) {
        const outcome = await rotateAuthSession(store, policy, token, T0 + day * 86_400_000)
        expect(outcome.ok).toBe(true)
        token = outcome.ok ? outcome.refreshToken : ''
      }
      expect(await rotateAuthSession(store, policy, token, T0 + policy.sessionTtl * 1000)).toMatchObject({ ok: false, code: 'session_expired' })
    })

    it('ends a session that idled longer than the idle lifetime', async () => {
      const { refreshToken } = await newSession()
      const idleEnd = T0 + policy.sessionIdleTtl * 1000
      expect(await rotateAuthSession(store, policy, refreshToken, idleEnd)).toMatchObject({ ok: false, code: 'session_expired' })
    })

    it('keeps an idle session alive while it is used', async () => {
      const { refreshToken } = await newSession()
      const outcome = await rotateAuthSession(store, policy, refreshToken, T0 + policy.sessionIdleTtl * 1000 - 1)
      expect(outcome.ok).toBe(true)
      if (outcome.ok) expect(isSessionActive(outcome.session, policy, T0 + policy.sessionIdleTtl * 1000 + 1)).toBe(true)
    })

    it('answers session_revoked for every token of a revoked session', async () => {
      const { session, refreshToken } = await newSession()
      const next = await rotateAuthSession(store, policy, refreshToken, T0)
      expect(await store.revokeSession(userId, session.id, T0 + 1, 'device')).toBe(true)
      expect(await rotateAuthSession(store, policy, next.ok ? next.refreshToken : '', T0 + 2)).toMatchObject({ code: 'session_revoked' })
      expect(await rotateAuthSession(store, policy, refreshToken, T0 + 3)).toMatchObject({ code: 'session_revoked' })
    })

    it('forgets the sealed successor once the grace window has closed', async () => {
      const { refreshToken } = await newSession()
      await rotateAuthSession(store, policy, refreshToken, T0)
      await store.purgeExpired({ now: 0, endedCutoff: 0, idleCutoff: 0, revokedCutoff: 0, graceCutoff: T0 + 30_001 })
      const [session] = await store.listActiveSessions(userId, T0 + 60_000, 0)
      expect(session!.successorSealed).toBeNull()
      expect(session!.previousHash).not.toBeNull()
    })

    it('keeps no usable refresh token in the database', async () => {
      const tokens: string[] = []
      const { refreshToken } = await newSession()
      tokens.push(refreshToken)
      const next = await rotateAuthSession(store, policy, refreshToken, T0)
      if (next.ok) tokens.push(next.refreshToken)
      const contents = await subject.dump()
      for (const token of tokens) expect(contents.includes(token)).toBe(false)
      expect(tokens).toHaveLength(2)
      expect(contents.length).toBeGreaterThan(0)
    })
  })
})
