import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { defineNuxtModule } from '@nuxt/kit'

/**
 * A clean `nuxt dev` after a fresh clone or a `nuxt build`. Nuxt 3.21 points
 * `#app-manifest` at `.nuxt/manifest/meta/dev.json` but writes that file only
 * when Nitro's first development build finishes, after Vite has already
 * analysed Nuxt's manifest composable: every analysis before then logged
 * `Failed to resolve import "#app-manifest"` (a dozen per start; nuxt/nuxt#33606).
 * `nuxt build` empties `.nuxt`, so the file was missing on every build-then-dev.
 * Nuxt writes such a placeholder before production builds, not before dev:
 * this writes the one Nitro is about to write (same shape), and Nitro overwrites it.
 */
export default defineNuxtModule({
  meta: { name: 'auth-dev-app-manifest' },
  setup(_options, nuxt) {
    if (!nuxt.options.dev || !nuxt.options.experimental.appManifest) return
    nuxt.hook('build:before', async () => {
      const file = nuxt.options.alias['#app-manifest']
      if (!file?.endsWith('.json') || existsSync(file)) return
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, JSON.stringify({ id: nuxt.options.runtimeConfig.app.buildId, timestamp: Date.now(), prerendered: [] }))
    })
  },
})
