/**
 * The example app: home, notes, devices and account pages on top of the auth
 * layer. Settings: docs/configuration.md.
 *
 * The layer needs no line here: Nuxt adopts every folder in layers/ by itself.
 * An app that keeps it elsewhere writes `extends: ['<path to the layer>']`
 * (examples/minimal does). Do not write both: Nuxt 3.21 then merges the
 * layer's config twice, doubling every CSP source list.
 */
import { fileURLToPath } from 'node:url'

export default defineNuxtConfig({
  modules: ['@nuxt/eslint'],
  $production: {
    nitro: {
      // Every core: the production server forks one worker process per core (NITRO_CLUSTER_WORKERS chooses
      // another number); the layer's entry stops them gracefully and relays revocations between them
      // (docs/deployment.md). Production only: `nuxt dev` keeps its own entry.
      preset: 'node-cluster',
      entry: fileURLToPath(new URL('./layers/auth/server/cluster/entry.ts', import.meta.url)),
      // The worker half of that entry is Nitro's own node server: bundled, as Nitro's entries are.
      externals: { inline: ['nitropack/presets/'] },
    },
  },
  devtools: { enabled: false },
  runtimeConfig: {
    // This app's name and logo (public/logo.svg); NUXT_PUBLIC_APP_NAME and NUXT_PUBLIC_APP_LOGO replace them at run time.
    public: { appName: 'Nuxt Notes', appLogo: '/logo.svg' },
  },
  compatibilityDate: '2025-07-15',
  typescript: { strict: true },
  eslint: { config: { stylistic: true } },
  // This app's own texts, beside the layer's: i18n/locales/.
  i18n: {
    locales: [{ code: 'en', file: 'en.json' }, { code: 'zh-TW', file: 'zh-TW.json' }],
  },
})
