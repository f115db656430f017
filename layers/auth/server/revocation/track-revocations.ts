import type { RevocationReason } from '../../shared/types/api'
import { tellSiblingWorkers } from '../cluster/worker-messages'
import type { AuthStore } from '../store/types'
import type { RevokedSessions } from './revoked-sessions'

/**
 * The store, with every revocation it performs also recorded at once in this
 * process's RevokedSessions and told to its sibling worker processes: the
 * revoking instance refuses the session's access tokens from the next
 * request on, whichever of its workers answers, without waiting for the feed.
 */
export function trackRevocations(store: AuthStore, revoked: RevokedSessions): AuthStore {
  const record = (id: string, revokedAt: number, reason: RevocationReason) => {
    revoked.add(id, revokedAt, reason)
    tellSiblingWorkers({ id, revokedAt, reason })
  }
  const tracked: Pick<AuthStore, 'revokeSession' | 'revokeOtherSessions' | 'revokeUserSessions' | 'deleteUser'> = {
    async revokeSession(userId, sessionId, now, reason) {
      const done = await store.revokeSession(userId, sessionId, now, reason)
      if (done) record(sessionId, now, reason)
      return done
    },
    async revokeOtherSessions(userId, keepSessionId, now) {
      const ids = await store.revokeOtherSessions(userId, keepSessionId, now)
      for (const id of ids) record(id, now, 'device')
      return ids
    },
    async revokeUserSessions(userId, now) {
      const ids = await store.revokeUserSessions(userId, now)
      for (const id of ids) record(id, now, 'operator')
      return ids
    },
    async deleteUser(userId, now) {
      const ids = await store.deleteUser(userId, now)
      for (const id of ids ?? []) record(id, now, 'account_deleted')
      return ids
    },
  }
  return new Proxy(store, {
    get: (target, property, receiver) => Object.hasOwn(tracked, property)
      ? tracked[property as keyof typeof tracked]
      : Reflect.get(target, property, receiver),
  })
}
