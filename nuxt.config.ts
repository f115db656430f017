/**
 * The example app: home, notes, devices and account pages on top of the auth
 * layer. Settings: docs/configuration.md.
 *
 * The layer needs no line here: Nuxt adopts every folder in layers/ by itself.
 * An app that keeps it elsewhere writes `extends: ['<path to the layer>']`
 * (examples/minimal does). Do not write both: Nuxt 3.21 then merges the
 * layer's config twice, doubling every CSP source list.
 */
export default defineNuxtConfig({
  modules: ['@nuxt/eslint'],
  devtools: { enabled: false },
  app: {
    head: { titleTemplate: '%s · Sign in with Google' },
  },
  compatibilityDate: '2025-07-15',
  typescript: { strict: true },
  eslint: { config: { stylistic: true } },
})
