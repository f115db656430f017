import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import type { RevocationReason } from '../../shared/types/api'
import { SQLITE_MIGRATIONS } from './sqlite-migrations'
import { startSqliteCheckpointer } from './sqlite-checkpointer'
import { watchSqliteWrites } from './sqlite-writes'
import { toKey, toRevokedSession, toSession, toSessionOrNull, toUser } from './rows'
import type { Row } from './rows'
import { StoreUnavailableError } from './types'
import type { AppMigrations, AuthStore, GoogleProfile, KeyPurpose, NewSession, PurgeCutoffs, RotateInput, SigningKeyRow } from './types'

/**
 * Switches the file to write-ahead logging. On a new file that needs the file
 * to itself for a moment, and SQLite answers SQLITE_BUSY at once rather than
 * waiting (busy_timeout does not apply): sibling workers starting together
 * on a new file would fail. So wait here, up to the same 2 s.
 */
function enableWal(db: Database.Database) {
  const deadline = Date.now() + 2000
  for (;;) {
    try {
      db.pragma('journal_mode = WAL')
      return
    }
    catch (error) {
      if (!String((error as { code?: string }).code).startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10)
    }
  }
}

/** Error codes that mean "the database file cannot be used", not "this query is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|CORRUPT|NOTADB|PROTOCOL)/

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is
 * synchronous, so each method runs to completion without interleaving with
 * other requests of this process; transactions guard against other processes.
 */
export class SqliteStore implements AuthStore {
  readonly kind = 'sqlite' as const
  private readonly db: Database.Database
  /** Prepared once, reused: preparing on every call was a tenth of a refresh's time. */
  private readonly statements = new Map<string, Database.Statement>()
  private readonly stopCheckpointer: (() => Promise<void>) | undefined

  /** @param path file path, relative to the working directory, or `:memory:` */
  constructor(private readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
    this.db = new Database(path)
    // First: better-sqlite3 waits synchronously, so a lock held by another process (the rotate-keys
    // command, a backup, a sibling worker switching a new file to WAL) stalls this whole server while
    // it waits; wait briefly, then answer 503.
    this.db.pragma('busy_timeout = 2000')
    enableWal(this.db)
    // NORMAL keeps WAL commits durable across a process crash (not a power cut) at a fraction of FULL's cost.
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    if (path !== ':memory:') {
      // The checkpoint moves to a background thread (sqlite-checkpointer.ts); on commit only past this size.
      this.db.pragma('wal_autocheckpoint = 4000')
      this.stopCheckpointer = startSqliteCheckpointer(resolve(path))
    }
  }

