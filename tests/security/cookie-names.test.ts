import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { TestBrowser } from '../fixtures/browser'
import { rawRequest, utf8Bytes } from '../fixtures/raw-request'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithCookies } from '../fixtures/sign-in'

/**
 * Session fixation and login CSRF through the `__Host-` prefix. A browser
 * enforces the prefix only on the exact name; a sibling subdomain or a
 * plain-HTTP sibling host can plant any other name. So the server must read
 * its cookies by the exact name, byte for byte, and must not pick one of two
 * cookies of the same name.
 */

const ACCESS = '__Host-auth_access'
const REFRESH = '__Host-auth_refresh'
const log = createAttackLog(import.meta.filename)
let server: RunningServer
const secrets = new Set<string>()

// No grace window: had a request rotated a token, presenting it again would be reuse, not a quiet success.
beforeAll(async () => {
  server = await startServer({ env: { NUXT_AUTH_REFRESH_GRACE: '0' } })
})
afterAll(async () => {
  await server.stop()
  log.finish([server], secrets)
})

/** A real session (the attacker's own, for planting, or the victim's): its two cookie values. */
async function session(name = 'Cookie Names') {
  const browser = new TestBrowser(server.url)
  await signInWithCookies(browser, server, { name })
  const tokens = { access: browser.cookies.get(ACCESS)!, refresh: browser.cookies.get(REFRESH)! }
  secrets.add(tokens.refresh)
  return tokens
}

function send(path: string, cookies: string[], method = 'GET') {
  const headers: [string, string][] = [['origin', server.url], ['accept', path.startsWith('/api/') ? 'application/json' : 'text/html']]
  for (const cookie of cookies) headers.push(['cookie', cookie])
  return rawRequest(server.url, path, { method, headers })
}

/** A name a browser does not treat as the `__Host-` cookie, that a lenient parser reads as it (String.prototype.trim, case folding, decoding). */
const PLANTED_NAMES: [string, (name: string) => string][] = [
  ['a leading no-break space (byte A0)', name => `\u00a0${name}`],
  ['a trailing no-break space (byte A0)', name => `${name}\u00a0`],
  ['a trailing tab before "="', name => `${name}\t`],
  ['a trailing space before "="', name => `${name} `],
  ['a leading no-break space (UTF-8)', name => `${utf8Bytes('\u00a0')}${name}`],
  ['a leading byte-order mark U+FEFF (UTF-8)', name => `${utf8Bytes('\ufeff')}${name}`],
  ['a leading ideographic space U+3000 (UTF-8)', name => `${utf8Bytes('\u3000')}${name}`],
  ['a trailing line separator U+2028 (UTF-8)', name => `${name}${utf8Bytes('\u2028')}`],
  ['a percent-encoded name (%5F_Host-)', name => name.replace('_', '%5F')],
  ['another letter case (__host-)', name => name.replace('__Host-', '__host-')],
]

describe('a planted look-alike cookie name is not the session cookie', () => {
  it.each(PLANTED_NAMES)('%s', async (label, spell) => {
    const planted = await session('Planted Attacker')

    const refresh = await send('/api/auth/refresh', [`${spell(REFRESH)}=${planted.refresh}`], 'POST')
    await log.refused(`refresh with ${label}`, refresh, 'refresh_missing', 401)
    expect(refresh.headers.getSetCookie()).toEqual([])

    const me = await send('/api/auth/me', [`${spell(ACCESS)}=${planted.access}`])
    await log.refused(`me with ${label}`, me, 'unauthenticated', 401)

    // A page render is not signed in as the attacker: /notes sends a signed-out browser to /signin.
    const page = await send('/notes', [`${spell(ACCESS)}=${planted.access}; ${spell(REFRESH)}=${planted.refresh}`])
    const html = await page.text()
    log.judged(`page render with ${label}`, page.status === 302 && page.headers.get('location')!.startsWith('/signin') && !html.includes('Planted Attacker'))
    expect(page.headers.getSetCookie().filter(cookie => cookie.startsWith('__Host-'))).toEqual([])
  })

  it('reads a value as sent: neither a quoted nor a percent-encoded spelling of a token is that token', async () => {
    const tokens = await session()
    const quoted = await send('/api/auth/refresh', [`${REFRESH}="${tokens.refresh}"`], 'POST')
    await log.refused('quoted refresh value', quoted, 'refresh_invalid', 401)
    const encoded = `%${tokens.access.charCodeAt(0).toString(16).toUpperCase()}${tokens.access.slice(1)}`
    await log.refused('percent-encoded access value', await send('/api/auth/me', [`${ACCESS}=${encoded}`]), 'token_invalid', 401)
    // The real token was never used: it still refreshes once.
    expect((await send('/api/auth/refresh', [`${REFRESH}=${tokens.refresh}`], 'POST')).status).toBe(200)
  })
})

