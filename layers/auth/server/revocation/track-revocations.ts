import type { AuthStore } from '../store/types'
import type { RevokedSessions } from './revoked-sessions'

/**
 * The store, with every revocation it performs also recorded at once in this
 * instance's RevokedSessions: the revoking instance refuses the session's
 * access tokens from the next request on, without waiting for its own feed.
 */
export function trackRevocations(store: AuthStore, revoked: RevokedSessions): AuthStore {
  const tracked: Pick<AuthStore, 'revokeSession' | 'revokeOtherSessions' | 'revokeUserSessions'> = {
    async revokeSession(userId, sessionId, now, reason) {
      const done = await store.revokeSession(userId, sessionId, now, reason)
      if (done) revoked.add(sessionId, now, reason)
      return done
    },
    async revokeOtherSessions(userId, keepSessionId, now) {
      const ids = await store.revokeOtherSessions(userId, keepSessionId, now)
      for (const id of ids) revoked.add(id, now, 'device')
      return ids
    },
    async revokeUserSessions(userId, now) {
      const ids = await store.revokeUserSessions(userId, now)
      for (const id of ids) revoked.add(id, now, 'operator')
      return ids
    },
  }
  return new Proxy(store, {
    get: (target, property, receiver) => Object.hasOwn(tracked, property)
      ? tracked[property as keyof typeof tracked]
      : Reflect.get(target, property, receiver),
  })
}
