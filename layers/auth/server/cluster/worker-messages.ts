import cluster from 'node:cluster'

/**
 * What one worker tells its siblings, through the primary (entry.ts relays
 * every `auth:` message): a session it revoked, which they then refuse at
 * once rather than at the feed's next read.
 */
export interface RevokedMessage {
  type: 'auth:session-revoked'
  id: string
  revokedAt: number
  reason: string | null
}

function isRevokedMessage(message: unknown): message is RevokedMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'auth:session-revoked'
}

/** In a worker: tells the siblings (no-op outside a cluster). */
export function tellSiblingWorkers(message: Omit<RevokedMessage, 'type'>) {
  if (cluster.isWorker && process.send && process.connected) process.send({ type: 'auth:session-revoked', ...message })
}

/** In a worker: calls `listener` for each revocation a sibling reports. Returns a function that stops. */
export function listenToSiblingWorkers(listener: (message: RevokedMessage) => void): () => void {
  if (!cluster.isWorker) return () => {}
  const onMessage = (message: unknown) => {
    if (isRevokedMessage(message)) listener(message)
  }
  process.on('message', onMessage)
  return () => process.off('message', onMessage)
}
