import { KEY_SET_REFRESH_PERIOD } from '../tokens/access-tokens'
import { useAuthServices } from '../services'

/** Ended and revoked sessions are kept this long so that their tokens answer `session_expired` / `session_revoked` rather than `refresh_invalid`. */
const ENDED_RETENTION = 7 * 24 * 3600_000
const PURGE_INTERVAL = 10 * 60_000

/**
 * Background upkeep: pick up keys other instances or the rotate command
 * added, rotate on the configured interval, and purge ended sessions and
 * expired single-use records so the store does not grow without bound.
 */
export default defineNitroPlugin((nitroApp) => {
  const timers = [
    setInterval(() => void refreshKeys().catch(reportFailure), KEY_SET_REFRESH_PERIOD),
    setInterval(() => void purge().catch(reportFailure), PURGE_INTERVAL),
  ]
  for (const timer of timers) timer.unref()
  nitroApp.hooks.hook('close', () => timers.forEach(clearInterval))
  void purge().catch(reportFailure)
})

async function refreshKeys() {
  const { accessTokens, config } = await useAuthServices()
  const now = Date.now()
  // Re-read first: with several instances, another one may have rotated already.
  await accessTokens.reload(now)
  if (config.keyRotationInterval > 0 && accessTokens.activeKeyCreatedAt() + config.keyRotationInterval * 1000 <= now) {
    const kid = await accessTokens.rotate(now)
    logAuthEvent('key_rotated', { kid, reason: 'interval' })
  }
}

async function purge() {
  const { store, accessTokens, config } = await useAuthServices()
  const now = Date.now()
  await store.purgeExpired({
    now,
    endedCutoff: now - ENDED_RETENTION,
    idleCutoff: now - config.sessionIdleTtl * 1000 - ENDED_RETENTION,
    revokedCutoff: now - ENDED_RETENTION,
    graceCutoff: now - config.refreshGrace * 1000,
  })
  await accessTokens.deleteExpiredKeys(now)
}

function reportFailure(error: Error) {
  console.error(`[auth] Maintenance failed: ${error.message}`)
}