  async migrate(apps: readonly AppMigrations[] = []) {
    this.guard(() => {
      this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)')
      this.db.exec(`CREATE TABLE IF NOT EXISTS app_migrations (
        name TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (name, version))`)
      // IMMEDIATE takes the write lock first, so two instances starting together cannot both apply a step.
      this.db.transaction(() => {
        const row = this.stmt('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }
        for (let version = (row.v ?? 0) + 1; version <= SQLITE_MIGRATIONS.length; version++) {
          this.db.exec(SQLITE_MIGRATIONS[version - 1]!)
          this.stmt('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now())
        }
        for (const app of apps) {
          const applied = this.stmt('SELECT MAX(version) AS v FROM app_migrations WHERE name = ?').get(app.name) as { v: number | null }
          for (let version = (applied.v ?? 0) + 1; version <= app.sqlite.length; version++) {
            this.db.exec(app.sqlite[version - 1]!)
            this.stmt('INSERT INTO app_migrations (name, version, applied_at) VALUES (?, ?, ?)').run(app.name, version, Date.now())
          }
        }
      }).immediate()
    })
  }

  async ping() {
    this.guard(() => this.stmt('SELECT 1').get())
  }

  async close() {
    await this.stopCheckpointer?.()
    if (this.db.open) this.db.close()
  }

  async upsertGoogleUser(profile: GoogleProfile, now: number) {
    return this.guard(() => {
      const id = crypto.randomUUID()
      const row = this.stmt(`
        INSERT INTO users (id, google_sub, email, name, picture, created_at, last_sign_in_at)
        VALUES (@id, @googleSub, @email, @name, @picture, @now, @now)
        ON CONFLICT (google_sub) DO UPDATE SET
          email = excluded.email, name = excluded.name, picture = excluded.picture,
          last_sign_in_at = excluded.last_sign_in_at
        RETURNING *`).get({ ...profile, id, now }) as Row
      return { user: toUser(row), created: row.id === id }
    })
  }

  async findUserById(id: string) {
    return this.guard(() => {
      const row = this.stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined
      return row ? toUser(row) : null
    })
  }

  async insertSession(s: NewSession) {
    this.guard(() => {
      this.stmt(`
        INSERT INTO sessions (id, user_id, refresh_hash, created_at, last_used_at, expires_at, user_agent, ip)
        VALUES (@id, @userId, @refreshHash, @createdAt, @createdAt, @expiresAt, @userAgent, @ip)`).run(s)
    })
  }

  async findSessionById(id: string) {
    return this.guard(() => toSessionOrNull(this.stmt('SELECT * FROM sessions WHERE id = ?').get(id)))
  }

  async findSessionByRefreshHash(hash: string) {
    return this.guard(() => toSessionOrNull(
      this.stmt('SELECT * FROM sessions WHERE refresh_hash = ?').get(hash)
      ?? this.stmt(`
        SELECT s.* FROM refresh_token_history h JOIN sessions s ON s.id = h.session_id
        WHERE h.hash = @hash AND s.previous_hash = @hash`).get({ hash }),
    ))
  }

  async findSessionBySupersededHash(hash: string) {
    return this.guard(() => toSessionOrNull(this.stmt(`
      SELECT s.* FROM refresh_token_history h JOIN sessions s ON s.id = h.session_id WHERE h.hash = ?`).get(hash)))
  }

  async rotateRefreshToken(input: RotateInput) {
    return this.guard(() => this.db.transaction(() => {
      const row = this.stmt(`
        UPDATE sessions SET
          previous_hash = refresh_hash, refresh_hash = @nextHash, previous_rotated_at = @now,
          successor_sealed = @successorSealed, last_used_at = @now
        WHERE refresh_hash = @presentedHash AND revoked_at IS NULL
          AND expires_at > @now AND last_used_at > @idleCutoff
        RETURNING *`).get(input) as Row | undefined
      if (!row) return null
      this.stmt('INSERT OR IGNORE INTO refresh_token_history (hash, session_id, superseded_at) VALUES (?, ?, ?)')
        .run(input.presentedHash, row.id, input.now)
      const user = this.stmt('SELECT * FROM users WHERE id = ?').get(row.user_id) as Row
      return { session: toSession(row), user: toUser(user) }
    }).immediate())
  }

  async listActiveSessions(userId: string, now: number, idleCutoff: number) {
    return this.guard(() => (this.stmt(`
      SELECT * FROM sessions
      WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_used_at > ?
      ORDER BY created_at DESC, id`).all(userId, now, idleCutoff) as Row[]).map(toSession))
  }

  async revokeSession(userId: string, sessionId: string, now: number, reason: RevocationReason) {
    return this.guard(() => this.stmt(`
      UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`)
      .run(now, reason, sessionId, userId).changes === 1)
  }

  async revokeOtherSessions(userId: string, keepSessionId: string, now: number) {
    return this.guard(() => (this.stmt(`
      UPDATE sessions SET revoked_at = ?, revoked_reason = 'device' WHERE user_id = ? AND id <> ? AND revoked_at IS NULL RETURNING id`)
      .all(now, userId, keepSessionId) as { id: string }[]).map(row => row.id))
  }

  async revokeUserSessions(userId: string, now: number) {
    return this.guard(() => (this.stmt(`
      UPDATE sessions SET revoked_at = ?, revoked_reason = 'operator' WHERE user_id = ? AND revoked_at IS NULL RETURNING id`)
      .all(now, userId) as { id: string }[]).map(row => row.id))
  }

  async deleteUser(userId: string, now: number) {
    // IMMEDIATE: no other process can start a session for this user between the copy and the delete.
    return this.guard(() => this.db.transaction(() => {
      if (!this.stmt('SELECT 1 FROM users WHERE id = ?').get(userId)) return null
      const ended = this.stmt(`
        UPDATE sessions SET revoked_at = ?, revoked_reason = 'account_deleted' WHERE user_id = ? AND revoked_at IS NULL RETURNING id`)
        .all(now, userId) as { id: string }[]
      this.stmt(`
        INSERT INTO session_tombstones (id, revoked_at, revoked_reason)
        SELECT id, revoked_at, revoked_reason FROM sessions WHERE user_id = ? ON CONFLICT (id) DO NOTHING`).run(userId)
      this.stmt('DELETE FROM users WHERE id = ?').run(userId)
      return ended.map(row => row.id)
    }).immediate())
  }

  async findUsersByEmail(email: string) {
    return this.guard(() => (this.stmt('SELECT * FROM users WHERE email = ? ORDER BY created_at, id').all(email) as Row[]).map(toUser))
  }

  async listRevokedSince(since: number) {
    return this.guard(() => (this.stmt(`
      SELECT id, revoked_at, revoked_reason FROM sessions WHERE revoked_at > @since
      UNION ALL
      SELECT id, revoked_at, revoked_reason FROM session_tombstones WHERE revoked_at > @since
      ORDER BY revoked_at`).all({ since }) as Row[])
      .map(toRevokedSession))
  }

  watchWrites(listener: () => void) {
    return this.path === ':memory:' ? async () => {} : watchSqliteWrites(resolve(this.path), listener)
  }

  async recordOnce(key: string, expiresAt: number) {
    return this.guard(() => this.stmt(
      'INSERT INTO single_use_records (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
      .run(key, expiresAt).changes === 1)
  }

  async hitRateLimit(key: string, windowMs: number, now: number) {
    return this.guard(() => {
      const row = this.stmt(`
        INSERT INTO rate_limits (key, reset_at, count) VALUES (@key, @now + @windowMs, 1)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN reset_at <= @now THEN 1 ELSE count + 1 END,
          reset_at = CASE WHEN reset_at <= @now THEN @now + @windowMs ELSE reset_at END
        RETURNING count, reset_at`).get({ key, now, windowMs }) as { count: number, reset_at: number }
      return { count: row.count, resetAt: row.reset_at }
    })
  }

  async listSigningKeys(purpose: KeyPurpose) {
    return this.guard(() => (this.stmt(
      'SELECT * FROM signing_keys WHERE purpose = ? ORDER BY created_at DESC, kid').all(purpose) as Row[]).map(toKey))
  }

  async addSigningKey(key: SigningKeyRow) {
    this.guard(() => this.db.transaction(() => {
      this.stmt('UPDATE signing_keys SET retired_at = ? WHERE purpose = ? AND retired_at IS NULL')
        .run(key.createdAt, key.purpose)
      this.stmt(`
        INSERT INTO signing_keys (kid, purpose, alg, public_jwk, private_jwk, created_at, retired_at)
        VALUES (@kid, @purpose, @alg, @publicJwk, @privateJwk, @createdAt, @retiredAt)`).run(key)
    }).immediate())
  }

  async addFirstSigningKey(key: SigningKeyRow) {
    return this.guard(() => this.db.transaction(() => {
      if (this.stmt('SELECT 1 FROM signing_keys WHERE purpose = ? LIMIT 1').get(key.purpose)) return false
      this.stmt(`
        INSERT INTO signing_keys (kid, purpose, alg, public_jwk, private_jwk, created_at, retired_at)
        VALUES (@kid, @purpose, @alg, @publicJwk, @privateJwk, @createdAt, @retiredAt)`).run(key)
      return true
    }).immediate())
  }

  async deleteSigningKeysRetiredBefore(purpose: KeyPurpose, cutoff: number) {
    return this.guard(() => this.stmt(
      'DELETE FROM signing_keys WHERE purpose = ? AND retired_at IS NOT NULL AND retired_at < ?').run(purpose, cutoff).changes)
  }

  async appAll<T>(sql: string, params: readonly unknown[] = []) {
    return this.guard(() => this.stmt(sql).all(...params) as T[])
  }

  async appRun(sql: string, params: readonly unknown[] = []) {
    return this.guard(() => this.stmt(sql).run(...params).changes)
  }

  async purgeExpired({ now, endedCutoff, idleCutoff, revokedCutoff, graceCutoff }: PurgeCutoffs) {
    return this.guard(() => this.db.transaction(() => {
      const sessions = this.stmt(`
        DELETE FROM sessions WHERE expires_at <= ? OR last_used_at <= ? OR revoked_at < ?`)
        .run(endedCutoff, idleCutoff, revokedCutoff).changes
      this.stmt('DELETE FROM session_tombstones WHERE revoked_at < ?').run(revokedCutoff)
      // Past the grace window the sealed successor is never opened again: drop it rather than keep ciphertext around.
      this.stmt('UPDATE sessions SET successor_sealed = NULL WHERE successor_sealed IS NOT NULL AND previous_rotated_at < ?').run(graceCutoff)
      const records = this.stmt('DELETE FROM single_use_records WHERE expires_at <= ?').run(now).changes
      this.stmt('DELETE FROM rate_limits WHERE reset_at <= ?').run(now)
      return { sessions, records }
    }).immediate())
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  /** Runs a database step, turning "cannot reach the database" failures into StoreUnavailableError. */
  private guard<T>(step: () => T): T {
    try {
      if (!this.db.open) throw new StoreUnavailableError(new Error('database closed'))
      return step()
    }
    catch (error) {
      if (error instanceof StoreUnavailableError) throw error
      const code = (error as { code?: string }).code ?? ''
      if (UNAVAILABLE_CODES.test(code)) throw new StoreUnavailableError(error)
      throw error
    }
  }
}
