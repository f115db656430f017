import type { RevocationReason } from '../../shared/types/api'

/**
 * The store interface: everything the auth server keeps, and the app's own
 * tables through `appAll`/`appRun`. One implementation per database
 * (sqlite.ts, postgres.ts), chosen at run time by NUXT_DATABASE_URL. Times are epoch
 * milliseconds; every method is async so that a networked database fits.
 */

/**
 * An app's own tables, as numbered steps per database kind, applied after the
 * auth tables and tracked under `name` (table `app_migrations`). Never edit a
 * step that has shipped: add the next one.
 */
export interface AppMigrations {
  name: string
  sqlite: readonly string[]
  postgres: readonly string[]
}

/**
 * The app's own tables live in the auth database (SQLite or PostgreSQL, as
 * NUXT_DATABASE_URL says), so that they can reference `users(id)` and go
 * with the user. Write `?` placeholders; both databases take them.
 */
export interface AppDatabase {
  readonly kind: 'sqlite' | 'postgres'
  /** The rows a query returns. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>
}

/** The app's view of a store: its own statements, nothing of the auth tables' methods. */
export function appDatabaseOf(store: AuthStore): AppDatabase {
  return { kind: store.kind, all: (sql, params) => store.appAll(sql, params), run: (sql, params) => store.appRun(sql, params) }
}

export interface UserRow {
  id: string
  googleSub: string
  email: string
  name: string
  picture: string | null
  createdAt: number
  lastSignInAt: number
}

export interface GoogleProfile {
  googleSub: string
  email: string
  name: string
  picture: string | null
}

export interface SessionRow {
  id: string
  userId: string
  /** SHA-256 (base64url) of the current refresh token. */
  refreshHash: string
  /** SHA-256 of the refresh token superseded last, if any. */
  previousHash: string | null
  /** When the previous token was superseded. */
  previousRotatedAt: number | null
  /** The current token, encrypted with a key derived from the previous one (see refresh-tokens.ts). */
  successorSealed: string | null
  createdAt: number
  lastUsedAt: number
  /** Absolute end of the session. */
  expiresAt: number
  revokedAt: number | null
  /** Why it was revoked; null while active (and for revocations made before reasons were kept). */
  revokedReason: RevocationReason | null
  userAgent: string | null
  ip: string | null
}

export interface NewSession {
  id: string
  userId: string
  refreshHash: string
  createdAt: number
  expiresAt: number
  userAgent: string | null
  ip: string | null
}

export interface RotateInput {
  /** Hash of the token presented: it must still be the session's current one. */
  presentedHash: string
  nextHash: string
  successorSealed: string
  now: number
  /** Sessions last used before this time have idled out. */
  idleCutoff: number
}

/** One ended session, as the revocation feed carries it. */
export interface RevokedSession {
  id: string
  /** Epoch ms. */
  revokedAt: number
  reason: RevocationReason | null
}

export type KeyPurpose = 'access' | 'google-emulator'

export interface SigningKeyRow {
  kid: string
  purpose: KeyPurpose
  alg: string
  /** JSON Web Keys, serialised. */
  publicJwk: string
  privateJwk: string
  createdAt: number
  /** When a newer key replaced it for signing; null while it signs. */
  retiredAt: number | null
}

/** Epoch ms limits for `purgeExpired`. */
export interface PurgeCutoffs {
  /** Single-use records and rate-limit windows ended by now go. */
  now: number
  /** Sessions whose absolute end is before this go. */
  endedCutoff: number
  /** Sessions last used before this go. */
  idleCutoff: number
  /** Revoked sessions are kept until this long after revocation. */
  revokedCutoff: number
  /** The grace window of successors rotated before this has closed. */
  graceCutoff: number
}

export interface AuthStore {
  /** Which implementation: for logs and health output. */
  readonly kind: 'sqlite' | 'postgres'
  /**
   * Creates or upgrades the schema: the auth tables, then each app track's
   * steps (registerAppMigrations). Safe to run from several instances.
   */
  migrate(apps?: readonly AppMigrations[]): Promise<void>
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>
  close(): Promise<void>

  /** Creates the user on first sign-in, refreshes the profile otherwise. */
  upsertGoogleUser(profile: GoogleProfile, now: number): Promise<{ user: UserRow, created: boolean }>
  findUserById(id: string): Promise<UserRow | null>

