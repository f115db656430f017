import cluster from 'node:cluster'
import type { Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'

/*
 * The server entry for every core: a primary process that forks one worker
 * per core (NITRO_CLUSTER_WORKERS to choose another number), each running
 * the whole Nitro server on the shared port. It replaces Nitro's node-cluster
 * entry for two reasons: a stop signal sent to the primary alone (a test, a
 * supervisor that does not signal the group) reaches the workers, which then
 * finish their requests and close their stores before the primary exits;
 * and the workers' messages (a revoked session) reach their siblings.
 */

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const
/** A worker that dies this soon after starting is broken, not unlucky: stop re-forking it. */
const CRASH_LOOP_MS = 5_000

/**
 * Passes each message a worker sends (worker-messages.ts: a revoked session)
 * on to every other worker. Written out here, not imported: anything this
 * file imports from the app would load the whole server into the primary.
 */
function relayBetweenWorkers(worker: Worker) {
  worker.on('message', (message: unknown) => {
    if (typeof (message as { type?: unknown } | null)?.type !== 'string' || !(message as { type: string }).type.startsWith('auth:')) return
    for (const sibling of Object.values(cluster.workers ?? {})) {
      if (sibling && sibling !== worker && sibling.isConnected()) sibling.send(message as object)
    }
  })
}

function workerCount(): number {
  const configured = Number.parseInt(process.env.NITRO_CLUSTER_WORKERS ?? '', 10)
  return configured > 0 ? configured : availableParallelism()
}

function runPrimary() {
  let stopping = false
  const startedAt = new Map<Worker, number>()
  const fork = () => {
    const worker = cluster.fork()
    startedAt.set(worker, Date.now())
    relayBetweenWorkers(worker)
  }
  for (let i = 0; i < workerCount(); i++) fork()

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0)
    startedAt.delete(worker)
    if (stopping) {
      if (!Object.values(cluster.workers ?? {}).some(alive => alive && !alive.isDead())) process.exit(0)
      return
    }
    if (code !== 0 && lived < CRASH_LOOP_MS) {
      console.error(`[cluster] A worker exited ${signal ?? code} within ${lived} ms of starting; stopping the server.`)
      process.exit(code || 1)
    }
    console.error(`[cluster] A worker exited (${signal ?? code}); starting another.`)
    fork()
  })

  // `on`, not `once`: a second signal (a supervisor signalling the whole group, then the primary)
  // must not fall back to the default action and kill the primary mid-shutdown.
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    })
  }
}

if (cluster.isPrimary) {
  runPrimary()
}
else {
  import('nitropack/presets/node/runtime/node-server').catch((error: Error) => {
    console.error(error)
    process.exit(1)
  })
}
