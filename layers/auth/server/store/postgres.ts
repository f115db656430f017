import pg from 'pg'
import type { RevocationReason } from '../../shared/types/api'
import { POSTGRES_MIGRATIONS } from './postgres-migrations'
import { listenForRevocations } from './postgres-revocations'
import { toKey, toRevokedSession, toSession, toSessionOrNull, toUser } from './rows'
import type { Row } from './rows'
import { StoreUnavailableError } from './types'
import type { AppMigrations, AuthStore, GoogleProfile, KeyPurpose, NewSession, PurgeCutoffs, RevokedSession, RotateInput, SigningKeyRow } from './types'

/** SQLSTATE classes and driver errors that mean "the database cannot be reached", not "this query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|58)/
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN'])
/** Arbitrary, fixed: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 727_374_001

/**
 * The store for several instances: PostgreSQL through a `pg` pool. Rotation
 * is one statement whose row lock makes it a compare-and-set across every
 * instance; a pool that cannot connect surfaces as StoreUnavailableError and
 * recovers by itself when the database is back.
 */
export class PostgresStore implements AuthStore {
  readonly kind = 'postgres' as const
  private readonly pool: pg.Pool

  constructor(private readonly connectionString: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
      // A query that hangs on a dead connection must fail, not hold a request forever;
      // and the server itself gives up too, so nothing commits long after it was sent
      // (the revocation feed counts on it: server/revocation/revocation-feed.ts).
      query_timeout: 10_000,
      statement_timeout: 10_000,
    })
    // An idle client losing its connection (the database restarted) must not crash the process.
    this.pool.on('error', () => undefined)
  }

  async migrate(apps: readonly AppMigrations[] = []) {
    await this.guard(async () => {
      const client = await this.pool.connect()
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)')
        const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')
        for (let version = (rows[0]?.v ?? 0) + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
          await client.query('BEGIN')
          await client.query(POSTGRES_MIGRATIONS[version - 1]!)
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()])
          await client.query('COMMIT')
        }
        await client.query(`CREATE TABLE IF NOT EXISTS app_migrations (
          name TEXT NOT NULL, version INTEGER NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (name, version))`)
        for (const app of apps) {
          const applied = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM app_migrations WHERE name = $1', [app.name])
          for (let version = (applied.rows[0]?.v ?? 0) + 1; version <= app.postgres.length; version++) {
            await client.query('BEGIN')
            await client.query(app.postgres[version - 1]!)
            await client.query('INSERT INTO app_migrations (name, version, applied_at) VALUES ($1, $2, $3)', [app.name, version, Date.now()])
            await client.query('COMMIT')
          }
        }
      }
      catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      }
      finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined)
        client.release()
      }
    })
  }

  async ping() {
    await this.query('SELECT 1')
  }

  async close() {
    await this.pool.end()
  }

  async upsertGoogleUser(profile: GoogleProfile, now: number) {
    const id = crypto.randomUUID()
    const [row] = await this.query(`
      INSERT INTO users (id, google_sub, email, name, picture, created_at, last_sign_in_at)
      VALUES ($1, $2, $3, $4, $5, $6, $6)
      ON CONFLICT (google_sub) DO UPDATE SET
        email = excluded.email, name = excluded.name, picture = excluded.picture, last_sign_in_at = excluded.last_sign_in_at
      RETURNING *`, [id, profile.googleSub, profile.email, profile.name, profile.picture, now])
    return { user: toUser(row!), created: row!.id === id }
  }

  async findUserById(id: string) {
    const [row] = await this.query('SELECT * FROM users WHERE id = $1', [id])
    return row ? toUser(row) : null
  }

  async insertSession(s: NewSession) {
    await this.query(`
      INSERT INTO sessions (id, user_id, refresh_hash, created_at, last_used_at, expires_at, user_agent, ip)
      VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`, [s.id, s.userId, s.refreshHash, s.createdAt, s.expiresAt, s.userAgent, s.ip])
  }

  async findSessionById(id: string) {
    return toSessionOrNull((await this.query('SELECT * FROM sessions WHERE id = $1', [id]))[0])
  }

  async findSessionByRefreshHash(hash: string) {
    // The previous hash through the history (step 5 dropped its index on sessions).
    return toSessionOrNull((await this.query(`
      SELECT * FROM sessions WHERE refresh_hash = $1
      UNION ALL
      SELECT s.* FROM refresh_token_history h JOIN sessions s ON s.id = h.session_id WHERE h.hash = $1 AND s.previous_hash = $1
      LIMIT 1`, [hash]))[0])
  }

  async findSessionBySupersededHash(hash: string) {
    return toSessionOrNull((await this.query(
      'SELECT s.* FROM refresh_token_history h JOIN sessions s ON s.id = h.session_id WHERE h.hash = $1', [hash]))[0])
  }

  async rotateRefreshToken(input: RotateInput) {
    // One statement: the UPDATE's row lock makes concurrent rotations of one token wait, re-check the
    // WHERE clause after the winner commits, and find nothing: exactly one wins, on any instance.
    const [row] = await this.query(`
      WITH rotated AS (
        UPDATE sessions SET
          previous_hash = refresh_hash, refresh_hash = $2, previous_rotated_at = $4,
          successor_sealed = $3, last_used_at = $4
        WHERE refresh_hash = $1 AND revoked_at IS NULL AND expires_at > $4 AND last_used_at > $5
        RETURNING *
      ), superseded AS (
        INSERT INTO refresh_token_history (hash, session_id, superseded_at)
        SELECT $1, id, $4 FROM rotated
        ON CONFLICT (hash) DO NOTHING
      )
      SELECT rotated.*, row_to_json(u) AS user_row FROM rotated JOIN users u ON u.id = rotated.user_id`,
    [input.presentedHash, input.nextHash, input.successorSealed, input.now, input.idleCutoff])
    return row ? { session: toSession(row), user: toUser(row.user_row as Row) } : null
  }

  async listActiveSessions(userId: string, now: number, idleCutoff: number) {
    return (await this.query(`
      SELECT * FROM sessions
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_used_at > $3
      ORDER BY created_at DESC, id`, [userId, now, idleCutoff])).map(toSession)
  }

  async revokeSession(userId: string, sessionId: string, now: number, reason: RevocationReason) {
    return (await this.command('UPDATE sessions SET revoked_at = $1, revoked_reason = $4 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL', [now, sessionId, userId, reason])) === 1
  }

  async revokeOtherSessions(userId: string, keepSessionId: string, now: number) {
    return (await this.query(`UPDATE sessions SET revoked_at = $1, revoked_reason = 'device' WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL RETURNING id`, [now, userId, keepSessionId]))
      .map(row => row.id as string)
  }

  async revokeUserSessions(userId: string, now: number) {
    return (await this.query(`UPDATE sessions SET revoked_at = $1, revoked_reason = 'operator' WHERE user_id = $2 AND revoked_at IS NULL RETURNING id`, [now, userId]))
      .map(row => row.id as string)
  }

  async deleteUser(userId: string, now: number) {
    return this.transaction(async (client) => {
      // The row lock makes a sign-in's new session wait (its foreign-key check) until this commits,
      // and then fail: no session of this user can escape the tombstones.
      if (!(await client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId])).rowCount) return null
      const ended = await client.query<{ id: string }>(`
        UPDATE sessions SET revoked_at = $2, revoked_reason = 'account_deleted' WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`, [userId, now])
      await client.query(`
        INSERT INTO session_tombstones (id, revoked_at, revoked_reason)
        SELECT id, revoked_at, revoked_reason FROM sessions WHERE user_id = $1 ON CONFLICT (id) DO NOTHING`, [userId])
      await client.query('DELETE FROM users WHERE id = $1', [userId])
      return ended.rows.map(row => row.id)
    })
  }

  async findUsersByEmail(email: string) {
    return (await this.query('SELECT * FROM users WHERE email = $1 ORDER BY created_at, id', [email])).map(toUser)
  }

  async listRevokedSince(since: number) {
    return (await this.query(`
      SELECT id, revoked_at, revoked_reason FROM sessions WHERE revoked_at > $1
      UNION ALL
      SELECT id, revoked_at, revoked_reason FROM session_tombstones WHERE revoked_at > $1
      ORDER BY revoked_at`, [since]))
      .map(toRevokedSession)
  }

  watchRevocations(listener: (revoked: RevokedSession) => void) {
    return listenForRevocations(this.connectionString, listener)
  }

  async recordOnce(key: string, expiresAt: number) {
    return (await this.command('INSERT INTO single_use_records (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, expiresAt])) === 1
  }

  async hitRateLimit(key: string, windowMs: number, now: number) {
    const [row] = await this.query(`
      INSERT INTO rate_limits AS r (key, reset_at, count) VALUES ($1, $2::bigint + $3::bigint, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN r.reset_at <= $2 THEN 1 ELSE r.count + 1 END,
        reset_at = CASE WHEN r.reset_at <= $2 THEN $2::bigint + $3::bigint ELSE r.reset_at END
      RETURNING count, reset_at`, [key, now, windowMs])
    return { count: Number(row!.count), resetAt: Number(row!.reset_at) }
  }

  async listSigningKeys(purpose: KeyPurpose) {
    return (await this.query('SELECT * FROM signing_keys WHERE purpose = $1 ORDER BY created_at DESC, kid', [purpose])).map(toKey)
  }

  async addSigningKey(key: SigningKeyRow) {
    await this.query(`
      WITH retired AS (
        UPDATE signing_keys SET retired_at = $6 WHERE purpose = $2 AND retired_at IS NULL
      )
      INSERT INTO signing_keys (kid, purpose, alg, public_jwk, private_jwk, created_at, retired_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)`, [key.kid, key.purpose, key.alg, key.publicJwk, key.privateJwk, key.createdAt, key.retiredAt])
  }

  async addFirstSigningKey(key: SigningKeyRow) {
    return this.transaction(async (client) => {
      // Serialises the first keys of a purpose across instances (READ COMMITTED alone lets two inserts through).
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK, key.purpose])
      const { rowCount } = await client.query(`
        INSERT INTO signing_keys (kid, purpose, alg, public_jwk, private_jwk, created_at, retired_at)
        SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE purpose = $2)`,
      [key.kid, key.purpose, key.alg, key.publicJwk, key.privateJwk, key.createdAt, key.retiredAt])
      return rowCount === 1
    })
  }

  async deleteSigningKeysRetiredBefore(purpose: KeyPurpose, cutoff: number) {
    return this.command('DELETE FROM signing_keys WHERE purpose = $1 AND retired_at IS NOT NULL AND retired_at < $2', [purpose, cutoff])
  }

  async appAll<T>(sql: string, params: readonly unknown[] = []) {
    return await this.query(numberedPlaceholders(sql), [...params]) as T[]
  }

  async appRun(sql: string, params: readonly unknown[] = []) {
    return this.command(numberedPlaceholders(sql), [...params])
  }

  async purgeExpired({ now, endedCutoff, idleCutoff, revokedCutoff, graceCutoff }: PurgeCutoffs) {
    const sessions = await this.command('DELETE FROM sessions WHERE expires_at <= $1 OR last_used_at <= $2 OR revoked_at < $3', [endedCutoff, idleCutoff, revokedCutoff])
    await this.command('DELETE FROM session_tombstones WHERE revoked_at < $1', [revokedCutoff])
    await this.command('UPDATE sessions SET successor_sealed = NULL WHERE successor_sealed IS NOT NULL AND previous_rotated_at < $1', [graceCutoff])
    const records = await this.command('DELETE FROM single_use_records WHERE expires_at <= $1', [now])
    await this.command('DELETE FROM rate_limits WHERE reset_at <= $1', [now])
    return { sessions, records }
  }

  /** Runs `step` in a transaction on one pooled connection: committed if it returns, rolled back if it throws. */
  private async transaction<T>(step: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      const client = await this.pool.connect()
      try {
        await client.query('BEGIN')
        const result = await step(client)
        await client.query('COMMIT')
        return result
      }
      catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      }
      finally {
        client.release()
      }
    })
  }

  private async query(text: string, values: unknown[] = []): Promise<Row[]> {
    return this.guard(async () => (await this.pool.query(text, values)).rows as Row[])
  }

  private async command(text: string, values: unknown[] = []): Promise<number> {
    return this.guard(async () => (await this.pool.query(text, values)).rowCount ?? 0)
  }

  /** Runs a database step, turning "cannot reach the database" failures into StoreUnavailableError. */
  private async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    }
    catch (error) {
      const { code, message } = error as { code?: string, message?: string }
      const unreachable = (code && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code)))
        || /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Cannot use a pool after calling end/i.test(message ?? '')
      if (unreachable) throw new StoreUnavailableError(error)
      throw error
    }
  }
}

/** `?` → `$1, $2, …`, so that the app writes one placeholder style for both databases (no `?` inside its SQL literals). */
function numberedPlaceholders(sql: string): string {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}
