import type { BlockList } from 'node:net'
import { asciiLowerCase } from '../shared/ascii-case'
import { parseTrustedProxies } from './http/client-ip'
import { databaseUrlProblem } from './store/database-url'

/**
 * Start-up configuration: the raw Nuxt runtime config (NUXT_* variables)
 * parsed once into typed settings, with one sentence per problem naming the
 * variable to fix. Handlers read the parsed result, never `process.env`.
 */

export interface RateLimit {
  count: number
  /** Window length, seconds. */
  windowSeconds: number
}

export type EmulatorMode = 'off' | 'on' | 'forced'

export interface AuthConfig {
  dev: boolean
  /** The app origin: `iss` of access tokens and the only origin trusted for CSRF. */
  appOrigin: string
  /** `aud` of access tokens. */
  audience: string
  /** Seconds. */
  accessTtl: number
  /** Seconds. */
  sessionTtl: number
  /** Seconds. */
  sessionIdleTtl: number
  /** Seconds. */
  refreshGrace: number
  /** Secure cookies, with the `__Host-` name prefix. */
  cookieSecure: boolean
  /** Seconds; 0 = rotate only by command. */
  keyRotationInterval: number
  allowedDomains: string[]
  allowedEmails: string[]
  google: {
    clientId: string
    emulator: EmulatorMode
    requireNonce: boolean
    /** Overrides where Google's certificates are fetched from; null = Google's (or the emulator's when it is on). */
    certsUrl: string | null
  }
  rateLimits: {
    signin: RateLimit | null
    refresh: RateLimit | null
  }
  databaseUrl: string
  /** Reverse proxies whose X-Forwarded-For is believed; null = none (the socket peer is the client). */
  trustedProxies: BlockList | null
  /** Exact origins allowed to call the API cross-origin with the bearer transport (never with cookies). */
  corsOrigins: string[]
}

/** The shape of `useRuntimeConfig()` this parser reads (values may arrive as numbers or booleans). */
export interface RawRuntimeConfig {
  databaseUrl?: unknown
  auth?: Record<string, unknown>
  public?: Record<string, unknown>
}

export const EMULATOR_CLIENT_ID = 'emulator.apps.googleusercontent.com'
export const DEFAULT_DATABASE_URL = 'sqlite:.data/auth.sqlite'

export type ParsedConfig = { ok: true, config: AuthConfig, warnings: string[] } | { ok: false, errors: string[] }

