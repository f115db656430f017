import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * Two projects, split by where the code under test runs (stack-notes: never
 * let one pick up the other's files):
 * - unit: server logic in plain Node, with a real SQLite file, jose and google-auth-library;
 * - api:  the production build (`nuxt build` first), started as `node .output/server/index.mjs`;
 * - security: attacks on the production build, with a tally of what was refused.
 */
export default defineConfig({
  resolve: {
    alias: { '#shared': fileURLToPath(new URL('./shared', import.meta.url)) },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
          globalSetup: ['tests/fixtures/temp-root.ts'],
          // Hooks and some tests start throwaway PostgreSQL servers: 1 s alone, over 5 s with another Node
          // major's suites beside them in CI (seen on Node 20 beside Node 24's e2e). Bounds for a stuck
          // start, not speed targets.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'security',
          environment: 'node',
          include: ['tests/security/**/*.test.ts'],
          globalSetup: ['tests/fixtures/require-build.ts', 'tests/fixtures/temp-root.ts', 'tests/fixtures/security-summary.ts'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'api',
          environment: 'node',
          include: ['tests/api/**/*.test.ts'],
          globalSetup: ['tests/fixtures/require-build.ts', 'tests/fixtures/temp-root.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
})
