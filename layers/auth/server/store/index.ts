import { PostgresStore } from './postgres'
import { SqliteStore } from './sqlite'
import type { AppMigrations, AuthStore } from './types'

export type { AppMigrations, AuthStore } from './types'
export { StoreUnavailableError } from './types'

/** True for the URLs of the PostgreSQL store. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl)
}

/**
 * Opens the store named by a database URL (`sqlite:<path>` or
 * `postgres://…`), already migrated (the auth tables, then `apps`' own). The URL was checked by
 * the config parser.
 */
export async function openStore(databaseUrl: string, apps: readonly AppMigrations[] = []): Promise<AuthStore> {
  const store = isPostgresUrl(databaseUrl)
    ? new PostgresStore(databaseUrl)
    : new SqliteStore(databaseUrl.slice('sqlite:'.length))
  try {
    await store.migrate(apps)
  }
  catch (error) {
    await store.close().catch(() => undefined)
    throw error
  }
  return store
}
