import { describe, expect, it } from 'vitest'
import { parseAuthConfig } from '../../../layers/auth/server/config'

const production = { dev: false }
const valid = { public: { appOrigin: 'https://app.example.com', googleClientId: 'id.apps.googleusercontent.com' } }

function errorsOf(raw: Parameters<typeof parseAuthConfig>[0], env = production) {
  const parsed = parseAuthConfig(raw, env)
  return parsed.ok ? [] : parsed.errors
}

describe('configuration', () => {
  it('runs in development with no settings at all: emulator on, SQLite file, plain cookies', () => {
    const parsed = parseAuthConfig({}, { dev: true, port: 3000 })
    expect(parsed.ok && parsed.config).toMatchObject({
      appOrigin: 'http://localhost:3000',
      audience: 'http://localhost:3000',
      accessTtl: 600,
      sessionTtl: 2_592_000,
      sessionIdleTtl: 1_209_600,
      refreshGrace: 30,
      cookieSecure: false,
      databaseUrl: 'sqlite:.data/auth.sqlite',
      google: { emulator: 'on', requireNonce: true, clientId: 'emulator.apps.googleusercontent.com' },
    })
  })

  it('refuses a production start without a client id, naming the variable', () => {
    const errors = errorsOf({ public: { appOrigin: 'https://app.example.com' } })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^NUXT_PUBLIC_GOOGLE_CLIENT_ID is not set/)
  })

  it('refuses a production start without an app origin', () => {
    expect(errorsOf({ public: { googleClientId: 'id' } })[0]).toMatch(/^NUXT_PUBLIC_APP_ORIGIN is not set/)
  })

  it('lists one sentence per problem', () => {
    const errors = errorsOf({ ...valid, auth: { accessTtl: 'ten', rateLimitSignin: 'lots', googleRequireNonce: 'maybe' }, databaseUrl: 'mysql://x' })
    expect(errors.map(error => error.split(' ')[0])).toEqual(['NUXT_AUTH_ACCESS_TTL', 'NUXT_AUTH_GOOGLE_REQUIRE_NONCE', 'NUXT_DATABASE_URL', 'NUXT_AUTH_RATE_LIMIT_SIGNIN'])
  })

  it('refuses the emulator in production unless forced, and warns when forced', () => {
    expect(errorsOf({ ...valid, auth: { googleEmulator: true } })[0]).toMatch(/^NUXT_AUTH_GOOGLE_EMULATOR=true is refused in production/)
    const forced = parseAuthConfig({ ...valid, auth: { googleEmulator: 'force' } }, production)
    expect(forced.ok && forced.config.google.emulator).toBe('forced')
    expect(forced.ok && forced.warnings[0]).toMatch(/forced on in production/)
  })

  it('turns the emulator off by default once a client id is set', () => {
    const parsed = parseAuthConfig({ public: { googleClientId: 'id' } }, { dev: true })
    expect(parsed.ok && parsed.config.google.emulator).toBe('off')
  })

  it('makes production cookies Secure unless told otherwise', () => {
    expect(parseAuthConfig(valid, production)).toMatchObject({ config: { cookieSecure: true } })
    expect(parseAuthConfig({ ...valid, auth: { cookieSecure: false } }, production)).toMatchObject({ config: { cookieSecure: false } })
  })

  it('reads rate limits as count/seconds, 0 turning them off', () => {
    const parsed = parseAuthConfig({ ...valid, auth: { rateLimitSignin: '5/30', rateLimitRefresh: 0 } }, production)
    expect(parsed.ok && parsed.config.rateLimits).toEqual({ signin: { count: 5, windowSeconds: 30 }, refresh: null })
  })

  it('normalises lists and the origin', () => {
    const parsed = parseAuthConfig({ ...valid, public: { ...valid.public, appOrigin: 'https://App.Example.com/' }, auth: { allowedDomains: ' Corp.example, other.example ' } }, production)
    expect(parsed.ok && parsed.config.appOrigin).toBe('https://app.example.com')
    expect(parsed.ok && parsed.config.allowedDomains).toEqual(['corp.example', 'other.example'])
    expect(errorsOf({ ...valid, public: { ...valid.public, appOrigin: 'https://app.example.com/path' } })[0]).toMatch(/^NUXT_PUBLIC_APP_ORIGIN must be an origin/)
  })

  it('takes NUXT_PUBLIC_GOOGLE_UX_MODE popup, redirect or empty, and refuses anything else by name (the sign-in page would fall back to popup unseen)', () => {
    for (const googleUxMode of ['popup', 'redirect', '', undefined]) expect(errorsOf({ public: { ...valid.public, googleUxMode } })).toEqual([])
    for (const googleUxMode of ['Redirect', 'redirect ', 'popop']) {
      expect(errorsOf({ public: { ...valid.public, googleUxMode } })).toEqual([`NUXT_PUBLIC_GOOGLE_UX_MODE must be popup or redirect (lower case), or empty for popup; got "${googleUxMode}".`])
    }
  })

  it('says what is wrong with NUXT_DATABASE_URL, quoting at most a scheme, never the rest', () => {
    const form = 'NUXT_DATABASE_URL must be sqlite:<path to a file> or postgres://user:password@host/database; got'
    expect(errorsOf({ ...valid, databaseUrl: 'mysql://root:s3cret@db/app' })).toEqual([`${form} a mysql:// URL.`])
    for (const databaseUrl of ['auth:s3cret@db.internal/auth', 'postgres//auth:s3cret@db/auth', 's3cret']) {
      expect(errorsOf({ ...valid, databaseUrl })).toEqual([`${form} a value that starts with neither (not shown: it may hold a password).`])
    }
    expect(errorsOf({ ...valid, databaseUrl: 'sqlite:' })).toEqual(['NUXT_DATABASE_URL=sqlite: names no file: write sqlite:<path>, such as sqlite:.data/auth.sqlite.'])
    expect(errorsOf({ ...valid, databaseUrl: 'postgresql://auth:s3cret@db/auth' })).toEqual([])
  })

  it('refuses a CIDR prefix too long for its family (10.0.0.0/33, ::/129) with a sentence naming each entry', () => {
    expect(errorsOf({ ...valid, auth: { trustedProxies: '127.0.0.1, 10.0.0.0/33, ::/129' } })).toEqual(['NUXT_AUTH_TRUSTED_PROXIES must list IP addresses or CIDR ranges; cannot read "10.0.0.0/33", "::/129".'])
  })

  it('lower-cases the allow-lists in ASCII only: a Kelvin sign (U+212A) stays itself, not a "k"', () => {
    const parsed = parseAuthConfig({ ...valid, auth: { allowedEmails: 'Admin@\u212AORP.example, Guest@Gmail.com', allowedDomains: '\u212Aorp.EXAMPLE' } }, production)
    expect(parsed.ok && parsed.config.allowedEmails).toEqual(['admin@\u212Aorp.example', 'guest@gmail.com'])
    expect(parsed.ok && parsed.config.allowedDomains).toEqual(['\u212Aorp.example'])
  })
})