/** Where the planted second cookie of the same name goes. */
const DUPLICATES: [string, (real: string, planted: string) => string[]][] = [
  ['the real one first, in one Cookie header', (real, planted) => [`${real}; ${planted}`]],
  ['the planted one first, in one Cookie header', (real, planted) => [`${planted}; ${real}`]],
  ['the real one first, over two Cookie headers', (real, planted) => [real, planted]],
  ['the planted one first, over two Cookie headers', (real, planted) => [planted, real]],
]

describe('a session cookie sent twice under its exact name signs the request out, and the real session survives', () => {
  it.each(DUPLICATES)('%s', async (label, arrange) => {
    const victim = await session('Duplicate Victim')
    const attacker = await session('Duplicate Attacker')

    // The victim's valid access cookie rides along: a 401 must still not clear the real cookies.
    const refresh = await send('/api/auth/refresh', arrange(`${ACCESS}=${victim.access}; ${REFRESH}=${victim.refresh}`, `${REFRESH}=${attacker.refresh}`), 'POST')
    await log.refused(`refresh, ${label}`, refresh, 'refresh_missing', 401)
    expect(refresh.headers.getSetCookie()).toEqual([])

    const me = await send('/api/auth/me', arrange(`${ACCESS}=${victim.access}`, `${ACCESS}=${attacker.access}`))
    await log.refused(`me, ${label}`, me, 'unauthenticated', 401)
    // Signed out as a whole: the access cookie, sent once, is not used when the refresh cookie came twice.
    const meBesideTwoRefresh = await send('/api/auth/me', arrange(`${ACCESS}=${victim.access}; ${REFRESH}=${victim.refresh}`, `${REFRESH}=${attacker.refresh}`))
    await log.refused(`me beside a refresh cookie sent twice, ${label}`, meBesideTwoRefresh, 'unauthenticated', 401)

    const page = await send('/notes', arrange(`${ACCESS}=${victim.access}; ${REFRESH}=${victim.refresh}`, `${ACCESS}=${attacker.access}; ${REFRESH}=${attacker.refresh}`))
    const html = await page.text()
    log.judged(`page render, ${label}`, page.status === 302 && !html.includes('Duplicate Attacker') && !html.includes('Duplicate Victim'))
    expect(page.headers.getSetCookie()).toEqual([])

    // Neither token was rotated (no grace window: a rotated one would now be refresh_reused).
    for (const token of [victim.refresh, attacker.refresh]) {
      expect((await send('/api/auth/refresh', [`${REFRESH}=${token}`], 'POST')).status).toBe(200)
    }
  })
})

describe('sign-out with a session cookie sent twice', () => {
  it.each(DUPLICATES)('ends every session the values name, the real one first of all, and clears the cookies: %s', async (label, arrange) => {
    const victim = await session('Signing Out')
    const attacker = await session('Planted For Sign-out')
    const signOut = await send('/api/auth/signout', arrange(`${ACCESS}=${victim.access}; ${REFRESH}=${victim.refresh}`, `${REFRESH}=${attacker.refresh}`), 'POST')
    expect(signOut.status).toBe(204)
    expect(signOut.headers.getSetCookie().filter(cookie => /Max-Age=0/i.test(cookie)).map(cookie => cookie.split('=')[0]).sort()).toEqual([ACCESS, REFRESH])
    // The 204 is true: neither session goes on, by refresh or by its unexpired access token.
    await log.refused(`the real refresh token after sign-out, ${label}`, await send('/api/auth/refresh', [`${REFRESH}=${victim.refresh}`], 'POST'), 'session_revoked')
    await log.refused(`the real access token after sign-out, ${label}`, await send('/api/auth/me', [`${ACCESS}=${victim.access}`]), 'session_revoked')
    await log.refused(`the planted refresh token after sign-out, ${label}`, await send('/api/auth/refresh', [`${REFRESH}=${attacker.refresh}`], 'POST'), 'session_revoked')
  })
})
