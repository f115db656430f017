// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { withCookies } from '../../../layers/auth/utils/cookie-header'
import { deviceOf } from '../../../layers/auth/utils/describe-user-agent'
import { MAX_TIMER_DELAY, localExpiry, rebaseExpiry, refreshDelay } from '../../../layers/auth/utils/refresh-schedule'
import { readSharedRefresh, recordSharedRefresh } from '../../../layers/auth/utils/shared-refresh'
import { signInQuery, signOutReasonOf } from '../../../layers/auth/utils/sign-in-query'
import { singleFlight } from '../../../layers/auth/utils/single-flight'
import { apiErrorCode, authErrorMessageKey, isNetworkError, isRefreshable, signOutMessageKey, signOutReasonOfError } from '../../../layers/auth/utils/api-errors'
import en from '../../../layers/auth/i18n/locales/en.json'
import type { SignOutReason } from '../../../layers/auth/shared/sign-out-reason'

describe('singleFlight', () => {
  it('gives concurrent callers one run, and starts a new one after it settles', async () => {
    let runs = 0
    let release!: () => void
    const task = singleFlight(() => new Promise<number>((done) => {
      runs++
      release = () => done(runs)
    }))
    const callers = Array.from({ length: 10 }, () => task())
    release()
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 10 }, () => 1))
    const next = task()
    release()
    expect(await next).toBe(2)
  })

  it('shares a failure too, then lets the next call try again', async () => {
    let runs = 0
    const task = singleFlight(async () => {
      runs++
      if (runs === 1) throw new Error('offline')
      return 'ok'
    })
    await expect(Promise.all([task(), task()])).rejects.toThrow('offline')
    expect(await task()).toBe('ok')
    expect(runs).toBe(2)
  })
})

describe('refresh schedule', () => {
  const now = Date.UTC(2026, 0, 1)
  const inSeconds = (s: number) => new Date(now + s * 1000).toISOString()

  it('refreshes a minute ahead of a 10-minute token', () => {
    expect(refreshDelay(inSeconds(600), now)).toBe(540_000)
  })

  it('refreshes a short-lived token halfway, never in a tight loop', () => {
    expect(refreshDelay(inSeconds(30), now)).toBe(15_000)
  })

  it('is due at once when expired, and clamps delays a timer cannot hold', () => {
    expect(refreshDelay(inSeconds(-5), now)).toBe(0)
    expect(refreshDelay(inSeconds(90 * 86_400), now)).toBe(MAX_TIMER_DELAY)
    expect(refreshDelay('not a date', now)).toBe(0)
  })

  it('states expiries on this device\'s clock, whatever the server\'s says', () => {
    expect(localExpiry(600, now)).toBe(inSeconds(600))
    // A browser clock 20 minutes fast still sees a fresh 10-minute token as 10 minutes away.
    const serverNow = now - 20 * 60_000
    const serverExpiry = new Date(serverNow + 600_000).toISOString()
    expect(refreshDelay(rebaseExpiry(serverExpiry, serverNow, now), now)).toBe(540_000)
  })
})

describe('cookies forwarded during SSR', () => {
  it('replaces renewed cookies and keeps the others', () => {
    expect(withCookies('a=1; __Host-auth_access=old; theme=dark', { '__Host-auth_access': 'new', '__Host-auth_refresh': 'r2' }))
      .toBe('a=1; __Host-auth_access=new; theme=dark; __Host-auth_refresh=r2')
    expect(withCookies(undefined, {})).toBe('')
  })

  it('forwards planted look-alike names and duplicates as they came: never as one clean session cookie', () => {
    // A trimming parser would turn the no-break-space name into the real one, and a map would keep one of two.
    for (const header of ['\u00a0__Host-auth_access=planted; a=1', '__Host-auth_access\t=planted', '__Host-auth_access=real; __Host-auth_access=planted']) {
      expect(withCookies(header, {})).toBe(header)
    }
    // A cookie renewed in this render replaces every copy of its exact name, and only those.
    expect(withCookies('__Host-auth_access=old; \u00a0__Host-auth_access=planted; __Host-auth_access=other', { '__Host-auth_access': 'new' }))
      .toBe('__Host-auth_access=new; \u00a0__Host-auth_access=planted')
  })
})

describe('the shared refresh record (tabs under one Web Lock)', () => {
  afterEach(() => localStorage.clear())

  it('tells a tab that waited for the lock that another tab already refreshed, and hands over the expiry', async () => {
    const waiting = { status: 'signedIn', expiresAt: 'old' }
    const since = Date.now() - 1
    await recordSharedRefresh({ status: 'signedIn', expiresAt: 'new' })
    expect(await readSharedRefresh(since, waiting)).toBe('refreshed')
    expect(waiting.expiresAt).toBe('new')
  })

  it('ignores a refresh older than the request', async () => {
    await recordSharedRefresh({ status: 'signedIn', expiresAt: 'new' })
    expect(await readSharedRefresh(Date.now() + 1, { status: 'signedIn', expiresAt: 'old' })).toBeNull()
    expect(await readSharedRefresh(0, { status: 'signedOut', expiresAt: null })).toBeNull()
  })
})