  insertSession(session: NewSession): Promise<void>
  findSessionById(id: string): Promise<SessionRow | null>
  /** The session whose current or previous refresh token has this hash. */
  findSessionByRefreshHash(hash: string): Promise<SessionRow | null>
  /** The session a token with this hash belonged to before it was superseded (older than the previous one). */
  findSessionBySupersededHash(hash: string): Promise<SessionRow | null>
  /**
   * The compare-and-set of rotation, in one atomic step: replaces the current
   * hash only if it still equals `presentedHash` and the session is active.
   * Returns the updated session with its user (read in the same step: one
   * round trip less per refresh), or null when another request won or the
   * session is no longer active.
   */
  rotateRefreshToken(input: RotateInput): Promise<{ session: SessionRow, user: UserRow } | null>
  /** Active sessions of a user, newest first. */
  listActiveSessions(userId: string, now: number, idleCutoff: number): Promise<SessionRow[]>
  /** Revokes one active session of this user; false when there is none with that id. */
  revokeSession(userId: string, sessionId: string, now: number, reason: RevocationReason): Promise<boolean>
  /** Revokes every active session of a user except one (reason `device`); returns the ids it revoked. */
  revokeOtherSessions(userId: string, keepSessionId: string, now: number): Promise<string[]>
  /** Revokes every active session of a user (reason `operator`: `npm run auth:revoke`); returns the ids it revoked. */
  revokeUserSessions(userId: string, now: number): Promise<string[]>
  /**
   * Deletes a user and, by cascade, everything that references them: their
   * sessions with user agent and IP, the sessions' refresh-token history,
   * the app's rows (`REFERENCES users(id) ON DELETE CASCADE`). One
   * transaction, which first ends every active session (reason
   * `account_deleted`) and copies every session's end into
   * `session_tombstones` (id, time, reason: nothing else), so that the
   * revocation feed still tells every instance once the rows are gone.
   * Returns the ids of the sessions it ended; null when there is no such user.
   */
  deleteUser(userId: string, now: number): Promise<string[] | null>
  /** Users with this e-mail address (exact match): Google accounts can share one over time. */
  findUsersByEmail(email: string): Promise<UserRow[]>
  /**
   * Sessions revoked after `since` (epoch ms, by `revoked_at`), for the
   * revocation feed: what other instances and processes revoked, deleted
   * users' sessions (their tombstones) included.
   */
  listRevokedSince(since: number): Promise<RevokedSession[]>
  /**
   * Calls `listener` as soon as any process revokes a session, where the
   * database can push (PostgreSQL LISTEN/NOTIFY); absent where it cannot
   * (SQLite: the feed polls). Reconnects by itself after a lost connection
   * (the feed's poll covers the gap). Returns a function that stops listening.
   */
  watchRevocations?(listener: (revoked: RevokedSession) => void): () => Promise<void>
  /**
   * Calls `listener` when another connection may have written, where the
   * database can tell (SQLite: its write-ahead log changed), so the feed
   * reads at once rather than at its next poll. Returns a function that stops.
   */
  watchWrites?(listener: () => void): () => Promise<void>

  /** Records a single-use value; false when it was already recorded (a replay). */
  recordOnce(key: string, expiresAt: number): Promise<boolean>

  /**
   * Counts one hit on a fixed-window counter, atomically for every process
   * on this database: a window that has run out restarts at 1 and ends
   * `windowMs` from `now`. Returns the count so far and when the window ends.
   */
  hitRateLimit(key: string, windowMs: number, now: number): Promise<{ count: number, resetAt: number }>

  listSigningKeys(purpose: KeyPurpose): Promise<SigningKeyRow[]>
  /** Adds a key and retires every other signing key of its purpose. */
  addSigningKey(key: SigningKeyRow): Promise<void>
  /**
   * Adds a purpose's first key, unless one exists: of several processes
   * starting together on an empty store exactly one adds it, and every one
   * then signs with it. Resolves to whether this call added it.
   */
  addFirstSigningKey(key: SigningKeyRow): Promise<boolean>
  deleteSigningKeysRetiredBefore(purpose: KeyPurpose, cutoff: number): Promise<number>

  /** Rows of one of the app's own queries (`?` placeholders): `useAppDatabase().all`. */
  appAll<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** Runs one of the app's own statements (`?` placeholders); the number of rows it changed. */
  appRun(sql: string, params?: readonly unknown[]): Promise<number>

  /**
   * Removes ended sessions (and their token history), tombstones of deleted
   * users' sessions (by `revokedCutoff`) and expired replay records, and
   * forgets sealed successors rotated before `graceCutoff`.
   */
  purgeExpired(cutoffs: PurgeCutoffs): Promise<{ sessions: number, records: number }>
}

/** Thrown by a store when its database cannot be reached: the API answers 503 `store_unavailable`. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The store cannot be reached.', { cause })
    this.name = 'StoreUnavailableError'
  }
}
