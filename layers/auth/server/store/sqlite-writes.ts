import { watch } from 'node:fs'
import type { FSWatcher } from 'node:fs'

/** How often a lost watch is re-armed, ms (the poll covers the gap). */
const REARM_MS = 5_000

/**
 * Calls `listener` whenever the database's write-ahead log changes: another
 * process (a second instance on the same file, the operator's command) may
 * have committed. In WAL mode every commit appends to `<file>-wal`, and the
 * file stays while any connection, ours included, is open. Returns a
 * function that stops watching.
 */
export function watchSqliteWrites(databasePath: string, listener: () => void): () => Promise<void> {
  const wal = `${databasePath}-wal`
  let watcher: FSWatcher | null = null
  const arm = () => {
    try {
      watcher = watch(wal, { persistent: false }, (event) => {
        listener()
        // Replaced or removed (a restore, a manual checkpoint-and-delete): watch the new file.
        if (event === 'rename') disarm()
      })
      watcher.on('error', disarm)
    }
    catch {
      watcher = null
    }
  }
  const disarm = () => {
    watcher?.close()
    watcher = null
  }
  arm()
  const rearm = setInterval(() => watcher ?? arm(), REARM_MS)
  rearm.unref()
  return async () => {
    clearInterval(rearm)
    disarm()
  }
}
