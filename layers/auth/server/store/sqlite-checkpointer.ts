import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the background connection copies the write-ahead log into the database file, ms. */
const CHECKPOINT_EVERY_MS = 250

/*
 * The checkpointer's own connection, on its own thread. CommonJS source run
 * with `eval`: Nitro bundles the server into chunks and would not emit a
 * separate worker file, so the driver's path comes in from the caller.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { fileMustExist: true })
// A writer or another checkpoint holding the lock: skip this round rather than wait.
db.pragma('busy_timeout = 0')
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') }
  catch {}
}, workerData.everyMs)
parentPort.once('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/**
 * Copies committed pages from `<file>-wal` into the database file on a
 * worker thread. SQLite otherwise does it on the connection that commits,
 * once the log passes 1 000 pages: a synchronous copy and fsync on the
 * request path, a third of a refresh's database time and its slowest
 * requests. The serving connection keeps an automatic checkpoint as a
 * backstop (at a larger size), which finds little left to copy. A PASSIVE
 * checkpoint never blocks readers or the writer. Returns a function that
 * stops it.
 */
export function startSqliteCheckpointer(databasePath: string): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(SOURCE, { eval: true, workerData: { driver, path: databasePath, everyMs: CHECKPOINT_EVERY_MS } })
  worker.unref()
  worker.on('error', (error) => {
    // The backstop keeps the log bounded; say so, without the error's text (it may quote a path).
    console.error(`[auth] The background SQLite checkpoint stopped (${error.name}); checkpoints run on commit instead.`)
  })
  const exited = new Promise<void>(done => worker.once('exit', () => done()))
  let stopping: Promise<void> | undefined
  return () => stopping ??= (() => {
    // Held until it has closed its connection: unreferenced, a script's last await would end the process first.
    worker.ref()
    worker.postMessage('stop')
    return exited
  })()
}
