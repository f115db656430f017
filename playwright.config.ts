import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './tests/fixtures/chromium'

/**
 * End-to-end tests in a real Chromium (tests/fixtures/chromium.ts says which)
 * against the production build (run `npm run build` first; `npm test` does).
 */
export default defineConfig({
  testDir: 'tests/e2e',
  // As the API suites do: without a build, one clear sentence rather than a spawn error in every test.
  globalSetup: ['./tests/fixtures/require-build.ts', './tests/fixtures/temp-root.ts'],
  outputDir: 'test-results/e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
})
