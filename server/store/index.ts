import { PostgresStore } from './postgres'
import { SqliteStore } from './sqlite'
import type { AuthStore } from './types'

export type { AuthStore } from './types'
export { StoreUnavailableError } from './types'

/** True for the URLs of the PostgreSQL store. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl)
}

/**
 * Opens the store named by a database URL (`sqlite:<path>` or
 * `postgres://…`), already migrated. The URL was checked by the config parser.
 */
export async function openStore(databaseUrl: string): Promise<AuthStore> {
  const store = isPostgresUrl(databaseUrl)
    ? new PostgresStore(databaseUrl)
    : new SqliteStore(databaseUrl.slice('sqlite:'.length))
  try {
    await store.migrate()
  }
  catch (error) {
    await store.close().catch(() => undefined)
    throw error
  }
  return store
}
