/**
 * The smallest app on the auth layer: one protected page. In your own app,
 * point `extends` at wherever the layer lives (README.md: a path, git or a package).
 */
export default defineNuxtConfig({
  extends: ['../../layers/auth'],
  compatibilityDate: '2025-07-15',
})
