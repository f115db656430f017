import { addAppMigrations, useAuthServices } from '../services'
import type { AppDatabase, AppMigrations } from '../store/types'

export type { AppDatabase, AppMigrations }

/** The app's handle on the database; an unreachable database answers 503 `store_unavailable`. */
export async function useAppDatabase(): Promise<AppDatabase> {
  return (await useAuthServices()).appDatabase
}

/**
 * Registers the app's own migrations, applied at start-up after the auth
 * tables. Call it in the body of a Nitro plugin:
 * `export default defineNitroPlugin(() => registerAppMigrations(notesMigrations))`.
 */
export function registerAppMigrations(migrations: AppMigrations): void {
  addAppMigrations(migrations)
}
