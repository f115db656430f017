import { GOOGLE_EMULATOR_BASE } from '../shared/constants'
import { revocationReasonOf } from '../shared/sign-out-reason'
import { listenToSiblingWorkers } from './cluster/worker-messages'
import { RevocationFeed } from './revocation/revocation-feed'
import { RevokedSessions } from './revocation/revoked-sessions'
import { trackRevocations } from './revocation/track-revocations'
import { openStore } from './store'
import type { AppDatabase, AppMigrations, AuthStore } from './store/types'
import { StoreUnavailableError, appDatabaseOf } from './store/types'
import { AccessTokenIssuer, revocationRetentionMs } from './tokens/access-tokens'
import type { AuthConfig } from './config'
import { createGoogleVerifier } from './google/google-credentials'
import { GoogleEmulator } from './google/google-emulator'
import { RateLimiter } from './http/rate-limit'
import { authError } from './utils/auth-error'

/** Everything the auth handlers use, built once at start-up from the parsed config. */
export interface AuthServices {
  config: AuthConfig
  /** Store failures surface as 503 `store_unavailable`. */
  store: AuthStore
  /** The store as opened, for health checks and shutdown. */
  rawStore: AuthStore
  /** The app's own statements on the same store (useAppDatabase), with the same 503s. */
  appDatabase: AppDatabase
  accessTokens: AccessTokenIssuer
  /** Sessions ended recently enough that their access tokens may still verify: refused on every request. */
  revokedSessions: RevokedSessions
  verifyGoogleCredential: ReturnType<typeof createGoogleVerifier>
  /** Null when the emulator is off: its routes then answer 404. */
  emulator: GoogleEmulator | null
  limiter: RateLimiter
  /** Stops the feed and closes the store. */
  close: () => Promise<void>
}

let services: Promise<AuthServices> | undefined
/** The same services once built, for the few synchronous readers (the client IP). */
let builtServices: AuthServices | undefined

const appMigrations: AppMigrations[] = []

/**
 * Adds an app's own tables to the store's migrations (registerAppMigrations).
 * Throws once start-up has begun: a track registered later would never run.
 */
export function addAppMigrations(migrations: AppMigrations) {
  if (services) throw new Error(`App migrations "${migrations.name}" were registered after start-up began: register them in a Nitro plugin's body.`)
  if (appMigrations.some(registered => registered.name === migrations.name)) throw new Error(`App migrations "${migrations.name}" are registered twice.`)
  appMigrations.push(migrations)
}

/**
 * Opens the store, loads (or creates) the keys; called once by the start-up
 * plugin. Starts on the next microtask: Nitro runs every plugin's body
 * synchronously first, so the app's plugins have registered their migrations.
 */
export function initAuthServices(config: AuthConfig): Promise<AuthServices> {
  services = Promise.resolve().then(() => createAuthServices(config, appMigrations))
  services.then((built) => {
    builtServices = built
  }, () => undefined)
  return services
}

/** The services if start-up has finished, without waiting: for code that runs after a handler awaited them. */
export function builtAuthServices(): AuthServices {
  if (!builtServices) throw new Error('The auth services are read before start-up finished.')
  return builtServices
}

/** The services, once start-up has finished. */
export function useAuthServices(): Promise<AuthServices> {
  if (!services) throw new Error('The auth services are used before the start-up plugin ran.')
  return services
}

/** Builds a set of services without making it the process's own (tests build their own). */
export async function createAuthServices(config: AuthConfig, apps: readonly AppMigrations[] = []): Promise<AuthServices> {
  const rawStore = await openStore(config.databaseUrl, apps)
  // A token never outlives its session: not its absolute end (`sign` caps it), nor its idle end.
  const ttl = Math.min(config.accessTtl, config.sessionIdleTtl)
  const revokedSessions = new RevokedSessions(revocationRetentionMs(ttl))
  const store = trackRevocations(answerOutagesWith503(rawStore), revokedSessions)
  const accessTokens = new AccessTokenIssuer(store, { issuer: config.appOrigin, audience: config.audience, ttl })
  await accessTokens.init()
  // Keeps the list current with what other instances and processes revoke.
  const revocationFeed = new RevocationFeed(rawStore, revokedSessions)
  await revocationFeed.start()
  // And at once with what this instance's other worker processes revoke.
  const stopListening = listenToSiblingWorkers(({ id, revokedAt, reason }) => {
    if (typeof id === 'string' && Number.isFinite(revokedAt)) revokedSessions.add(id, revokedAt, revocationReasonOf(reason))
  })

  let emulator: GoogleEmulator | null = null
  if (config.google.emulator !== 'off') {
    emulator = new GoogleEmulator(store, config.google.clientId)
    await emulator.init()
  }
  const verifyGoogleCredential = createGoogleVerifier({
    clientId: config.google.clientId,
    // The same library code path as production, fetching the emulator's certificates over HTTP.
    certsUrl: config.google.certsUrl ?? (emulator ? `${config.appOrigin}${GOOGLE_EMULATOR_BASE}/certs` : undefined),
  })
  return {
    config,
    store,
    rawStore,
    appDatabase: appDatabaseOf(store),
    accessTokens,
    revokedSessions,
    verifyGoogleCredential,
    emulator,
    limiter: new RateLimiter(store),
    async close() {
      stopListening()
      await revocationFeed.stop()
      await rawStore.close()
    },
  }
}

/** Wraps every store method so that an unreachable database becomes a 503 with a code, not a 500. */
function answerOutagesWith503(store: AuthStore): AuthStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args)
        }
        catch (error) {
          if (error instanceof StoreUnavailableError) throw authError('store_unavailable', 'The session store cannot be reached; try again shortly.')
          throw error
        }
      }
    },
  })
}

/** The emulator, or 404 `not_found` when it is off (docs/api.md: every emulator route). */
export async function requireGoogleEmulator(): Promise<GoogleEmulator> {
  const { emulator } = await useAuthServices()
  if (!emulator) throw authError('not_found', 'Not found.')
  return emulator
}
