import { initAuthServices } from '../services'
import { parseAuthConfig } from '../config'

/**
 * Start-up: validate the configuration (one sentence per problem), then open
 * the store and load the keys before the first request is answered
 * (handlers await `useAuthServices()`).
 */
export default defineNitroPlugin((nitroApp) => {
  const parsed = parseAuthConfig(useRuntimeConfig(), {
    dev: Boolean(import.meta.dev),
    port: process.env.NITRO_PORT || process.env.PORT,
  })
  if (!parsed.ok) {
    const report = `The server cannot start:\n${parsed.errors.map(error => `  - ${error}`).join('\n')}\nSee .env.example and docs/configuration.md.`
    console.error(`[auth] ${report}`)
    if (!import.meta.dev) process.exit(1)
    // Under `nuxt dev` Nitro answers every request with this error (its error page, or JSON):
    // the developer at the browser reads the same sentences as the terminal. Production exited above.
    throw new Error(report)
  }
  for (const warning of parsed.warnings) console.warn(`[auth] ${warning}`)

  const ready = initAuthServices(parsed.config)
  ready.catch((error: Error) => {
    console.error(`[auth] Start-up failed: ${error.message}`)
    if (!import.meta.dev) process.exit(1)
  })
  nitroApp.hooks.hook('close', async () => {
    const services = await ready.catch(() => null)
    await services?.close()
  })
})