describe('the sign-in redirect query', () => {
  it('keeps where the user was and why, only for reasons the page explains', () => {
    expect(signInQuery('/notes', 'refresh_reused')).toEqual({ redirect: '/notes', reason: 'refresh_reused' })
    expect(signInQuery('/', null)).toEqual({})
    expect(signInQuery('/a', 'csrf' as SignOutReason)).toEqual({ redirect: '/a' })
    expect(signInQuery('/a', 'revoked_by_operator')).toEqual({ redirect: '/a', reason: 'revoked_by_operator' })
    expect(signInQuery('/', 'account_deleted')).toEqual({ reason: 'account_deleted' })
    expect(signOutReasonOf('session_revoked')).toBe('session_revoked')
    expect(signOutReasonOf('<script>')).toBeNull()
    expect(signOutReasonOf(['session_revoked'])).toBeNull()
  })
})

describe('API errors', () => {
  const failure = (status: number | undefined, code?: string, reason?: string) => ({ response: status ? { status } : undefined, data: code ? { data: { code, reason } } : undefined })

  it('reads an ended session, and why, from a 401: never from a code a refresh can cure', () => {
    expect(signOutReasonOfError(failure(401, 'session_revoked', 'device'))).toBe('session_revoked')
    expect(signOutReasonOfError(failure(401, 'session_revoked'))).toBe('signed_out')
    expect(signOutReasonOfError(failure(401, 'session_revoked', 'operator'))).toBe('revoked_by_operator')
    expect(signOutReasonOfError(failure(401, 'session_revoked', 'reuse'))).toBe('refresh_reused')
    expect(signOutReasonOfError(failure(401, 'session_revoked', 'signout'))).toBe('signed_out')
    expect(signOutReasonOfError(failure(401, 'session_revoked', 'account_deleted'))).toBe('account_deleted')
    expect(signOutReasonOfError(failure(401, 'session_revoked', 'nonsense'))).toBe('signed_out')
    expect(signOutReasonOfError(failure(401, 'session_expired'))).toBe('session_expired')
    expect(signOutReasonOfError(failure(401, 'token_expired'))).toBeNull()
    expect(signOutReasonOfError(failure(403, 'session_revoked'))).toBeNull()
    expect(signOutReasonOfError(failure(undefined))).toBeNull()
  })

  it('says who signed a device out only as far as the server said', () => {
    const english = (key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], en) as string
    expect(english(signOutMessageKey('session_revoked'))).toMatch(/from another device/)
    expect(english(signOutMessageKey('revoked_by_operator'))).toMatch(/administrator/)
    expect(english(signOutMessageKey('signed_out'))).not.toMatch(/another device|administrator/)
    expect(english(signOutMessageKey('you_signed_out'))).toBe('You are signed out.')
    expect(english(signOutMessageKey('refresh_reused'))).toMatch(/used from somewhere else/)
    expect(english(authErrorMessageKey('credential_replayed'))).toBe(english(authErrorMessageKey('invalid_credential')))
    expect(english(authErrorMessageKey(undefined))).toMatch(/Something went wrong/)
    expect(english(signOutMessageKey('account_deleted'))).toBe('Your account was deleted.')
  })

  it('refreshes on the 401s a refresh can cure, not on others', () => {
    expect(isRefreshable(failure(401, 'token_expired'))).toBe(true)
    expect(isRefreshable(failure(401, 'unauthenticated'))).toBe(true)
    expect(isRefreshable(failure(401, 'session_revoked'))).toBe(false)
    expect(isRefreshable(failure(403, 'csrf'))).toBe(false)
    expect(isRefreshable(failure(undefined))).toBe(false)
  })

  it('tells "server not reached" from "signed out"', () => {
    expect(isNetworkError(failure(undefined))).toBe(true)
    expect(isNetworkError(failure(401, 'token_expired'))).toBe(false)
    expect(apiErrorCode(failure(401, 'token_expired'))).toBe('token_expired')
  })
})

describe('device names', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36 Edg/156.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0; rv:140.0) Gecko/20100101 Firefox/140.0', 'Firefox on macOS'],
    ['curl/8.5.0', 'curl'],
    [null, ''],
  ])('names %s as %s', (userAgent, name) => {
    const { browser, system } = deviceOf(userAgent)
    expect([browser, system].filter(Boolean).join(' on ')).toBe(name)
  })
})
