/**
 * The example app: home, notes, devices and account pages on top of the auth
 * layer. Adopting the layer is the `extends` line; everything else here is
 * this app's own. Settings: docs/configuration.md.
 */
export default defineNuxtConfig({
  extends: ['./layers/auth'],
  modules: ['@nuxt/eslint'],
  devtools: { enabled: false },
  app: {
    head: { titleTemplate: '%s · Sign in with Google' },
  },
  compatibilityDate: '2025-07-15',
  typescript: { strict: true },
  eslint: { config: { stylistic: true } },
})
