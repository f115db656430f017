import { addAppMigrations, useAuthServices } from '../services'
import type { AppMigrations } from '../store/types'

/**
 * The app's own tables live in the auth database (SQLite or PostgreSQL, as
 * NUXT_DATABASE_URL says), so that they can reference `users(id)` and go
 * with the user. Write `?` placeholders; both databases take them.
 */
export interface AppDatabase {
  readonly kind: 'sqlite' | 'postgres'
  /** The rows a query returns. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>
}

export type { AppMigrations }

/** The app's handle on the database; an unreachable database answers 503 `store_unavailable`. */
export async function useAppDatabase(): Promise<AppDatabase> {
  const { store } = await useAuthServices()
  return { kind: store.kind, all: (sql, params) => store.appAll(sql, params), run: (sql, params) => store.appRun(sql, params) }
}

/**
 * Registers the app's own migrations, applied at start-up after the auth
 * tables. Call it in the body of a Nitro plugin:
 * `export default defineNitroPlugin(() => registerAppMigrations(notesMigrations))`.
 */
export function registerAppMigrations(migrations: AppMigrations): void {
  addAppMigrations(migrations)
}
