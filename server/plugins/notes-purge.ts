import { purgeDeletedNotes } from '../utils/notes'

/** Once a minute, deleted notes whose undo window has passed are deleted for good (server/utils/notes.ts). */
export default defineNitroPlugin((nitroApp) => {
  if (import.meta.prerender) return
  const timer = setInterval(() => {
    useAppDatabase()
      .then(database => purgeDeletedNotes(database))
      .catch((error: Error) => console.error(`[notes] Purge of deleted notes failed (${error.name}); it runs again in a minute.`))
  }, 60_000)
  timer.unref()
  nitroApp.hooks.hook('close', () => clearInterval(timer))
})
