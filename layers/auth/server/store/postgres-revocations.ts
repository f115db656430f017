import pg from 'pg'
import { revocationReasonOf } from '../../shared/sign-out-reason'
import type { RevokedSession } from './types'

/** The channel the `sessions_announce_revocation` trigger (migration 3) notifies on commit. */
export const REVOCATION_CHANNEL = 'auth_session_revoked'
/** Waits between reconnection attempts, ms: short first (a failover), then no faster than every 5 s. */
const RECONNECT_DELAYS = [100, 500, 1_000, 2_000, 5_000]

/**
 * Listens for revocations on a connection of its own (a pooled one would be
 * handed back, and LISTEN with it). A lost connection is re-opened with
 * backoff; notifications sent meanwhile are lost, which the revocation
 * feed's poll makes good. Returns a function that stops listening.
 */
export function listenForRevocations(connectionString: string, listener: (revoked: RevokedSession) => void): () => Promise<void> {
  let client: pg.Client | null = null
  let stopped = false
  let attempt = 0
  let retry: ReturnType<typeof setTimeout> | undefined

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== REVOCATION_CHANNEL || !message.payload) return
    const [id, revokedAt, reason] = message.payload.split(' ')
    if (id && Number.isFinite(Number(revokedAt))) listener({ id, revokedAt: Number(revokedAt), reason: revocationReasonOf(reason) })
  }

  const reconnectLater = () => {
    if (stopped || retry) return
    const delay = RECONNECT_DELAYS[Math.min(attempt++, RECONNECT_DELAYS.length - 1)]!
    retry = setTimeout(() => {
      retry = undefined
      void connect()
    }, delay)
    retry.unref()
  }

  async function connect() {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 3_000, keepAlive: true })
    next.on('notification', onNotification)
    // A dropped connection emits 'error' and/or 'end': either way, start over.
    let gone = false
    const lost = () => {
      if (gone) return
      gone = true
      next.removeAllListeners('notification')
      if (client === next) client = null
      reconnectLater()
    }
    next.on('error', lost)
    next.on('end', lost)
    try {
      await next.connect()
      await next.query(`LISTEN ${REVOCATION_CHANNEL}`)
      if (stopped) return void await next.end().catch(() => undefined)
      client = next
      attempt = 0
    }
    catch {
      await next.end().catch(() => undefined)
      lost()
    }
  }

  void connect()
  return async () => {
    stopped = true
    clearTimeout(retry)
    await client?.end().catch(() => undefined)
  }
}
