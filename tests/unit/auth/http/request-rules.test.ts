import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isSameOriginRequest, secretsEqual } from '../../../../layers/auth/server/http/csrf'
import { safeRedirectPath } from '../../../../layers/auth/shared/redirect-path'
import { RateLimiter } from '../../../../layers/auth/server/http/rate-limit'
import { hashRefreshToken, newRefreshToken, openSuccessor, sealSuccessor } from '../../../../layers/auth/server/tokens/refresh-tokens'
import { VerifiedTokenCache } from '../../../../layers/auth/server/tokens/verified-token-cache'
import { parseTrustedProxies, resolveClientIp } from '../../../../layers/auth/server/http/client-ip'
import { openTempStore } from '../../../fixtures/sqlite-store'

const APP = 'https://app.example.com'

describe('the CSRF rule for cookie-authenticated unsafe requests', () => {
  it('accepts the app origin, or same-origin fetch metadata when no Origin was sent', () => {
    expect(isSameOriginRequest({ origin: APP }, APP)).toBe(true)
    expect(isSameOriginRequest({ secFetchSite: 'same-origin' }, APP)).toBe(true)
  })

  it('refuses a foreign origin, a same-site subdomain, the null origin and no origin information', () => {
    expect(isSameOriginRequest({ origin: 'https://evil.example' }, APP)).toBe(false)
    expect(isSameOriginRequest({ origin: 'https://sub.app.example.com', secFetchSite: 'same-site' }, APP)).toBe(false)
    expect(isSameOriginRequest({ origin: 'null' }, APP)).toBe(false)
    expect(isSameOriginRequest({ secFetchSite: 'cross-site' }, APP)).toBe(false)
    expect(isSameOriginRequest({}, APP)).toBe(false)
  })

  it('compares double-submit secrets exactly', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true)
    expect(secretsEqual('abc', 'abd')).toBe(false)
    expect(secretsEqual('abc', 'abcd')).toBe(false)
    expect(secretsEqual('', '')).toBe(false)
    expect(secretsEqual(undefined, null)).toBe(false)
  })
})

describe('the redirect after sign-in', () => {
  it.each(['/', '/notes', '/notes?id=1#top', '/a/b%20c'])('keeps the same-origin path %s', (path) => {
    expect(safeRedirectPath(path)).toBe(path)
  })

  it.each([
    '//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '%2F%2Fevil.example',
    '/%2F/evil.example', '/%5Cevil.example', '\\\\evil.example', '/\tevil', '', undefined, 42, ['/a'], '%E0%A4%A',
    '/.//evil.example', '/%2e//evil.example', '/a/..//evil.example', '/./\\evil.example',
  ])('sends %s home instead', (value) => {
    expect(safeRedirectPath(value)).toBe('/')
  })
})

describe('refresh-token secrets', () => {
  it('stores a hash that differs from the token and is stable', () => {
    const token = newRefreshToken()
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token))
    expect(hashRefreshToken(token)).not.toContain(token)
  })

  it('seals a successor that only the superseded token opens', () => {
    const [old, next, other] = [newRefreshToken(), newRefreshToken(), newRefreshToken()]
    const sealed = sealSuccessor(next, old)
    expect(sealed).not.toContain(next)
    expect(openSuccessor(sealed, old)).toBe(next)
    expect(openSuccessor(sealed, other)).toBeNull()
    expect(openSuccessor('garbage', old)).toBeNull()
  })

  it('opens a successor sealed before an upgrade: its key is still HKDF-SHA256 of the superseded token', () => {
    const [old, next] = [newRefreshToken(), newRefreshToken()]
    // Sealed as the previous release did, with node:crypto's own HKDF.
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(hkdfSync('sha256', old, '', 'refresh-token-successor', 32)), iv)
    const body = Buffer.concat([cipher.update(next, 'utf8'), cipher.final()])
    const sealedBefore = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
    expect(openSuccessor(sealedBefore, old)).toBe(next)
  })
})

describe('rate limiter', () => {
  it('allows count hits per window, then says how long to wait', async () => {
    const limiter = new RateLimiter((await openTempStore()).store)
    const limit = { count: 2, windowSeconds: 60 }
    expect(await limiter.hit('ip', limit, 0)).toBe(0)
    expect(await limiter.hit('ip', limit, 1000)).toBe(0)
    expect(await limiter.hit('ip', limit, 2000)).toBe(58)
    expect(await limiter.hit('other-ip', limit, 2000)).toBe(0)
    expect(await limiter.hit('ip', limit, 60_000)).toBe(0)
  })
})

describe('verified-token cache', () => {
  it('forgets a token at its expiry and the oldest entry when full', () => {
    const cache = new VerifiedTokenCache<string>(2)
    cache.set('a', 'A', 1000)
    expect(cache.get('a', 999)).toBe('A')
    expect(cache.get('a', 1000)).toBeUndefined()
    cache.set('b', 'B', 5000)
    cache.set('c', 'C', 5000)
    cache.set('d', 'D', 5000)
    expect(cache.get('b', 0)).toBeUndefined()
    expect(cache.get('d', 0)).toBe('D')
    expect(cache.size).toBe(2)
  })
})

describe('the client IP behind trusted proxies', () => {
  const { list } = parseTrustedProxies(['10.0.0.0/8', '127.0.0.1', '::1'])

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(resolveClientIp('::ffff:203.0.113.9', '1.2.3.4', null)).toBe('203.0.113.9')
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', list)).toBe('203.0.113.9')
  })

  it('is the right-most untrusted hop when the peer is a trusted proxy', () => {
    expect(resolveClientIp('127.0.0.1', '198.51.100.7', list)).toBe('198.51.100.7')
    // A client-supplied entry to the left of the real one is ignored.
    expect(resolveClientIp('10.1.2.3', '6.6.6.6, 198.51.100.7, 10.0.0.5', list)).toBe('198.51.100.7')
    expect(resolveClientIp('::1', 'not-an-ip, 198.51.100.7', list)).toBe('198.51.100.7')
  })

  it('reads addresses and CIDR ranges, and reports the rest', () => {
    expect(parseTrustedProxies(['10.0.0.0/8', 'fd00::/8', '192.168.1.1']).invalid).toEqual([])
    expect(parseTrustedProxies(['proxy.internal', '10.0.0.0/x', '10.0.0.0/33', '::/129']).invalid).toEqual(['proxy.internal', '10.0.0.0/x', '10.0.0.0/33', '::/129'])
  })
})
