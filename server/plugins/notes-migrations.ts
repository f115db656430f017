import { notesMigrations } from '../migrations/notes'

/** The notes table is created or upgraded at start-up, after the auth tables. */
export default defineNitroPlugin(() => registerAppMigrations(notesMigrations))
