import type { AuthStore, SessionRow, UserRow } from '../store/types'
import { hashRefreshToken, newRefreshToken, openSuccessor, sealSuccessor } from '../tokens/refresh-tokens'

/** Session lifetimes, seconds (docs/api.md, "Tokens"). */
export interface SessionPolicy {
  sessionTtl: number
  sessionIdleTtl: number
  refreshGrace: number
}

export interface NewSessionInput {
  userId: string
  userAgent: string | null
  ip: string | null
  now: number
}

export type RefreshFailure = 'refresh_invalid' | 'refresh_reused' | 'session_expired' | 'session_revoked'

/** `user` comes with a rotation (read in the same store step); the grace path reads it separately. */
export type RefreshOutcome
  = | { ok: true, session: SessionRow, refreshToken: string, user?: UserRow }
    | { ok: false, code: RefreshFailure, session: SessionRow | null }

const MAX_USER_AGENT = 512

/** Starts a session for a signed-in user; returns it with its first refresh token. */
export async function startAuthSession(store: AuthStore, policy: SessionPolicy, input: NewSessionInput) {
  const refreshToken = newRefreshToken()
  const session = {
    id: crypto.randomUUID(),
    userId: input.userId,
    refreshHash: hashRefreshToken(refreshToken),
    createdAt: input.now,
    expiresAt: input.now + policy.sessionTtl * 1000,
    userAgent: input.userAgent?.slice(0, MAX_USER_AGENT) || null,
    ip: input.ip,
  }
  await store.insertSession(session)
  return { session, refreshToken }
}

/**
 * Exchanges a refresh token for its successor (docs/api.md, "Refresh token").
 * - the current token: rotated by one compare-and-set, so of any number of
 *   concurrent presenters exactly one rotates;
 * - the token superseded last, within the grace window: the successor that
 *   the first presenter received, so parallel requests and tabs never fork
 *   the chain or sign the user out;
 * - any other superseded token: reuse, so the whole session is revoked.
 */
export async function rotateAuthSession(store: AuthStore, policy: SessionPolicy, presented: string, now: number, retried = false): Promise<RefreshOutcome> {
  const presentedHash = hashRefreshToken(presented)
  const idleCutoff = now - policy.sessionIdleTtl * 1000
  const next = newRefreshToken()
  const rotated = await store.rotateRefreshToken({
    presentedHash,
    nextHash: hashRefreshToken(next),
    successorSealed: sealSuccessor(next, presented),
    now,
    idleCutoff,
  })
  if (rotated) return { ok: true, session: rotated.session, user: rotated.user, refreshToken: next }

  const known = await store.findSessionByRefreshHash(presentedHash)
  const session = known ?? await store.findSessionBySupersededHash(presentedHash)
  if (!session) return { ok: false, code: 'refresh_invalid', session: null }
  if (session.revokedAt !== null) return { ok: false, code: 'session_revoked', session }
  if (session.expiresAt <= now || session.lastUsedAt <= idleCutoff) return { ok: false, code: 'session_expired', session }

  const withinGrace = known?.previousHash === presentedHash
    && known.previousRotatedAt !== null
    && now - known.previousRotatedAt <= policy.refreshGrace * 1000
  if (withinGrace && known.successorSealed) {
    const successor = openSuccessor(known.successorSealed, presented)
    if (successor) return { ok: true, session: known, refreshToken: successor }
  }
  if (known?.refreshHash === presentedHash) {
    // Still current, yet the compare-and-set missed: the session changed between the two reads. Nothing was reused.
    return retried ? { ok: false, code: 'refresh_invalid', session: known } : rotateAuthSession(store, policy, presented, now, true)
  }

  // Stamped now, not at the refresh's start: the stamp should be as close to the commit as it can.
  await store.revokeSession(session.userId, session.id, Math.max(now, Date.now()), 'reuse')
  return { ok: false, code: 'refresh_reused', session }
}

/** The session a refresh token belongs to, current or superseded; for sign-out. */
export async function findSessionByRefreshToken(store: AuthStore, token: string): Promise<SessionRow | null> {
  const hash = hashRefreshToken(token)
  return await store.findSessionByRefreshHash(hash) ?? await store.findSessionBySupersededHash(hash)
}

/** Whether a session can still be used at `now`. */
export function isSessionActive(session: SessionRow, policy: SessionPolicy, now: number): boolean {
  return session.revokedAt === null
    && session.expiresAt > now
    && session.lastUsedAt > now - policy.sessionIdleTtl * 1000
}
