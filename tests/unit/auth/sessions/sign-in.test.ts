import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuthServices } from '../../../../layers/auth/server/services'
import { refreshSessionTokens } from '../../../../layers/auth/server/sessions/session-refresh'
import { signInWithGoogle } from '../../../../layers/auth/server/sessions/sign-in'
import { isNonceIssuedTo, issueNonce, newNonceSecret } from '../../../../layers/auth/server/google/sign-in-nonce'
import { startUnitServices } from '../../../fixtures/unit-services'

const client = { ip: '127.0.0.1', userAgent: 'vitest' }
let services: AuthServices
let close: () => Promise<void>

beforeEach(async () => {
  ({ services, close } = await startUnitServices())
})
afterEach(() => close())

async function codeOf(promise: Promise<unknown>) {
  return promise.then(() => 'ok', (error: { data?: { code?: string } }) => error.data?.code)
}

describe('signInWithGoogle', () => {
  it('creates the user once, then signs the same person in as the same user', async () => {
    const first = await signInWithGoogle(services, await services.emulator!.mint({ email: 'ada@example.com' }), { client })
    const second = await signInWithGoogle(services, await services.emulator!.mint({ email: 'ada@example.com', name: 'Ada L.' }), { client })
    expect(first.newUser).toBe(true)
    expect(second.newUser).toBe(false)
    expect(second.user.id).toBe(first.user.id)
    expect(second.user.name).toBe('Ada L.')
    expect(second.session.id).not.toBe(first.session.id)
    expect(await services.accessTokens.verify(first.accessToken)).toMatchObject({ sub: first.user.id, sid: first.session.id })
  })

  it('accepts a credential once: the second use is credential_replayed', async () => {
    const credential = await services.emulator!.mint({ email: 'ada@example.com' })
    expect(await codeOf(signInWithGoogle(services, credential, { client }))).toBe('ok')
    expect(await codeOf(signInWithGoogle(services, credential, { client }))).toBe('credential_replayed')
  })

  it('refuses a credential the previous release recorded (whole-credential key), and records that key too (rollback)', async () => {
    const usedBeforeUpgrade = await services.emulator!.mint({ email: 'ada@example.com' })
    const { exp } = JSON.parse(Buffer.from(usedBeforeUpgrade.split('.')[1]!, 'base64url').toString()) as { exp: number }
    const oldKey = `google-credential:${createHash('sha256').update(usedBeforeUpgrade).digest('base64url')}`
    await services.store.recordOnce(oldKey, (exp + 60) * 1000)
    expect(await codeOf(signInWithGoogle(services, usedBeforeUpgrade, { client }))).toBe('credential_replayed')

    const usedAfterUpgrade = await services.emulator!.mint({ email: 'ada@example.com' })
    expect(await codeOf(signInWithGoogle(services, usedAfterUpgrade, { client }))).toBe('ok')
    // What the previous release would check after a rollback:
    expect(await services.store.recordOnce(`google-credential:${createHash('sha256').update(usedAfterUpgrade).digest('base64url')}`, Date.now() + 60_000)).toBe(false)
  })

  it('binds a cookie sign-in to the nonce issued to the browser', async () => {
    const thisBrowser = newNonceSecret()
    const credential = await services.emulator!.mint({ email: 'ada@example.com', nonce: issueNonce(thisBrowser) })
    const otherBrowser = newNonceSecret()
    expect(await codeOf(signInWithGoogle(services, credential, { client, isNonceValid: nonce => isNonceIssuedTo(nonce, otherBrowser) }))).toBe('invalid_credential')
    expect(await codeOf(signInWithGoogle(services, credential, { client, isNonceValid: nonce => isNonceIssuedTo(nonce, null) }))).toBe('invalid_credential')
    // Refused for its nonce, the credential was not burnt: its owner can still use it.
    expect(await codeOf(signInWithGoogle(services, credential, { client, isNonceValid: nonce => isNonceIssuedTo(nonce, thisBrowser) }))).toBe('ok')
  })

  it('refuses a credential without a nonce when one is expected', async () => {
    const credential = await services.emulator!.mint({ email: 'ada@example.com' })
    expect(await codeOf(signInWithGoogle(services, credential, { client, isNonceValid: nonce => isNonceIssuedTo(nonce, newNonceSecret()) }))).toBe('invalid_credential')
  })

  it('accepts nonces of several tabs of one browser, and none forged from a salt', () => {
    const secret = newNonceSecret()
    const [tab1, tab2] = [issueNonce(secret), issueNonce(secret)]
    expect(tab1).not.toBe(tab2)
    expect(isNonceIssuedTo(tab1, secret) && isNonceIssuedTo(tab2, secret)).toBe(true)
    expect(isNonceIssuedTo(`${tab1.split('.')[0]}.forged`, secret)).toBe(false)
    expect(isNonceIssuedTo(`${tab1}.extra`, secret)).toBe(false)
    expect(isNonceIssuedTo(secret, secret)).toBe(false)
  })
})

describe('signInWithGoogle with allow-lists', () => {
  it('refuses an account outside the allowed domains and e-mails', async () => {
    const restricted = await startUnitServices({ allowedDomains: 'corp.example', allowedEmails: 'guest@gmail.com' })
    try {
      const { emulator } = restricted.services
      expect(await codeOf(signInWithGoogle(restricted.services, await emulator!.mint({ email: 'x@gmail.com' }), { client }))).toBe('account_not_allowed')
      expect(await codeOf(signInWithGoogle(restricted.services, await emulator!.mint({ email: 'x@corp.example', hd: 'corp.example' }), { client }))).toBe('ok')
      expect(await codeOf(signInWithGoogle(restricted.services, await emulator!.mint({ email: 'guest@gmail.com' }), { client }))).toBe('ok')
    }
    finally {
      await restricted.close()
    }
  })
})

describe('access tokens never outlive the session\'s idle end', () => {
  it('not even one handed out again in the grace window, whose use does not count as activity', async () => {
    const idle = await startUnitServices({ sessionIdleTtl: 60, accessTtl: 600, refreshGrace: 30 })
    try {
      const { refreshToken } = await signInWithGoogle(idle.services, await idle.services.emulator!.mint({ email: 'idle@example.com' }), { client })
      const rotatedAt = Date.now()
      const rotated = await refreshSessionTokens(idle.services, refreshToken, client, rotatedAt)
      // 28 s later, the superseded token again: the same successor, and a fresh access token.
      const again = await refreshSessionTokens(idle.services, refreshToken, client, rotatedAt + 28_000)
      expect(rotated.ok && again.ok).toBe(true)
      const expOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp
      for (const outcome of [rotated, again]) {
        if (!outcome.ok) throw new Error('refresh failed')
        expect(expOf(outcome.tokens.accessToken)).toBeLessThanOrEqual(Math.floor((rotatedAt + 60_000) / 1000))
      }
    }
    finally {
      await idle.close()
    }
  })
})
