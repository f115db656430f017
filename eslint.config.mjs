// @ts-check
// eslint-flat-config-utils calls Object.groupBy, which Node 20 lacks (it arrived in 21).
// The polyfill must run before that module loads, hence the dynamic import below.
if (!Object.groupBy) {
  Object.groupBy = /** @type {any} */ ((/** @type {any[]} */ items, /** @type {Function} */ keyOf) => {
    /** @type {Record<PropertyKey, unknown[]>} */
    const groups = Object.create(null)
    let index = 0
    for (const item of items) (groups[keyOf(item, index++)] ??= []).push(item)
    return groups
  })
}

const { default: withNuxt } = await import('./.nuxt/eslint.config.mjs')

export default withNuxt(
  { ignores: ['.data/**', 'bench/results/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['layers/auth/server/assets/**/*.js'],
    languageOptions: { sourceType: 'script' },
    // A script served as-is to browsers, written compactly on purpose.
    rules: { '@stylistic/max-statements-per-line': 'off' },
  },
  {
    // Pages are named by their route, as in the app (whose pages/ @nuxt/eslint already knows).
    files: ['examples/*/pages/**/*.vue', 'bench/fixtures/*/pages/**/*.vue'],
    rules: { 'vue/multi-word-component-names': 'off' },
  },
)