/** Parses and checks the runtime config. `port` only sets the development default origin. */
export function parseAuthConfig(raw: RawRuntimeConfig, env: { dev: boolean, port?: string | number }): ParsedConfig {
  const errors: string[] = []
  const warnings: string[] = []
  const auth = raw.auth ?? {}
  const pub = raw.public ?? {}

  const originInput = text(pub.appOrigin) || (env.dev ? `http://localhost:${env.port || 3000}` : '')
  let appOrigin = ''
  if (!originInput) {
    errors.push('NUXT_PUBLIC_APP_ORIGIN is not set: a production server needs the origin users load the app from, e.g. https://app.example.com.')
  }
  else {
    appOrigin = parseOrigin(originInput) ?? ''
    if (!appOrigin) errors.push(`NUXT_PUBLIC_APP_ORIGIN must be an origin such as https://app.example.com (scheme and host, no path); got "${originInput}".`)
  }

  const seconds = (name: string, value: unknown, fallback: number, min: number, max: number) => {
    const n = value === '' || value === undefined ? fallback : Number(value)
    if (!Number.isInteger(n) || n < min || n > max) {
      errors.push(`${name} must be a whole number of seconds from ${min} to ${max}; got "${String(value)}".`)
      return fallback
    }
    return n
  }
  // Down to 5 s so that tests can watch a token expire; production wants minutes.
  const accessTtl = seconds('NUXT_AUTH_ACCESS_TTL', auth.accessTtl, 600, 5, 86_400)
  const sessionTtl = seconds('NUXT_AUTH_SESSION_TTL', auth.sessionTtl, 2_592_000, 60, 31_536_000)
  const sessionIdleTtl = seconds('NUXT_AUTH_SESSION_IDLE_TTL', auth.sessionIdleTtl, 1_209_600, 60, 31_536_000)
  const refreshGrace = seconds('NUXT_AUTH_REFRESH_GRACE', auth.refreshGrace, 30, 0, 300)
  const keyRotationInterval = seconds('NUXT_AUTH_KEY_ROTATION_INTERVAL', auth.keyRotationInterval, 0, 0, 31_536_000)
  if (keyRotationInterval > 0 && keyRotationInterval < accessTtl * 2) {
    errors.push(`NUXT_AUTH_KEY_ROTATION_INTERVAL must be 0 or at least twice NUXT_AUTH_ACCESS_TTL (${accessTtl * 2} s), so that retired keys do not pile up in the published set.`)
  }

  const secureInput = flag(auth.cookieSecure)
  if (secureInput === 'invalid') errors.push(`NUXT_AUTH_COOKIE_SECURE must be true, false or empty (automatic); got "${String(auth.cookieSecure)}".`)
  const cookieSecure = typeof secureInput === 'boolean' ? secureInput : (!env.dev || appOrigin.startsWith('https:'))
  if (!cookieSecure && !env.dev) warnings.push('NUXT_AUTH_COOKIE_SECURE=false: cookies are sent over plain HTTP. Use this only behind a private network.')

  const clientIdInput = text(pub.googleClientId)
  const emulator = emulatorMode(auth.googleEmulator, env.dev, clientIdInput, errors)
  if (emulator === 'forced' && !env.dev) warnings.push('The Google emulator is forced on in production (NUXT_AUTH_GOOGLE_EMULATOR=force): anyone can sign in as anyone. Use this only for tests.')
  const clientId = clientIdInput || (emulator !== 'off' ? EMULATOR_CLIENT_ID : '')
  if (!clientId) {
    errors.push(env.dev
      ? 'NUXT_PUBLIC_GOOGLE_CLIENT_ID is not set and the Google emulator is off (NUXT_AUTH_GOOGLE_EMULATOR=false): set one of them.'
      : 'NUXT_PUBLIC_GOOGLE_CLIENT_ID is not set: a production server needs the OAuth client id from Google Cloud (docs/google-cloud.md).')
  }

  const nonceInput = flag(auth.googleRequireNonce)
  if (nonceInput === 'invalid') errors.push(`NUXT_AUTH_GOOGLE_REQUIRE_NONCE must be true or false; got "${String(auth.googleRequireNonce)}".`)

  const certsUrl = text(auth.googleCertsUrl) || null
  if (certsUrl && !/^https?:\/\/[^\s]+$/.test(certsUrl)) errors.push(`NUXT_AUTH_GOOGLE_CERTS_URL must be an http(s) URL; got "${certsUrl}".`)

  const databaseUrl = text(raw.databaseUrl) || DEFAULT_DATABASE_URL
  const databaseProblem = databaseUrlProblem(databaseUrl)
  if (databaseProblem) errors.push(databaseProblem)

  // Read by the sign-in page, which takes anything but 'redirect' for popup: a typo must not pass unseen.
  const uxMode = pub.googleUxMode
  if (uxMode !== undefined && uxMode !== '' && uxMode !== 'popup' && uxMode !== 'redirect') {
    errors.push(`NUXT_PUBLIC_GOOGLE_UX_MODE must be popup or redirect (lower case), or empty for popup; got "${String(uxMode)}".`)
  }

  const proxyEntries = list(auth.trustedProxies)
  const proxies = parseTrustedProxies(proxyEntries)
  if (proxies.invalid.length) errors.push(`NUXT_AUTH_TRUSTED_PROXIES must list IP addresses or CIDR ranges; cannot read "${proxies.invalid.join('", "')}".`)

  const corsOrigins: string[] = []
  for (const entry of list(auth.corsOrigins)) {
    const origin = parseOrigin(entry)
    if (origin) corsOrigins.push(origin)
    else errors.push(`NUXT_AUTH_CORS_ORIGINS must list origins such as https://app.example.com; cannot read "${entry}".`)
  }

  const config: AuthConfig = {
    dev: env.dev,
    appOrigin,
    audience: text(auth.audience) || appOrigin,
    accessTtl,
    sessionTtl,
    sessionIdleTtl,
    refreshGrace,
    cookieSecure,
    keyRotationInterval,
    allowedDomains: list(auth.allowedDomains),
    allowedEmails: list(auth.allowedEmails),
    google: { clientId, emulator, requireNonce: nonceInput !== false, certsUrl },
    rateLimits: {
      signin: rateLimit('NUXT_AUTH_RATE_LIMIT_SIGNIN', auth.rateLimitSignin, '10/60', errors),
      refresh: rateLimit('NUXT_AUTH_RATE_LIMIT_REFRESH', auth.rateLimitRefresh, '60/60', errors),
    },
    databaseUrl,
    trustedProxies: proxyEntries.length ? proxies.list : null,
    corsOrigins,
  }
  return errors.length ? { ok: false, errors } : { ok: true, config, warnings }
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim()
}

function list(value: unknown): string[] {
  // ASCII only: toLowerCase would fold U+212A KELVIN SIGN in "\u212Aorp.com" into "korp.com".
  return text(value).split(',').map(item => asciiLowerCase(item.trim())).filter(Boolean)
}

/** Runtime config values arrive parsed by destr: "true" may already be a boolean. */
function flag(value: unknown): boolean | undefined | 'invalid' {
  const v = text(value).toLowerCase()
  if (v === '') return undefined
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  return 'invalid'
}

function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return null
    return url.origin
  }
  catch {
    return null
  }
}

function emulatorMode(value: unknown, dev: boolean, clientId: string, errors: string[]): EmulatorMode {
  const v = text(value).toLowerCase()
  if (v === 'force') return 'forced'
  const on = flag(v)
  if (on === 'invalid') {
    errors.push(`NUXT_AUTH_GOOGLE_EMULATOR must be true, false, force or empty (automatic); got "${v}".`)
    return 'off'
  }
  if (on === true && !dev) {
    errors.push('NUXT_AUTH_GOOGLE_EMULATOR=true is refused in production: the emulator lets anyone sign in as anyone. Set it to force only for tests.')
    return 'off'
  }
  if (on === undefined) return dev && !clientId ? 'on' : 'off'
  return on ? 'on' : 'off'
}

function rateLimit(name: string, value: unknown, fallback: string, errors: string[]): RateLimit | null {
  const v = text(value) || fallback
  if (v === '0' || v === 'false' || v === 'off') return null
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(v)
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    errors.push(`${name} must be <count>/<seconds> (e.g. 10/60) or 0 to turn it off; got "${v}".`)
    return null
  }
  return { count: Number(match[1]), windowSeconds: Number(match[2]) }
}
