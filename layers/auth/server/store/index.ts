import { describeDatabase, isPostgresUrl, withoutPassword } from './database-url'
import { PostgresStore } from './postgres'
import { SqliteStore } from './sqlite'
import { StoreUnavailableError } from './types'
import type { AppMigrations, AuthStore } from './types'

export type { AppMigrations, AuthStore } from './types'
export { StoreUnavailableError } from './types'
export { isPostgresUrl } from './database-url'

/**
 * better-sqlite3's compiled part, loaded on first use, refuses a Node major other than the one it was
 * compiled for (after switching Node, or a build copied to a server on another Node). The database
 * is not at fault, so the message says what to rebuild instead of blaming the file.
 */
export function wrongNodeForAddon(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'ERR_DLOPEN_FAILED') return undefined
  if (!error.message.includes('NODE_MODULE_VERSION')) return undefined
  return `better-sqlite3 (SQLite's native addon) was compiled for another Node major than this one (${process.version}). `
    + 'Compile it for this Node: `npm rebuild better-sqlite3` in a checkout, or `npm ci && npm run build` again for a production build, '
    + 'which carries its own copy. A production server runs on the Node major it was built with.'
}

/**
 * Opens the store named by a database URL (`sqlite:<path>` or
 * `postgres://…`), already migrated (the auth tables, then `apps`' own). The URL was checked by
 * the config parser. A failure names the variable and the file or server, never the password:
 * the drivers' own messages omit the path (`unable to open database file`) or the host.
 */
export async function openStore(databaseUrl: string, apps: readonly AppMigrations[] = []): Promise<AuthStore> {
  let store: AuthStore | undefined
  try {
    store = isPostgresUrl(databaseUrl)
      ? new PostgresStore(databaseUrl)
      : new SqliteStore(databaseUrl.slice('sqlite:'.length))
    await store.migrate(apps)
    return store
  }
  catch (error) {
    await store?.close().catch(() => undefined)
    // StoreUnavailableError says only "cannot be reached": the driver's reason is its cause.
    const reason = error instanceof StoreUnavailableError && error.cause instanceof Error ? error.cause : error
    const addon = wrongNodeForAddon(reason)
    if (addon) throw new Error(addon, { cause: error })
    const text = reason instanceof Error ? reason.message : String(reason)
    throw new Error(`NUXT_DATABASE_URL: ${describeDatabase(databaseUrl)} cannot be opened: ${withoutPassword(text, databaseUrl)}`, { cause: error })
  }
}
