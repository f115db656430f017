const KEY_RELOAD_INTERVAL = 60_000
const PURGE_INTERVAL = 10 * 60_000
/** Revoked sessions are kept this long so that their tokens answer `session_revoked` rather than `refresh_invalid`. */
const REVOKED_RETENTION = 7 * 24 * 3600_000

/**
 * Background upkeep: pick up keys other instances or the rotate command
 * added, rotate on the configured interval, and purge ended sessions and
 * expired single-use records so the store does not grow without bound.
 */
export default defineNitroPlugin((nitroApp) => {
  const timers = [
    setInterval(() => void refreshKeys().catch(reportFailure), KEY_RELOAD_INTERVAL),
    setInterval(() => void purge().catch(reportFailure), PURGE_INTERVAL),
  ]
  for (const timer of timers) timer.unref()
  nitroApp.hooks.hook('close', () => timers.forEach(clearInterval))
  void purge().catch(reportFailure)
})

async function refreshKeys() {
  const { accessTokens, config } = await useAuthServices()
  const now = Date.now()
  if (config.keyRotationInterval > 0 && accessTokens.activeKeyCreatedAt() + config.keyRotationInterval * 1000 <= now) {
    const kid = await accessTokens.rotate(now)
    logAuthEvent('key_rotated', { kid, reason: 'interval' })
  }
  else {
    await accessTokens.reload(now)
  }
}

async function purge() {
  const { store, accessTokens, config } = await useAuthServices()
  const now = Date.now()
  await store.purgeExpired({
    now,
    idleCutoff: now - config.sessionIdleTtl * 1000,
    revokedCutoff: now - REVOKED_RETENTION,
    graceCutoff: now - config.refreshGrace * 1000,
  })
  await accessTokens.deleteExpiredKeys(now)
}

function reportFailure(error: Error) {
  console.error(`[auth] Maintenance failed: ${error.message}`)
}
