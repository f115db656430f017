import { SqliteStore } from './sqlite'
import type { AuthStore } from './types'

export type { AuthStore } from './types'
export { StoreUnavailableError } from './types'

/**
 * Opens the store named by a database URL (`sqlite:<path>`), already
 * migrated. The URL was checked by the config parser.
 */
export async function openStore(databaseUrl: string): Promise<AuthStore> {
  const store = new SqliteStore(databaseUrl.slice('sqlite:'.length))
  await store.migrate()
  return store
}
